"""The R-AVST machine stages' tasks: the audibility analysis (llm queue), the box proposals (gpu queue), and the
review page's click-to-box and tracking (gpu queue). Thin: the work is in annotation.avst.stages and .assist."""

from django.conf import settings

from annotation.avst import assist
from annotation.avst.stages import analyse_audibility as analyse
from annotation.avst.stages import detect_boxes as detect
from pipeline.jobs.base import job_task
from pipeline.videos.models import Video


@job_task(kind="llm.analyse_audibility", label="R-AVST: objects and audibility of event captions (LLM)", queue="llm")
def analyse_audibility(job, progress, *, video_id: int):
    """List each event caption's objects as visible and audible or visible only (cached; see annotation/avst/stages.py)."""
    video = Video.objects.select_related("project").get(pk=video_id)
    progress(0, 1)
    report = analyse(video=video, progress=progress)
    return {"events": report.events, "objects": report.objects, "cached": report.cached,
            "provider_calls": report.provider_calls}


@job_task(kind="gpu.detect_boxes", label="R-AVST: box proposals (Grounded-SAM2 or SAM 3)", queue="gpu")
def detect_boxes(job, progress, *, video_id: int):
    """Boxes once per second for every object of the video's events, on the gpu queue (see annotation/avst/stages.py).
    The time limit is checked by the stage between windows: the gpu worker's solo pool has no Celery time limits."""
    video = Video.objects.select_related("project").get(pk=video_id)
    progress(0, 1)
    report = detect(video=video, progress=progress, time_limit=settings.CLUEBENCH_DETECT_TIME_LIMIT)
    return {"events": report.events, "boxes": report.boxes, "skipped": report.skipped}


@job_task(kind=assist.KIND_CLICK, label="Assistance: box from a click (event review)", queue="gpu")
def event_click_box(job, progress, *, event_id: int, frame_index: int, x: float, y: float):
    """The box of the object a reviewer clicked on one of the event's seconds; the page shows it to confirm."""
    progress(0, 1)
    return assist.click(event_id=event_id, frame_index=frame_index, x=x, y=y)


@job_task(kind=assist.KIND_TRACK, label="Assistance: follow a box through an event", queue="gpu")
def event_track(job, progress, *, event_id: int, frame_index: int, box: list[float]):
    """One box followed through the event's other seconds; the page shows them as proposals to confirm."""
    progress(0, 1)
    return assist.track(event_id=event_id, frame_index=frame_index, box=box)
