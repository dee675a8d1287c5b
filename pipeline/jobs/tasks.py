"""The sweeper's task: `celery beat` sends it every CLUEBENCH_SWEEP_SECONDS (see CELERY_BEAT_SCHEDULE); the llm
queue's I/O worker runs it, so a busy or dead media worker never delays the recovery of its own jobs."""

from celery import shared_task

from pipeline.jobs.services import sweep_jobs


@shared_task(name="jobs.sweep", acks_late=False, ignore_result=True)
def sweep() -> dict:
    """Queue again the jobs whose worker is gone; send the queued jobs whose message never reached the broker."""
    done = sweep_jobs()
    return {"requeued": done.requeued, "given_up": done.given_up, "sent": done.sent}
