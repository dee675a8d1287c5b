"""Database check helpers shared by the models of the domain apps: an interval and a box that make sense."""

from django.db.models import F, Q


def interval_ok(start: str, end: str, *, nullable: bool = True) -> Q:
    ok = Q(**{f"{start}__gte": 0}) & Q(**{f"{start}__lt": F(end)})
    if nullable:
        return (Q(**{f"{start}__isnull": True}) & Q(**{f"{end}__isnull": True})) | ok
    return ok


def box_ok(prefix: str = "") -> Q:
    x1, y1, x2, y2 = (f"{prefix}{name}" for name in ("x1", "y1", "x2", "y2"))
    return Q(**{f"{x1}__gte": 0, f"{y1}__gte": 0, f"{x2}__gt": F(x1), f"{y2}__gt": F(y1)})
