"""Writes for the annotation app. Views and serializers call these; business rules live here."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotation.models import Membership, Project, Question, Role


class StaleEdit(Exception):
    """The row changed since the client read it: the client must reload and re-apply its change."""

    def __init__(self, current: Question):
        super().__init__(f"question {current.pk} is at version {current.version}")
        self.current = current


def create_project(*, name: str, kind: str, description: str = "", manager=None) -> Project:
    with transaction.atomic():
        project = Project.objects.create(name=name, kind=kind, description=description)
        if manager is not None:
            Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return project


def set_membership(*, project: Project, user, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


def create_question(*, annotator, **fields) -> Question:
    return Question.objects.create(annotator=annotator, **fields)


def update_question(*, question: Question, expected_version: int, changes: dict) -> Question:
    """Apply `changes` only if the row is still at `expected_version`; bump the version in the same UPDATE."""
    with transaction.atomic():
        updated = Question.objects.filter(pk=question.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes
        )
        current = Question.objects.get(pk=question.pk)
        if not updated:
            raise StaleEdit(current)
    return current
