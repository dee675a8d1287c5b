"""The Celery side of Job rows: a task base class that keeps its Job's state, attempts and error,
and a decorator that registers a job kind with its queue.

Tasks are thin: `@job_task` functions load rows, call an engine, write results.
A task receives its Job id first; the row records every attempt. Delivery is
at-least-once (acks_late, rejected when the worker is lost), so every job
body must be safe to run twice; a job that already succeeded is not run again.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import F
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from pipeline.jobs.models import Job, JobState


class JobFailure(Exception):
    """The job cannot succeed as things stand; its message is for a person and is shown as is."""


class TransientError(Exception):
    """A fault worth retrying later: a busy or unreachable service, a dropped connection."""


TRANSIENT_ERRORS = (TransientError, OperationalError, InterfaceError, ConnectionError, TimeoutError)
QUEUES = ("media", "llm", "gpu", "export")


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

    def before_start(self, task_id, args, kwargs):
        Job.objects.filter(pk=args[0]).exclude(state=JobState.SUCCEEDED).update(
            state=JobState.RUNNING,
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), timezone.now()),
            finished_at=None,
            task_id=task_id,
            error="",
            updated_at=timezone.now(),
        )

    def on_success(self, retval, task_id, args, kwargs):
        Job.objects.filter(pk=args[0]).exclude(state=JobState.SUCCEEDED).update(
            state=JobState.SUCCEEDED,
            progress_done=F("progress_total"),
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        Job.objects.filter(pk=args[0]).update(
            state=JobState.RETRYING,
            error=f"{describe_error(exc)} (attempt {self.request.retries + 1} failed; retrying)",
            updated_at=timezone.now(),
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        Job.objects.filter(pk=args[0]).update(
            state=JobState.FAILED, error=describe_error(exc), finished_at=timezone.now(), updated_at=timezone.now()
        )


class Progress:
    """Reports a job's progress to its row, at most a few writes a second."""

    def __init__(self, job_id: int, *, min_interval: float = 0.5):
        self.job_id = job_id
        self.min_interval = min_interval
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
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


JOB_KINDS: dict[str, JobKind] = {}


def job_task(*, kind: str, label: str, queue: str, **task_options) -> Callable:
    """Register `fn(job, progress, **params)` as the Celery task that runs jobs of this kind."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}; queues are {', '.join(QUEUES)}")

    def decorator(fn: Callable) -> Task:
        @shared_task(base=JobTask, name=kind, bind=True, **task_options)
        def task(self, job_id: int, **params):
            job = Job.objects.get(pk=job_id)
            if job.state == JobState.SUCCEEDED:
                return None
            return fn(job, Progress(job_id), **params)

        task.__doc__ = fn.__doc__
        JOB_KINDS[kind] = JobKind(kind=kind, label=label, queue=queue, task=task)
        return task

    return decorator


def kind_label(kind: str) -> str:
    found = JOB_KINDS.get(kind)
    return found.label if found else kind
