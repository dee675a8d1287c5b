"""A broker outage: Redis is stopped (every process loses it: the web side, the worker and the beat) while a
manager uploads a video. The upload keeps the file and says the processing waits; once Redis is back (empty: its
messages died with it), the processing starts by itself."""

from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from pipeline.jobs.models import Job, JobState
from pipeline.videos.models import Video, VideoStatus
from tests.integration.conftest import wait_for
from tests.integration.fault_injection import celery_processes, own_redis
from tests.integration.test_worker import finished

__all__ = ["celery_processes", "own_redis"]  # fixtures


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_redis_is_down_is_kept_and_processed_once_redis_is_back(team, sources, celery_processes,
                                                                                 own_redis):
    celery_processes.worker("media", queues="media,llm")
    celery_processes.beat()
    own_redis.stop()

    client = APIClient()
    client.force_authenticate(team.manager)
    with open(sources / "beeps.mp4", "rb") as fh:
        response = client.post("/api/v1/videos/", {"project": team.project.pk, "file": fh}, format="multipart")

    assert response.status_code == 201, response.content
    assert "cannot be reached" in response.data["detail"] and "starts by itself" in response.data["detail"]
    video = Video.objects.get(pk=response.data["id"])
    assert video.status == VideoStatus.UPLOADED
    assert (Path(settings.MEDIA_ROOT) / video.file.name).is_file()
    job = Job.objects.get(target_id=video.pk)
    assert job.state == JobState.QUEUED and job.sent_at is None

    # The same file again while Redis is still down: the same video, not a second one, and not a 500.
    with open(sources / "beeps.mp4", "rb") as fh:
        again = client.post("/api/v1/videos/", {"project": team.project.pk, "file": fh}, format="multipart")
    assert again.status_code == 200 and again.data["duplicate"] and again.data["id"] == video.pk

    own_redis.start()
    job = wait_for(lambda: finished(job), timeout=180)

    assert job.state == JobState.SUCCEEDED, job.error
    assert job.attempts == 1 and job.sent_at is not None
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert Job.objects.filter(target_id=video.pk).count() == 1
