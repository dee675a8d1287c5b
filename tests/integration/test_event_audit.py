"""R-AVST boxes accepted by reviewers are sampled for audit like pooled questions: a share per reviewer, never
audited by the reviewer who accepted them; approve, fix (re-accept on the review page) or send back, with the
agreement of the audit's boxes against the accepted ones."""

import random

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.avst.models import AVObject, Event, QAPair
from annotation.projects.errors import Invalid
from annotation.projects.models import Decision, Source
from annotation.review import decisions as review
from annotation.review import sampling
from annotation.review.models import Comment, ReviewItem, ReviewQueue

pytestmark = pytest.mark.django_db


def put(user, event, mutate=None, accept=False):
    client = APIClient()
    client.force_authenticate(user)
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = client.get(url).json()
    objects = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"],
                "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
               for o in doc["objects"]]
    if mutate:
        mutate(objects)
    response = client.put(url, {"version": doc["version"], "objects": objects, "accept": accept}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def events(avst, team):
    project, video, first = avst
    project.settings = {"audit_share": 0.5}
    project.save()
    more = []
    for n in range(2, 5):
        event = Event.objects.create(video=video, number=n, label=f"event {n}", start=0.3, end=2.0)
        AVObject.objects.create(event=event, name="dog", audibility="audible", source=Source.HUMAN)
        more.append(event)
    return project, [first] + more


def test_half_of_a_reviewers_accepted_events_are_sampled_and_the_reviewer_never_audits_them(events, team):
    project, evs = events
    for event in evs:
        put(team.reviewer, event, accept=True)
    items = ReviewItem.objects.filter(queue=ReviewQueue.AUDIT, event__isnull=False)
    assert items.count() == 2  # round(0.5 * 4)
    assert review.claim_next(project=project, queue=ReviewQueue.AUDIT, user=team.reviewer) is None
    item = review.claim_next(project=project, queue=ReviewQueue.AUDIT, user=team.manager)
    assert item is not None and item.event_id in {e.pk for e in evs}


def test_sampling_proportions_per_reviewer(events, team):
    project, evs = events
    video = evs[0].video
    for n in range(40):
        event = Event.objects.create(video=video, number=10 + n, label="e", start=0.3, end=1.0)
        reviewer = team.reviewer if n % 2 else team.manager
        Event.objects.filter(pk=event.pk).update(state=Decision.ACCEPTED, reviewed_by=reviewer)
        event.refresh_from_db()
        sampling.sample_accepted_event(event=event, rng=random.Random(n))
    for reviewer in (team.reviewer, team.manager):
        assert ReviewItem.objects.filter(queue=ReviewQueue.AUDIT, event__reviewed_by=reviewer).count() == 10


def test_fix_needs_a_reaccept_and_measures_agreement(events, team):
    project, evs = events
    event = evs[0]
    project.settings = {"audit_share": 1.0}
    project.save()
    put(team.reviewer, event, accept=True)
    item = review.claim_next(project=project, queue=ReviewQueue.AUDIT, user=team.manager)
    assert item.event_id == event.pk
    with pytest.raises(review.ReviewError, match="accept the event there first"):
        review.decide(item=item, user=team.manager, decision="fix")

    def move(objects):
        objects[0]["boxes"][1].update(x1=30.0, x2=130.0)

    put(team.manager, event, move, accept=True)
    assert ReviewItem.objects.filter(event=event, queue=ReviewQueue.AUDIT).count() == 1  # the fix is not resampled
    done = review.decide(item=item, user=team.manager, decision="fix")
    # dog: second 0.3 identical (1.0), second 1.3 moved by 20 px of 100 (IoU 8000 / 12000); ball: empty on both.
    assert done.result["objects"] == 2 and done.result["paired"] == 2
    assert done.result["viou"] == pytest.approx(((1.0 + 8000 / 12000) / 2 + 1.0) / 2)
    assert done.result["audibility"] == 1.0
    event.refresh_from_db()
    assert event.state == Decision.ACCEPTED and QAPair.objects.filter(event=event).exists()


def test_send_back_reopens_the_event_with_a_comment(events, team, client):
    project, evs = events
    event = evs[0]
    project.settings = {"audit_share": 1.0}
    project.save()
    put(team.reviewer, event, accept=True)
    item = review.claim_next(project=project, queue=ReviewQueue.AUDIT, user=team.manager)
    with pytest.raises(Invalid, match="say why"):
        review.decide(item=item, user=team.manager, decision="send_back")
    client.force_login(team.manager)
    response = client.post(reverse("review-item", args=[item.pk]),
                           {"decision": "send_back", "comment": "the ball is there at 2.3 s"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.state == Decision.PROPOSED and not QAPair.objects.filter(event=event).exists()
    comment = Comment.objects.get(event=event)
    assert comment.text == "the ball is there at 2.3 s" and comment.author == team.manager
    client.force_login(team.reviewer)
    page = client.get(reverse("event-review", args=[event.pk])).content.decode()
    assert "the ball is there at 2.3 s" in page


def test_approve_and_the_item_page(events, team, client):
    project, evs = events
    project.settings = {"audit_share": 1.0}
    project.save()
    put(team.reviewer, evs[0], accept=True)
    item = review.claim_next(project=project, queue=ReviewQueue.AUDIT, user=team.manager)
    client.force_login(team.manager)
    page = client.get(reverse("review-item", args=[item.pk])).content.decode()
    assert 'id="open-event-review"' in page and "a dog barks at a ball" in page
    done = review.decide(item=item, user=team.manager, decision="approve")
    assert done.decision == "approve" and done.result["viou"] == 1.0
