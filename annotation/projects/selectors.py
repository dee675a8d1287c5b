"""Reads about projects: which projects a user sees, their role, and where the project's stages stand."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from annotation.projects import hooks
from annotation.projects.models import Membership, Project, Role
from annotation.projects.permissions import MINIMUM_ROLE, ROLE_RANK, Capability, role_allows

User = AbstractBaseUser | AnonymousUser


def role_of(*, user: User, project: Project) -> str | None:
    """The user's role in the project; superusers act as managers everywhere."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MANAGER
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def can(*, user: User, project: Project, capability: Capability) -> bool:
    return role_allows(role_of(user=user, project=project), capability)


def projects_for(*, user: User, capability: Capability = Capability.VIEW) -> QuerySet[Project]:
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    roles = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[MINIMUM_ROLE[capability]]]
    return Project.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def state_counts(queryset: QuerySet, field: str, choices) -> list[dict]:
    """How many rows of the queryset are in each state of `choices`, zeros included, for a summary section."""
    found = dict(queryset.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    return [{"state": value, "label": label, "count": found.get(value, 0)} for value, label in choices]


def project_summary(*, project: Project) -> dict:
    """Counts per workflow state for every stage of the project, zeros included, for the home page and the API.
    Each domain app contributes the stages it owns (``hooks.summary_sections``)."""
    stages = [stage for section in hooks.summary_sections(project=project) for stage in section]
    for stage in stages:
        stage["total"] = sum(s["count"] for s in stage["states"])
    return {"project": project.pk, "kind": project.kind, "stages": stages}
