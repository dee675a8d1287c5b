"""Writes of CG-AV-Counting outside the workspace document: stage 1 candidates (edit, accept, reject, add by hand),
questions made through the API, and starting stage 1's LLM. Views and serializers call these."""

from django.db import transaction
from django.utils import timezone

from annotation.counting.models import CandidateQuestion, Question, QuestionState
from annotation.counting import workspace
from annotation.counting.workspace import doc_of
from annotation.projects import audit
from annotation.projects.errors import Invalid, NotEditable, Stale
from annotation.projects.models import Decision, Project, Source
from pipeline.jobs.models import Job
from pipeline.jobs.services import start_per_video
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.selectors import chosen_videos

PROPOSE_QUESTIONS = "llm.propose_questions"


def create_question(*, annotator, video: Video, **fields) -> Question:
    """A question made through the API, checked by the workspace's rules like every other write."""
    doc = {"text": fields.get("text"), "category": fields.get("category"), "modality": fields.get("modality"),
           "drafted_answer": fields.get("drafted_answer"), "ref_start": fields.get("ref_start"),
           "ref_end": fields.get("ref_end"), "clusters": [], "clues": []}
    checked, _ = workspace.validate_doc(doc, video=video)
    with transaction.atomic():
        # A draft until its first save in the workspace, which moves it on when the count and interval are there.
        question = Question.objects.create(annotator=annotator, video=video, state=QuestionState.DRAFT, **checked)
        audit.record(project=video.project_id, actor=annotator, action="question.create", target_type="question",
                     target_id=question.pk, before=None, after=doc_of(question))
    return question


#: The fields of a question that its PATCH may change; the rest is the workspace document's (clues, clusters).
PATCHABLE = ("text", "category", "modality", "drafted_answer", "ref_start", "ref_end")


def update_question(*, question: Question, expected_version: int, changes: dict, user) -> Question:
    """Change some fields of a question: the document with those fields changed goes through the workspace's one
    write path (``workspace.save_doc``), with its validation (a category change against the clues, the count's
    bounds, the interval inside the video), its version check and its claim rule."""
    unknown = sorted(set(changes) - set(PATCHABLE))
    if unknown:
        raise Invalid({name: "this field is not changed through a PATCH" for name in unknown})
    doc = {**doc_of(question), **changes}
    return workspace.save_doc(question=question, expected_version=expected_version, doc=doc, user=user,
                              action="question.edit")


def check_candidate(*, video: Video, text: str, query_start, query_end) -> None:
    """Invalid unless a candidate's text and query interval make sense for its video."""
    errors = {}
    if not isinstance(text, str) or not text.strip():
        errors["text"] = "the question may not be empty"
    elif len(text) > workspace.MAX_TEXT:
        errors["text"] = f"the question is {len(text)} characters long; at most {workspace.MAX_TEXT}"
    if (query_start is None) != (query_end is None):
        errors["query_end"] = "give both ends of the query interval, or neither"
    elif query_start is not None and not 0 <= query_start < query_end:
        errors["query_end"] = "the query interval must satisfy 0 <= start < end"
    elif query_start is not None and video.duration and query_end > video.duration + 1e-6:
        errors["query_end"] = f"the query interval ends after the video ({video.duration:.3f} s)"
    if errors:
        raise Invalid(errors)


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
    """Stage 2's draft of an accepted candidate. The interval the question asks about (its query interval) is the
    first draft of its reference interval, which the annotator then narrows or widens."""
    return Question.objects.create(
        video=candidate.video, candidate=candidate, text=candidate.text, category=candidate.category,
        modality=candidate.modality, annotator=user, ref_start=candidate.query_start, ref_end=candidate.query_end,
    )


def edit_candidate(*, candidate: CandidateQuestion, expected_version: int, changes: dict, user=None) -> CandidateQuestion:
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.PROPOSED:
            raise NotEditable(f"this candidate is already {current.get_state_display().lower()}; it cannot be edited")
        before = _candidate_state(current)
        for field, value in changes.items():
            setattr(current, field, value)
        check_candidate(video=current.video, text=current.text, query_start=current.query_start,
                        query_end=current.query_end)
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


def reopen_candidate(*, candidate: CandidateQuestion, user, expected_version: int) -> CandidateQuestion:
    """Undo a rejection: the candidate is proposed again, to be decided anew; the log keeps the rejection."""
    with transaction.atomic():
        current = _locked_candidate(candidate, expected_version)
        if current.state != Decision.REJECTED:
            raise NotEditable(f"this candidate is {current.get_state_display().lower()}, not rejected")
        before = _candidate_state(current)
        current.state = Decision.PROPOSED
        current.reject_reason = ""
        current.decided_by, current.decided_at = None, None
        current.version += 1
        current.save()
        _log_candidate("candidate.reopen", before, current, user)
    return current


def add_question_by_hand(*, video: Video, user, **fields) -> CandidateQuestion:
    """A person's own question: recorded as an accepted human candidate, and a Question in stage 2."""
    check_candidate(video=video, text=fields.get("text", ""), query_start=fields.get("query_start"),
                    query_end=fields.get("query_end"))
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
