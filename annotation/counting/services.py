"""Writes of CG-AV-Counting outside the workspace document: stage 1 candidates (edit, accept, reject, add by hand),
questions made through the API, and starting stage 1's LLM. Views and serializers call these."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from annotation.counting.models import CandidateQuestion, Question
from annotation.counting.workspace import EDITABLE_STATES, doc_of
from annotation.projects import audit
from annotation.projects.errors import Invalid, NotEditable, Stale
from annotation.projects.models import Decision, Project, Source
from pipeline.jobs.models import Job
from pipeline.jobs.services import start_per_video
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.selectors import chosen_videos

PROPOSE_QUESTIONS = "llm.propose_questions"


def create_question(*, annotator, **fields) -> Question:
    return Question.objects.create(annotator=annotator, **fields)


def update_question(*, question: Question, expected_version: int, changes: dict, user=None) -> Question:
    """Apply `changes` only if the row is still at `expected_version` and still being worked on (draft or
    answered); bump the version; record the change."""
    with transaction.atomic():
        current = Question.objects.select_for_update().get(pk=question.pk)
        if current.version != expected_version:
            raise Stale(current, what="question")
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
    audit.record(project=candidate.video.project_id, actor=user, action=action, target_type="candidate",
                 target_id=candidate.pk, before=before, after=_candidate_state(candidate))


def _locked_candidate(candidate: CandidateQuestion, expected_version: int) -> CandidateQuestion:
    current = CandidateQuestion.objects.select_for_update().get(pk=candidate.pk)
    if current.version != expected_version:
        raise Stale(current, what="candidate")
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
            raise NotEditable(f"this candidate is already {current.get_state_display().lower()}; it cannot be edited")
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
            raise NotEditable(f"this candidate is already {current.get_state_display().lower()}")
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
        raise Invalid({"reason": "give a reason for the rejection"})
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.PROPOSED:
            raise NotEditable(f"this candidate is already {current.get_state_display().lower()}")
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


@transaction.atomic
def start_stage1(*, project: Project, video_ids: list[int] | None = None, dispatch: bool = True) -> tuple[list[Job], list[str]]:
    """Queue stage 1 for the project's ready videos (or the chosen ones): one job per video."""
    def ready(video):
        if video.status != VideoStatus.READY:
            return f"not processed yet ({video.get_status_display().lower()})"
        return ""

    return start_per_video(kind=PROPOSE_QUESTIONS, stage="stage 1", project=project,
                            videos=chosen_videos(project=project, video_ids=video_ids), dispatch=dispatch, ready=ready)
