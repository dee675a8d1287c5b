"""Quality-control queues: items handed out with SELECT ... FOR UPDATE SKIP LOCKED so two reviewers never get
the same one, claims that expire, no one reviewing their own work, and the decisions on arbitration items."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotation import audit
from annotation.models import Project, Question, QuestionState, ReviewItem, ReviewState

CLAIM_TTL = timedelta(minutes=settings.CLUEBENCH_CLAIM_MINUTES)


class ReviewError(Exception):
    """The decision is not possible as things stand; the message says why."""


def claim_next(*, project: Project, queue: str, user) -> ReviewItem | None:
    """The oldest open item of the queue that is not the user's own work; a claim older than CLAIM_TTL is free."""
    stale = timezone.now() - CLAIM_TTL
    with transaction.atomic():
        mine = ReviewItem.objects.filter(project=project, queue=queue, state=ReviewState.CLAIMED, claimed_by=user).first()
        if mine is not None:
            return mine
        items = (
            ReviewItem.objects.filter(project=project, queue=queue)
            .filter(Q(state=ReviewState.OPEN) | Q(state=ReviewState.CLAIMED, claimed_at__lt=stale))
            .exclude(question__annotator=user)
            .order_by("created_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
        )
        item = items.first()
        if item is None:
            return None
        item.state = ReviewState.CLAIMED
        item.claimed_by = user
        item.claimed_at = timezone.now()
        item.save(update_fields=["state", "claimed_by", "claimed_at"])
        return item


ARBITRATION_DECISIONS = ("keep", "send_back", "reject")


def decide_arbitration(*, item: ReviewItem, user, decision: str, comment: str = "") -> ReviewItem:
    """keep: the (fixed) clues match the count, the question enters the pool; send_back: back to its annotator
    with the comment; reject: out, with the comment as the reason."""
    from annotation.workspace import clue_count, doc_of, final_interval

    if decision not in ARBITRATION_DECISIONS:
        raise ReviewError(f"decide one of {', '.join(ARBITRATION_DECISIONS)}")
    if decision in ("send_back", "reject") and not comment.strip():
        raise ReviewError("say why in the comment")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update(of=("self",)).select_related("question__video").get(pk=item.pk)
        if item.state == ReviewState.DONE:
            raise ReviewError("this item is already decided")
        if item.claimed_by_id != user.pk:
            raise ReviewError("claim the item before deciding it")
        question = Question.objects.select_for_update().get(pk=item.question_id)
        if question.annotator_id == user.pk:
            raise ReviewError("you cannot review your own work")
        before = doc_of(question)
        if decision == "keep":
            clues = list(question.clues.all())
            count = clue_count(question, clues)
            if count != question.drafted_answer:
                raise ReviewError(f"{count} clue(s) for a count of {question.drafted_answer}: fix the count or the "
                                  "clues first")
            question.final_start, question.final_end = final_interval(question, clues)
            question.state = QuestionState.POOLED
        elif decision == "send_back":
            question.state = QuestionState.ANSWERED
        else:
            question.state = QuestionState.REJECTED
        question.version += 1
        question.save()
        item.state = ReviewState.DONE
        item.decision = decision
        item.comment = comment.strip()
        item.decided_by = user
        item.decided_at = timezone.now()
        item.save()
        audit.record(project=item.project_id, actor=user, action=f"review.arbitration.{decision}",
                     target_type="question", target_id=question.pk, before=before,
                     after={**doc_of(question), "review_comment": item.comment})
    return item
