"""The audit queue: approve, fix (in the workspace, keeping the pooled question consistent) and send back (with a
comment the annotator sees); self-review refused; every decision in the audit log."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import Question
from annotation.projects.errors import Invalid, NotAllowed
from annotation.projects.models import AuditEntry
from annotation.review import decisions as review
from annotation.review.models import Comment, ReviewItem
from tests.integration.pooling import make_video, pooled_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(team):
    video = make_video(team.project)
    q = pooled_question(video, team.annotator, events=((10.0, 12.0), (20.0, 22.0)))
    return ReviewItem.objects.create(project=team.project, queue="audit", question=q)


def doc_url(item):
    return reverse("questiondoc-detail", args=[item.question_id])


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_self_review_is_refused(team, audited, django_user_model):
    assert review.claim_next(project=team.project, queue="audit", user=team.annotator) is None
    # Even when the item is forced on them, deciding their own question is refused.
    ReviewItem.objects.filter(pk=audited.pk).update(state="claimed", claimed_by=team.annotator,
                                                    claimed_at=audited.created_at)
    with pytest.raises(NotAllowed, match="your own work"):
        review.decide_audit(item=audited, user=team.annotator, decision="approve")


def test_approve(team, audited):
    with pytest.raises(review.ReviewError, match="claim the item"):
        review.decide_audit(item=audited, user=team.reviewer, decision="approve")
    assert review.claim_next(project=team.project, queue="audit", user=team.reviewer) == audited
    with pytest.raises(Invalid, match="decide one of approve, fix, send_back"):
        review.decide_audit(item=audited, user=team.reviewer, decision="keep")
    with pytest.raises(review.ReviewError, match="not an arbitration one"):
        review.decide_arbitration(item=audited, user=team.reviewer, decision="keep")
    review.decide_audit(item=audited, user=team.reviewer, decision="approve")
    audited.refresh_from_db()
    q = Question.objects.get(pk=audited.question_id)
    assert audited.state == "done" and audited.decision == "approve" and q.state == "pooled" and q.version == 1
    entry = AuditEntry.objects.get(action="review.audit.approve", target_id=q.pk)
    assert entry.actor == team.reviewer and entry.before["state"] == "pooled" and entry.after["state"] == "pooled"
    with pytest.raises(review.ReviewError, match="already decided"):
        review.decide_audit(item=audited, user=team.reviewer, decision="approve")


def test_fix_through_the_workspace_keeps_the_pooled_question_consistent(team, audited):
    client = api(team.reviewer)
    doc = client.get(doc_url(audited)).data
    assert doc["editable"] is False  # not claimed yet
    review.claim_next(project=team.project, queue="audit", user=team.reviewer)
    with pytest.raises(review.ReviewError, match="nothing was changed"):
        review.decide_audit(item=audited, user=team.reviewer, decision="fix")
    doc = client.get(doc_url(audited)).data
    assert doc["editable"] is True and doc["state"] == "pooled"
    # Another reviewer, and the annotator, may not edit it.
    assert workspace.editable_by(Question.objects.get(pk=audited.question_id), team.manager) is False
    assert workspace.editable_by(Question.objects.get(pk=audited.question_id), team.annotator) is False
    # A third clue without raising the count: refused, nothing saved.
    third = {**doc, "clues": doc["clues"] + [{"kind": "event", "start": 50.0, "end": 52.0}]}
    refused = client.put(doc_url(audited), third, format="json")
    assert refused.status_code == 400
    assert refused.data["errors"]["drafted_answer"] == ("3 clue(s) for a count of 2: a pooled question keeps one "
                                                        "clue per counted instance")
    assert Question.objects.get(pk=audited.question_id).clues.count() == 2
    # With the count raised too: saved, still pooled, final interval recomputed over the new clue.
    saved = client.put(doc_url(audited), {**third, "drafted_answer": 3}, format="json")
    assert saved.status_code == 200, saved.content
    q = Question.objects.get(pk=audited.question_id)
    assert q.state == "pooled" and q.drafted_answer == 3 and (q.final_start, q.final_end) == (5.0, 52.0)
    review.decide_audit(item=audited, user=team.reviewer, decision="fix", comment="a beep at 50 s was missed")
    audited.refresh_from_db()
    assert audited.decision == "fix" and audited.comment == "a beep at 50 s was missed"
    entry = AuditEntry.objects.get(action="review.audit.fix")
    assert entry.after["drafted_answer"] == 3 and entry.after["review_comment"] == "a beep at 50 s was missed"
    # Decided: the reviewer's edit rights end with the item, and the question is no longer held by them.
    assert client.get(doc_url(audited)).data["editable"] is False
    assert Question.objects.get(pk=audited.question_id).claimed_by is None


def test_send_back_leaves_the_pool_with_a_comment_for_the_annotator(team, audited):
    review.claim_next(project=team.project, queue="audit", user=team.reviewer)
    with pytest.raises(Invalid, match="say why"):
        review.decide_audit(item=audited, user=team.reviewer, decision="send_back", comment="  ")
    review.decide_audit(item=audited, user=team.reviewer, decision="send_back", comment="the second beep is an echo",
                        comment_time=20.5)
    q = Question.objects.get(pk=audited.question_id)
    assert q.state == "answered" and q.final_start is None and q.version == 2
    comment = Comment.objects.get(question=q)
    assert (comment.author, comment.text, comment.time, comment.review_item_id) == (
        team.reviewer, "the second beep is an echo", 20.5, audited.pk)
    assert AuditEntry.objects.get(action="review.audit.send_back").after["state"] == "answered"
    # Back in the annotator's hands: their next question, editable in their workspace.
    assert workspace.next_question(project=team.project, user=team.annotator) == q
    assert api(team.annotator).get(doc_url(audited)).data["editable"] is True


def test_an_audit_item_whose_question_left_the_pool_is_not_handed_out(team, audited):
    Question.objects.filter(pk=audited.question_id).update(state="answered")
    assert review.claim_next(project=team.project, queue="audit", user=team.reviewer) is None


def test_review_pages_for_audit_items(team, audited, client):
    client.force_login(team.reviewer)
    response = client.post(reverse("review-queues", args=[team.project.pk]), {"queue": "audit"})
    assert response["Location"] == reverse("review-item", args=[audited.pk])
    page = client.get(reverse("review-item", args=[audited.pk])).content.decode()
    assert 'value="approve"' in page and 'value="fix"' in page and 'value="send_back"' in page
    assert 'value="keep"' not in page and 'id="open-workspace"' in page and 'id="review-count">2<' in page
    response = client.post(reverse("review-item", args=[audited.pk]), {"decision": "fix"}, follow=True)
    assert "nothing was changed" in response.content.decode()
    client.post(reverse("review-item", args=[audited.pk]),
                {"decision": "send_back", "comment": "recount", "comment_time": "12"})
    assert ReviewItem.objects.get(pk=audited.pk).decision == "send_back"
    assert Comment.objects.filter(question_id=audited.question_id).count() == 1  # one comment, not two
