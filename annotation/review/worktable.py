"""The manager's work table: the project's questions by state, stage, annotator, reviewer, video, category and
type, with comments or in arbitration, searched and sorted; and the bulk actions a manager takes on a selection
(reassign, return to its annotator, reject, reopen), each recorded in the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from annotation.counting.models import Question, QuestionState
from annotation.counting.workspace import doc_of
from annotation.projects import audit
from annotation.projects.errors import Invalid
from annotation.projects.models import Membership, Project, Role
from annotation.review.models import Comment, ReviewItem, ReviewQueue, ReviewState

#: Sort keys of the table (a leading "-" sorts descending) and the columns they sort by.
SORTS = {"id": "id", "updated": "updated_at", "state": "state", "annotator": "annotator__username",
         "video": "video__title", "category": "category", "count": "drafted_answer"}
#: Stage -> the states of a question in it.
STAGES = {"2": [QuestionState.DRAFT], "3": [QuestionState.ANSWERED],
          "review": [QuestionState.ARBITRATION, QuestionState.POOLED], "out": [QuestionState.REJECTED]}
ACTIONS = ("reassign", "return", "reject", "reopen")
BULK_MAX = 500


@dataclass
class Filters:
    state: str = ""
    stage: str = ""
    annotator: str = ""  # a user id, or "none"
    reviewer: str = ""  # a user id
    video: str = ""
    category: str = ""
    modality: str = ""
    has_comments: bool = False
    in_arbitration: bool = False
    search: str = ""
    sort: str = "-updated"
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query) -> "Filters":
        """The filters of a page's or an endpoint's query string; a value that makes no sense is an error."""
        chosen = cls(**{name: query.get(name, "").strip() for name in (
            "state", "stage", "annotator", "reviewer", "video", "category", "modality", "search")})
        chosen.sort = query.get("sort", "-updated") or "-updated"
        chosen.has_comments = query.get("has_comments") in ("1", "true", "on")
        chosen.in_arbitration = query.get("in_arbitration") in ("1", "true", "on")
        if chosen.state and chosen.state not in QuestionState.values:
            chosen.errors["state"] = f"one of {', '.join(QuestionState.values)}"
        if chosen.stage and chosen.stage not in STAGES:
            chosen.errors["stage"] = f"one of {', '.join(STAGES)}"
        for name in ("reviewer", "video"):
            if getattr(chosen, name) and not getattr(chosen, name).isdigit():
                chosen.errors[name] = "an id"
        if chosen.annotator and not (chosen.annotator.isdigit() or chosen.annotator == "none"):
            chosen.errors["annotator"] = 'a user id, or "none"'
        if chosen.sort.lstrip("-") not in SORTS:
            chosen.errors["sort"] = f"one of {', '.join(SORTS)} (with - to reverse)"
        return chosen


def questions(*, project: Project, filters: Filters) -> QuerySet[Question]:
    """The project's questions (second passes aside) that pass the filters, with their comment count."""
    if filters.errors:
        raise Invalid(filters.errors)
    rows = (Question.objects.filter(video__project=project).exclude(state=QuestionState.SECOND_PASS)
            .select_related("video", "annotator", "claimed_by")
            .annotate(n_comments=Count("comments", distinct=True)))
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.stage:
        rows = rows.filter(state__in=STAGES[filters.stage])
    if filters.annotator == "none":
        rows = rows.filter(annotator__isnull=True)
    elif filters.annotator:
        rows = rows.filter(annotator_id=int(filters.annotator))
    if filters.reviewer:
        handled = ReviewItem.objects.filter(question=OuterRef("pk")).filter(
            Q(decided_by_id=int(filters.reviewer)) | Q(claimed_by_id=int(filters.reviewer)))
        rows = rows.filter(Exists(handled))
    for name in ("category", "modality"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    if filters.video:
        rows = rows.filter(video_id=int(filters.video))
    if filters.has_comments:
        rows = rows.filter(Exists(Comment.objects.filter(question=OuterRef("pk"))))
    if filters.in_arbitration:
        rows = rows.filter(state=QuestionState.ARBITRATION)
    if filters.search:
        rows = rows.filter(Q(text__icontains=filters.search) | Q(video__title__icontains=filters.search))
    descending, key = filters.sort.startswith("-"), SORTS[filters.sort.lstrip("-")]
    return rows.order_by(f"-{key}" if descending else key, "-id" if descending else "id")


def people(*, project: Project) -> tuple[QuerySet, QuerySet]:
    """The project's annotators (anyone who may annotate) and its reviewers, for the filters and reassigning."""
    members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
    return members, members.filter(role__in=[Role.REVIEWER, Role.MANAGER])


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def bulk(*, project: Project, ids: list[int], action: str, user, annotator_id: int | None = None,
         reason: str = "") -> BulkResult:
    """Apply one action to the chosen questions of the project, each in its own transaction and in the log; a
    question the action does not fit is skipped, with why."""
    if action not in ACTIONS:
        raise Invalid({"action": f"one of {', '.join(ACTIONS)}"})
    if not ids or len(ids) > BULK_MAX:
        raise Invalid({"ids": f"choose from 1 to {BULK_MAX} questions"})
    reason = reason.strip()
    if action == "reject" and not reason:
        raise Invalid({"reason": "say why the questions are rejected"})
    assignee = None
    if action == "reassign":
        assignee = get_user_model().objects.filter(
            pk=annotator_id, memberships__project=project, is_active=True).first() if annotator_id else None
        if assignee is None:
            raise Invalid({"annotator": "choose a member of the project"})
    result = BulkResult()
    for pk in sorted(set(ids)):
        with transaction.atomic():
            question = (Question.objects.select_for_update(of=("self",)).select_related("video")
                        .filter(pk=pk, video__project=project).exclude(state=QuestionState.SECOND_PASS).first())
            if question is None:
                result.skipped.append((pk, "not a question of this project"))
                continue
            why = _apply(question, action, user=user, assignee=assignee, reason=reason)
            if why:
                result.skipped.append((pk, why))
            else:
                result.done.append(pk)
    return result


def _apply(question: Question, action: str, *, user, assignee, reason: str) -> str:
    """Change one locked question; the reason it cannot be changed, or "" when it was."""
    before = doc_of(question)
    working = (QuestionState.DRAFT, QuestionState.ANSWERED)
    if action == "reassign":
        if question.state not in working:
            return f"{question.get_state_display().lower()}: only a question being worked on is reassigned"
        question.annotator = assignee
        question.claimed_by = question.claimed_at = None
    elif action in ("return", "reopen"):
        allowed = (QuestionState.REJECTED,) if action == "reopen" else (
            QuestionState.ARBITRATION, QuestionState.POOLED, QuestionState.REJECTED)
        if question.state not in allowed:
            return f"{question.get_state_display().lower()}: nothing to {action}"
        answered = question.drafted_answer is not None and question.ref_start is not None
        question.state = QuestionState.ANSWERED if answered else QuestionState.DRAFT
        question.final_start = question.final_end = None
        question.claimed_by = question.claimed_at = None
        _close_items(question, user=user, decision=f"{action}ed" if action == "reopen" else "returned")
    elif action == "reject":
        if question.state == QuestionState.REJECTED:
            return "rejected already"
        question.state = QuestionState.REJECTED
        question.final_start = question.final_end = None
        question.claimed_by = question.claimed_at = None
        _close_items(question, user=user, decision="rejected", comment=reason)
    question.version += 1
    question.save()
    after = {**doc_of(question), **({"annotator": assignee.get_username()} if assignee else {}),
             **({"review_comment": reason} if reason else {})}
    audit.record(project=question.video.project_id, actor=user, action=f"question.{action}", target_type="question",
                 target_id=question.pk, before=before, after=after)
    return ""


def _close_items(question: Question, *, user, decision: str, comment: str = "") -> None:
    ReviewItem.objects.filter(question=question, state__in=[ReviewState.OPEN, ReviewState.CLAIMED]).exclude(
        queue=ReviewQueue.DOUBLE).update(state=ReviewState.DONE, decision=decision, comment=comment, decided_by=user,
                                         decided_at=timezone.now())
