"""Pages of projects: your projects, and one project's home. Thin: each asks the selectors and renders."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from annotation.projects import selectors
from annotation.projects.models import Membership, Project, Role
from annotation.projects.permissions import Capability


def project_for_page(request, pk: int, capability: Capability = Capability.VIEW) -> tuple[Project, str]:
    """The project and the user's role; 404 for a non-member (whatever the project's existence), 403 for a member
    whose role is too low."""
    project = get_object_or_404(Project, pk=pk)
    role = selectors.role_of(user=request.user, project=project)
    if not selectors.can(user=request.user, project=project, capability=Capability.VIEW):
        raise Http404("no such project")
    if not selectors.can(user=request.user, project=project, capability=capability):
        raise PermissionDenied(f"your role in {project.name} does not allow this page")
    return project, role


@login_required
def home(request):
    projects = selectors.projects_for(user=request.user)
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = [(project, roles.get(project.pk, Role.MANAGER if request.user.is_superuser else None)) for project in projects]
    return render(request, "projects/home.html", {"rows": rows})


@login_required
def project_home(request, pk: int):
    project, role = project_for_page(request, pk)
    summary = selectors.project_summary(project=project)
    members = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "projects/project_home.html",
        {
            "project": project,
            "role": role,
            "role_label": Role(role).label,
            "summary": summary,
            "members": members,
            "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
            "can_review": selectors.can(user=request.user, project=project, capability=Capability.REVIEW),
        },
    )
