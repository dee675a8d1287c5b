"""The outbox: a job row whose message never reached the broker is sent by the sweeper. Fault injection on the real
servers: the process that queued the job dies between its commit and the send (`os._exit` in a commit hook)."""

import subprocess
import sys

import pytest

from pipeline.jobs.models import Job, JobState
from pipeline.videos.models import Video
from tests.conftest import database_url_for_tests
from tests.integration.conftest import ROOT, wait_for
from tests.integration.fault_injection import celery_processes, own_redis
from tests.integration.test_worker import finished, small_spec

__all__ = ["celery_processes", "own_redis"]  # fixtures

# Queues a job the way the app does, but dies once its transaction commits, before enqueue_job's send.
DIE_AFTER_COMMIT = """
import os, sys
from django.db import transaction
from annotation.projects.models import Project
from pipeline.jobs.services import enqueue_job
from pipeline.videos.models import Video
with transaction.atomic():
    transaction.on_commit(lambda: os._exit(9))
    project = Project.objects.get(pk=int(sys.argv[1]))
    video = Video.objects.create(project=project, title="orphan")
    enqueue_job(kind="media.synthesize_video", project=project, target=video,
                params={"video_id": video.pk, "spec": __import__("json").loads(sys.argv[2])})
"""


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_sender_died_between_commit_and_send_is_sent_by_the_sweeper(team, celery_processes, own_redis):
    import json

    died = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{DIE_AFTER_COMMIT}", str(team.project.pk),
         json.dumps(small_spec())],
        cwd=ROOT, env=celery_processes.env(DATABASE_URL=database_url_for_tests()), capture_output=True, text=True,
        timeout=120,
    )
    assert died.returncode == 9, died.stderr[-2000:]
    job = Job.objects.get(target_id=Video.objects.get(title="orphan").pk)
    assert job.state == JobState.QUEUED and job.sent_at is None

    celery_processes.worker("media", queues="media,llm")
    celery_processes.beat()
    job = wait_for(lambda: finished(job), timeout=120)

    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 1 and job.sent_at is not None
    assert "sent [" in celery_processes.log("media")
    assert Video.objects.get(title="orphan").status == "ready"
