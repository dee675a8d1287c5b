"""Comments anchored to a time or a frame: who may write, read and resolve them, what a valid anchor is, and the
reason of an arbitration send-back reaching the annotator's workspace."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.avst.models import Event
from annotation.counting.models import Clue, Question
from annotation.projects.models import AuditEntry, Membership, Role
from annotation.review import comments
from annotation.review import decisions as review
from annotation.review.models import Comment, ReviewItem
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720, status="ready", proxy="videos/proxy/v.mp4", has_audio=True)


@pytest.fixture
def question(team, video):
    return Question.objects.create(video=video, text="How many beeps?", category="event", modality="A",
                                   annotator=team.annotator)


@pytest.fixture
def other_annotator(team, django_user_model):
    user = django_user_model.objects.create_user(username="second-annotator", password="x")
    Membership.objects.create(project=team.project, user=user, role=Role.ANNOTATOR)
    return user


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def post_comment(user, **body):
    return api(user).post(reverse("comment-list"), body, format="json")


def test_a_reviewer_comments_at_a_time_and_the_annotator_reads_it(team, question):
    response = post_comment(team.reviewer, question=question.pk, text="  A beep is missing here  ", time=12.3)
    assert response.status_code == 201, response.content
    data = response.data
    assert data["text"] == "A beep is missing here" and data["time"] == 12.3 and data["frame_index"] is None
    assert data["author_name"] == "reviewer-user" and data["project"] == team.project.pk
    assert data["resolved_at"] is None and data["can_resolve"] is True
    entry = AuditEntry.objects.get(action="comment.add")
    assert entry.target_type == "comment" and entry.target_id == data["id"] and entry.actor == team.reviewer
    assert entry.after["time"] == 12.3

    listed = api(team.annotator).get(reverse("comment-list"), {"question": question.pk})
    assert listed.status_code == 200
    assert [c["text"] for c in listed.data["results"]] == ["A beep is missing here"]
    # The question's annotator may resolve what a reviewer wrote on their question.
    assert listed.data["results"][0]["can_resolve"] is True


def test_a_frame_anchor_and_the_annotator_answers(team, question):
    response = post_comment(team.annotator, question=question.pk, text="Is this one a beep?", frame_index=308)
    assert response.status_code == 201, response.content
    assert response.data["frame_index"] == 308 and response.data["time"] is None


@pytest.mark.parametrize("body,field", [
    ({"text": "   "}, "text"),
    ({"text": "late", "time": 60.5}, "time"),
    ({"text": "before", "time": -1.0}, "time"),
    ({"text": "no such frame", "frame_index": 1500}, "frame_index"),
])
def test_invalid_comments_are_refused(team, question, body, field):
    response = post_comment(team.reviewer, question=question.pk, **body)
    assert response.status_code == 400
    assert field in response.data["errors"]
    assert not Comment.objects.exists()


def test_a_comment_needs_a_subject(team):
    response = post_comment(team.reviewer, text="on what?")
    assert response.status_code == 400 and "question" in response.data["errors"]


def test_who_may_comment(team, question, other_annotator):
    # Another annotator of the project reads the question but does not comment on it.
    assert post_comment(other_annotator, question=question.pk, text="hm").status_code == 403
    assert post_comment(team.outsider, question=question.pk, text="hm").status_code == 404
    assert post_comment(None, question=question.pk, text="hm").status_code in (401, 403)
    assert post_comment(team.manager, question=question.pk, text="ok", time=0).status_code == 201


def test_reading_needs_membership(team, question):
    comments.add_comment(user=team.reviewer, question=question, text="see 3 s", time=3.0)
    assert api(team.outsider).get(reverse("comment-list"), {"question": question.pk}).status_code == 404
    assert api(team.outsider).get(reverse("comment-list")).data["results"] == []
    assert api(team.reviewer).get(reverse("comment-list"), {"question": "x"}).status_code == 400


def test_resolve(team, question, other_annotator):
    comment = comments.add_comment(user=team.reviewer, question=question, text="see 3 s", time=3.0)
    url = reverse("comment-resolve", args=[comment.pk])
    assert api(other_annotator).post(url).status_code == 403
    assert api(team.outsider).post(url).status_code == 404
    response = api(team.annotator).post(url)
    assert response.status_code == 200
    assert response.data["resolved_by_name"] == "annotator-user" and response.data["resolved_at"] is not None
    assert response.data["can_resolve"] is False
    # Resolved already: the comment takes no such change any more.
    assert api(team.reviewer).post(url).status_code == 409
    assert AuditEntry.objects.filter(action="comment.resolve", target_id=comment.pk).count() == 1


def test_the_author_resolves_their_own_comment(team, question, other_annotator):
    mine = Question.objects.create(video=question.video, text="How many dogs?", category="object", modality="V",
                                   annotator=other_annotator)
    comment = comments.add_comment(user=other_annotator, question=mine, text="unsure about frame 10",
                                   frame_index=10)
    assert api(other_annotator).post(reverse("comment-resolve", args=[comment.pk])).status_code == 200


def test_comments_on_an_event(team, video):
    event = Event.objects.create(video=video, number=1, label="dog barking", start=1.0, end=4.0)
    response = post_comment(team.reviewer, event=event.pk, text="the dog is off screen", time=2.0)
    assert response.status_code == 201, response.content
    assert post_comment(team.annotator, event=event.pk, text="x").status_code == 403
    listed = api(team.annotator).get(reverse("comment-list"), {"event": event.pk}).data["results"]
    assert [c["event"] for c in listed] == [event.pk]


def arbitration(team, question):
    Question.objects.filter(pk=question.pk).update(state="arbitration", drafted_answer=3, ref_start=1.0, ref_end=30.0)
    Clue.objects.create(question=question, kind="event", start=2.0, end=3.0)
    item = ReviewItem.objects.create(project=team.project, queue="arbitration", question=question)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    return item


def test_send_back_reason_reaches_the_workspace(team, question, client):
    item = arbitration(team, question)
    client.force_login(team.reviewer)
    response = client.post(reverse("review-item", args=[item.pk]),
                           {"decision": "send_back", "comment": "Two beeps are missing after 20 s", "comment_time": "20"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.review_item == item and comment.question == question and comment.time == 20.0
    assert Question.objects.get(pk=question.pk).state == "answered"

    client.force_login(team.annotator)
    page = client.get(reverse("workspace", args=[question.pk])).content.decode()
    data = json.loads(page.split('id="workspace-data" type="application/json">')[1].split("</script>")[0])
    assert data["urls"]["comments"] == reverse("comment-list")
    assert data["urls"]["comment_resolve"] == "/api/v1/comments/{id}/resolve/"
    assert data["can_comment"] is True
    [shown] = data["comments"]
    assert shown["text"] == "Two beeps are missing after 20 s" and shown["review_decision"] == "send_back"
    assert shown["time"] == 20.0 and shown["can_resolve"] is True


def test_a_bad_time_undoes_the_decision(team, question, client):
    item = arbitration(team, question)
    client.force_login(team.reviewer)
    client.post(reverse("review-item", args=[item.pk]),
                {"decision": "send_back", "comment": "missing beeps", "comment_time": "75"})
    item.refresh_from_db()
    assert item.state == "claimed" and not Comment.objects.exists()
    assert Question.objects.get(pk=question.pk).state == "arbitration"


def test_keep_adds_no_comment(team, question, client):
    item = arbitration(team, question)
    Question.objects.filter(pk=question.pk).update(drafted_answer=1)
    client.force_login(team.reviewer)
    client.post(reverse("review-item", args=[item.pk]), {"decision": "keep", "comment": "count fixed"})
    assert ReviewItem.objects.get(pk=item.pk).decision == "keep" and not Comment.objects.exists()


def test_double_annotation_stays_blind(team, question, other_annotator):
    Question.objects.filter(pk=question.pk).update(state="pooled", drafted_answer=3, ref_start=1.0, ref_end=30.0,
                                                   final_start=1.0, final_end=30.0)
    comments.add_comment(user=team.reviewer, question=question, text="the count should be 3", time=5.0)
    ReviewItem.objects.create(project=team.project, queue="double", question=question)
    assert review.claim_next(project=team.project, queue="double", user=other_annotator) is not None
    second = Question.objects.get(second_pass_of=question)

    # The second annotator reads nothing of the first pass, theirs included.
    assert api(other_annotator).get(reverse("comment-list"), {"question": question.pk}).status_code == 404
    assert api(other_annotator).get(reverse("comment-list")).data["results"] == []
    assert post_comment(other_annotator, question=question.pk, text="x").status_code == 404
    # The first annotator never sees the second pass, nor comments on it.
    reviewer_note = comments.add_comment(user=team.reviewer, question=second, text="second pass note")
    assert api(team.annotator).get(reverse("comment-list"), {"question": second.pk}).status_code == 404
    assert api(team.annotator).get(reverse("comment-detail", args=[reviewer_note.pk])).status_code == 404
    assert api(team.reviewer).get(reverse("comment-list"), {"question": second.pk}).data["count"] == 1
