"""Which pooled questions are audited and which are annotated a second time.

Each project sets a share of its pooled questions for each of the two queues (``audit_share`` and
``double_share`` in ``Project.settings``). The share is kept per stratum, a stratum being the questions of one
category by one annotator, so that every kind of question and every annotator is checked in proportion:
whenever a question enters the pool, its stratum gets items until ``round(share * pooled)`` of its pooled
questions have one, the new ones drawn at random among the stratum's pooled questions that have none. The
project row is locked meanwhile, so two questions pooled at once do not both top the stratum up. Second passes
are never pooled, so they never count. A sampled question keeps its item when it later leaves the pool.
"""

from __future__ import annotations

import math
import random

from django.db import transaction

from annotation.avst.models import Event
from annotation.counting.models import Question, QuestionState
from annotation.projects import audit
from annotation.projects import settings as project_settings
from annotation.projects.models import Decision, Project
from annotation.review.models import ReviewItem, ReviewQueue
from pipeline.videos.models import VideoStatus


def shares(*, project: Project) -> dict[str, float]:
    """Queue -> share of pooled questions it samples, the defaults filled in (annotation.projects.settings)."""
    return project_settings.shares(project.settings)


def target(*, share: float, pooled: int) -> int:
    """How many of a stratum's pooled questions should have an item: the share rounded half up."""
    return math.floor(share * pooled + 0.5)


def _sample_stratum(*, project: Project, queue: str, share: float, category: str, annotator_id: int | None,
                    rng: random.Random) -> list[ReviewItem]:
    pooled = Question.objects.filter(video__project=project, state=QuestionState.POOLED, category=category,
                                     annotator_id=annotator_id)
    if queue == ReviewQueue.DOUBLE:
        # A second pass is clued on the video: questions imported without one cannot be annotated twice.
        pooled = pooled.filter(video__status=VideoStatus.READY)
    ids = sorted(pooled.values_list("id", flat=True))
    sampled = set(ReviewItem.objects.filter(project=project, queue=queue, question_id__in=ids)
                  .values_list("question_id", flat=True))
    missing = target(share=share, pooled=len(ids)) - len(sampled)
    if missing <= 0:
        return []
    chosen = sorted(rng.sample([pk for pk in ids if pk not in sampled], missing))
    items = ReviewItem.objects.bulk_create(ReviewItem(project=project, queue=queue, question_id=pk) for pk in chosen)
    for pk in chosen:
        audit.record(project=project, actor=None, action=f"review.sample.{queue}", target_type="question",
                     target_id=pk, before=None,
                     after={"queue": queue, "share": share, "stratum": {"category": category,
                                                                       "annotator": annotator_id}})
    return items


def sample_pooled(*, question: Question, rng: random.Random | None = None) -> list[ReviewItem]:
    """Top up the audit and double-annotation samples of the stratum of a question that just entered the pool.

    Call it inside the transaction that pools the question."""
    rng = rng or random.Random()
    items = []
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=question.video.project_id)
        for queue, share in shares(project=project).items():
            items += _sample_stratum(project=project, queue=queue, share=share, category=question.category,
                                     annotator_id=question.annotator_id, rng=rng)
    return items


def backfill(*, project: Project, rng: random.Random | None = None) -> dict[str, int]:
    """Top up every stratum of the project (after a share was raised): queue -> items created."""
    rng = rng or random.Random()
    created = {}
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        strata = sorted(
            set(Question.objects.filter(video__project=project, state=QuestionState.POOLED)
                .values_list("category", "annotator_id")),
            key=lambda s: (s[0], s[1] is None, s[1] or 0),
        )
        for queue, share in shares(project=project).items():
            created[queue] = sum(
                len(_sample_stratum(project=project, queue=queue, share=share, category=category,
                                    annotator_id=annotator_id, rng=rng))
                for category, annotator_id in strata
            )
    return created


def sample_accepted_event(*, event, rng: random.Random | None = None) -> list[ReviewItem]:
    """R-AVST: top up the audit sample of the events the event's reviewer accepted (a stratum per reviewer), at
    the project's ``audit_share``. Call it inside the transaction that accepts the event."""

    rng = rng or random.Random()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=event.video.project_id)
        share = shares(project=project)[ReviewQueue.AUDIT]
        accepted = sorted(Event.objects.filter(video__project=project, state=Decision.ACCEPTED,
                                               reviewed_by_id=event.reviewed_by_id).values_list("id", flat=True))
        sampled = set(ReviewItem.objects.filter(project=project, queue=ReviewQueue.AUDIT, event_id__in=accepted)
                      .values_list("event_id", flat=True))
        missing = target(share=share, pooled=len(accepted)) - len(sampled)
        if missing <= 0:
            return []
        chosen = sorted(rng.sample([pk for pk in accepted if pk not in sampled], missing))
        items = ReviewItem.objects.bulk_create(
            ReviewItem(project=project, queue=ReviewQueue.AUDIT, event_id=pk) for pk in chosen)
        for pk in chosen:
            audit.record(project=project, actor=None, action="review.sample.audit", target_type="event", target_id=pk,
                         before=None, after={"queue": ReviewQueue.AUDIT, "share": share,
                                             "stratum": {"reviewer": event.reviewed_by_id}})
    return items
