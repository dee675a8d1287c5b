"""Writes about jobs: queueing, running here, retrying, and starting a machine stage over videos."""

import uuid
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from annotation.projects.errors import NotEditable
from annotation.projects.models import Project
from pipeline.jobs.base import JOB_KINDS
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job, JobState


class JobError(NotEditable):
    """The job cannot be queued or retried as things stand; the message says why."""


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


def start_per_video(*, kind: str, stage: str, project: Project, videos, dispatch: bool,
                    ready: Callable) -> tuple[list[Job], list[str]]:
    """Start a machine stage: one job of `kind` per video, none for a video that already has one queued or running,
    none for a video that `ready(video)` says (with a reason) is not ready. Returns the jobs and, per skipped
    video, why. Call inside a transaction: each video row is locked, so that two requests starting the stage at
    once cannot both queue a job for the same video."""
    jobs, skipped = [], []
    for video in videos:
        type(video).objects.select_for_update().filter(pk=video.pk).first()
        reason = ready(video)
        if reason:
            skipped.append(f"video {video.pk} ({video.title}): {reason}")
            continue
        busy = Job.objects.filter(kind=kind, target_id=video.pk, state__in=ACTIVE_JOB_STATES).exists()
        if busy:
            skipped.append(f"video {video.pk} ({video.title}): {stage} is already queued or running")
            continue
        jobs.append(enqueue_job(kind=kind, project=project, target=video, params={"video_id": video.pk},
                                dispatch=dispatch))
    return jobs, skipped
