"""The audit log: every service that changes a question, a clue, a candidate or a review decision records who,
when, what, and the state before and after, in the same transaction as the change."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from annotation.projects.models import AuditEntry, Project


def record(*, project: Project | int, actor, action: str, target_type: str, target_id: int,
           before: dict | None, after: dict | None) -> AuditEntry:
    return AuditEntry.objects.create(
        project_id=project if isinstance(project, int) else project.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action, target_type=target_type, target_id=target_id, before=before, after=after,
    )


def history(*, target_type: str, target_id: int):
    return AuditEntry.objects.filter(target_type=target_type, target_id=target_id).select_related("actor")


@dataclass(frozen=True)
class Change:
    """One difference between two recorded states, in words, for a history page.

    ``kind`` is added, removed, changed, moved or resized; ``words`` is a word-level diff of a text, as
    (``same`` | ``added`` | ``removed``, text) pairs."""

    kind: str
    subject: str
    detail: str = ""
    words: tuple[tuple[str, str], ...] = ()


def text_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """The text of `after` in pieces, each ``same``, ``added`` or ``removed`` against `before`; words, spaces and
    punctuation are compared apart, so that "beeps?" to "beeps in all?" adds " in all"."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(new[j1:j2])))
    return tuple(out)


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def seconds(value) -> str:
    return "—" if value is None else f"{value:.2f} s"


def interval(start, end) -> str:
    return "none" if start is None or end is None else f"{start:.2f}–{end:.2f} s"


def shift(dx: float, dy: float) -> str:
    return f"{dx:+.0f} px across, {dy:+.0f} px down"
