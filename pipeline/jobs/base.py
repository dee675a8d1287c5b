"""The Celery side of Job rows: a task base class that keeps its Job's state, attempts and error,
and a decorator that registers a job kind with its queue.

Tasks are thin: `@job_task` functions load rows, call an engine, write results.
A task receives its Job id first; the row records every attempt. Delivery is
at-least-once (acks_late, rejected when the worker is lost, sent again by the
sweeper), so every job body must be safe to run twice. A worker runs a message
only if it is the job's current one (`Job.task_id`) and nobody alive holds the
job: it then takes a lease on the row and renews it from a thread while the
body runs. A worker that stops renewing is taken as gone; the sweeper
(`services.sweep_jobs`) queues its job again, and the old run, should it come
back, finds its lease lost and writes nothing.
"""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Least, Now
from django.utils import timezone

from pipeline.jobs.models import FINISHED_JOB_STATES, Job, JobState

logger = logging.getLogger(__name__)


class JobFailure(Exception):
    """The job cannot succeed as things stand; its message is for a person and is shown as is."""


class TransientError(Exception):
    """A fault worth retrying later: a busy or unreachable service, a dropped connection."""


class LeaseLost(Exception):
    """This run no longer holds its job (its lease lapsed and the job was queued again, or it was cancelled):
    it must stop and write nothing more."""


TRANSIENT_ERRORS = (TransientError, OperationalError, InterfaceError, ConnectionError, TimeoutError)
QUEUES = ("media", "llm", "gpu", "export")


def worker_name() -> str:
    """host:pid of this process, as a job's `worker` (the pid changes with every forked pool process)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def lease_seconds() -> float:
    return settings.CLUEBENCH_JOB_LEASE_SECONDS


def lease_until(extra_seconds: float = 0.0) -> ExpressionWrapper:
    """The end of a lease taken now, on the database's clock, which every machine shares."""
    return ExpressionWrapper(
        Now() + timedelta(seconds=lease_seconds() + extra_seconds), output_field=DateTimeField()
    )


def _gone_from_this_host(worker: str) -> bool:
    """True when `worker` names a process of this machine that no longer exists (a pool process killed under a
    living worker, whose message Celery then delivers again at once)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(*, job_id: int, task_id: str) -> bool:
    """Take the job for this run of message `task_id`, with a fresh lease; False when the message is not the job's
    current one, the job is finished or cancelled, or a living worker holds it."""
    me = worker_name()
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .annotate(lapsed=ExpressionWrapper(Q(lease_expires_at__lt=Now()) | Q(lease_expires_at__isnull=True),
                                               output_field=BooleanField()))
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.task_id != task_id or job.state in FINISHED_JOB_STATES:
            return False
        if job.state == JobState.RUNNING and not (job.lapsed or _gone_from_this_host(job.worker)):
            return False
        Job.objects.filter(pk=job_id).update(
            state=JobState.RUNNING,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Now()),
            finished_at=None,
            error="",
            worker=me,
            lease_expires_at=lease_until(),
            updated_at=timezone.now(),
        )
    return True


def _held(job_id: int, task_id: str):
    return Job.objects.filter(pk=job_id, task_id=task_id, state=JobState.RUNNING, worker=worker_name())


def ensure_lease(job: Job) -> None:
    """Call inside the transaction that writes a job's results: locks the job's row until the commit and raises
    LeaseLost if this run no longer holds it, so a run that was given up on never overwrites a newer one."""
    if not _held(job.pk, job.task_id).select_for_update().exists():
        raise LeaseLost(f"job {job.pk} is no longer held by this run")


class Lease:
    """Renews the lease of a running job from a thread, every third of the lease, until the body ends."""

    def __init__(self, job_id: int, task_id: str):
        self.job_id = job_id
        self.task_id = task_id
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}-lease", daemon=True)
        self._me = worker_name()

    def __enter__(self) -> "Lease":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            while not self._stop.wait(lease_seconds() / 3):
                try:
                    renewed = Job.objects.filter(
                        pk=self.job_id, task_id=self.task_id, state=JobState.RUNNING, worker=self._me
                    ).update(lease_expires_at=lease_until())
                except DatabaseError as exc:
                    # The database is away for a moment: try again at the next beat; the lease has slack.
                    logger.warning("job %s: could not renew its lease: %s", self.job_id, exc)
                    continue
                # A row this connection cannot see (deleted, or not yet committed by a caller that runs the job
                # inside its own transaction) is not a lost lease.
                if not renewed and Job.objects.filter(pk=self.job_id).exists():
                    logger.warning("job %s: its lease was lost; this run stops", self.job_id)
                    self.lost.set()
                    return
        finally:
            connection.close()

    def check(self) -> None:
        if self.lost.is_set():
            raise LeaseLost(f"job {self.job_id} is no longer held by this run")


def describe_error(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, JobFailure) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class JobTask(Task):
    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    max_retries = 5
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True

    # Every write below is for the run that holds the job: a run whose message was stale, or that lost its lease,
    # leaves the row to the run that holds it now.

    def retry(self, *args, countdown=None, **kwargs):
        self.request.job_retry_in = countdown or 0
        return super().retry(*args, countdown=countdown, **kwargs)

    def on_success(self, retval, task_id, args, kwargs):
        _held(args[0], task_id).update(
            state=JobState.SUCCEEDED,
            result=retval if isinstance(retval, dict) else {},
            progress_done=F("progress_total"),
            finished_at=timezone.now(),
            lease_expires_at=None,
            updated_at=timezone.now(),
        )

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        # The retry message waits in this worker until it is due; should the worker die meanwhile, the lease (due
        # time plus one lease) lapses and the sweeper sends the job again.
        _held(args[0], task_id).update(
            state=JobState.RETRYING,
            error=f"{describe_error(exc)} (attempt {self.request.retries + 1} failed; retrying)",
            lease_expires_at=lease_until(getattr(self.request, "job_retry_in", 0)),
            updated_at=timezone.now(),
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if isinstance(exc, LeaseLost):
            return
        _held(args[0], task_id).update(
            state=JobState.FAILED,
            error=describe_error(exc),
            finished_at=timezone.now(),
            lease_expires_at=None,
            updated_at=timezone.now(),
        )


class Progress:
    """Reports a job's progress to its row, at most a few writes a second; raises LeaseLost once the run no
    longer holds its job, so a long body stops at its next report."""

    def __init__(self, job_id: int, *, min_interval: float = 0.5, lease: Lease | None = None):
        self.job_id = job_id
        self.min_interval = min_interval
        self.lease = lease
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if self.lease is not None:
            self.lease.check()
        now = time.monotonic()
        if done < total and now - self._last < self.min_interval:
            return
        self._last = now
        Job.objects.filter(pk=self.job_id).update(
            progress_total=total, progress_done=Least(done, total), updated_at=timezone.now()
        )


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str
    queue: str
    task: Task
    abandoned: Callable[[Job, str], None] | None = None


JOB_KINDS: dict[str, JobKind] = {}


def job_task(*, kind: str, label: str, queue: str, abandoned: Callable[[Job, str], None] | None = None,
             **task_options) -> Callable:
    """Register `fn(job, progress, **params)` as the Celery task that runs jobs of this kind.

    `abandoned(job, reason)` is called in the transaction that cancels a job of this kind or gives it up (its
    workers kept dying), so the rows the job was making can say so; the job's own failures are the body's to
    handle."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}; queues are {', '.join(QUEUES)}")

    def decorator(fn: Callable) -> Task:
        @shared_task(base=JobTask, name=kind, bind=True, **task_options)
        def task(self, job_id: int, **params):
            if not claim(job_id=job_id, task_id=self.request.id):
                logger.info("job %s: message %s dropped (stale, finished, or held by a live worker)",
                            job_id, self.request.id)
                return None
            with Lease(job_id, self.request.id) as lease:
                job = Job.objects.get(pk=job_id)
                return fn(job, Progress(job_id, lease=lease), **params)

        task.__doc__ = fn.__doc__
        JOB_KINDS[kind] = JobKind(kind=kind, label=label, queue=queue, task=task, abandoned=abandoned)
        return task

    return decorator


def kind_label(kind: str) -> str:
    found = JOB_KINDS.get(kind)
    return found.label if found else kind
