"""Edits carry the version they read: a stale one gets 409 with the current state, and nothing is overwritten."""

import pytest
from rest_framework.test import APIClient

from annotation.counting.models import Question
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(team):
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=120.0, fps=25.0)


def test_create_sets_the_annotator_and_version_one(team, client_for, video):
    response = client_for(team.annotator).post(
        "/api/v1/questions/",
        {"video": video.pk, "text": "How many beeps?", "category": "event", "modality": "A", "drafted_answer": 4,
         "ref_start": 10.0, "ref_end": 50.0},
        format="json",
    )
    assert response.status_code == 201, response.content
    question = Question.objects.get(pk=response.data["id"])
    assert question.annotator == team.annotator
    assert question.version == 1 and question.state == "draft"


def test_stale_edit_gets_409_and_loses_nothing(team, client_for, video):
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    first, second = client_for(team.annotator), client_for(team.reviewer)

    ok = first.patch(f"/api/v1/questions/{question.pk}/", {"version": 1, "text": "How many beeps are heard?"}, format="json")
    assert ok.status_code == 200 and ok.data["version"] == 2

    stale = second.patch(f"/api/v1/questions/{question.pk}/", {"version": 1, "text": "Overwrite?"}, format="json")
    assert stale.status_code == 409
    assert stale.data["current"]["text"] == "How many beeps are heard?"
    assert stale.data["current"]["version"] == 2
    question.refresh_from_db()
    assert question.text == "How many beeps are heard?" and question.version == 2


def test_edit_needs_a_version(team, client_for, video):
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    response = client_for(team.annotator).patch(f"/api/v1/questions/{question.pk}/", {"text": "x"}, format="json")
    assert response.status_code == 400 and "version" in response.data["errors"]


@pytest.mark.parametrize(
    "interval,message",
    [((50.0, 10.0), "0 <= start < end"), ((10.0, 500.0), "ends after the video"), ((10.0, None), "both ends")],
)
def test_bad_reference_interval_is_explained(team, client_for, video, interval, message):
    start, end = interval
    response = client_for(team.annotator).post(
        "/api/v1/questions/",
        {"video": video.pk, "text": "How many?", "category": "event", "modality": "A", "ref_start": start, "ref_end": end},
        format="json",
    )
    assert response.status_code == 400
    assert message in response.data["errors"]["ref_end"]
    assert not Question.objects.exists()


def test_summary_counts_per_state(team, client_for, video):
    Question.objects.create(video=video, text="a", category="event", modality="A")
    Question.objects.create(video=video, text="b", category="event", modality="A")
    Question.objects.create(
        video=video, text="c", category="event", modality="A", state="answered", drafted_answer=2, ref_start=0, ref_end=5
    )
    data = client_for(team.annotator).get(f"/api/v1/projects/{team.project.pk}/summary/").data
    questions = next(stage for stage in data["stages"] if stage["key"] == "questions")
    counts = {s["state"]: s["count"] for s in questions["states"]}
    assert counts == {"draft": 2, "answered": 1, "arbitration": 0, "pooled": 0, "rejected": 0}
    assert questions["total"] == 3
    videos = next(stage for stage in data["stages"] if stage["key"] == "videos")
    assert {s["state"]: s["count"] for s in videos["states"]}["uploaded"] == 1
