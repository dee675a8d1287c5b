"""Writes for the annotation app. Views and serializers call these; business rules live here."""

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotation.models import (
    CandidateQuestion,
    Decision,
    Membership,
    Project,
    Question,
    Role,
    Source,
    Video,
    VideoStatus,
)


class StaleEdit(Exception):
    """The row changed since the client read it: the client must reload and re-apply its change."""

    def __init__(self, current):
        super().__init__(f"{type(current).__name__} {current.pk} is at version {current.version}")
        self.current = current


class DecisionError(Exception):
    """The change is not allowed in the row's current state (e.g. editing a candidate already decided)."""


def create_project(*, name: str, kind: str, description: str = "", manager=None) -> Project:
    with transaction.atomic():
        project = Project.objects.create(name=name, kind=kind, description=description)
        if manager is not None:
            Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    return project


def set_membership(*, project: Project, user, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


def create_question(*, annotator, **fields) -> Question:
    return Question.objects.create(annotator=annotator, **fields)


def update_question(*, question: Question, expected_version: int, changes: dict, user=None) -> Question:
    """Apply `changes` only if the row is still at `expected_version` and still being worked on (draft or
    answered); bump the version; record the change."""
    from annotation import audit
    from annotation.workspace import EDITABLE_STATES, NotEditable, doc_of

    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        if current.version != expected_version:
            raise StaleEdit(current)
        if current.state not in EDITABLE_STATES:
            raise NotEditable(f"the question is {current.get_state_display().lower()}; it can no longer be edited")
        before = doc_of(current)
        Question.objects.filter(pk=question.pk).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
        current = Question.objects.select_related("video").get(pk=question.pk)
        audit.record(project=current.video.project_id, actor=user, action="question.edit", target_type="question",
                     target_id=current.pk, before=before, after=doc_of(current))
    return current


# --- stage 1: candidate questions -----------------------------------------------------------------------------------


def _candidate_state(c: CandidateQuestion) -> dict:
    return {"text": c.text, "category": c.category, "modality": c.modality, "query_start": c.query_start,
            "query_end": c.query_end, "state": c.state, "reject_reason": c.reject_reason, "version": c.version}


def _log_candidate(action: str, before: dict | None, candidate: CandidateQuestion, user) -> None:
    from annotation import audit

    audit.record(project=candidate.video.project_id, actor=user, action=action, target_type="candidate",
                 target_id=candidate.pk, before=before, after=_candidate_state(candidate))


def _locked_candidate(candidate: CandidateQuestion, expected_version: int) -> CandidateQuestion:
    current = CandidateQuestion.objects.select_for_update().get(pk=candidate.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    return current


def _question_from(candidate: CandidateQuestion, user) -> Question:
    return Question.objects.create(
        video=candidate.video, candidate=candidate, text=candidate.text, category=candidate.category,
        modality=candidate.modality, annotator=user,
    )


def edit_candidate(*, candidate: CandidateQuestion, expected_version: int, changes: dict, user=None) -> CandidateQuestion:
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.PROPOSED:
            raise DecisionError(f"this candidate is already {current.get_state_display().lower()}; it cannot be edited")
        before = _candidate_state(current)
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1
        current.save()
        _log_candidate("candidate.edit", before, current, user)
    return current


def accept_candidate(*, candidate: CandidateQuestion, user, expected_version: int) -> CandidateQuestion:
    """The candidate becomes a Question in stage 2 (draft), linked to it."""
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.PROPOSED:
            raise DecisionError(f"this candidate is already {current.get_state_display().lower()}")
        before = _candidate_state(current)
        current.state = Decision.ACCEPTED
        current.decided_by = user
        current.decided_at = timezone.now()
        current.version += 1
        current.save()
        _question_from(current, user)
        _log_candidate("candidate.accept", before, current, user)
    return current


def reject_candidate(*, candidate: CandidateQuestion, user, expected_version: int, reason: str) -> CandidateQuestion:
    reason = reason.strip()
    if not reason:
        raise DecisionError("give a reason for the rejection")
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.PROPOSED:
            raise DecisionError(f"this candidate is already {current.get_state_display().lower()}")
        before = _candidate_state(current)
        current.state = Decision.REJECTED
        current.reject_reason = reason
        current.decided_by = user
        current.decided_at = timezone.now()
        current.version += 1
        current.save()
        _log_candidate("candidate.reject", before, current, user)
    return current


def add_question_by_hand(*, video: Video, user, **fields) -> CandidateQuestion:
    """A person's own question: recorded as an accepted human candidate, and a Question in stage 2."""
    with transaction.atomic():
        candidate = CandidateQuestion.objects.create(
            video=video, source=Source.HUMAN, state=Decision.ACCEPTED, created_by=user, decided_by=user,
            decided_at=timezone.now(), **fields,
        )
        _question_from(candidate, user)
        _log_candidate("candidate.add", None, candidate, user)
    return candidate


# --- videos -------------------------------------------------------------------------------------------------------

VIDEO_SUFFIXES = {".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".mpg", ".mpeg", ".ts", ".mts", ".wmv", ".flv"}
PROCESS_VIDEO = "media.process_video"


@dataclass(frozen=True)
class Ingested:
    video: Video
    created: bool  # False: the same content was already in the project
    job: object | None


def _copy_hashing(source, destination: Path) -> tuple[str, int]:
    """Copy a readable binary stream to destination (atomically) while hashing it; never the whole file in memory."""
    digest = hashlib.sha256()
    size = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                size += len(block)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def ingest_video(*, project: Project, source, filename: str, title: str = "", dispatch: bool = True,
                 into: Video | None = None, process: bool = True) -> Ingested:
    """Store a video file in the project (deduplicated by sha256) and queue its processing on the media queue.

    `source` is an open binary stream (an upload or a file on the server's disk); it is copied in chunks.
    `into`: a metadata-only row of the project (an imported video id) that gets the file, instead of a new row.
    `process` False stores the file without queueing its processing (e.g. a video that filtering removed).
    """
    from django.conf import settings

    from pipeline.services import enqueue_job

    suffix = Path(filename).suffix.lower() or ".bin"
    incoming = Path(settings.MEDIA_ROOT) / "videos" / "original" / str(project.pk) / f".{uuid.uuid4().hex}{suffix}"
    sha, size = _copy_hashing(source, incoming)
    existing = Video.objects.filter(project=project, sha256=sha).first()
    if existing is not None:
        incoming.unlink(missing_ok=True)
        return Ingested(existing, False, None)
    relative = Path("videos") / "original" / str(project.pk) / f"{sha}{suffix}"
    final = Path(settings.MEDIA_ROOT) / relative
    os.replace(incoming, final)
    job = None
    try:
        with transaction.atomic():
            if into is not None:
                video = Video.objects.select_for_update().get(pk=into.pk, project=project)
                video.file, video.sha256, video.size_bytes = str(relative), sha, size
                video.status = VideoStatus.UPLOADED if process else VideoStatus.METADATA
                video.save(update_fields=["file", "sha256", "size_bytes", "status", "updated_at"])
            else:
                video = Video.objects.create(
                    project=project,
                    title=(title or Path(filename).stem)[:255],
                    file=str(relative),
                    sha256=sha,
                    size_bytes=size,
                    status=VideoStatus.UPLOADED if process else VideoStatus.METADATA,
                )
            if process:
                job = enqueue_job(
                    kind=PROCESS_VIDEO, project=project, target=video, params={"video_id": video.pk}, dispatch=dispatch
                )
    except IntegrityError:
        # The same content arrived concurrently: keep the other row and its file (same name, same bytes).
        existing = Video.objects.filter(project=project, sha256=sha).first()
        if existing is None:
            raise
        return Ingested(existing, False, None)
    return Ingested(video, True, job)
