"""Quality control's answers to the hooks of the apps below it: who holds a question or an event in a queue,
what double annotation hides, what a save, a submit, a restore or an accept set going in the queues, and the
comments shown beside a question or an event."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from annotation.avst import hooks as avst_hooks
from annotation.counting import hooks as counting_hooks
from annotation.counting.models import QuestionState
from annotation.projects import hooks as project_hooks
from annotation.projects.models import Project
from annotation.projects.selectors import state_counts
from annotation.review import comments, double, sampling
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from annotation.review.serializers import CommentSerializer

# Out of the annotator's hands, a question is edited by the reviewer holding its item of this queue.
HELD_BY_REVIEWER = {QuestionState.ARBITRATION: ReviewQueue.ARBITRATION, QuestionState.POOLED: ReviewQueue.AUDIT}


def held_by(*, question, user) -> bool:
    """In arbitration or in the pool: the reviewer holding its arbitration or audit item (to fix the count or the
    clues before deciding); a second pass: its annotator while they hold its double-annotation item."""
    if question.state == QuestionState.SECOND_PASS:
        return question.annotator_id == user.pk and ReviewItem.objects.filter(
            question_id=question.second_pass_of_id, queue=ReviewQueue.DOUBLE, state=ReviewState.CLAIMED,
            claimed_by=user,
        ).exists()
    queue = HELD_BY_REVIEWER.get(question.state)
    return queue is not None and ReviewItem.objects.filter(
        question=question, queue=queue, state=ReviewState.CLAIMED, claimed_by=user
    ).exists()


def question_saved(*, question, user) -> None:
    """Saving is working on it: the reviewer's (or second annotator's) claim on its item does not expire meanwhile."""
    ReviewItem.objects.filter(question_id=question.second_pass_of_id or question.pk, state=ReviewState.CLAIMED,
                              claimed_by=user).update(claimed_at=timezone.now())


def question_submitted(*, question, outcome: str, user) -> None:
    """A mismatch waits in arbitration; a pooled question may be sampled for audit and double annotation."""
    if outcome == "arbitration":
        ReviewItem.objects.get_or_create(project_id=question.video.project_id, queue=ReviewQueue.ARBITRATION,
                                         question=question, state=ReviewState.OPEN)
    elif outcome == "pooled":
        sampling.sample_pooled(question=question)


def question_reopened(*, question, user) -> None:
    """A restored question is back at work: its open items are closed as restored."""
    ReviewItem.objects.filter(question=question, state__in=[ReviewState.OPEN, ReviewState.CLAIMED]).update(
        state=ReviewState.DONE, decision="restored", decided_by=user, decided_at=timezone.now(),
    )


def workspace_extras(*, question, request) -> dict:
    held = ReviewItem.objects.filter(question=question, state=ReviewState.CLAIMED, claimed_by=request.user,
                                     queue__in=(ReviewQueue.ARBITRATION, ReviewQueue.AUDIT)).first()
    return {
        "comments": CommentSerializer(comments.for_question(question=question).select_related("project"), many=True,
                                      context={"request": request}).data,
        "can_comment": comments.may_comment(user=request.user, question=question),
        # A reviewer fixing the question of an item they hold: the way back to decide it.
        **({"review_item_url": reverse("review-item", args=[held.pk])} if held is not None else {}),
    }


def event_accepted(*, event, user) -> None:
    """An accepted event may be sampled for audit, unless the accept is the fix of an audit the user holds."""
    auditing = ReviewItem.objects.filter(event=event, queue=ReviewQueue.AUDIT, state=ReviewState.CLAIMED,
                                         claimed_by=user).exists()
    if not auditing:
        sampling.sample_accepted_event(event=event)


def event_comments(*, event):
    return comments.for_event(event=event).filter(resolved_at__isnull=True)


def summary_sections(*, project: Project) -> list[dict]:
    """The review queues' open and claimed items (plugged into the project's summary)."""
    review = ReviewItem.objects.filter(project=project).exclude(state=ReviewState.DONE)
    return [{"key": "review", "title": "Review queues (open or claimed)",
             "states": state_counts(review, "queue", ReviewQueue.choices)}]


def plug_in() -> None:
    counting_hooks.hidden_questions.plug(double.hidden_questions)
    counting_hooks.held_by.plug(held_by)
    counting_hooks.history_start.plug(double.history_start)
    counting_hooks.submit_second_pass.plug(double.submit_second_pass)
    counting_hooks.question_saved.plug(question_saved)
    counting_hooks.question_submitted.plug(question_submitted)
    counting_hooks.question_reopened.plug(question_reopened)
    counting_hooks.workspace_extras.plug(workspace_extras)
    avst_hooks.event_accepted.plug(event_accepted)
    avst_hooks.event_comments.plug(event_comments)
    project_hooks.summary_sections.plug(summary_sections)
