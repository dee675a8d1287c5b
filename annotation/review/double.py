"""Double annotation: a blind second clue pass of a pooled question by another annotator, and the agreement of
the pair.

Claiming a double-annotation item (``review.claim_next`` on the ``double`` queue) gives the claimer a second-pass
question of their own, made once per first pass. What they see of the first pass: its text, category, type
(modality), video and drafted reference interval. What they do not see: its count, its clues, its cluster
names (their number is the count of an attribute question) and its final interval. They draft their own
count, name their own clusters and mark one clue per counted instance in the workspace; submitting it scores
the second pass against the first with the metric code the models are scored with
(``benchmark.metrics.agreement``), stores the row in the item's ``result`` and closes the item.

Blindness, as ``hidden_questions`` says it: the first pass's annotator never sees a second pass of it; a
second pass is seen only by its annotator and by the project's reviewers and managers; while a user holds a
double-annotation item, its first pass is hidden from them. A claim that expires and is taken by someone else
gives the second pass to the new claimer, emptied: they start blind too.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from annotation.counting.clues import clue_list
from annotation.counting.models import ProposalSource, Question, QuestionState
from annotation.counting.proposals import KIND_CLICK
from annotation.counting.workspace import clue_count, doc_of
from annotation.projects import audit, selectors
from annotation.projects.errors import Invalid, NotEditable
from annotation.projects.models import AuditEntry, Decision
from annotation.projects.permissions import Capability
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from benchmark.metrics import agreement
from pipeline.jobs.models import Job


def hidden_questions(*, user) -> Q:
    """A filter of the questions the user must not see: second passes of their own questions, second passes of
    others where they are not a reviewer, and the first pass of a double-annotation item they hold."""

    reviewed = selectors.projects_for(user=user, capability=Capability.REVIEW)
    held = ReviewItem.objects.filter(queue=ReviewQueue.DOUBLE, state=ReviewState.CLAIMED, claimed_by=user)
    second_pass = Q(state=QuestionState.SECOND_PASS)
    return (
        (second_pass & Q(second_pass_of__annotator=user))
        | (second_pass & ~Q(annotator=user) & ~Q(video__project__in=reviewed))
        | Q(pk__in=held.values("question_id"))
    )


def blind_in(*, project, user) -> bool:
    """Whether the user is in the middle of a blind second pass in the project (holds a double-annotation item:
    its second pass is not submitted yet): then the project's released truth is not for their eyes."""
    held = ReviewItem.objects.filter(project=project, queue=ReviewQueue.DOUBLE, state=ReviewState.CLAIMED,
                                     claimed_by=user)
    return held.exists()


def history_start(*, question: Question, user):
    """For the current annotator of a second pass that someone else started: the time from which its history is
    theirs (what their predecessor counted would unblind them); None when the whole history may be shown."""

    if question.state != QuestionState.SECOND_PASS or question.annotator_id != user.pk:
        return None
    restart = AuditEntry.objects.filter(target_type="question", target_id=question.pk, action="double.restart",
                                        actor=user).order_by("-at", "-id").first()
    return restart.at if restart is not None else None


def second_pass_of(item: ReviewItem) -> Question | None:
    return Question.objects.filter(second_pass_of_id=item.question_id).first()


def start_second_pass(*, item: ReviewItem, user) -> Question:
    """The claimer's second pass of the item's question, made on the first claim. Runs inside claim_next's
    transaction, with the item locked and claimed by `user`."""

    first = Question.objects.select_related("video").get(pk=item.question_id)
    second = Question.objects.select_for_update().filter(second_pass_of=first).first()
    if second is None:
        second = Question.objects.create(
            video=first.video, text=first.text, category=first.category, modality=first.modality,
            ref_start=first.ref_start, ref_end=first.ref_end, state=QuestionState.SECOND_PASS,
            second_pass_of=first, annotator=user, claimed_by=user, claimed_at=timezone.now(),
        )
        audit.record(project=first.video.project_id, actor=user, action="double.start", target_type="question",
                     target_id=second.pk, before=None, after=doc_of(second))
    elif second.annotator_id != user.pk:
        # The previous claimer left it: the new one starts blind, without their predecessor's count and clues.
        before = doc_of(second)
        second.clues.all().delete()
        # Nor their proposals' decisions, nor the boxes of their clicks (each one of their clues).
        second.proposals.exclude(source=ProposalSource.DETECTOR).delete()
        second.proposals.exclude(state=Decision.PROPOSED).update(state=Decision.PROPOSED, decided_by=None,
                                                                 decided_at=None)
        # Their click jobs too: a job's point and box are one of their clues (a running one then writes nothing).
        Job.objects.filter(kind=KIND_CLICK, target_type=ContentType.objects.get_for_model(Question),
                           target_id=second.pk).delete()
        second.drafted_answer = None
        second.clusters = []
        second.annotator = second.claimed_by = user
        second.claimed_at = timezone.now()
        second.version += 1
        second.save()
        audit.record(project=first.video.project_id, actor=user, action="double.restart", target_type="question",
                     target_id=second.pk, before=before, after=doc_of(second))
    return second


def agreement_row(*, first: Question, second: Question) -> dict:
    """The agreement of a pair, with the first pass as the truth: the flat row of
    ``benchmark.metrics.agreement.question_agreement`` plus the two counts and who made them."""

    row = agreement.question_agreement(
        first.category, first.drafted_answer, clue_list(first), second.drafted_answer, clue_list(second),
        fps=first.video.fps,
    )
    row = {key: float(value) if isinstance(value, float) else value for key, value in row.items()}
    return {
        **row, "category": first.category, "first_count": first.drafted_answer, "second_count": second.drafted_answer,
        "first_annotator": first.annotator_id, "second_annotator": second.annotator_id, "second_pass": second.pk,
    }


def submit_second_pass(*, question: Question, user) -> tuple[Question, str, str]:
    """Close a second pass: the agreement with the first pass goes into the item's result. `current` is the
    second pass, locked by the caller (annotation.counting.workspace.submit, through its hook)."""
    current = question

    item = (
        ReviewItem.objects.select_for_update(of=("self",))
        .filter(queue=ReviewQueue.DOUBLE, question_id=current.second_pass_of_id, state=ReviewState.CLAIMED,
                claimed_by=user)
        .first()
    )
    if item is None or current.annotator_id != user.pk:
        raise NotEditable("this second pass is not yours to submit (its double-annotation item is not held by you)")
    if current.drafted_answer is None:
        raise Invalid({"drafted_answer": "draft your count before submitting"})
    clues = list(current.clues.all())
    count = clue_count(current, clues)
    if count != current.drafted_answer:
        raise Invalid({"clues": f"{count} clue(s) for a count of {current.drafted_answer}: mark one clue per "
                                   "counted instance before submitting a second pass"})
    first = Question.objects.select_related("video").prefetch_related("clues").get(pk=current.second_pass_of_id)
    before = doc_of(current)
    row = agreement_row(first=first, second=current)
    item.state = ReviewState.DONE
    item.decision = "agreement"
    item.decided_by = user
    item.decided_at = timezone.now()
    item.result = row
    item.save()
    current.version += 1
    current.claimed_by = current.claimed_at = None
    current.save()
    audit.record(project=first.video.project_id, actor=user, action="double.submit", target_type="question",
                 target_id=current.pk, before=before, after={**doc_of(current), "agreement": row})
    return current, "agreement", "Second pass recorded; it is compared with the first pass for the agreement score."
