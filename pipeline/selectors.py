"""Reads for the pipeline app."""

from django.db.models import Q, QuerySet

from annotation.permissions import Capability
from annotation.selectors import projects_for
from pipeline.models import Job


def jobs_visible_to(*, user, project=None) -> QuerySet[Job]:
    """Jobs of the projects the user belongs to; jobs of no project only for staff."""
    if not user.is_authenticated:
        return Job.objects.none()
    visible = Q(project__in=projects_for(user=user, capability=Capability.VIEW))
    if user.is_staff:
        visible |= Q(project__isnull=True)
    jobs = Job.objects.filter(visible).select_related("project")
    if project is not None:
        jobs = jobs.filter(project=project)
    return jobs
