"""Clue proposals (annotator assistance): machine-found candidate event clues of a question, stored as
``ClueProposal`` rows with model, version and score, that a person accepts (they become clues that link back: the
provenance) or rejects (remembered, so a rerun does not bring them back).

Computed by a job when an event question enters stage 3 (``workspace.save_doc``) and on a manager's request
(``request``); the job (``tasks.propose_event_clues``) calls ``compute`` and ``store`` here. Accepting and
rejecting are edits of the question document (``workspace.accept_proposal`` / ``reject_proposal``), the one write
path.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from annotation.counting.models import Category, ClueProposal, Question, QuestionState
from annotation.projects.errors import Invalid, NotEditable
from annotation.projects.models import Decision
from pipeline.assist.audio import NoAudio
from pipeline.assist.events import EventParams
from pipeline.assist.propose import EventProposals, propose_events
from pipeline.jobs.base import JobFailure
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job, JobState
from pipeline.jobs.services import enqueue_job

KIND_ACOUSTIC = "assist.propose_events"
KIND_CLAP = "assist.propose_events_clap"
# A new candidate that covers this share of the shorter of itself and a decided proposal (or a clue) is the same
# event: it is not proposed again.
SAME_EVENT = 0.5
_scorers: dict[str, object] = {}
_scorers_lock = threading.Lock()


def clap_configured() -> bool:
    return bool(settings.CLUEBENCH_ASSIST_CLAP_PATH)


def job_kind() -> str:
    """CLAP runs on the gpu queue (a model loaded once per worker process); the acoustic detector on media."""
    return KIND_CLAP if clap_configured() else KIND_ACOUSTIC


def why_not(question: Question) -> str | None:
    """Why no event proposals can be computed for the question now, or None."""
    if question.category != Category.EVENT:
        return "proposals are made for event questions"
    if question.ref_start is None or question.ref_end is None:
        return "the question has no reference interval yet"
    video = question.video
    if not video.proxy:
        return "the video has no proxy yet"
    if video.has_audio is False:
        return "the video has no audio"
    return None


def request(*, question: Question, dispatch: bool = True, force: bool = False) -> Job | None:
    """Queue the computation of a question's event proposals, unless one is already queued (it reads the question
    when it runs) or the question cannot have any. With ``force`` a reason is an error (a manager asked)."""
    reason = why_not(question)
    if reason:
        if force:
            raise NotEditable(reason)
        return None
    waiting = _jobs_of(question).filter(state=JobState.QUEUED)
    if dispatch and waiting.exists():
        return waiting.first()
    return enqueue_job(kind=job_kind(), project=question.video.project, target=question,
                       params={"question_id": question.pk}, dispatch=dispatch)


def _jobs_of(question: Question):
    return Job.objects.filter(kind__in=(KIND_ACOUSTIC, KIND_CLAP), target_id=question.pk,
                              target_type=ContentType.objects.get_for_model(Question))


def busy(question: Question) -> bool:
    return _jobs_of(question).filter(state__in=ACTIVE_JOB_STATES).exists()


def ensure(*, question: Question) -> Job | None:
    """Queue the proposals of a question in stage 3 that never had them computed: it entered stage 3 before its
    video was ready (the demo question), or before assistance existed. The workspace page calls this."""
    if question.state != QuestionState.ANSWERED or why_not(question):
        return None
    if ClueProposal.objects.filter(question=question).exists() or _jobs_of(question).exists():
        return None
    return request(question=question)


def _scorer():
    path = settings.CLUEBENCH_ASSIST_CLAP_PATH
    with _scorers_lock:
        if path not in _scorers:
            from pipeline.assist.clap import ClapScorer, ClapUnavailable

            threads = settings.CLUEBENCH_DETECT_TORCH_THREADS
            if threads:
                import torch

                torch.set_num_threads(threads)
            try:
                _scorers[path] = ClapScorer.load(path, device=settings.CLUEBENCH_ASSIST_DEVICE)
            except ClapUnavailable as error:
                raise JobFailure(str(error)) from error
        return _scorers[path]


def compute(question: Question) -> EventProposals:
    """The engine's proposals for the question as it is now (no database write)."""
    reason = why_not(question)
    if reason:
        raise JobFailure(f"no event proposals for question {question.pk}: {reason}")
    video = question.video
    path = Path(settings.MEDIA_ROOT) / video.proxy.name
    scorer = _scorer() if clap_configured() else None
    try:
        return propose_events(path, start=question.ref_start, end=question.ref_end, duration=video.duration,
                              text=question.text, scorer=scorer, min_score=settings.CLUEBENCH_ASSIST_CLAP_MIN_SCORE,
                              params=EventParams())
    except NoAudio as error:
        raise JobFailure(f"no event proposals for question {question.pk}: {error}") from error


def same_event(a: tuple[float, float], b: tuple[float, float]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and inter >= SAME_EVENT * shorter


def store(*, question_id: int, result: EventProposals, interval: tuple[float, float]) -> dict:
    """Write a computation's proposals, idempotently: undecided proposals matching a new candidate are updated in
    place (their ids stay), the other undecided ones are removed, new candidates are added; a candidate matching a
    decided proposal (accepted or rejected) or a clue is not proposed again. Nothing is written when the reference
    interval changed since the computation read it (another computation is queued then)."""
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question_id)
        if (question.ref_start, question.ref_end) != interval:
            return {"stored": 0, "skipped": "the reference interval changed; a new computation is queued"}
        existing = list(ClueProposal.objects.select_for_update().filter(question=question, kind=Category.EVENT))
        linked = set(question.clues.exclude(proposal=None).values_list("proposal_id", flat=True))
        decided = [p for p in existing if p.state != Decision.PROPOSED or p.pk in linked]
        open_ = [p for p in existing if p not in decided]
        clues = [(c.start, c.end) for c in question.clues.filter(kind=Category.EVENT)]
        kept, created, updated, known = set(), 0, 0, 0
        for event in result.events:
            span = (event.start, event.end)
            if any(same_event(span, (p.start, p.end)) for p in decided) or any(same_event(span, c) for c in clues):
                known += 1
                continue
            match = next((p for p in open_ if p.pk not in kept and same_event(span, (p.start, p.end))), None)
            if match is None:
                match = ClueProposal(question=question, kind=Category.EVENT)
                created += 1
            else:
                updated += 1
            match.start, match.end, match.score = event.start, event.end, event.score
            match.model, match.model_version = result.model, result.model_version
            match.save()
            kept.add(match.pk)
        removed = [p.pk for p in open_ if p.pk not in kept]
        ClueProposal.objects.filter(pk__in=removed).delete()
    return {"stored": created + updated, "created": created, "updated": updated, "removed": len(removed),
            "already_decided": known, "candidates": result.candidates, "model": result.model}


def run(*, question_id: int) -> dict:
    """Compute and store a question's proposals (the job's body)."""
    question = Question.objects.select_related("video").get(pk=question_id)
    interval = (question.ref_start, question.ref_end)
    result = compute(question)
    return store(question_id=question_id, result=result, interval=interval)


def proposals_of(question: Question, *, state: str | None = None):
    rows = ClueProposal.objects.filter(question=question).order_by("start", "id")
    return rows.filter(state=state) if state else rows


def as_dict(proposal: ClueProposal) -> dict:
    return {"id": proposal.pk, "question": proposal.question_id, "kind": proposal.kind, "start": proposal.start,
            "end": proposal.end, "score": proposal.score, "model": proposal.model,
            "model_version": proposal.model_version, "state": proposal.state}


# --- the decisions, applied by workspace.save_doc (the one write path) -------------------------------------------

def rejected_ids(doc: dict) -> list[int] | None:
    """The document's ``rejected_proposals`` (None when the client did not send it: the rejections stay)."""
    value = doc.get("rejected_proposals")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise Invalid({"rejected_proposals": "must be a list of proposal ids"})
    if len(value) > 100000:
        raise Invalid({"rejected_proposals": "too many"})
    return value


def apply_decisions(*, question: Question, clues: list[dict], rejected: list[int] | None, user) -> None:
    """Proposals linked from clues become accepted (by this user, now, unless already); accepted ones no longer
    linked return to proposed (an undo); with ``rejected`` given, those are rejected and the other rejected ones
    return to proposed. A link to another question's proposal, or one both accepted and rejected, is invalid."""
    known = {p.pk: p for p in ClueProposal.objects.select_for_update().filter(question=question)}
    errors: dict[str, str] = {}
    linked: set[int] = set()
    for i, row in enumerate(clues):
        pid = row.get("proposal_id")
        if pid is None:
            continue
        if pid not in known:
            errors[f"clues[{i}]"] = f"proposal {pid} is not one of this question's"
        elif pid in linked:
            errors[f"clues[{i}]"] = f"proposal {pid} is accepted by another clue already"
        linked.add(pid)
    if rejected is not None:
        unknown = [p for p in rejected if p not in known]
        both = [p for p in rejected if p in linked]
        if unknown:
            errors["rejected_proposals"] = f"not proposals of this question: {unknown[:5]}"
        elif both:
            errors["rejected_proposals"] = f"proposals both accepted and rejected: {both[:5]}"
    if not known and not linked:
        if errors:
            raise Invalid(errors)
        return
    if errors:
        raise Invalid(errors)
    now = timezone.now()
    for pk, proposal in known.items():
        if pk in linked:
            target = Decision.ACCEPTED
        elif rejected is not None:
            target = Decision.REJECTED if pk in rejected else Decision.PROPOSED
        else:
            target = Decision.REJECTED if proposal.state == Decision.REJECTED else Decision.PROPOSED
        if target == proposal.state:
            continue
        proposal.state = target
        proposal.decided_by, proposal.decided_at = (None, None) if target == Decision.PROPOSED else (user, now)
        proposal.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
