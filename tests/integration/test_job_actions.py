"""Retry and cancel through the API: managers may act on any job that is not running on a live worker; the answers
use the error vocabulary (409 with the job as it is now, 403, 404). Sends go to a Redis of the test's own."""

import json
from datetime import timedelta

import pytest
import redis
from django.utils import timezone
from rest_framework.test import APIClient

from pipeline.jobs.base import JOB_KINDS
from pipeline.jobs.models import Job, JobState
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import PROCESS_VIDEO
from tests.integration.fault_injection import own_redis

__all__ = ["own_redis"]  # fixture

pytestmark = pytest.mark.django_db(transaction=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def queued_ids(server) -> list[str]:
    return [json.loads(m)["headers"]["id"] for m in redis.Redis.from_url(server.broker_url).lrange("media", 0, -1)]


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", status=VideoStatus.PROCESSING)


def job_in(state: str, video, **fields) -> Job:
    finished = {"finished_at": timezone.now()} if state in ("succeeded", "failed", "cancelled") else {}
    leased = {"lease_expires_at": timezone.now() + timedelta(minutes=5)} if state in ("running", "retrying") else {}
    return Job.objects.create(kind=PROCESS_VIDEO, queue="media", project=video.project, target_id=video.pk,
                              params={"video_id": video.pk}, state=state, task_id="first",
                              error="boom" if state == "failed" else "", **{**finished, **leased, **fields})


def test_cancel_a_queued_job_then_retry_it(team, video, own_redis):
    job = job_in("queued", video)

    response = api(team.manager).post(f"/api/v1/jobs/{job.pk}/cancel/")

    assert response.status_code == 200, response.content
    assert response.data["state"] == "cancelled" and response.data["error"] == "cancelled by manager-user"
    assert response.data["can_retry"] and not response.data["can_cancel"]
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED and "cancelled by manager-user" in video.error
    # Its message, should it still arrive, is dropped.
    JOB_KINDS[PROCESS_VIDEO].task.apply(args=[job.pk], kwargs=job.params, task_id="first")
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED and job.attempts == 0

    response = api(team.manager).post(f"/api/v1/jobs/{job.pk}/retry/")

    assert response.status_code == 202, response.content
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.error == "" and job.finished_at is None and job.sent_at is not None
    assert queued_ids(own_redis) == [job.task_id] and job.task_id != "first"


@pytest.mark.parametrize("state", ["queued", "retrying", "failed"])
def test_a_job_not_on_a_live_worker_can_be_retried(team, video, own_redis, state):
    job = job_in(state, video)

    response = api(team.manager).post(f"/api/v1/jobs/{job.pk}/retry/")

    assert response.status_code == 202, response.content
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and queued_ids(own_redis) == [job.task_id]


def test_a_job_whose_worker_is_gone_can_be_cancelled_or_retried(team, video, own_redis):
    job = job_in("running", video, worker="gone:1", lease_expires_at=timezone.now() - timedelta(seconds=1))
    assert api(team.manager).get(f"/api/v1/jobs/{job.pk}/").data["can_cancel"]

    assert api(team.manager).post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 200
    assert api(team.manager).post(f"/api/v1/jobs/{job.pk}/retry/").status_code == 202


def test_a_job_running_on_a_live_worker_is_refused(team, video, own_redis):
    job = job_in("running", video, worker="media@host:42")

    for action in ("retry", "cancel"):
        response = api(team.manager).post(f"/api/v1/jobs/{job.pk}/{action}/")
        assert response.status_code == 409, response.content
        assert "running on media@host:42, which is alive" in response.data["detail"]
        assert response.data["current"]["state"] == "running" and not response.data["current"]["can_" + action]
    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.task_id == "first"
    assert queued_ids(own_redis) == []


@pytest.mark.parametrize("state,action,message", [
    ("succeeded", "retry", "nothing to retry"), ("succeeded", "cancel", "already ended"),
    ("failed", "cancel", "already ended"), ("cancelled", "cancel", "already ended"),
])
def test_an_ended_job_is_refused(team, video, own_redis, state, action, message):
    job = job_in(state, video)

    response = api(team.manager).post(f"/api/v1/jobs/{job.pk}/{action}/")

    assert response.status_code == 409 and message in response.data["detail"]


@pytest.mark.parametrize("action", ["retry", "cancel"])
def test_only_managers_of_the_project_act_on_its_jobs(team, video, own_redis, action):
    job = job_in("queued", video)

    assert api(team.annotator).post(f"/api/v1/jobs/{job.pk}/{action}/").status_code == 403
    assert api(team.reviewer).post(f"/api/v1/jobs/{job.pk}/{action}/").status_code == 403
    assert api(team.outsider).post(f"/api/v1/jobs/{job.pk}/{action}/").status_code == 404
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_id == "first"


def test_each_job_says_whether_the_user_may_act_on_it(team, video, client):
    job = job_in("failed", video)
    rows = {role: api(team.user(role)).get("/api/v1/jobs/").data["results"] for role in ("annotator", "manager")}
    assert [r["can_manage"] for r in rows["annotator"] if r["id"] == job.pk] == [False]
    assert [r["can_manage"] for r in rows["manager"] if r["id"] == job.pk] == [True]
    client.force_login(team.manager)
    page = client.get(f"/projects/{team.project.pk}/jobs/").content.decode()
    assert 'data-actions-url="/api/v1/jobs/"' in page and 'name="csrfmiddlewaretoken"' in page
