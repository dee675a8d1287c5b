"""Review queues on the real PostgreSQL: no two reviewers get the same item, no one reviews their own work,
claims expire, and arbitration decisions move the question where they say."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from annotation.counting.models import Clue, Question
from annotation.projects.errors import Invalid
from annotation.projects.models import AuditEntry, Membership, Role
from annotation.review import decisions as review
from annotation.review.models import ReviewItem
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720)


def arbitration_item(team, video, annotator=None, clues=2, count=3):
    q = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A",
                                drafted_answer=count, ref_start=1.0, ref_end=30.0, state="arbitration",
                                annotator=annotator or team.annotator)
    for k in range(clues):
        Clue.objects.create(question=q, kind="event", start=2.0 + 3 * k, end=3.0 + 3 * k)
    return ReviewItem.objects.create(project=team.project, queue="arbitration", question=q)


def test_self_review_is_refused_and_claims_expire(team, video):
    own = arbitration_item(team, video, annotator=team.reviewer)
    assert review.claim_next(project=team.project, queue="arbitration", user=team.reviewer) is None
    other = arbitration_item(team, video)
    assert review.claim_next(project=team.project, queue="arbitration", user=team.reviewer) == other
    # The manager gets the reviewer's own item; the reviewer's claimed item stays theirs until it expires.
    assert review.claim_next(project=team.project, queue="arbitration", user=team.manager) == own
    ReviewItem.objects.filter(pk=own.pk).update(claimed_at=timezone.now() - review.CLAIM_TTL - timedelta(seconds=1))
    ReviewItem.objects.filter(pk=other.pk).update(claimed_at=timezone.now() - review.CLAIM_TTL - timedelta(seconds=1))
    assert review.claim_next(project=team.project, queue="arbitration", user=team.reviewer) == other


def test_decisions(team, video):
    item = arbitration_item(team, video, clues=2, count=3)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    with pytest.raises(review.ReviewError, match="2 clue\\(s\\) for a count of 3"):
        review.decide_arbitration(item=item, user=team.reviewer, decision="keep")
    with pytest.raises(Invalid, match="say why"):
        review.decide_arbitration(item=item, user=team.reviewer, decision="send_back")
    Question.objects.filter(pk=item.question_id).update(drafted_answer=2)
    review.decide_arbitration(item=item, user=team.reviewer, decision="keep", comment="count fixed")
    q = Question.objects.get(pk=item.question_id)
    assert q.state == "pooled" and (q.final_start, q.final_end) == (1.0, 30.0)
    item.refresh_from_db()
    assert item.state == "done" and item.decision == "keep" and item.decided_by == team.reviewer
    assert AuditEntry.objects.filter(action="review.arbitration.keep", target_id=q.pk).exists()
    with pytest.raises(review.ReviewError, match="already decided"):
        review.decide_arbitration(item=item, user=team.reviewer, decision="reject", comment="x")


def test_send_back_and_reject(team, video):
    back = arbitration_item(team, video)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    review.decide_arbitration(item=back, user=team.reviewer, decision="send_back", comment="boxes missing at 12 s")
    assert Question.objects.get(pk=back.question_id).state == "answered"
    out = arbitration_item(team, video)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    review.decide_arbitration(item=out, user=team.reviewer, decision="reject", comment="not countable")
    assert Question.objects.get(pk=out.question_id).state == "rejected"


def test_pages_need_the_reviewer_role(team, video, client):
    item = arbitration_item(team, video)
    client.force_login(team.annotator)
    assert client.get(reverse("review-queues", args=[team.project.pk])).status_code == 403
    client.force_login(team.reviewer)
    response = client.post(reverse("review-queues", args=[team.project.pk]), {"queue": "arbitration"})
    assert response["Location"] == reverse("review-item", args=[item.pk])
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "How many beeps?" in page and 'id="review-clues">2<' in page
    client.post(reverse("review-item", args=[item.pk]), {"decision": "reject", "comment": "vague"})
    assert ReviewItem.objects.get(pk=item.pk).decision == "reject"


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviewers_never_get_the_same_item(team, video, django_user_model):
    reviewers = [team.reviewer, team.manager] + [
        django_user_model.objects.create_user(username=f"r{i}", password="x") for i in range(3)
    ]
    for user in reviewers[2:]:
        Membership.objects.create(project=team.project, user=user, role=Role.REVIEWER)
    for _ in range(30):
        arbitration_item(team, video)
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(user):
        try:
            for _ in range(6):
                item = review.claim_next(project=team.project, queue="arbitration", user=user)
                with lock:
                    taken.append(item.pk)
                ReviewItem.objects.filter(pk=item.pk).update(state="done", decision="reject", comment="x",
                                                             decided_at=timezone.now())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(taken) == 30 and len(set(taken)) == 30


@pytest.mark.django_db(transaction=True)
def test_concurrent_reviewers_on_the_audit_queue_never_get_the_same_item(team, video, django_user_model):
    """Six reviewers pull from one audit queue at once, round after round, until it is empty: each item is
    handed out exactly once, and never to the question's annotator."""
    from tests.integration.pooling import pooled_question

    reviewers = [team.reviewer, team.manager] + [
        django_user_model.objects.create_user(username=f"a{i}", password="x") for i in range(4)
    ]
    for user in reviewers[2:]:
        Membership.objects.create(project=team.project, user=user, role=Role.REVIEWER)
    authors = [team.annotator, *reviewers]
    for n in range(60):
        item = ReviewItem.objects.create(project=team.project, queue="audit",
                                         question=pooled_question(video, authors[n % len(authors)]))
        assert item.state == "open"
    taken: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(reviewers))

    def work(user):
        try:
            for _ in range(20):
                barrier.wait()
                item = review.claim_next(project=team.project, queue="audit", user=user)
                if item is None:
                    continue
                with lock:
                    taken.append((item.pk, user.pk))
                ReviewItem.objects.filter(pk=item.pk).update(state="done", decision="approve",
                                                             decided_at=timezone.now())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    pks = [pk for pk, _ in taken]
    assert len(pks) == 60 and len(set(pks)) == 60
    annotator_of = dict(ReviewItem.objects.values_list("pk", "question__annotator_id"))
    assert all(annotator_of[pk] != user for pk, user in taken)


def test_the_reviewer_holding_an_item_fixes_its_clues_through_the_workspace(team, video):
    from rest_framework.test import APIClient

    from annotation.counting import workspace

    item = arbitration_item(team, video, clues=2, count=3)
    Clue.objects.filter(question_id=item.question_id).update(created_by=team.annotator)
    client = APIClient()
    client.force_authenticate(team.reviewer)
    url = f"/api/v1/question-docs/{item.question_id}/"
    assert client.get(url).data["editable"] is False  # not claimed yet
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    doc = client.get(url).data
    assert doc["editable"] is True and doc["state"] == "arbitration"
    for count in (4, 2):  # two saves in a row: the question stays in arbitration and editable for its reviewer
        saved = client.put(url, {**doc, "drafted_answer": count}, format="json")
        assert saved.status_code == 200, saved.content
        assert saved.data["state"] == "arbitration" and saved.data["editable"] is True
        doc = saved.data
    assert workspace.editable_by(Question.objects.get(pk=item.question_id), team.annotator) is False
    # The reviewer deletes one clue and draws another: the clue left is still the annotator's, with its time.
    before = {c.pk: (c.created_by_id, c.created_at) for c in Clue.objects.filter(question_id=item.question_id)}
    kept, drawn = doc["clues"][1], {"kind": "event", "start": 7.0, "end": 7.5}
    saved = client.put(url, {**doc, "drafted_answer": 2, "clues": [kept, drawn]}, format="json")
    assert saved.status_code == 200, saved.content
    rows = list(Clue.objects.filter(question_id=item.question_id).order_by("pk"))
    assert [(c.start, c.created_by_id) for c in rows] == [(kept["start"], team.annotator.pk), (7.0, team.reviewer.pk)]
    assert rows[0].created_at == sorted(before.values(), key=lambda v: v[1])[1][1]
    # The workspace leads the reviewer back to the item they hold (and only them).
    from django.test import Client

    page = Client()
    page.force_login(team.reviewer)
    back = reverse("review-item", args=[item.pk])
    assert f'href="{back}" id="back-to-review"' in page.get(reverse("workspace", args=[item.question_id])).content.decode()
    page.force_login(team.manager)
    assert 'id="back-to-review"' not in page.get(reverse("workspace", args=[item.question_id])).content.decode()
    review.decide_arbitration(item=item, user=team.reviewer, decision="keep")
    question = Question.objects.get(pk=item.question_id)
    assert question.state == "pooled"
    assert question.claimed_by is None  # decided: the reviewer holds it no more


def review_data(page: str) -> dict:
    """The island's payload on a review item page."""
    import json
    import re

    match = re.search(r'<script id="review-data" type="application/json">(.*?)</script>', page, re.S)
    assert match is not None, "no #review-data on the page"
    return json.loads(match.group(1))


def test_the_item_page_shows_the_media_under_review_and_the_decision_keys(team, video, client):
    item = arbitration_item(team, video, clues=2, count=3)
    client.force_login(team.annotator)
    assert client.get(reverse("review-item", args=[item.pk])).status_code == 403
    client.force_login(team.reviewer)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    data = review_data(page)
    assert data["kind"] == "question" and data["blind"] is False
    assert data["question"]["drafted_answer"] == 3 and data["question"]["ref_start"] == 1.0
    assert data["question"]["clues"] == [{"kind": "event", "start": 2.0, "end": 3.0},
                                         {"kind": "event", "start": 5.0, "end": 6.0}]
    assert data["video"]["id"] == video.pk and data["video"]["fps"] == 25.0
    assert set(data["video"]) >= {"proxy_url", "peaks_url", "frame_url_template", "thumbnails_index"}
    assert 'id="review-root"' in page and 'id="review-clue-list"' in page and "/static/assets/review-" in page
    # The decision: one key per button, the ones that need a reason marked so.
    assert 'value="keep" class="rv-accept" data-key="a"' in page
    assert 'value="send_back" class="rv-return" data-key="s" data-label="send back" data-needs-comment="true"' in page
    assert 'value="reject" class="rv-reject" data-key="r"' in page


def test_the_item_page_says_what_changed_since_the_last_decision(team, video, client):
    from rest_framework.test import APIClient

    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A",
                                       annotator=team.annotator)
    annotator, reviewer = APIClient(), APIClient()
    annotator.force_authenticate(team.annotator)
    reviewer.force_authenticate(team.reviewer)
    url = f"/api/v1/question-docs/{question.pk}/"

    def save(api, **changes):
        doc = api.get(url).data
        response = api.put(url, {**doc, **changes}, format="json")
        assert response.status_code == 200, response.content
        return response.data

    def submit(api):
        response = api.post(f"{url}submit/", {"version": api.get(url).data["version"]}, format="json")
        assert response.status_code == 200, response.content

    save(annotator, drafted_answer=3, ref_start=1.0, ref_end=30.0,
         clues=[{"kind": "event", "start": 2.0, "end": 3.0}, {"kind": "event", "start": 5.0, "end": 6.0}])
    submit(annotator)
    item = review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    client.force_login(team.reviewer)
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "Submitted (to arbitration) by annotator-user" in page and 'data-testid="no-change"' in page
    # The reviewer's fix in the workspace shows, as the history page words it.
    save(reviewer, clues=[*reviewer.get(url).data["clues"], {"kind": "event", "start": 8.0, "end": 9.5}])
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "<strong>event 8.00–9.50 s</strong>" in page and "change-added" in page
    assert review_data(page)["question"]["clues"][-1] == {"kind": "event", "start": 8.0, "end": 9.5}
    # Sent back; the annotator changes the count and submits again: the next item shows that change.
    review.decide_arbitration(item=item, user=team.reviewer, decision="send_back", comment="recount")
    save(annotator, drafted_answer=2)
    submit(annotator)
    again = review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    page = client.get(reverse("review-item", args=[again.pk])).content.decode()
    assert "Sent back in arbitration by reviewer-user" in page
    assert "<strong>Drafted count</strong>: 3 → 2" in page and "Review comment" not in page


def test_a_double_annotation_item_shows_the_video_but_not_the_first_pass(team, video, client):
    question = Question.objects.create(video=video, text="How many claps?", category="attribute", modality="V",
                                       drafted_answer=1, ref_start=1.0, ref_end=9.0, final_start=1.0, final_end=9.0,
                                       state="pooled", annotator=team.annotator,
                                       clusters=[{"name": "red", "color": "#e6194b"}])
    Clue.objects.create(question=question, kind="attribute", frame_index=50, timestamp=2.02, x1=1, y1=1, x2=20,
                        y2=20, cluster="red")
    item = ReviewItem.objects.create(project=team.project, queue="double", question=question)
    client.force_login(team.reviewer)
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    data = review_data(page)
    assert data["blind"] is True and data["question"]["ref_start"] == 1.0 and data["question"]["text"] == "How many claps?"
    assert (data["question"]["drafted_answer"], data["question"]["clues"], data["question"]["clusters"]) == (None, [], [])
    assert '"red"' not in page and "review-clue-list" not in page and "review-changes" not in page
    assert 'id="review-decision"' not in page


def test_an_event_audit_item_shows_the_sampled_frames_and_the_boxes(avst, team, client):
    from rest_framework.test import APIClient

    project, video, event = avst
    project.settings = {"audit_share": 1.0}
    project.save()
    api = APIClient()
    api.force_authenticate(team.reviewer)
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api.get(url).json()
    objects = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"],
                "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
               for o in doc["objects"]]
    assert api.put(url, {"version": doc["version"], "objects": objects, "accept": True}, format="json").status_code == 200
    item = review.claim_next(project=project, queue="audit", user=team.manager)
    client.force_login(team.annotator)
    assert client.get(reverse("review-item", args=[item.pk])).status_code == 403
    client.force_login(team.manager)
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    data = review_data(page)
    assert data["kind"] == "event" and data["event"]["event"]["label"] == "a dog barks at a ball"
    # The frames of the event review page: one per sampled second, with the proxy frame of each.
    assert data["event"]["seconds"] == doc["seconds"] and len(data["event"]["seconds"]) == 3
    assert data["video"]["frame_url_template"] == doc["video"]["frame_url_template"]
    dog = next(o for o in data["event"]["objects"] if o["name"] == "dog")
    assert [b["frame_index"] for b in dog["boxes"]] == [b["frame_index"] for b in doc["objects"][0]["boxes"]]
    assert 'id="review-objects">2<' in page and 'id="review-boxes">2<' in page
    assert "Accepted by reviewer-user" in page and 'data-testid="no-change"' in page
    assert 'value="approve" class="rv-accept" data-key="a"' in page and 'name="comment_time"' not in page
    # A box moved on the event review page after the accept under audit shows as a change.
    objects[0]["boxes"][0].update(x1=20, x2=120)
    manager = APIClient()
    manager.force_authenticate(team.manager)
    doc = manager.get(url).json()
    assert manager.put(url, {"version": doc["version"], "objects": objects, "accept": False},
                       format="json").status_code == 200
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "change-moved" in page and "box of &#x27;dog&#x27; at 0.3 s" in page


def test_the_queues_page_lists_the_queues_of_the_projects_kind(team, video, avst, client):
    import re

    client.force_login(team.reviewer)
    page = client.get(reverse("review-queues", args=[team.project.pk])).content.decode()
    assert re.findall(r'data-queue="(\w+)"', page) == ["arbitration", "audit", "double"]
    # Nothing waits anywhere: no button invites a click that can only say so.
    assert page.count("Take the next item") == 3 and page.count('disabled title="Nothing waits in this queue"') == 3
    arbitration_item(team, video)
    page = client.get(reverse("review-queues", args=[team.project.pk])).content.decode()
    assert page.count('disabled title="Nothing waits in this queue"') == 2
    project, _, _ = avst
    page = client.get(reverse("review-queues", args=[project.pk])).content.decode()
    assert re.findall(r'data-queue="(\w+)"', page) == ["audit", "qa"]


def test_a_decided_item_says_its_decision_in_words(team, video, client):
    item = arbitration_item(team, video)
    review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    client.force_login(team.reviewer)
    done = client.post(reverse("review-item", args=[item.pk]), {"decision": "send_back", "comment": "recount"},
                       follow=True)
    assert f"Decided. Sent back: question #{item.question_id}." in done.content.decode()
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert "<strong>Sent back</strong> by reviewer" in page.replace(team.reviewer.username, "reviewer")
