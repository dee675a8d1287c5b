"""Writes for the pipeline app: starting and retrying jobs."""

import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from annotation.models import Project
from pipeline.jobs import JOB_KINDS
from pipeline.models import Job, JobState


class JobError(Exception):
    pass


def _send(job: Job) -> None:
    kind = JOB_KINDS[job.kind]
    kind.task.apply_async(args=[job.pk], kwargs=job.params, queue=kind.queue, task_id=job.task_id)


def enqueue_job(
    *,
    kind: str,
    project: Project | None = None,
    target: models.Model | None = None,
    params: dict | None = None,
    dispatch: bool = True,
) -> Job:
    """Create the Job row and send its task once the surrounding transaction commits.

    With dispatch=False the row is only created, for a caller that runs it here with run_job_here()."""
    if kind not in JOB_KINDS:
        raise JobError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        queue=JOB_KINDS[kind].queue,
        project=project,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_label=str(target)[:255] if target is not None else "",
        params=params or {},
        task_id=str(uuid.uuid4()),
    )
    if dispatch:
        transaction.on_commit(lambda: _send(job))
    return job


def run_job_here(*, job: Job) -> Job:
    """Run a queued job in this process (commands with --wait), with the same bookkeeping a worker does."""
    JOB_KINDS[job.kind].task.apply(args=[job.pk], kwargs=job.params, task_id=job.task_id)
    job.refresh_from_db()
    return job


def retry_job(*, job: Job) -> Job:
    """Queue a failed job again, as a new attempt of the same row."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != JobState.FAILED:
            raise JobError(f"only a failed job can be retried; this one is {job.get_state_display().lower()}")
        job.state = JobState.QUEUED
        job.error = ""
        job.finished_at = None
        job.progress_done = 0
        job.task_id = str(uuid.uuid4())
        job.save()
        transaction.on_commit(lambda: _send(job))
    return job


PROPOSE_QUESTIONS = "llm.propose_questions"
ANALYSE_AUDIBILITY = "llm.analyse_audibility"
DETECT_BOXES = "gpu.detect_boxes"


def _start_per_video(*, kind: str, stage: str, project: Project, videos, dispatch: bool, ready: Callable) -> tuple[list[Job], list[str]]:
    """One job of `kind` per video, none for a video that already has one queued or running, none for a video that
    `ready(video)` says (with a reason) is not ready. Returns the jobs and, per skipped video, why."""
    jobs, skipped = [], []
    for video in videos:
        # Locked so that two requests starting the stage at once cannot both queue a job for the same video.
        type(video).objects.select_for_update().filter(pk=video.pk).first()
        reason = ready(video)
        if reason:
            skipped.append(f"video {video.pk} ({video.title}): {reason}")
            continue
        busy = Job.objects.filter(
            kind=kind, target_id=video.pk, state__in=[JobState.QUEUED, JobState.RUNNING, JobState.RETRYING]
        ).exists()
        if busy:
            skipped.append(f"video {video.pk} ({video.title}): {stage} is already queued or running")
            continue
        jobs.append(enqueue_job(kind=kind, project=project, target=video, params={"video_id": video.pk}, dispatch=dispatch))
    return jobs, skipped


def _chosen_videos(project: Project, video_ids: list[int] | None):
    from annotation.models import Video

    videos = Video.objects.filter(project=project).order_by("id")
    if video_ids:
        videos = videos.filter(pk__in=video_ids)
        missing = set(video_ids) - set(videos.values_list("pk", flat=True))
        if missing:
            raise JobError(f"no such video in {project.name}: {', '.join(map(str, sorted(missing)))}")
    return videos


@transaction.atomic
def start_stage1(*, project: Project, video_ids: list[int] | None = None, dispatch: bool = True) -> tuple[list[Job], list[str]]:
    """Queue stage 1 for the project's ready videos (or the chosen ones): one job per video."""
    from annotation.models import VideoStatus

    def ready(video):
        if video.status != VideoStatus.READY:
            return f"not processed yet ({video.get_status_display().lower()})"
        return ""

    return _start_per_video(kind=PROPOSE_QUESTIONS, stage="stage 1", project=project,
                            videos=_chosen_videos(project, video_ids), dispatch=dispatch, ready=ready)


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

    return _start_per_video(kind=ANALYSE_AUDIBILITY, stage="the audibility analysis", project=project,
                            videos=_chosen_videos(project, video_ids), dispatch=dispatch, ready=ready)


@transaction.atomic
def start_detection(*, project: Project, video_ids: list[int] | None = None, dispatch: bool = True) -> tuple[list[Job], list[str]]:
    """Queue Grounded-SAM2 box proposals (gpu queue) for kept, processed videos whose events have objects."""
    from annotation.models import AVObject, Decision, VideoStatus

    def ready(video):
        if video.filter_rule:
            return f"removed by filtering ({video.filter_reason})"
        if video.status != VideoStatus.READY:
            return f"not processed yet ({video.get_status_display().lower()})"
        if not AVObject.objects.filter(event__video=video).exclude(state=Decision.REJECTED).exists():
            return "no objects to box yet (run the audibility analysis first)"
        from pipeline.avst_stage import needs_detection, reviewed

        events = list(video.events.prefetch_related("av_objects"))
        touched = reviewed(e.pk for e in events)
        if not any(needs_detection(e, touched) for e in events):
            return "every event with objects is boxed or reviewed already"
        return ""

    return _start_per_video(kind=DETECT_BOXES, stage="box detection", project=project,
                            videos=_chosen_videos(project, video_ids), dispatch=dispatch, ready=ready)
