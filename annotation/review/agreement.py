"""Reads of double annotation's agreement: per pair, per annotator (as first or second pass) and per project.

Each finished double-annotation item holds its pair's row (annotation.double.agreement_row: the metrics of
``benchmark.metrics.agreement.question_agreement`` with the first pass as the truth); the aggregates are that
module's ``aggregate`` over the rows: means over the rows that have a metric, booleans as shares.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from annotation.projects.models import Project
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from benchmark.metrics import agreement


@dataclass
class Pair:
    item: ReviewItem
    row: dict
    first_annotator: str
    second_annotator: str
    # None where the viewer made the first pass: they never see the second pass, its count included.
    second_count: int | None


def _rows(project: Project) -> list[ReviewItem]:
    return list(
        ReviewItem.objects.filter(project=project, queue=ReviewQueue.DOUBLE, state=ReviewState.DONE,
                                  decision="agreement", question__isnull=False)
        .select_related("question__video")
        .order_by("-decided_at", "-id")
    )


def _names(ids) -> dict[int, str]:
    return dict(get_user_model().objects.filter(pk__in=[i for i in ids if i is not None])
                .values_list("pk", "username"))


def pairs(*, project: Project, viewer) -> list[Pair]:
    """The project's measured pairs, newest first."""
    items = _rows(project)
    names = _names({i.result.get("first_annotator") for i in items} | {i.result.get("second_annotator") for i in items})
    out = []
    for item in items:
        row = item.result
        first, second = row.get("first_annotator"), row.get("second_annotator")
        out.append(Pair(
            item=item, row=row, first_annotator=names.get(first, "—"), second_annotator=names.get(second, "—"),
            second_count=None if first == viewer.pk else row.get("second_count"),
        ))
    return out


def per_annotator(*, project: Project) -> list[dict]:
    """One row per person who made either pass of a measured pair: their pairs as first and as second pass and
    the aggregate over all of them, by username."""
    items = _rows(project)
    by_person: dict[int, dict] = {}
    for item in items:
        for role in ("first", "second"):
            person = item.result.get(f"{role}_annotator")
            if person is None:
                continue
            entry = by_person.setdefault(person, {"first": 0, "second": 0, "rows": []})
            entry[role] += 1
            entry["rows"].append(item.result)
    names = _names(by_person)
    rows = [
        {"user_id": person, "username": names.get(person, f"user {person}"), "as_first": entry["first"],
         "as_second": entry["second"], **agreement.aggregate(entry["rows"])}
        for person, entry in by_person.items()
    ]
    return sorted(rows, key=lambda r: r["username"])


def project_agreement(*, project: Project) -> dict:
    """The aggregate over all of the project's measured pairs (``n`` is 0 when there is none)."""
    return agreement.aggregate(item.result for item in _rows(project))
