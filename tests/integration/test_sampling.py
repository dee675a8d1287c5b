"""Sampling for audit and double annotation: a share of each stratum (category x annotator) of the pooled
questions, drawn at random when a question enters the pool, never over-sampled by concurrent poolings, topped
up by a manager after a share changes."""

import random
import threading
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import Question, QuestionState
from annotation.projects.models import AuditEntry
from annotation.projects.settings import SettingsInvalid
from annotation.review import decisions as review
from annotation.review import sampling
from annotation.review.models import ReviewItem, ReviewQueue
from tests.integration.pooling import answered_question, make_video, pooled_question

pytestmark = pytest.mark.django_db


def set_shares(project, **shares):
    project.settings = {**project.settings, **shares}
    project.save(update_fields=["settings"])


def items(project, queue):
    return ReviewItem.objects.filter(project=project, queue=queue)


def test_target_rounds_half_up():
    assert [sampling.target(share=0.1, pooled=n) for n in (0, 4, 5, 14, 15, 33)] == [0, 0, 1, 1, 2, 3]
    assert sampling.target(share=0.25, pooled=2) == 1  # 0.5 rounds up, not to the even 0
    assert sampling.target(share=1.0, pooled=7) == 7


def test_shares_defaults_and_validation(team):
    assert sampling.shares(project=team.project) == {"audit": 0.1, "double": 0.1}
    set_shares(team.project, audit_share=0.25, double_share=0)
    assert sampling.shares(project=team.project) == {"audit": 0.25, "double": 0.0}
    for bad in (1.5, -0.1, "0.1", True, None):
        set_shares(team.project, audit_share=bad)
        with pytest.raises(SettingsInvalid, match="audit_share must be a number from 0 to 1"):
            sampling.shares(project=team.project)


def test_the_project_api_refuses_a_bad_share(team):
    client = APIClient()
    client.force_authenticate(team.manager)
    url = reverse("project-detail", args=[team.project.pk])
    response = client.patch(url, {"settings": {"double_share": 2}}, format="json")
    assert response.status_code == 400 and "double_share must be a number from 0 to 1" in str(response.data)
    assert client.patch(url, {"settings": {"double_share": 0.2}}, format="json").status_code == 200
    team.project.refresh_from_db()
    assert sampling.shares(project=team.project)["double"] == 0.2


def test_proportions_per_stratum_over_200_pooled_questions(team):
    """200 questions by three annotators in three categories: every stratum ends with exactly its rounded
    share, and the whole within a point of it."""
    set_shares(team.project, audit_share=0.1, double_share=0.2)
    video = make_video(team.project)
    people = [team.annotator, team.reviewer, team.manager]
    rng = random.Random(7)
    strata = Counter()
    for n in range(200):
        person, category = people[n % 3], ("event", "object", "attribute")[(n // 3) % 3 if n < 150 else 0]
        boxes = () if category == "event" else (("red", 10, 0, 0, 10, 10),) if category == "attribute" else \
            ((10, 0, 0, 10, 10),)
        q = pooled_question(video, person, category=category, boxes=boxes)
        sampling.sample_pooled(question=q, rng=rng)
        strata[(category, person.pk)] += 1
    assert len(strata) == 9 and sum(strata.values()) == 200
    for queue, share in (("audit", 0.1), ("double", 0.2)):
        got = Counter(items(team.project, queue).values_list("question__category", "question__annotator_id"))
        for stratum, n in strata.items():
            assert got[stratum] == sampling.target(share=share, pooled=n), (queue, stratum, n)
        total = sum(got.values())
        assert abs(total / 200 - share) <= 0.01 + 9 * 0.5 / 200, (queue, total)
        assert items(team.project, queue).values("question").distinct().count() == total  # one item a question
    assert AuditEntry.objects.filter(action="review.sample.audit").count() == items(team.project, "audit").count()


def test_sampling_is_random_within_the_stratum_and_seeded_for_tests(team):
    set_shares(team.project, audit_share=0.5, double_share=0)
    video = make_video(team.project)

    def sample(seed):
        ReviewItem.objects.all().delete()
        Question.objects.all().delete()
        qs = [pooled_question(video, team.annotator) for _ in range(10)]
        sampling.backfill(project=team.project, rng=random.Random(seed))
        return sorted(qs.index(q) for q in Question.objects.filter(review_items__queue="audit"))

    first = sample(1)
    assert len(first) == 5 and sample(1) == first
    draws = {tuple(sample(seed)) for seed in range(2, 8)}
    assert len(draws) > 1 and any(d != (0, 1, 2, 3, 4) for d in draws)


def test_second_passes_and_unpooled_questions_never_count(team):
    set_shares(team.project, audit_share=0.5, double_share=0)
    video = make_video(team.project)
    first = pooled_question(video, team.annotator)
    Question.objects.create(video=video, text=first.text, category="event", modality="A", ref_start=5.0, ref_end=40.0,
                            state=QuestionState.SECOND_PASS, second_pass_of=first, annotator=team.annotator)
    answered_question(video, team.annotator)
    sampling.sample_pooled(question=first, rng=random.Random(0))
    # One pooled question in the stratum: round(0.5 * 1) = 1, on the pooled one.
    assert list(items(team.project, "audit").values_list("question_id", flat=True)) == [first.pk]


def test_submit_and_arbitration_keep_sample_in_their_transaction(team):
    set_shares(team.project, audit_share=1.0, double_share=0.5)
    video = make_video(team.project)
    q = answered_question(video, team.annotator)
    _, outcome, _ = workspace.submit(question=q, expected_version=q.version, user=team.annotator)
    assert outcome == "pooled"
    assert items(team.project, "audit").filter(question=q).exists()
    assert items(team.project, "double").filter(question=q).exists()  # round(0.5 * 1) = 1
    # A mismatch is not pooled, so not sampled; once arbitration keeps it, it is.
    other = answered_question(video, team.annotator, text="How many claps?")
    Question.objects.filter(pk=other.pk).update(drafted_answer=3)
    other.refresh_from_db()
    _, outcome, _ = workspace.submit(question=other, expected_version=other.version, user=team.annotator)
    assert outcome == "arbitration" and not items(team.project, "audit").filter(question=other).exists()
    Question.objects.filter(pk=other.pk).update(drafted_answer=2)
    item = review.claim_next(project=team.project, queue="arbitration", user=team.reviewer)
    review.decide_arbitration(item=item, user=team.reviewer, decision="keep")
    assert items(team.project, "audit").filter(question=other).exists()


def test_backfill_after_a_share_is_raised(team, client):
    set_shares(team.project, audit_share=0.1, double_share=0.0)
    video = make_video(team.project)
    for _ in range(30):
        sampling.sample_pooled(question=pooled_question(video, team.annotator), rng=random.Random(3))
    assert items(team.project, "audit").count() == 3 and items(team.project, "double").count() == 0
    set_shares(team.project, audit_share=0.5, double_share=0.2)
    client.force_login(team.manager)
    response = client.post(reverse("review-sample", args=[team.project.pk]), follow=True)
    assert "Sampled 12 question(s) for audit and 6 for double annotation." in response.content.decode()
    assert items(team.project, "audit").count() == 15 and items(team.project, "double").count() == 6
    # Again: nothing left to top up.
    assert sampling.backfill(project=team.project) == {"audit": 0, "double": 0}
    client.force_login(team.reviewer)
    assert client.post(reverse("review-sample", args=[team.project.pk])).status_code == 403


def test_the_queues_page_shows_the_shares_and_the_sample_button_to_managers(team, client):
    set_shares(team.project, audit_share=0.15, double_share=0.05)
    client.force_login(team.manager)
    page = client.get(reverse("review-queues", args=[team.project.pk])).content.decode()
    assert "<strong>15%</strong> for audit" in page and "<strong>5%</strong> for double" in page
    assert 'id="sample-now"' in page and 'data-queue="audit"' in page and 'data-queue="double"' in page
    client.force_login(team.reviewer)
    assert 'id="sample-now"' not in client.get(reverse("review-queues", args=[team.project.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_poolings_do_not_over_sample(team):
    """Rounds of 8 questions of one stratum submitted from 8 threads at once: after every round the stratum has
    exactly round(0.5 * pooled) items of each queue, as the project row is locked while a stratum is topped up
    (without the lock, poolings that each see only their own new question all add the item it calls for)."""
    set_shares(team.project, audit_share=0.5, double_share=0.5)
    # One video each: submitting locks the question's video row too, which would serialize them anyway.
    videos = [make_video(team.project, title=f"v{i}") for i in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(q):
        try:
            barrier.wait()
            workspace.submit(question=q, expected_version=q.version, user=team.annotator)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    for round_ in range(1, 6):
        questions = [answered_question(video, team.annotator) for video in videos]
        threads = [threading.Thread(target=work, args=(q,)) for q in questions]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert Question.objects.filter(state="pooled").count() == 8 * round_
        for queue in (ReviewQueue.AUDIT, ReviewQueue.DOUBLE):
            assert items(team.project, queue).count() == 4 * round_, (round_, queue)


def test_questions_without_a_video_file_are_audited_but_never_annotated_twice(team):
    from annotation.projects.models import Project

    project = Project.objects.get(pk=team.project.pk)
    project.settings = {"audit_share": 1.0, "double_share": 1.0}
    project.save()
    imported = make_video(team.project, "imported", ready=False)
    for _ in range(4):
        sampling.sample_pooled(question=pooled_question(imported, team.annotator))
    assert items(team.project, "audit").count() == 4
    assert items(team.project, "double").count() == 0
