"""The workspace's server side: whole-document saves with versions, validation that refuses a bad clue without
applying anything, submission to the pool or to arbitration, and hand-out of questions without collisions."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import Clue, Question
from annotation.review.models import ReviewItem
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720)


def question(video, category="event", **kwargs):
    return Question.objects.create(video=video, text="How many beeps?", category=category, modality="A", **kwargs)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def doc(q, **changes):
    base = workspace.doc_of(q)
    base.update(changes)
    return base


def test_save_replaces_the_clues_and_bumps_the_version(team, video):
    q = question(video)
    body = doc(q, drafted_answer=2, ref_start=1.0, ref_end=20.0,
               clues=[{"kind": "event", "start": 2.0, "end": 3.0}, {"kind": "event", "start": 10.0, "end": 11.5}])
    response = api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.data["version"] == 2 and response.data["state"] == "answered"
    assert [(c.start, c.end) for c in Clue.objects.order_by("id")] == [(2.0, 3.0), (10.0, 11.5)]


def test_object_boxes_store_the_frame_index_and_mid_frame_time(team, video):
    q = question(video, category="object")
    body = doc(q, clues=[{"kind": "object", "frame_index": 308, "x1": 10, "y1": 20, "x2": 110, "y2": 220}])
    assert api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", body, format="json").status_code == 200
    clue = Clue.objects.get()
    assert clue.frame_index == 308 and int(clue.timestamp * 25.0) == 308


@pytest.mark.parametrize("bad,message", [
    ({"kind": "event", "start": 5.0, "end": 4.0}, "start < end"),
    ({"kind": "event", "start": 5.0, "end": 61.0}, "ends after the video"),
    ({"kind": "object", "frame_index": 3, "x1": 10, "y1": 10, "x2": 10, "y2": 40}, "does not belong"),
])
def test_a_bad_clue_refuses_the_whole_save(team, video, bad, message):
    q = question(video)
    Clue.objects.create(question=q, kind="event", start=1.0, end=2.0)
    body = doc(q, clues=[{"kind": "event", "start": 3.0, "end": 4.0}, bad])
    response = api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", body, format="json")
    assert response.status_code == 400
    assert message in response.data["errors"]["clues[1]"]
    q.refresh_from_db()
    assert q.version == 1 and [(c.start, c.end) for c in q.clues.all()] == [(1.0, 2.0)]


@pytest.mark.parametrize("box,message", [
    ({"x1": 1200, "y1": 10, "x2": 1300, "y2": 40}, "outside the 1280x720 frame"),
    ({"x1": 50, "y1": 10, "x2": 40, "y2": 40}, "positive width"),
])
def test_boxes_inside_the_frame_and_on_an_existing_frame(team, video, box, message):
    q = question(video, category="object")
    response = api(team.annotator).put(
        f"/api/v1/question-docs/{q.pk}/", doc(q, clues=[{"kind": "object", "frame_index": 3, **box}]), format="json")
    assert response.status_code == 400 and message in response.data["errors"]["clues[0]"]
    beyond = api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", doc(q, clues=[
        {"kind": "object", "frame_index": 1500, "x1": 1, "y1": 1, "x2": 5, "y2": 5}]), format="json")
    assert "does not exist" in beyond.data["errors"]["clues[0]"]


def test_stale_save_gets_409_and_the_current_document(team, video):
    q = question(video)
    first = api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", doc(q, text="How many beeps in all?"), format="json")
    assert first.status_code == 200
    stale = api(team.reviewer).put(f"/api/v1/question-docs/{q.pk}/", doc(q, text="Overwrite"), format="json")
    assert stale.status_code == 409 and stale.data["current"]["text"] == "How many beeps in all?"
    q.refresh_from_db()
    assert q.text == "How many beeps in all?"


def test_submit_pools_a_matching_count_with_the_union_interval(team, video):
    q = question(video, drafted_answer=2, ref_start=5.0, ref_end=20.0, state="answered")
    Clue.objects.create(question=q, kind="event", start=3.0, end=4.0)
    Clue.objects.create(question=q, kind="event", start=18.0, end=22.5)
    response = api(team.annotator).post(f"/api/v1/question-docs/{q.pk}/submit/", {"version": 1}, format="json")
    assert response.status_code == 200 and response.data["outcome"] == "pooled"
    q.refresh_from_db()
    assert q.state == "pooled" and (q.final_start, q.final_end) == (3.0, 22.5)
    assert not ReviewItem.objects.exists()


def test_submit_sends_a_mismatch_to_arbitration(team, video):
    q = question(video, category="attribute", drafted_answer=3, ref_start=5.0, ref_end=20.0, state="answered",
                 clusters=[{"name": "red", "color": "#f00"}, {"name": "blue", "color": "#00f"}])
    for cluster in ("red", "red", "blue"):
        Clue.objects.create(question=q, kind="attribute", frame_index=200, timestamp=8.02, x1=1, y1=1, x2=9, y2=9,
                            cluster=cluster)
    response = api(team.annotator).post(f"/api/v1/question-docs/{q.pk}/submit/", {"version": 1}, format="json")
    assert response.data["outcome"] == "arbitration" and "2 clue(s) for a count of 3" in response.data["message"]
    assert ReviewItem.objects.get().queue == "arbitration"


def test_outsider_and_reviewer_rights(team, video):
    q = question(video)
    assert api(team.outsider).get(f"/api/v1/question-docs/{q.pk}/").status_code == 404
    assert api(team.reviewer).get(f"/api/v1/question-docs/{q.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_annotators_never_get_the_same_question(team, video, django_user_model):
    from annotation.projects.models import Membership, Role

    annotators = [team.annotator] + [
        django_user_model.objects.create_user(username=f"a{i}", password="x") for i in range(3)
    ]
    for user in annotators[1:]:
        Membership.objects.create(project=team.project, user=user, role=Role.ANNOTATOR)
    for _ in range(24):
        question(video)
    handed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(user):
        try:
            for _ in range(6):
                q = workspace.next_question(project=team.project, user=user)
                with lock:
                    handed.append(q.pk)
                # The annotator finishes it, so the next request gets another question.
                Question.objects.filter(pk=q.pk).update(state="rejected", claimed_by=None)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in annotators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(handed) == 24 and len(set(handed)) == 24


def test_an_abandoned_claim_expires(team, video):
    from datetime import timedelta

    from django.utils import timezone

    q = question(video)
    assert workspace.next_question(project=team.project, user=team.annotator) == q
    assert workspace.next_question(project=team.project, user=team.reviewer) is None  # held by the annotator
    Question.objects.filter(pk=q.pk).update(claimed_at=timezone.now() - workspace.CLAIM_TTL - timedelta(seconds=1))
    assert workspace.next_question(project=team.project, user=team.reviewer) == q
