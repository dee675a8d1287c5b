"""Tasks travel through the real Redis to a real Celery worker process, and their Job rows tell what happened."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import enqueue_job
from pipeline.media import synthetic
from pipeline.videos.models import Video
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def finished(job: Job):
    job.refresh_from_db()
    return job if job.state in (JobState.SUCCEEDED, JobState.FAILED) else None


def small_spec(**overrides) -> dict:
    spec = synthetic.SyntheticSpec(
        duration=2.0,
        width=320,
        height=180,
        fps=25,
        beeps=(synthetic.Beep(0.4, 0.2), synthetic.Beep(1.2, 0.2)),
        shapes=(synthetic.Shape(color="red", size=40, start=0.0, end=2.0, y=20),),
    )
    data = spec.to_dict()
    data.update(overrides)
    return data


def test_job_runs_on_the_worker_and_finishes(team, celery_worker_process):
    video = Video.objects.create(project=team.project, title="tiny")
    job = enqueue_job(
        kind="media.synthesize_video", project=team.project, target=video, params={"video_id": video.pk, "spec": small_spec()}
    )

    job = wait_for(lambda: finished(job))

    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 1
    assert job.progress_total > 0 and job.progress_done == job.progress_total
    assert job.started_at is not None and job.finished_at >= job.started_at
    video.refresh_from_db()
    path = Path(settings.MEDIA_ROOT) / video.file.name
    assert path.is_file()
    assert video.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert video.meta["synthetic"]["truth"]["beep_count"] == 2
    assert video.status == "ready" and video.frame_count == 50 and video.height == 720


def test_failing_task_shows_its_error_and_can_be_retried(team, celery_worker_process):
    video = Video.objects.create(project=team.project, title="broken")
    bad = small_spec(beeps=[{"start": 1.9, "duration": 0.5, "frequency": 880.0}])
    job = enqueue_job(
        kind="media.synthesize_video", project=team.project, target=video, params={"video_id": video.pk, "spec": bad}
    )

    job = wait_for(lambda: finished(job))

    assert job.state == JobState.FAILED
    assert "ValueError" in job.error and "lies outside" in job.error
    assert job.finished_at is not None
    video.refresh_from_db()
    assert not video.file and video.sha256 == ""

    client = APIClient()
    client.force_authenticate(team.manager)
    response = client.get(f"/api/v1/jobs/{job.pk}/")
    assert response.status_code == 200
    assert response.data["state"] == "failed" and "lies outside" in response.data["error"]

    response = client.post(f"/api/v1/jobs/{job.pk}/retry/")
    assert response.status_code == 202, response.content
    job = wait_for(lambda: finished(job) if Job.objects.get(pk=job.pk).attempts == 2 else None)
    assert job.state == JobState.FAILED and job.attempts == 2

    # A job that succeeded has nothing to retry.
    Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, error="")
    assert client.post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 409
