"""The audit log: every service that changes a question, a clue, a candidate or a review decision records who,
when, what, and the state before and after, in the same transaction as the change."""

from __future__ import annotations

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


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """The fields of a recorded state that a change altered (the version aside), as (field, before, after)."""
    keys = sorted(set(before or {}) | set(after or {}))
    return [(k, (before or {}).get(k), (after or {}).get(k)) for k in keys
            if (before or {}).get(k) != (after or {}).get(k) and k != "version"]
