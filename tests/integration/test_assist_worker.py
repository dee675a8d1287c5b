"""Event clue proposals on a real Celery worker: an event question entering stage 3 through the API queues the
job, which travels through Redis to a worker process on the media queue and stores the proposals.

The worker and this process use their own Redis database (not the tests' shared 15), so that suites running at
the same time never take each other's messages."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from annotation.counting import proposals, workspace
from annotation.counting.models import ClueProposal, Question
from pipeline.jobs.models import Job, JobState
from tests.conftest import database_url_for_tests
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
BROKER_DB = int(os.environ.get("CLUEBENCH_ASSIST_TEST_BROKER_DB", "13"))


@pytest.fixture
def assist_worker(django_db_setup, tmp_path):
    import redis
    from django.conf import settings

    from config.celery import app

    broker = settings.REDIS_URL.rsplit("/", 1)[0] + f"/{BROKER_DB}"
    redis.Redis.from_url(broker).flushdb()
    saved = app.conf.broker_url
    app.conf.broker_url = broker
    app._pool = None
    app.amqp._producer_pool = None
    log_path = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": database_url_for_tests(), "REDIS_URL": settings.REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "config.settings_test", "PYTHONUNBUFFERED": "1", "HF_HUB_OFFLINE": "1"}
    celery = Path(sys.executable).with_name("celery")
    argv = [str(celery), "-A", "config", "-b", broker, "worker", "-Q", "media", "-P", "solo", "-n", "assist@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        app.conf.broker_url = saved
        app._pool = None
        app.amqp._producer_pool = None


def test_stage_3_entry_computes_proposals_on_the_worker(team, ready_video, assist_worker):
    q = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A")
    client = APIClient()
    client.force_authenticate(team.annotator)
    body = {**workspace.doc_of(q), "drafted_answer": 2, "ref_start": 0.0, "ref_end": 4.0}
    assert client.put(f"/api/v1/question-docs/{q.pk}/", body, format="json").status_code == 200
    job = Job.objects.get(kind=proposals.KIND_ACOUSTIC, target_id=q.pk)

    def finished():
        job.refresh_from_db()
        return job.state in (JobState.SUCCEEDED, JobState.FAILED)

    wait_for(finished, timeout=120)
    assert job.state == JobState.SUCCEEDED, (job.error, assist_worker.read_text()[-2000:])
    assert job.worker and job.attempts == 1
    rows = list(ClueProposal.objects.filter(question=q).order_by("start"))
    assert [(round(r.start, 1), round(r.end, 1)) for r in rows] == [(0.5, 0.7), (2.0, 2.2)]
    listed = client.get(f"/api/v1/question-docs/{q.pk}/proposals/")
    assert listed.data["computing"] is False and len(listed.data["proposals"]) == 2

    # Asked again by a manager: the same proposals (same rows), the job idempotent.
    client.force_authenticate(team.manager)
    response = client.post(f"/api/v1/question-docs/{q.pk}/proposals/request/", {}, format="json")
    again = Job.objects.get(pk=response.data["job"])
    wait_for(lambda: Job.objects.get(pk=again.pk).state == JobState.SUCCEEDED, timeout=120)
    assert sorted(ClueProposal.objects.filter(question=q).values_list("pk", flat=True)) == sorted(r.pk for r in rows)
