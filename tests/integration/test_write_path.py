"""One write path: every write to a question goes through the workspace's validation, version check and claim
rule, whatever the endpoint; limits on what one document or request may hold. Each case below is a request an
attacker or a careless client sent to the running app."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import Clue, Question
from annotation.projects.models import AuditEntry
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720)


@pytest.fixture
def clued(team, video):
    """A question with two event clues, answered, held by nobody."""
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    body = {**workspace.doc_of(question), "drafted_answer": 2, "ref_start": 1.0, "ref_end": 20.0,
            "clues": [{"kind": "event", "start": 2.0, "end": 3.0}, {"kind": "event", "start": 5.0, "end": 6.0}]}
    response = api(team.annotator).put(reverse("questiondoc-detail", args=[question.pk]), body, format="json")
    assert response.status_code == 200
    Question.objects.filter(pk=question.pk).update(claimed_by=None, claimed_at=None)
    question.refresh_from_db()
    return question


def test_a_patch_cannot_turn_an_event_question_into_an_attribute_one(team, clued):
    response = api(team.annotator).patch(reverse("question-detail", args=[clued.pk]),
                                         {"version": clued.version, "category": "attribute"}, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"clues[0]", "clues[1]"}
    clued.refresh_from_db()
    assert clued.category == "event" and clued.version == 2


@pytest.mark.parametrize("changes,field", [
    ({"drafted_answer": 10**9}, "drafted_answer"),
    ({"drafted_answer": -1}, "drafted_answer"),
    ({"ref_start": 30.0, "ref_end": 10.0}, "ref_end"),
    ({"ref_end": 600.0}, "ref_end"),
    ({"text": "   "}, "text"),
])
def test_a_patch_is_checked_like_a_workspace_save(team, clued, changes, field):
    response = api(team.annotator).patch(reverse("question-detail", args=[clued.pk]),
                                         {"version": clued.version, **changes}, format="json")
    assert response.status_code == 400 and field in response.data["errors"], response.content
    assert Question.objects.get(pk=clued.pk).version == clued.version


def test_a_patch_that_passes_is_recorded_like_a_save(team, clued):
    response = api(team.annotator).patch(reverse("question-detail", args=[clued.pk]),
                                         {"version": clued.version, "drafted_answer": 3}, format="json")
    assert response.status_code == 200 and response.data["drafted_answer"] == 3
    assert Clue.objects.filter(question=clued).count() == 2  # the clues stay
    entry = AuditEntry.objects.filter(target_id=clued.pk, action="question.edit").get()
    assert entry.before["drafted_answer"] == 2 and entry.after["drafted_answer"] == 3


def test_submit_checks_the_stored_document_again(team, clued):
    # A row changed behind the services' back (here: the ORM) does not reach the pool as it is.
    Question.objects.filter(pk=clued.pk).update(category="object")
    response = api(team.annotator).post(reverse("questiondoc-submit", args=[clued.pk]), {"version": clued.version},
                                        format="json")
    assert response.status_code == 400 and "clues[0]" in response.data["errors"]
    assert Question.objects.get(pk=clued.pk).state == "answered"


def test_a_question_handed_to_one_annotator_is_not_taken_by_another(team, video, django_user_model):
    from annotation.projects.models import Membership

    other = django_user_model.objects.create_user(username="second-annotator", password="pw")
    Membership.objects.create(project=team.project, user=other, role="annotator")
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    first = APIClient()
    first.force_login(team.annotator)
    handed = first.get(reverse("workspace-next", args=[team.project.pk]))
    assert handed.status_code == 302 and handed["Location"].endswith(f"/questions/{question.pk}/workspace/")

    url = reverse("questiondoc-detail", args=[question.pk])
    seen = api(other).get(url).data
    assert seen["editable"] is False and seen["held_by"]["username"] == "annotator-user"
    assert seen["can_take_over"] is False
    body = {**workspace.doc_of(question), "text": "How many beeps, really?"}
    refused = api(other).put(url, body, format="json")
    assert refused.status_code == 409 and "annotator-user is working on this question" in refused.data["detail"]
    assert refused.data["current"]["text"] == "How many beeps?"
    assert api(other).post(reverse("questiondoc-take-over", args=[question.pk])).status_code == 403
    assert api(team.annotator).put(url, body, format="json").status_code == 200


def test_a_reviewer_takes_a_question_over_explicitly_and_it_is_logged(team, video):
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    url = reverse("questiondoc-detail", args=[question.pk])
    assert api(team.annotator).put(url, workspace.doc_of(question), format="json").status_code == 200
    question.refresh_from_db()
    assert api(team.reviewer).get(url).data["can_take_over"] is True
    assert api(team.reviewer).put(url, workspace.doc_of(question), format="json").status_code == 409
    taken = api(team.reviewer).post(reverse("questiondoc-take-over", args=[question.pk]))
    assert taken.status_code == 200 and taken.data["editable"] is True and taken.data["held_by"] is None
    entry = AuditEntry.objects.get(target_id=question.pk, action="question.take_over")
    assert entry.actor == team.reviewer and entry.before["claimed_by"] == "annotator-user"
    assert api(team.reviewer).put(url, workspace.doc_of(question), format="json").status_code == 200
    late = api(team.annotator).put(url, {**workspace.doc_of(question), "version": 3}, format="json")
    assert late.status_code == 409 and "reviewer-user is working on this question" in late.data["detail"]


def test_limits_on_clues_and_text(team, video, monkeypatch):
    monkeypatch.setattr(workspace, "MAX_CLUES", 50)
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    url = reverse("questiondoc-detail", args=[question.pk])
    clues = [{"kind": "event", "start": i * 0.1, "end": i * 0.1 + 0.05} for i in range(51)]
    too_many = api(team.annotator).put(url, {**workspace.doc_of(question), "clues": clues}, format="json")
    assert too_many.status_code == 400 and "at most 50" in too_many.data["errors"]["clues"]
    long_text = api(team.annotator).put(url, {**workspace.doc_of(question), "text": "x" * 100_000}, format="json")
    assert long_text.status_code == 400 and "at most" in long_text.data["errors"]["text"]
    assert Question.objects.get(pk=question.pk).version == 1


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=200_000)
def test_a_body_over_the_limit_gets_413_before_it_is_read(team, video):
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    body = json.dumps({**workspace.doc_of(question), "text": "x" * 300_000})
    response = api(team.annotator).generic("PUT", reverse("questiondoc-detail", args=[question.pk]), body,
                                           content_type="application/json")
    assert response.status_code == 413
    assert "more than this server takes" in response.json()["detail"]


@override_settings(CLUEBENCH_MAX_UPLOAD_BYTES=10_000)
def test_an_upload_over_the_limit_gets_413_and_stores_nothing(team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = APIClient()
    client.force_authenticate(team.manager)
    upload = SimpleUploadedFile("big.mp4", b"\0" * 20_000, content_type="video/mp4")
    response = client.post(reverse("video-list"), {"project": team.project.pk, "file": upload}, format="multipart")
    assert response.status_code == 413 and "an upload of" in response.json()["detail"]
    assert not Video.objects.exists()


def test_an_original_is_stored_with_an_extension_from_its_bytes(team, sources, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: None)
    client = APIClient()
    client.force_authenticate(team.manager)
    mp4 = (sources / "beeps.mp4").read_bytes()
    disguised = client.post(reverse("video-list"), {"project": team.project.pk, "title": "one",
                                                    "file": SimpleUploadedFile("evil.php", mp4)}, format="multipart")
    junk = client.post(reverse("video-list"), {"project": team.project.pk, "title": "two",
                                               "file": SimpleUploadedFile("clip.mp4", b"<?php echo 1; ?>" * 64)},
                       format="multipart")
    assert disguised.status_code == junk.status_code == 201
    stored = {v.title: v.file.name for v in Video.objects.all()}
    assert stored["one"].endswith(".mp4") and ".php" not in stored["one"]
    assert stored["two"].endswith(".bin")
