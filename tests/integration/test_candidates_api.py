"""Stage 1 decisions: accept makes a stage 2 question, reject needs a reason, edits and decisions carry versions."""

import pytest
from rest_framework.test import APIClient

from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import Source
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=600.0, fps=25.0)


@pytest.fixture
def candidate(video):
    return CandidateQuestion.objects.create(
        video=video, text="How many times does the dog bark?", category="event", modality="A", query_start=10,
        query_end=100, source=Source.MODEL, model="gpt-4o-mini", prompt_version="stage1_questions@v1",
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_accept_makes_a_stage2_question(team, candidate):
    response = api(team.annotator).post(f"/api/v1/candidates/{candidate.pk}/accept/", {"version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert response.data["state"] == "accepted" and response.data["version"] == 2
    question = Question.objects.get(pk=response.data["question"])
    assert question.candidate == candidate and question.text == candidate.text and question.state == "draft"
    assert question.annotator == team.annotator
    # The interval it asks about is the first draft of its reference interval (still a draft: no count yet).
    assert (question.ref_start, question.ref_end) == (10, 100)
    again = api(team.annotator).post(f"/api/v1/candidates/{candidate.pk}/accept/", {"version": 2}, format="json")
    # Not editable any more: 409, the vocabulary of every versioned row.
    assert again.status_code == 409 and "already accepted" in again.data["detail"]
    assert Question.objects.count() == 1


def test_reject_needs_a_reason(team, candidate):
    client = api(team.annotator)
    missing = client.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"version": 1, "reason": "  "}, format="json")
    assert missing.status_code == 400 and "give a reason" in missing.data["errors"]["reason"]
    done = client.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"version": 1, "reason": "not countable"}, format="json")
    assert done.status_code == 200 and done.data["state"] == "rejected" and done.data["reject_reason"] == "not countable"
    assert not Question.objects.exists()


def test_stale_decision_gets_409_with_the_current_candidate(team, candidate):
    edited = api(team.reviewer).patch(
        f"/api/v1/candidates/{candidate.pk}/", {"version": 1, "text": "How many barks are heard?"}, format="json"
    )
    assert edited.status_code == 200 and edited.data["version"] == 2
    stale = api(team.annotator).post(f"/api/v1/candidates/{candidate.pk}/accept/", {"version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.data["current"]["text"] == "How many barks are heard?" and stale.data["current"]["version"] == 2
    candidate.refresh_from_db()
    assert candidate.state == "proposed"


def test_edit_validates_the_interval_and_refuses_decided_candidates(team, candidate):
    client = api(team.annotator)
    bad = client.patch(f"/api/v1/candidates/{candidate.pk}/", {"version": 1, "query_end": 900}, format="json")
    assert bad.status_code == 400 and "ends after the video" in bad.data["errors"]["query_end"]
    client.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"version": 1, "reason": "dup"}, format="json")
    late = client.patch(f"/api/v1/candidates/{candidate.pk}/", {"version": 2, "text": "x?"}, format="json")
    assert late.status_code == 409 and "cannot be edited" in late.data["detail"]


def test_a_question_added_by_hand_goes_straight_to_stage2(team, video):
    response = api(team.annotator).post(
        "/api/v1/candidates/",
        {"video": video.pk, "text": "How many red squares appear?", "category": "object", "modality": "V",
         "query_start": 0, "query_end": 600},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.data["source"] == "human" and response.data["state"] == "accepted"
    assert Question.objects.get(pk=response.data["question"]).text == "How many red squares appear?"


def test_filters_and_membership(team, candidate, video):
    other = CandidateQuestion.objects.create(
        video=video, text="How many cars?", category="object", modality="V", source=Source.HUMAN
    )
    api(team.annotator).post(f"/api/v1/candidates/{other.pk}/reject/", {"version": 1, "reason": "r"}, format="json")
    listed = api(team.annotator).get(f"/api/v1/candidates/?video={video.pk}&state=proposed").data["results"]
    assert [c["id"] for c in listed] == [candidate.pk]
    assert api(team.outsider).post(f"/api/v1/candidates/{candidate.pk}/accept/", {"version": 1}, format="json").status_code == 404


def test_a_rejection_is_undone_and_logged(team, candidate):
    from annotation.projects.models import AuditEntry

    client = api(team.annotator)
    client.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"version": 1, "reason": "vague"}, format="json")
    undone = client.post(f"/api/v1/candidates/{candidate.pk}/reopen/", {"version": 2}, format="json")
    assert undone.status_code == 200 and undone.data["state"] == "proposed" and undone.data["reject_reason"] == ""
    entry = AuditEntry.objects.get(target_type="candidate", target_id=candidate.pk, action="candidate.reopen")
    assert entry.before["reject_reason"] == "vague" and entry.after["state"] == "proposed"
    again = client.post(f"/api/v1/candidates/{candidate.pk}/reopen/", {"version": 3}, format="json")
    assert again.status_code == 409 and "not rejected" in again.data["detail"]
    assert api(team.outsider).post(f"/api/v1/candidates/{candidate.pk}/reopen/", {"version": 3},
                                   format="json").status_code == 404
