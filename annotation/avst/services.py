"""Writes of the R-AVST pipeline: starting its machine stages (the audibility analysis, the box proposals)."""

from django.db import transaction

from annotation.avst.models import AVObject
from annotation.avst.stages import needs_detection, reviewed
from annotation.projects.models import Decision, Project
from pipeline.jobs.models import Job
from pipeline.jobs.services import start_per_video
from pipeline.videos.models import VideoStatus
from pipeline.videos.selectors import chosen_videos

ANALYSE_AUDIBILITY = "llm.analyse_audibility"
DETECT_BOXES = "gpu.detect_boxes"


@transaction.atomic
def start_audibility(*, project: Project, video_ids: list[int] | None = None, dispatch: bool = True) -> tuple[list[Job], list[str]]:
    """Queue the R-AVST audibility analysis (LLM, captions only) for the videos kept by filtering."""

    def ready(video):
        if video.filter_rule:
            return f"removed by filtering ({video.filter_reason})"
        if not video.events.exists():
            return "no events"
        if not video.events.filter(audibility_call__isnull=True).exclude(state="accepted").exists():
            return "every event is analysed already"
        return ""

    return start_per_video(kind=ANALYSE_AUDIBILITY, stage="the audibility analysis", project=project,
                            videos=chosen_videos(project=project, video_ids=video_ids), dispatch=dispatch, ready=ready)


@transaction.atomic
def start_detection(*, project: Project, video_ids: list[int] | None = None, dispatch: bool = True) -> tuple[list[Job], list[str]]:
    """Queue Grounded-SAM2 box proposals (gpu queue) for kept, processed videos whose events have objects."""
    def ready(video):
        if video.filter_rule:
            return f"removed by filtering ({video.filter_reason})"
        if video.status != VideoStatus.READY:
            return f"not processed yet ({video.get_status_display().lower()})"
        if not AVObject.objects.filter(event__video=video).exclude(state=Decision.REJECTED).exists():
            return "no objects to box yet (run the audibility analysis first)"
        events = list(video.events.prefetch_related("av_objects"))
        touched = reviewed(e.pk for e in events)
        if not any(needs_detection(e, touched) for e in events):
            return "every event with objects is boxed or reviewed already"
        return ""

    return start_per_video(kind=DETECT_BOXES, stage="box detection", project=project,
                            videos=chosen_videos(project=project, video_ids=video_ids), dispatch=dispatch, ready=ready)
