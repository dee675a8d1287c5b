"""Pages of videos: a project's videos (with the upload for managers) and one video. Thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.urls import reverse

from annotation.projects import selectors
from annotation.projects.errors import AppError
from annotation.projects.permissions import Capability
from annotation.projects.views import project_for_page
from pipeline.videos import selectors as video_selectors
from pipeline.videos import services
from pipeline.videos.models import Video
from pipeline.videos.serializers import VideoSerializer


@login_required
def project_videos(request, pk: int):
    project, role = project_for_page(request, pk)
    videos = Video.objects.filter(project=project).order_by("-created_at", "-id")
    return render(
        request,
        "videos/project_videos.html",
        {
            "project": project,
            "videos": videos,
            "can_upload": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
            # Delete is offered only where it can succeed: a video nothing refers to.
            "in_use": video_selectors.videos_in_use(project),
            "upload_url": reverse("video-list"),
        },
    )


@login_required
def video_detail(request, pk: int):
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project_for_page(request, video.project_id)
    data = VideoSerializer(video).data
    return render(request, "videos/video_detail.html", {"video": video, "project": video.project, "data": data})


@login_required
@require_POST
def video_action(request, pk: int, action: str):
    """Managers: delete an unused video with its files, or process its original again."""
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project, _ = project_for_page(request, video.project_id, Capability.MANAGE)
    try:
        if action == "delete":
            services.delete_video(video=video, user=request.user)
            messages.success(request, f"Deleted {video.title} and its files.")
        else:
            job = services.reprocess_video(video=video, user=request.user)
            messages.success(request, f"{video.title}: processing again (job {job.pk}).")
    except AppError as exc:
        messages.error(request, str(exc))
    return redirect("project-videos", pk=project.pk)
