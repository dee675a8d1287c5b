"""Reads about videos."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from annotation.projects.errors import Invalid
from annotation.projects.models import Project
from annotation.projects.selectors import state_counts
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job
from pipeline.videos.models import Video, VideoStatus


def chosen_videos(*, project: Project, video_ids: list[int] | None) -> QuerySet[Video]:
    """The project's videos, or the chosen ones of them; Invalid names ids that are not the project's."""
    videos = Video.objects.filter(project=project).order_by("id")
    if video_ids:
        videos = videos.filter(pk__in=video_ids)
        missing = set(video_ids) - set(videos.values_list("pk", flat=True))
        if missing:
            raise Invalid({"video": f"no such video in {project.name}: {', '.join(map(str, sorted(missing)))}"})
    return videos


def summary_sections(*, project: Project) -> list[dict]:
    """The project's videos per processing status (plugged into the project's summary)."""
    videos = Video.objects.filter(project=project)
    return [{"key": "videos", "title": "Videos", "states": state_counts(videos, "status", VideoStatus.choices)}]


def videos_in_use(project) -> set[int]:
    """The ids of the project's videos that cannot be deleted now: something refers to them (one query per
    referring model, as ``services._references`` finds them) or a job is processing them."""
    used: set[int] = set()
    # Being processed: the service refuses it too (its job must be cancelled first).
    used.update(Job.objects.filter(project=project, target_type=ContentType.objects.get_for_model(Video),
                                   state__in=ACTIVE_JOB_STATES).values_list("target_id", flat=True))
    for relation in Video._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            field = relation.field
            used.update(relation.related_model._default_manager.filter(**{f"{field.name}__project": project})
                        .values_list(field.attname, flat=True).distinct())
    return used
