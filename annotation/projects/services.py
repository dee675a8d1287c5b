"""Writes about projects and their members."""

from django.db import transaction

from annotation.projects.models import Membership, Project, Role


def create_project(*, name: str, kind: str, description: str = "", manager=None) -> Project:
    with transaction.atomic():
        project = Project.objects.create(name=name, kind=kind, description=description)
        if manager is not None:
            Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return project


def set_membership(*, project: Project, user, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership
