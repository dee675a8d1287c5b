"""Pages of the annotation app. Thin: each asks the selectors and renders."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from annotation import selectors
from annotation.models import Project, Role, Video
from annotation.permissions import Capability
from annotation.serializers import VideoSerializer


def project_for_page(request, pk: int, capability: Capability = Capability.VIEW) -> tuple[Project, str]:
    """The project and the user's role, or 404 for a non-member (whatever the project's existence)."""
    project = get_object_or_404(Project, pk=pk)
    role = selectors.role_of(user=request.user, project=project)
    if not selectors.can(user=request.user, project=project, capability=capability):
        raise Http404("no such project")
    return project, role


@login_required
def home(request):
    projects = selectors.projects_for(user=request.user).prefetch_related("memberships")
    rows = [(project, selectors.role_of(user=request.user, project=project)) for project in projects]
    return render(request, "annotation/home.html", {"rows": rows})


@login_required
def project_home(request, pk: int):
    project, role = project_for_page(request, pk)
    summary = selectors.project_summary(project=project)
    members = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "annotation/project_home.html",
        {
            "project": project,
            "role": role,
            "role_label": Role(role).label,
            "summary": summary,
            "members": members,
            "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
        },
    )


@login_required
def project_videos(request, pk: int):
    project, role = project_for_page(request, pk)
    videos = Video.objects.filter(project=project).order_by("-created_at", "-id")
    return render(
        request,
        "annotation/project_videos.html",
        {
            "project": project,
            "videos": videos,
            "can_upload": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
            "upload_url": reverse("video-list"),
        },
    )


@login_required
def video_detail(request, pk: int):
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project_for_page(request, video.project_id)
    data = VideoSerializer(video).data
    return render(request, "annotation/video_detail.html", {"video": video, "project": video.project, "data": data})
