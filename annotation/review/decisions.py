"""Quality-control queues: items handed out with SELECT ... FOR UPDATE SKIP LOCKED so two reviewers never get
the same one, claims that expire, no one reviewing their own work, and the decisions on arbitration and audit
items. Double-annotation items are closed by submitting the second pass (annotation.review.double)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from annotation.avst import documents as event_documents
from annotation.avst.models import Event, QAPair
from annotation.counting.models import Question, QuestionState
from annotation.counting.workspace import clue_count, doc_of, final_interval
from annotation.projects import audit
from annotation.projects.errors import Invalid, NotAllowed, NotEditable
from annotation.projects.models import AuditEntry, Decision, Project
from annotation.review import comments, sampling
from annotation.review.double import start_second_pass
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from benchmark.metrics.agreement import box_agreement

CLAIM_TTL = timedelta(minutes=settings.CLUEBENCH_CLAIM_MINUTES)


class ReviewError(NotEditable):
    """The decision is not possible as things stand; the message says why."""


def claim_next(*, project: Project, queue: str, user) -> ReviewItem | None:
    """The oldest open item of the queue that is not the user's own work; a claim older than CLAIM_TTL is free.

    Audit and double-annotation items are handed out only while their question is in the pool. A user who
    holds a second pass of a question does not audit it, and a user who handled any other item of a question
    (saw its count and clues) does not annotate it a second time. Claiming a double-annotation item gives the
    claimer their blind second pass of the question (annotation.double)."""
    stale = timezone.now() - CLAIM_TTL
    with transaction.atomic():
        mine = ReviewItem.objects.filter(project=project, queue=queue, state=ReviewState.CLAIMED, claimed_by=user).first()
        if mine is not None:
            return mine
        items = (
            ReviewItem.objects.filter(project=project, queue=queue)
            .filter(Q(state=ReviewState.OPEN) | Q(state=ReviewState.CLAIMED, claimed_at__lt=stale))
            .exclude(question__annotator=user)
            .exclude(event__reviewed_by=user)
        )
        others = ReviewItem.objects.filter(question_id=OuterRef("question_id")).exclude(pk=OuterRef("pk"))
        if queue in (ReviewQueue.AUDIT, ReviewQueue.DOUBLE):
            items = items.filter(Q(question__isnull=True) | Q(question__state=QuestionState.POOLED))
        if queue == ReviewQueue.AUDIT:
            items = items.exclude(Exists(others.filter(queue=ReviewQueue.DOUBLE, state=ReviewState.CLAIMED,
                                                       claimed_by=user)))
        if queue == ReviewQueue.DOUBLE:
            items = items.exclude(Exists(others.filter(Q(claimed_by=user) | Q(decided_by=user))))
            items = items.filter(question__video__status="ready")
        item = items.order_by("created_at", "id").select_for_update(skip_locked=True, of=("self",)).first()
        if item is None:
            return None
        item.state = ReviewState.CLAIMED
        item.claimed_by = user
        item.claimed_at = timezone.now()
        item.save(update_fields=["state", "claimed_by", "claimed_at"])
        if queue == ReviewQueue.DOUBLE and item.question_id is not None:

            start_second_pass(item=item, user=user)
        return item


ARBITRATION_DECISIONS = ("keep", "send_back", "reject")


def _claimed_for_decision(item: ReviewItem, *, user, queue: str, subject: str, what: str) -> ReviewItem:
    """The item, locked, once it is known to be an open `queue` item of a `subject` ("question_id", "event_id")
    that the user holds. Call inside the decision's transaction."""
    item = ReviewItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.queue != queue or getattr(item, subject) is None:
        raise ReviewError(f"this is a {item.get_queue_display().lower()} item, not {what}")
    if item.state == ReviewState.DONE:
        raise ReviewError("this item is already decided")
    if item.claimed_by_id != user.pk or item.state != ReviewState.CLAIMED:
        raise ReviewError("claim the item before deciding it")
    return item


def _close(item: ReviewItem, *, user, decision: str, comment: str) -> None:
    item.state = ReviewState.DONE
    item.decision = decision
    item.comment = comment.strip()
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save()


def decide_arbitration(*, item: ReviewItem, user, decision: str, comment: str = "",
                       comment_time: float | None = None) -> ReviewItem:
    """keep: the (fixed) clues match the count, the question enters the pool; send_back: back to its annotator
    with the comment; reject: out, with the comment as the reason. The reason of a send-back or a rejection
    reaches the annotator as a comment in the workspace (at `comment_time` seconds, if given)."""

    if decision not in ARBITRATION_DECISIONS:
        raise Invalid({"decision": f"decide one of {', '.join(ARBITRATION_DECISIONS)}"})
    if decision in ("send_back", "reject") and not comment.strip():
        raise Invalid({"comment": "say why in the comment"})
    with transaction.atomic():
        item = _claimed_for_decision(item, user=user, queue=ReviewQueue.ARBITRATION, subject="question_id",
                                     what="an arbitration one")
        question = Question.objects.select_for_update().get(pk=item.question_id)
        if question.annotator_id == user.pk:
            raise NotAllowed("you cannot review your own work")
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
            # A reviewer who fixed it in the workspace holds its claim: the annotator must be able to work on it.
            question.claimed_by = question.claimed_at = None
        else:
            question.state = QuestionState.REJECTED
        if question.claimed_by_id == user.pk:
            question.claimed_by = question.claimed_at = None  # the item is decided: the reviewer holds it no more
        question.version += 1
        question.save()
        _close(item, user=user, decision=decision, comment=comment)
        if decision in ("send_back", "reject"):
            comments.add_review_comment(item=item, user=user, text=comment, time=comment_time)
        audit.record(project=item.project_id, actor=user, action=f"review.arbitration.{decision}",
                     target_type="question", target_id=question.pk, before=before,
                     after={**doc_of(question), "review_comment": item.comment})
        if decision == "keep":
            sampling.sample_pooled(question=question)
    return item


AUDIT_DECISIONS = ("approve", "fix", "send_back")


def decide_audit(*, item: ReviewItem, user, decision: str, comment: str = "",
                 comment_time: float | None = None) -> ReviewItem:
    """approve: the pooled question is right as it is; fix: the reviewer has corrected its count or clues in the
    workspace (the question must still match, and stays in the pool); send_back: out of the pool, back to its
    annotator with the comment, which they also see in the workspace (at `comment_time` seconds, if given)."""

    if decision not in AUDIT_DECISIONS:
        raise Invalid({"decision": f"decide one of {', '.join(AUDIT_DECISIONS)}"})
    if decision == "send_back" and not comment.strip():
        raise Invalid({"comment": "say why in the comment"})
    with transaction.atomic():
        item = _claimed_for_decision(item, user=user, queue=ReviewQueue.AUDIT, subject="question_id",
                                     what="an audit item of a question")
        question = Question.objects.select_for_update().select_related("video").get(pk=item.question_id)
        if question.annotator_id == user.pk:
            raise NotAllowed("you cannot review your own work")
        if question.state != QuestionState.POOLED:
            raise ReviewError(f"the question is no longer in the pool ({question.get_state_display().lower()})")
        before = doc_of(question)
        if decision == "fix":
            edited = AuditEntry.objects.filter(target_type="question", target_id=question.pk, actor=user,
                                               action="question.save", at__gte=item.claimed_at).exists()
            if not edited:
                raise ReviewError("nothing was changed: fix the count or the clues in the workspace first, or "
                                  "approve the question as it is")
            clues = list(question.clues.all())
            count = clue_count(question, clues)
            if count != question.drafted_answer:
                raise ReviewError(f"{count} clue(s) for a count of {question.drafted_answer}: the fixed question "
                                  "must have one clue per counted instance")
            question.final_start, question.final_end = final_interval(question, clues)
        elif decision == "send_back":
            question.state = QuestionState.ANSWERED
            question.final_start = question.final_end = None
            question.claimed_by = question.claimed_at = None
            comments.add_review_comment(item=item, user=user, text=comment, time=comment_time)
        if decision != "approve":
            question.version += 1
        released = question.claimed_by_id == user.pk
        if released:
            question.claimed_by = question.claimed_at = None  # the item is decided: the reviewer holds it no more
        if decision != "approve" or released:
            question.save()
        _close(item, user=user, decision=decision, comment=comment)
        audit.record(project=item.project_id, actor=user, action=f"review.audit.{decision}",
                     target_type="question", target_id=question.pk, before=before,
                     after={**doc_of(question), "review_comment": item.comment})
    return item


def decide_event_audit(*, item: ReviewItem, user, decision: str, comment: str = "",
                       comment_time: float | None = None) -> ReviewItem:
    """R-AVST: approve an accepted event's objects and boxes as they are; fix: the auditor has corrected them on the
    event review page and accepted the event again; send_back: back under review (its QA pairs go) with the
    comment on the event. The item records how far the audit's version agrees with the accepted one."""

    if decision not in AUDIT_DECISIONS:
        raise Invalid({"decision": f"decide one of {', '.join(AUDIT_DECISIONS)}"})
    if decision == "send_back" and not comment.strip():
        raise Invalid({"comment": "say why in the comment"})
    with transaction.atomic():
        item = _claimed_for_decision(item, user=user, queue=ReviewQueue.AUDIT, subject="event_id",
                                     what="an audit item of an event")
        event = Event.objects.select_for_update(of=("self",)).get(pk=item.event_id)
        # What the reviewer accepted: the last accept before the audit began.
        accepted = AuditEntry.objects.filter(target_type="event", target_id=event.pk, action="event.accept",
                                             at__lt=item.claimed_at).order_by("-at", "-id").first()
        if accepted is not None and accepted.actor_id == user.pk:
            raise NotAllowed("you cannot audit an event you accepted yourself")
        event = event_documents.event_queryset().get(pk=event.pk)
        current = event_documents.doc_of(event)
        if decision == "fix":
            refixed = AuditEntry.objects.filter(target_type="event", target_id=event.pk, actor=user,
                                                action="event.accept", at__gte=item.claimed_at).exists()
            if not refixed or event.state != Decision.ACCEPTED:
                raise ReviewError("correct the objects or boxes on the event review page and accept the event "
                                  "there first, or approve it as it is")
        elif decision == "approve" and event.state != Decision.ACCEPTED:
            raise ReviewError("the event is no longer accepted: accept it on its review page, or send it back")
        if decision == "send_back":
            Event.objects.filter(pk=event.pk).update(state=Decision.PROPOSED, version=event.version + 1)
            QAPair.objects.filter(event=event).delete()
            comments.add_review_comment(item=item, user=user, text=comment, time=comment_time)
        if accepted is not None:
            item.result = box_agreement(event_documents.review_view(accepted.after), event_documents.review_view(current))
        _close(item, user=user, decision=decision, comment=comment)
        audit.record(project=item.project_id, actor=user, action=f"review.audit.{decision}", target_type="event",
                     target_id=event.pk, before={"state": event.state}, after={
                         "state": Decision.PROPOSED if decision == "send_back" else event.state,
                         "review_comment": item.comment, "agreement": item.result})
    return item


def decide(*, item: ReviewItem, user, decision: str, comment: str = "",
           comment_time: float | None = None) -> ReviewItem:
    """The decision on an arbitration or audit item of a question, or an audit item of an R-AVST event."""
    if item.event_id is not None and item.queue == ReviewQueue.AUDIT:
        return decide_event_audit(item=item, user=user, decision=decision, comment=comment,
                                  comment_time=comment_time)
    if item.question_id is not None and item.queue == ReviewQueue.ARBITRATION:
        return decide_arbitration(item=item, user=user, decision=decision, comment=comment,
                                  comment_time=comment_time)
    if item.question_id is not None and item.queue == ReviewQueue.AUDIT:
        return decide_audit(item=item, user=user, decision=decision, comment=comment, comment_time=comment_time)
    raise ReviewError(f"{item.get_queue_display().lower()} items are not decided here")
