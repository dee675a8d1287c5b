"""Every change is in the audit log; the history page shows it and a manager restores an earlier state."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import AuditEntry, Source
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720)


def test_saves_and_decisions_are_logged_and_a_manager_restores(team, video, client):
    q = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    api = APIClient()
    api.force_authenticate(team.annotator)
    body = {**workspace.doc_of(q), "clues": [{"kind": "event", "start": 1.0, "end": 2.0}]}
    assert api.put(f"/api/v1/question-docs/{q.pk}/", body, format="json").status_code == 200
    body = {**workspace.doc_of(Question.objects.get(pk=q.pk)), "text": "How many beeps in all?", "clues": []}
    assert api.put(f"/api/v1/question-docs/{q.pk}/", body, format="json").status_code == 200

    entries = list(AuditEntry.objects.filter(target_type="question", target_id=q.pk).order_by("id"))
    assert [e.action for e in entries] == ["question.save", "question.save"]
    assert entries[1].before["text"] == "How many beeps?" and entries[1].after["text"] == "How many beeps in all?"
    assert entries[1].before["clues"] == [{"kind": "event", "start": 1.0, "end": 2.0}]
    assert entries[1].actor == team.annotator

    client.force_login(team.annotator)
    page = client.get(reverse("question-history", args=[q.pk])).content.decode()
    assert "How many beeps in all?" in page and "Restore" not in page
    assert client.post(reverse("question-history", args=[q.pk]), {"entry": entries[1].pk}).status_code == 403

    client.force_login(team.manager)
    client.post(reverse("question-history", args=[q.pk]), {"entry": entries[1].pk})
    q.refresh_from_db()
    assert q.text == "How many beeps?" and q.version == 4
    assert [(c.start, c.end) for c in q.clues.all()] == [(1.0, 2.0)]
    assert AuditEntry.objects.filter(target_id=q.pk).order_by("-id").first().action == "question.restore"


def test_candidate_decisions_are_logged(team, video):
    candidate = CandidateQuestion.objects.create(video=video, text="How many cars?", category="object",
                                                 modality="V", source=Source.HUMAN)
    api = APIClient()
    api.force_authenticate(team.reviewer)
    api.post(f"/api/v1/candidates/{candidate.pk}/reject/", {"version": 1, "reason": "vague"}, format="json")
    entry = AuditEntry.objects.get(target_type="candidate", target_id=candidate.pk)
    assert entry.action == "candidate.reject" and entry.actor == team.reviewer
    assert entry.before["state"] == "proposed" and entry.after["reject_reason"] == "vague"
