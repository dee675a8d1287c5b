"""Writes about jobs: queueing (with an outbox), running here, retrying, cancelling, sweeping, and starting a
machine stage over videos."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from annotation.projects.errors import NotEditable
from annotation.projects.models import Project
from pipeline.jobs.base import JOB_KINDS, lease_seconds
from pipeline.jobs.models import ACTIVE_JOB_STATES, LEASED_JOB_STATES, Job, JobState

logger = logging.getLogger(__name__)

#: What a send raises when the broker cannot be reached.
BROKER_ERRORS = (KombuError, RedisError, OSError)
#: A queued job is resent by the sweeper only after this long without a send, so that the sweeper does not race
#: the send that follows a commit.
SEND_GRACE = timedelta(seconds=10)


class JobError(NotEditable):
    """The job cannot be queued, retried or cancelled as things stand; the message says why."""


def _send(job: Job) -> bool:
    """Hand the job's current message to the broker and record when; False (logged) when the broker cannot be
    reached: the job stays queued with no `sent_at`, and the sweeper sends it once the broker is back."""
    kind = JOB_KINDS[job.kind]
    try:
        kind.task.apply_async(args=[job.pk], kwargs=job.params, queue=kind.queue, task_id=job.task_id)
    except BROKER_ERRORS as exc:
        logger.warning("job %s: its message did not reach the broker (%s); the sweeper will send it", job.pk, exc)
        return False
    job.sent_at = timezone.now()
    Job.objects.filter(pk=job.pk, task_id=job.task_id).update(sent_at=job.sent_at)
    return True


def enqueue_job(
    *,
    kind: str,
    project: Project | None = None,
    target: models.Model | None = None,
    params: dict | None = None,
    dispatch: bool = True,
) -> Job:
    """Create the Job row and send its task once the surrounding transaction commits (the row is the outbox: should
    the send fail or never happen, the sweeper sends it later).

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
        via_broker=dispatch,
    )
    if dispatch:
        transaction.on_commit(lambda: _send(job))
    return job


def run_job_here(*, job: Job) -> Job:
    """Run a queued job in this process (commands with --wait), with the same bookkeeping a worker does."""
    JOB_KINDS[job.kind].task.apply(args=[job.pk], kwargs=job.params, task_id=job.task_id)
    job.refresh_from_db()
    return job


def _locked(job: Job) -> Job:
    """The job's row, locked, with `live`: whether a worker holding it still renews its lease."""
    return (
        Job.objects.select_for_update()
        .annotate(live=ExpressionWrapper(Q(lease_expires_at__gte=Now()), output_field=BooleanField()))
        .get(pk=job.pk)
    )


def _refuse_if_live(job: Job, action: str) -> None:
    if job.state == JobState.RUNNING and job.live:
        raise JobError(
            f"this job is running on {job.worker or 'a worker'}, which is alive; it cannot be {action} until it "
            f"ends, or until its worker stops renewing its lease ({lease_seconds():.0f} s)"
        )


def _requeue(job: Job, *, note: str = "") -> None:
    """Make the locked row a new message: queued, with a new task id that turns any older message stale."""
    job.state = JobState.QUEUED
    job.error = note
    job.finished_at = None
    job.progress_done = 0
    job.task_id = str(uuid.uuid4())
    job.sent_at = None
    job.lease_expires_at = None
    job.via_broker = True
    job.save()
    transaction.on_commit(lambda: _send(job))


def retry_job(*, job: Job) -> Job:
    """Queue a job again, as a new attempt of the same row: a failed or cancelled job, a queued one whose message
    may be lost, or one whose worker is gone. A job running on a live worker, or one that succeeded, is refused."""
    with transaction.atomic():
        job = _locked(job)
        if job.state == JobState.SUCCEEDED:
            raise JobError("this job succeeded; there is nothing to retry")
        _refuse_if_live(job, "retried")
        _requeue(job)
    return job


def cancel_job(*, job: Job, by) -> Job:
    """Cancel a job that is not running on a live worker: it will not run (its message, if any, is dropped by the
    worker that receives it), and its kind's `abandoned` hook lets the rows it was making say so."""
    reason = f"cancelled by {by.get_username()}" if by is not None else "cancelled"
    with transaction.atomic():
        job = _locked(job)
        if job.state in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED):
            raise JobError(f"this job has already ended ({job.get_state_display().lower()}); there is nothing to cancel")
        _refuse_if_live(job, "cancelled")
        job.state = JobState.CANCELLED
        job.error = reason
        job.finished_at = timezone.now()
        job.lease_expires_at = None
        job.task_id = str(uuid.uuid4())
        job.save()
        _abandon(job, reason)
    return job


def _abandon(job: Job, reason: str) -> None:
    kind = JOB_KINDS.get(job.kind)
    if kind is not None and kind.abandoned is not None:
        kind.abandoned(job, reason)


@dataclass
class Sweep:
    requeued: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)


def sweep_jobs() -> Sweep:
    """Queue again the jobs whose worker is gone (lease lapsed), give up those whose workers kept dying, and send
    the queued jobs whose message never reached the broker. Safe to run anywhere, any number of times at once."""
    done = Sweep()
    with transaction.atomic():
        lapsed = Job.objects.select_for_update(skip_locked=True).filter(
            Q(lease_expires_at__lt=Now()) | Q(lease_expires_at__isnull=True), state__in=LEASED_JOB_STATES
        )
        for job in lapsed:
            kind = JOB_KINDS.get(job.kind)
            gone = f"its worker {job.worker} stopped renewing its lease" if job.worker else "its worker is gone"
            if kind is None or job.attempts > kind.task.max_retries:
                reason = f"{gone} on attempt {job.attempts}; not retried again"
                job.state, job.error, job.finished_at, job.lease_expires_at = JobState.FAILED, reason, timezone.now(), None
                job.save()
                _abandon(job, reason)
                done.given_up.append(job.pk)
            else:
                _requeue(job, note=f"{gone}; queued again")
                done.requeued.append(job.pk)
        if done.requeued or done.given_up:
            logger.warning("sweeper: queued again %s, gave up %s", done.requeued, done.given_up)
    unsent = Job.objects.filter(
        state=JobState.QUEUED, via_broker=True, sent_at__isnull=True, updated_at__lt=timezone.now() - SEND_GRACE
    ).values_list("pk", flat=True)
    for job_id in unsent:
        with transaction.atomic():
            job = Job.objects.select_for_update(skip_locked=True).filter(
                pk=job_id, state=JobState.QUEUED, sent_at__isnull=True
            ).first()
            if job is None:
                continue
            if not _send(job):
                break  # the broker is down: the next sweep tries again
            done.sent.append(job.pk)
    if done.sent:
        logger.info("sweeper: sent %s, whose messages had not reached the broker", done.sent)
    return done


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
