"""Job leases: a worker holds the job it runs and renews its lease; the sweeper queues again the job of a worker
that is gone. Fault injection on the real servers: `kill -9` of a media worker's process group in the middle of a
transcode, and of its pool process alone; the job then completes exactly once, and no process is left running."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from pipeline.jobs.base import JOB_KINDS, JobTask, LeaseLost, claim, ensure_lease, worker_name
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import enqueue_job, sweep_jobs
from pipeline.media import synthetic
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import PROCESS_VIDEO, ingest_video
from pipeline.videos.tasks import derived_root
from tests.integration.conftest import wait_for
from tests.integration.fault_injection import FAST, alive, celery_processes, ffmpeg_under, group_members, own_redis

__all__ = ["celery_processes", "own_redis"]  # fixtures


def finished(job: Job):
    job.refresh_from_db()
    return job if job.state in (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED) else None


def running_job(kind: str = PROCESS_VIDEO, **fields) -> Job:
    return Job.objects.create(kind=kind, queue="media", task_id="current", state=JobState.RUNNING, attempts=1,
                              lease_expires_at=timezone.now() + timedelta(minutes=5), **fields)


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# --- the rules, on the database ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_stale_message_is_dropped_without_touching_the_job(team):
    video = Video.objects.create(project=team.project, title="v")
    job = enqueue_job(kind=PROCESS_VIDEO, project=team.project, target=video, params={"video_id": video.pk},
                      dispatch=False)

    JOB_KINDS[PROCESS_VIDEO].task.apply(args=[job.pk], kwargs=job.params, task_id="an-older-message")

    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0 and job.worker == ""


@pytest.mark.django_db
def test_a_job_held_by_a_live_worker_is_not_taken_until_its_lease_lapses():
    job = running_job(worker="elsewhere:1")

    assert not claim(job_id=job.pk, task_id="current")
    assert not claim(job_id=job.pk, task_id="another")

    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert not claim(job_id=job.pk, task_id="another")  # still only the job's current message
    assert claim(job_id=job.pk, task_id="current")
    job.refresh_from_db()
    assert job.attempts == 2 and job.worker == worker_name() and job.lease_expires_at > timezone.now()


@pytest.mark.django_db
def test_a_dead_pool_process_of_this_host_gives_its_job_up_at_once():
    job = running_job(worker=f"{socket.gethostname()}:{a_dead_pid()}")

    assert claim(job_id=job.pk, task_id="current")


@pytest.mark.django_db
def test_a_run_that_lost_its_lease_writes_nothing(team):
    job = Job.objects.create(kind=PROCESS_VIDEO, queue="media", task_id="current")
    assert claim(job_id=job.pk, task_id="current")
    job.refresh_from_db()
    ensure_lease(job)  # held

    # The sweeper gave the job to another run meanwhile.
    Job.objects.filter(pk=job.pk).update(task_id="newer", state=JobState.QUEUED, lease_expires_at=None)
    with pytest.raises(LeaseLost):
        ensure_lease(job)
    JobTask.on_success(JOB_KINDS[PROCESS_VIDEO].task, None, "current", [job.pk], {})
    JobTask.on_failure(JOB_KINDS[PROCESS_VIDEO].task, ValueError("late"), "current", [job.pk], {}, None)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_id == "newer" and job.error == ""


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_requeues_a_dead_workers_job_and_gives_up_after_the_last_attempt(team, own_redis):
    video = Video.objects.create(project=team.project, title="v", status=VideoStatus.PROCESSING)
    lapsed = timezone.now() - timedelta(seconds=1)
    again = running_job(worker="gone:1", params={"video_id": video.pk}, project=team.project)
    Job.objects.filter(pk=again.pk).update(lease_expires_at=lapsed)
    max_attempts = JOB_KINDS[PROCESS_VIDEO].task.max_retries + 1
    spent = running_job(worker="gone:2", params={"video_id": video.pk}, project=team.project)
    Job.objects.filter(pk=spent.pk).update(lease_expires_at=lapsed, attempts=max_attempts)
    live = running_job(worker="alive:3", params={"video_id": video.pk}, project=team.project)

    done = sweep_jobs()

    assert done.requeued == [again.pk] and done.given_up == [spent.pk]
    again.refresh_from_db()
    assert again.state == JobState.QUEUED and again.task_id != "current" and "gone:1" in again.error
    assert again.sent_at is not None  # sent on commit, to the broker of this test
    queued = [json.loads(m)["headers"]["id"] for m in redis.Redis.from_url(own_redis.broker_url).lrange("media", 0, -1)]
    assert queued == [again.task_id]
    spent.refresh_from_db()
    assert spent.state == JobState.FAILED and "not retried again" in spent.error and spent.finished_at
    live.refresh_from_db()
    assert live.state == JobState.RUNNING and live.task_id == "current"
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED and "gone:2" in video.error


# --- kill -9 on the real servers -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_source(tmp_path_factory) -> Path:
    """A source whose transcode lasts long enough to be killed in the middle of it."""
    path = tmp_path_factory.mktemp("long") / "long.mp4"
    seconds = 180.0
    synthetic.render(synthetic.SyntheticSpec(
        duration=seconds, width=640, height=360, fps=25, beeps=(synthetic.Beep(1.0, 0.2),),
        shapes=(synthetic.Shape(color="red", size=60, start=0.0, end=seconds, y=40, x0=10, speed=3.0),),
    ), path)
    return path


def transcoding(job: Job, worker: subprocess.Popen):
    job.refresh_from_db()
    return job.state == JobState.RUNNING and job.progress_done > 0 and ffmpeg_under(worker.pid)


def unacknowledged_ids(server) -> set[str]:
    """Task ids of the messages Redis holds for workers that took them and never acknowledged them."""
    held = redis.Redis.from_url(server.broker_url).hvals("unacked")
    return {json.loads(value)[0]["headers"]["id"] for value in held}


@pytest.mark.django_db(transaction=True)
def test_kill_9_of_a_media_worker_group_mid_job_the_job_completes_once(team, long_source, celery_processes,
                                                                        own_redis):
    celery_processes.beat()
    first = celery_processes.worker("media-a", queues="media")
    with open(long_source, "rb") as fh:
        job = ingest_video(project=team.project, source=fh, filename="long.mp4").job
    assert job.sent_at is not None
    wait_for(lambda: transcoding(job, first), timeout=180)
    message = job.task_id
    victims = group_members(first.pid)
    assert any("ffmpeg" in p.name() for p in victims)

    os.killpg(first.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    first.wait(timeout=10)
    wait_for(lambda: not any(alive(p) for p in victims), timeout=30)  # the worker, its pool, its ffmpeg
    second = celery_processes.worker("media-b", queues="media,llm")
    job = wait_for(lambda: finished(job), timeout=240)
    recovered = time.monotonic() - killed_at

    print(f"\nkill -9 to done: {recovered:.1f} s (lease {FAST['CLUEBENCH_JOB_LEASE_SECONDS']} s, sweep "
          f"{FAST['CLUEBENCH_SWEEP_SECONDS']} s; a new worker's start and a whole transcode included)")
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 2 and job.task_id != message
    # Redis still holds the dead worker's message (redelivered only after the visibility timeout): the job did not
    # wait for it; should it come, it is stale and dropped.
    assert message in unacknowledged_ids(own_redis)
    video = Video.objects.get(pk=job.target_id)
    assert video.status == VideoStatus.READY and video.error == ""
    assert Video.objects.filter(project=team.project).count() == 1
    assert Job.objects.filter(target_id=video.pk, kind=PROCESS_VIDEO).count() == 1
    # One set of outputs: the killed run's folder is gone, the proxy lives in the finishing run's.
    assert [p.name for p in derived_root(video).iterdir()] == [f"{job.pk}-2"]
    assert Path(video.proxy.name).parent.name == f"{job.pk}-2"
    wait_for(lambda: not ffmpeg_under(second.pid), timeout=30)
    assert not any(alive(p) for p in victims)


@pytest.mark.django_db(transaction=True)
def test_a_pool_process_killed_alone_takes_its_ffmpeg_along_and_its_job_is_taken_over_at_once(
        team, long_source, celery_processes):
    # A lease far longer than the test and no sweeper: the job comes back through Celery's redelivery of a lost
    # worker's message, which the new pool process takes at once because the old one is gone from this host.
    worker = celery_processes.worker("media-c", queues="media", CLUEBENCH_JOB_LEASE_SECONDS="3600")
    with open(long_source, "rb") as fh:
        job = ingest_video(project=team.project, source=fh, filename="long.mp4").job
    wait_for(lambda: transcoding(job, worker), timeout=180)
    [ffmpeg] = ffmpeg_under(worker.pid)
    pool_process = ffmpeg.parent()
    assert pool_process.pid != worker.pid

    pool_process.send_signal(signal.SIGKILL)

    wait_for(lambda: not alive(ffmpeg), timeout=30)
    job = wait_for(lambda: finished(job), timeout=240)
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 2
    assert worker.poll() is None
    assert Video.objects.get(pk=job.target_id).status == VideoStatus.READY
