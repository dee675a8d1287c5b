"""What a review item's page shows beside its numbers: the media under review for its island (the question's
video with its reference interval and clues, or the R-AVST event's sampled frames with its boxes), read-only,
and what changed since the last decision on it, in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from annotation.avst import documents as event_documents
from annotation.avst.history import event_changes
from annotation.avst.models import Event
from annotation.counting.history import question_changes
from annotation.counting.models import Question
from annotation.counting.workspace import doc_of
from annotation.projects.audit import Change
from annotation.projects.models import AuditEntry
from annotation.review.models import ReviewItem
from pipeline.videos.serializers import VideoSerializer

#: What the island needs of a video: the player, the timeline and the exact frames.
VIDEO_FIELDS = ("id", "title", "duration", "fps", "frame_count", "width", "height", "has_audio", "proxy_url",
                "peaks_url", "spectrogram_url", "thumbnails_url", "thumbnails_index", "frame_url_template")

#: Who decided what, in the words of the page's "since" line.
DECISIONS = {
    "review.arbitration.keep": "kept in arbitration", "review.arbitration.send_back": "sent back in arbitration",
    "review.arbitration.reject": "rejected in arbitration", "review.audit.approve": "approved in audit",
    "review.audit.fix": "fixed in audit", "review.audit.send_back": "sent back in audit",
    "question.submit.arbitration": "submitted (to arbitration)", "question.submit.pooled": "submitted (to the pool)",
    "event.accept": "accepted",
}

#: Written into a decision's recorded state, never a part of the question or the event.
_NOT_THE_SUBJECT = ("review_comment", "agreement")


@dataclass(frozen=True)
class SinceDecision:
    """The last decision on a question or an event (None: none recorded) and the changes made after it."""

    entry: AuditEntry | None
    changes: list[Change]

    @property
    def what(self) -> str:
        return DECISIONS.get(self.entry.action, self.entry.action) if self.entry is not None else ""


def video_facts(video) -> dict:
    data = VideoSerializer(video).data
    return {key: data[key] for key in VIDEO_FIELDS}


def question_media(question: Question, *, blind: bool) -> dict:
    """The island's payload for a question: its video, reference interval, count and clues. `blind` (a
    double-annotation item) keeps the first pass's count, clusters and clues out: what its second annotator may
    see is the question, its type and its reference interval."""
    doc = doc_of(question)
    shown = {key: doc[key] for key in ("id", "text", "category", "modality", "ref_start", "ref_end", "state")}
    if blind:
        shown.update(drafted_answer=None, clusters=[], clues=[])
    else:
        shown.update(drafted_answer=doc["drafted_answer"], clusters=doc["clusters"], clues=doc["clues"])
    return {"kind": "question", "blind": blind, "question": shown, "video": video_facts(question.video)}


def event_media(event: Event) -> dict:
    """The island's payload for an R-AVST event: its sampled seconds (the frames the event review page shows)
    and its objects with their boxes on them."""
    doc = event_documents.doc_of(event)
    return {"kind": "event", "blind": False, "event": {key: doc[key] for key in ("id", "event", "seconds", "objects")},
            "video": doc["video"]}


def event_tally(media: dict) -> dict:
    """How many objects, boxes and sampled seconds an event's payload holds."""
    objects = media["event"]["objects"]
    return {"objects": len(objects), "boxes": sum(len(o["boxes"]) for o in objects),
            "seconds": len(media["event"]["seconds"])}


def _subject(state: dict | None) -> dict:
    return {key: value for key, value in (state or {}).items() if key not in _NOT_THE_SUBJECT}


def question_since_decision(question: Question) -> SinceDecision:
    """The changes to a question since the last reviewer's decision on it (a send-back, a keep...), or, when no
    reviewer decided on it yet, since its annotator submitted it."""
    entries = AuditEntry.objects.filter(target_type="question", target_id=question.pk).select_related("actor")
    entry = (entries.filter(Q(action__startswith="review.arbitration.") | Q(action__startswith="review.audit."))
             .order_by("-at", "-id").first()
             or entries.filter(action__startswith="question.submit.").order_by("-at", "-id").first())
    if entry is None:
        return SinceDecision(None, [])
    return SinceDecision(entry, question_changes(_subject(entry.after), doc_of(question)))


def event_since_accept(item: ReviewItem, event: Event) -> SinceDecision:
    """The changes to an audited event since the accept under audit (the last before the item was claimed, or
    the last one at all while nobody holds it)."""
    accepts = AuditEntry.objects.filter(target_type="event", target_id=event.pk, action="event.accept")
    if item.claimed_at is not None:
        accepts = accepts.filter(at__lt=item.claimed_at)
    entry = accepts.select_related("actor").order_by("-at", "-id").first()
    if entry is None:
        return SinceDecision(None, [])
    current = event_documents.doc_of(event)
    return SinceDecision(entry, event_changes(_subject(entry.after), {key: current[key] for key in ("state", "objects")}))
