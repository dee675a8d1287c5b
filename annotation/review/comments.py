"""Comments on a question (or an R-AVST event), anchored to a time or a frame of its video, shown to the annotator
in the workspace: who may write and resolve them, what a valid anchor is, and the review decisions' reasons.

Who may read is who may view the question's project. Who may write: reviewers and managers, and the question's
annotator (to answer). Who may resolve: the comment's author, the question's annotator, reviewers and managers.
"""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone

from annotation.avst.models import Event
from annotation.counting.models import Question
from annotation.projects import audit, selectors
from annotation.projects.errors import Invalid, NotAllowed, NotEditable
from annotation.projects.permissions import Capability, role_allows
from annotation.review.models import Comment, ReviewItem


class CommentError(Invalid):
    """The comment is not valid; `field` names what is wrong ("text", "time", "frame_index", "subject")."""

    def __init__(self, field: str, message: str):
        super().__init__({field: message}, message=message)
        self.field = field


def may_comment(*, user, question: Question | None = None, event: Event | None = None) -> bool:
    subject = question if question is not None else event
    project = subject.video.project
    if selectors.can(user=user, project=project, capability=Capability.REVIEW):
        return True
    annotator = question.annotator_id if question is not None else None
    return annotator is not None and annotator == user.pk and selectors.can(
        user=user, project=project, capability=Capability.ANNOTATE
    )


def may_resolve(*, user, comment: Comment) -> bool:
    return resolvable(user=user, comment=comment, role=selectors.role_of(user=user, project=comment.project))


def resolvable(*, user, comment: Comment, role: str | None) -> bool:
    """may_resolve with the user's role in the comment's project already known (one lookup for a whole list)."""
    if not role_allows(role, Capability.VIEW):
        return False
    if comment.author_id == user.pk or role_allows(role, Capability.REVIEW):
        return True
    return comment.question is not None and comment.question.annotator_id == user.pk


def state_of(comment: Comment) -> dict:
    return {
        "question": comment.question_id, "event": comment.event_id, "review_item": comment.review_item_id,
        "text": comment.text, "time": comment.time, "frame_index": comment.frame_index,
        "resolved_by": comment.resolved_by_id,
        "resolved_at": comment.resolved_at.isoformat() if comment.resolved_at else None,
    }


def _checked_anchor(*, video, time, frame_index) -> tuple[float | None, int | None]:
    if time is not None:
        if isinstance(time, bool) or not isinstance(time, (int, float)) or not math.isfinite(time):
            raise CommentError("time", "the time must be a number of seconds")
        if time < 0:
            raise CommentError("time", "the time cannot be negative")
        if video.duration and time > video.duration + 1e-6:
            raise CommentError("time", f"{time:.3f} s is after the end of the video ({video.duration:.3f} s)")
        time = float(time)
    if frame_index is not None:
        if isinstance(frame_index, bool) or not isinstance(frame_index, int) or frame_index < 0:
            raise CommentError("frame_index", "the frame must be a whole number from 0")
        if video.frame_count is not None and frame_index >= video.frame_count:
            raise CommentError("frame_index",
                               f"frame {frame_index} does not exist (the video has {video.frame_count} frames)")
    return time, frame_index


def parse_seconds(text: str) -> float | None:
    """A time typed in a form: empty for none."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise CommentError("time", f"{text!r} is not a number of seconds")


def add_comment(*, user, text: str, question: Question | None = None, event: Event | None = None,
                time: float | None = None, frame_index: int | None = None,
                review_item: ReviewItem | None = None) -> Comment:
    """A comment on exactly one of `question` or `event`, optionally at a time (seconds on the proxy) and/or a
    frame (proxy frame index) of its video; recorded in the audit log."""
    if (question is None) == (event is None):
        raise CommentError("subject", "a comment is on one question or one event")
    if not may_comment(user=user, question=question, event=event):
        raise NotAllowed("only reviewers and the question's annotator may comment")
    text = (text or "").strip()
    if not text:
        raise CommentError("text", "write the comment")
    subject = question if question is not None else event
    time, frame_index = _checked_anchor(video=subject.video, time=time, frame_index=frame_index)
    with transaction.atomic():
        comment = Comment.objects.create(
            project=subject.video.project, question=question, event=event, review_item=review_item, author=user,
            text=text, time=time, frame_index=frame_index,
        )
        audit.record(project=comment.project_id, actor=user, action="comment.add", target_type="comment",
                     target_id=comment.pk, before=None, after=state_of(comment))
    return comment


def resolve_comment(*, comment: Comment, user) -> Comment:
    """Marks the comment dealt with; a comment is resolved once."""
    if not may_resolve(user=user, comment=comment):
        raise NotAllowed("only the author, the question's annotator or a reviewer may resolve a comment")
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.resolved_at is not None:
            raise NotEditable("this comment is already resolved")
        before = state_of(current)
        current.resolved_by = user
        current.resolved_at = timezone.now()
        current.save(update_fields=["resolved_by", "resolved_at"])
        audit.record(project=current.project_id, actor=user, action="comment.resolve", target_type="comment",
                     target_id=current.pk, before=before, after=state_of(current))
    return current


def add_review_comment(*, item: ReviewItem, user, text: str, time: float | None = None,
                       frame_index: int | None = None) -> Comment:
    """The reason of a review decision (e.g. an arbitration or audit "send back") as a comment on the item's
    question or event, so the annotator reads it in the workspace. Call it inside the decision's transaction."""
    return add_comment(user=user, text=text, question=item.question, event=item.event, time=time,
                       frame_index=frame_index, review_item=item)


def for_event(*, event):
    return Comment.objects.filter(event=event).select_related("author", "resolved_by", "review_item")


def for_question(*, question: Question):
    return Comment.objects.filter(question=question).select_related("author", "resolved_by", "review_item")
