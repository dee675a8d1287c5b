"""Clue proposals (annotator assistance): machine-found candidate clues of a question, stored as ``ClueProposal``
rows with model, version and score, that a person accepts (they become clues that link back: the provenance) or
rejects (remembered, so a rerun does not bring them back).

- Event questions: candidate sound events inside the reference interval (``pipeline.assist``), on the media queue
  (gpu with a CLAP folder).
- Object and attribute questions: each distinct instance of the question's object phrase, once, on the exact proxy
  frame of its first clear appearance (``pipeline.detect.distinct`` over frames sampled inside the reference
  interval, with the box stage's detector, ``CLUEBENCH_DETECT_BACKEND``), on the gpu queue.
- A person's click (a box) and a person's box followed through frames (tracked boxes) are proposals too
  (``interactive``), made on the gpu queue while the person waits.

Computed by a job when a question enters stage 3 (``workspace.save_doc``) and on a manager's request (``request``);
the jobs (``tasks``) call ``run`` / ``run_objects`` here. Accepting and rejecting are edits of the question document
(``workspace.accept_proposal`` / ``reject_proposal``), the one write path.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from annotation.counting.models import Category, ClueProposal, ProposalSource, Question, QuestionState
from annotation.projects.settings import vocabulary
from annotation.projects.errors import Invalid, NotEditable
from annotation.projects.models import Decision
from pipeline.assist.audio import NoAudio
from pipeline.assist.events import EventParams
from pipeline.assist.propose import EventProposals, propose_events
from pipeline.avst.seconds import frame_at
from pipeline.detect import DetectError
from pipeline.detect.distinct import DistinctInstance, distinct_instances, iou
from pipeline.jobs.base import JobFailure, ensure_lease
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job, JobState
from pipeline.jobs.services import enqueue_job
from pipeline.media.frames import FrameDecoder
from pipeline.videos import detectors

KIND_ACOUSTIC = "assist.propose_events"
KIND_CLAP = "assist.propose_events_clap"
KIND_OBJECTS = "assist.propose_objects"
KINDS = (KIND_ACOUSTIC, KIND_CLAP, KIND_OBJECTS)
KIND_CLICK = "assist.click_box"
#: Clicks of one question waiting for their box at once; more are refused (one gpu queue serves everyone).
MAX_WAITING_CLICKS = 2
BOX_KINDS = (Category.OBJECT, Category.ATTRIBUTE)
# A new candidate that covers this share of the shorter of itself and a decided proposal (or a clue) is the same
# event: it is not proposed again.
SAME_EVENT = 0.5
_scorers: dict[str, object] = {}


@dataclass(frozen=True)
class DetectedObjects:
    found: list[DistinctInstance]
    phrase: str
    frames: int
    model: str
    model_version: str
_scorers_lock = threading.Lock()


def clap_configured() -> bool:
    return bool(settings.CLUEBENCH_ASSIST_CLAP_PATH)


def job_kind(question: Question | None = None) -> str:
    """Object proposals and CLAP run on the gpu queue (a model loaded once per worker process); the acoustic
    detector on media."""
    if question is not None and question.category in BOX_KINDS:
        return KIND_OBJECTS
    return KIND_CLAP if clap_configured() else KIND_ACOUSTIC


def why_not(question: Question) -> str | None:
    """Why no proposals can be computed for the question now, or None."""
    if question.ref_start is None or question.ref_end is None:
        return "the question has no reference interval yet"
    video = question.video
    if not video.proxy:
        return "the video has no proxy yet"
    if question.category in BOX_KINDS:
        if not video.fps or not video.frame_count:
            return "the video's frames are not known yet"
        return detectors.weights_missing()
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
    waiting = _jobs_of(question).filter(state=JobState.QUEUED, kind=job_kind(question))
    if dispatch and waiting.exists():
        return waiting.first()
    return enqueue_job(kind=job_kind(question), project=question.video.project, target=question,
                       params={"question_id": question.pk}, dispatch=dispatch)


def _jobs_of(question: Question):
    return Job.objects.filter(kind__in=KINDS, target_id=question.pk,
                              target_type=ContentType.objects.get_for_model(Question))


def busy(question: Question) -> bool:
    return _jobs_of(question).filter(state__in=ACTIVE_JOB_STATES).exists()


def ensure(*, question: Question) -> Job | None:
    """Queue the proposals of a question in stage 3 that never had them computed: it entered stage 3 before its
    video was ready (the demo question), or before assistance existed. The workspace page calls this."""
    if question.state != QuestionState.ANSWERED or why_not(question):
        return None
    if (ClueProposal.objects.filter(question=question, kind=question.category).exists()
            or _jobs_of(question).filter(kind=job_kind(question)).exists()):
        return None
    return request(question=question)


def forget_other_kinds(question: Question) -> int:
    """A question's category changed: its undecided proposals of another kind go (they can no longer be
    accepted); decided ones stay as the record of what people decided."""
    deleted, _ = (ClueProposal.objects.filter(question=question, state=Decision.PROPOSED)
                  .exclude(kind=question.category).delete())
    return deleted


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
    """The engine's event proposals for the question as it is now (no database write)."""
    if question.category != Category.EVENT:
        raise JobFailure(f"question {question.pk} is not an event question")
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
        if (question.ref_start, question.ref_end) != interval or question.category != Category.EVENT:
            return {"stored": 0, "skipped": "the question changed while it was computed; a new computation is queued"}
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


def run(*, question_id: int, progress=None, kinds: tuple[str, ...] = (Category.EVENT,)) -> dict:
    """Compute and store a question's proposals (the jobs' body): events, or objects for a box question. A job
    queued for ``kinds`` whose question has changed category since does nothing (the save that changed it queued
    the right job)."""
    question = Question.objects.select_related("video__project").get(pk=question_id)
    if question.category not in kinds:
        return {"stored": 0, "skipped": f"the question is now an {question.category} question"}
    interval = (question.ref_start, question.ref_end)
    if question.category in BOX_KINDS:
        found = compute_objects(question, progress=progress)
        return store_objects(question_id=question_id, found=found, interval=interval, category=question.category)
    result = compute(question)
    return store(question_id=question_id, result=result, interval=interval)


def proposals_of(question: Question, *, state: str | None = None):
    rows = ClueProposal.objects.filter(question=question).order_by("start", "frame_index", "id")
    return rows.filter(state=state) if state else rows


def as_dict(proposal: ClueProposal) -> dict:
    row = {"id": proposal.pk, "question": proposal.question_id, "kind": proposal.kind, "source": proposal.source,
           "score": proposal.score, "model": proposal.model, "model_version": proposal.model_version,
           "state": proposal.state}
    if proposal.kind == Category.EVENT:
        row.update(start=proposal.start, end=proposal.end)
    else:
        row.update(frame_index=proposal.frame_index, timestamp=proposal.timestamp,
                   box=[proposal.x1, proposal.y1, proposal.x2, proposal.y2], label=proposal.label)
    return row


# --- object proposals ---------------------------------------------------------------------------------------------

# Words after "how many" that are not the object: "how many different cars" looks for "cars".
_QUALIFIERS = {"different", "distinct", "unique", "separate", "individual", "total", "kinds", "types", "sorts",
               "of", "the", "various"}
# Words that end the object phrase: "how many cars (are parked ...)".
_PHRASE_ENDS = {"are", "is", "were", "was", "appear", "appears", "appeared", "can", "could", "do", "does", "did",
                "have", "has", "had", "in", "on", "at", "from", "with", "there", "that", "which", "who", "whose",
                "visible", "shown", "show", "present", "during", "throughout", "within", "inside", "will", "would",
                "when", "while", "before", "after", "does", "seen", "total", "overall"}


def _counted_phrase(lowered: str) -> str | None:
    """The words after "how many" up to the verb, without "different" and the like; None without "how many"."""
    match = re.search(r"\bhow many\b(.*)", lowered)
    if not match:
        return None
    phrase: list[str] = []
    for word in match.group(1).split():
        if word in _PHRASE_ENDS and phrase:
            break
        if not phrase and word in _QUALIFIERS:
            continue
        phrase.append(word)
    return " ".join(phrase) or None


def object_phrase(text: str, names: list[str] | None = None) -> str:
    """What to look for on the frames: one of the project's object names (labels) that the counted phrase names
    (its plural too; "How many dogs bark at the mailman?" counts dogs), else the first label the question names,
    else the counted phrase itself ("How many different red cars are parked?" gives "red cars"), else the
    question's text."""
    lowered = " ".join(re.findall(r"[a-z0-9'-]+", text.lower()))
    counted = _counted_phrase(lowered)
    found: list[tuple[int, int, str]] = []
    for name in names or []:
        words = " ".join(re.findall(r"[a-z0-9'-]+", name.lower()))
        if not words:
            continue
        pattern = rf"\b{re.escape(words)}(?:s|es)?\b"
        where = re.search(pattern, lowered)
        if where is None:
            continue
        inside = counted is not None and re.search(pattern, counted) is not None
        # Inside the counted phrase first, then the earliest, then the longest.
        found.append((0 if inside else 1, where.start() - len(words) / 1000, name.strip()))
    if found:
        return min(found)[2]
    if counted:
        return counted[:200]
    return " ".join(text.split())[:200]


def sample_frames(question: Question) -> list[int]:
    """The exact proxy frames searched for objects: one every ``CLUEBENCH_ASSIST_OBJECT_STEP`` seconds from the
    reference interval's start (more widely spaced when there would be more than the maximum), each frame once."""
    video = question.video
    start, end = float(question.ref_start), float(question.ref_end)
    step = max(float(settings.CLUEBENCH_ASSIST_OBJECT_STEP), 1.0 / video.fps)
    limit = max(1, settings.CLUEBENCH_ASSIST_OBJECT_MAX_FRAMES)
    step = max(step, (end - start) / limit)
    indices: list[int] = []
    count = 0
    while count < limit:
        t = start + count * step
        if t >= end:
            break
        index = min(frame_at(t, video.fps), video.frame_count - 1)
        if not indices or index > indices[-1]:
            indices.append(index)
        count += 1
    return indices


def compute_objects(question: Question, *, progress=None) -> DetectedObjects:
    """Each distinct instance of the question's object on the sampled frames (no database write)."""
    if question.category not in BOX_KINDS:
        raise JobFailure(f"question {question.pk} is not an object or attribute question")
    reason = why_not(question)
    if reason:
        raise JobFailure(f"no object proposals for question {question.pk}: {reason}")
    video = question.video
    phrase = object_phrase(question.text, vocabulary(video.project.settings)["objects"])
    indices = sample_frames(question)
    try:
        det = detectors.detector()
    except DetectError as exc:
        raise JobFailure(str(exc)) from None
    try:
        with FrameDecoder(Path(settings.MEDIA_ROOT) / video.proxy.name) as decoder:
            # Decoded a window at a time, as the detector takes them: one window of frames in memory, not all.
            found = distinct_instances(((index, decoder.get(index)) for index in indices), phrase, det,
                                       min_score=settings.CLUEBENCH_ASSIST_OBJECT_MIN_SCORE, progress=progress,
                                       chunk=det.config.window, total=len(indices))
    except DetectError as exc:
        raise JobFailure(str(exc)) from None
    finally:
        det.release()
    return DetectedObjects(found=found, phrase=phrase, frames=len(indices), model=det.model_name,
                           model_version=det.model_version[:100])


def overlap(sightings: list[tuple[int, tuple]], other: tuple[int, tuple], *, near: int, span: tuple[int, int]) -> float:
    """How well a found object (its boxes on the sampled frames it was seen on) covers ``other``, a box on one
    frame: the best IoU among its sightings at most ``near`` frames away. A box just outside the searched ``span``
    of frames (the reference interval moved a little since it was decided: within two sampling gaps) counts as on
    the span's nearest end, so an object seen there still covers it; one further away covers nothing here."""
    frame = other[0]
    if span[0] - 2 * near <= frame <= span[1] + 2 * near:
        frame = min(max(frame, span[0]), span[1])
    return max((iou(box, other[1]) for f, box in sightings if abs(f - frame) <= near), default=0.0)


def _pair(candidates: list[list[tuple[int, tuple]]], others: list[tuple[int, tuple]], *, near: int,
          span: tuple[int, int]) -> dict[int, int]:
    """Candidate index -> other index, one-to-one, best overlaps first, among pairs that are the same object
    (overlap at least IoU 0.5)."""
    pairs = []
    for n, sightings in enumerate(candidates):
        for m, other in enumerate(others):
            value = overlap(sightings, other, near=near, span=span)
            if value >= SAME_EVENT:
                pairs.append((-value, min(abs(f - other[0]) for f, _ in sightings), n, m))
    paired, taken = {}, set()
    for _, _, n, m in sorted(pairs):
        if n not in paired and m not in taken:
            paired[n] = m
            taken.add(m)
    return paired


def _search_span(question: Question) -> tuple[tuple[int, int], int]:
    """The first and last sampled frames and the widest gap between two (how far one sighting stands for)."""
    frames = sample_frames(question)
    if not frames:
        return (0, 0), 1
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    step = max(gaps) if gaps else round(float(settings.CLUEBENCH_ASSIST_OBJECT_STEP) * (question.video.fps or 1))
    return (frames[0], frames[-1]), max(1, step)


def store_objects(*, question_id: int, found: DetectedObjects, interval: tuple[float, float],
                  category: str) -> dict:
    """Write an object computation's proposals, idempotently, as ``store`` does for events: an instance that is a
    decided proposal or a clue already (same object: nearby frame, overlapping box) is not proposed again."""
    with transaction.atomic():
        question = Question.objects.select_for_update().select_related("video").get(pk=question_id)
        if (question.ref_start, question.ref_end) != interval or question.category != category:
            return {"stored": 0, "skipped": "the question changed while it was computed; a new computation is queued"}
        span, near = _search_span(question)
        existing = list(ClueProposal.objects.select_for_update().filter(question=question, kind=category))
        linked = set(question.clues.exclude(proposal=None).values_list("proposal_id", flat=True))
        # Decided proposals of any source (a rejected click too), and a person's open clicks, stand for an
        # instance; only the detector's undecided ones are this computation's to update or remove.
        decided = [p for p in existing if p.state != Decision.PROPOSED or p.pk in linked]
        clicked = [p for p in existing if p not in decided and p.source != ProposalSource.DETECTOR]
        open_ = [p for p in existing if p not in decided and p.source == ProposalSource.DETECTOR]
        known_boxes = [(p.frame_index, (p.x1, p.y1, p.x2, p.y2)) for p in decided + clicked] + [
            (c.frame_index, (c.x1, c.y1, c.x2, c.y2)) for c in question.clues.exclude(kind=Category.EVENT)
            if c.frame_index is not None and c.proposal_id not in {p.pk for p in decided}]
        # Each candidate as the whole of what was seen of it: a person may have decided the object, or drawn its
        # clue, on any frame where it shows, not only on the frame of its first clear appearance.
        candidates = [i.sightings() for i in found.found]
        # One object each: a decided proposal or a clue stands for one instance, so it absorbs one candidate at
        # most (the best overlapping); the candidates left match the undecided proposals the same way.
        absorbed = _pair(candidates, known_boxes, near=near, span=span)
        fresh = [n for n in range(len(candidates)) if n not in absorbed]
        reuse = _pair([candidates[n] for n in fresh],
                      [(p.frame_index, (p.x1, p.y1, p.x2, p.y2)) for p in open_], near=near, span=span)
        kept, created, updated = set(), 0, 0
        fps = question.video.fps
        for k, n in enumerate(fresh):
            instance = found.found[n]
            if k in reuse:
                match = open_[reuse[k]]
                updated += 1
            else:
                match = ClueProposal(question=question, kind=category)
                created += 1
            match.frame_index = instance.frame_index
            match.timestamp = (instance.frame_index + 0.5) / fps
            match.x1, match.y1, match.x2, match.y2 = instance.box
            match.score, match.label = min(max(instance.score, 0.0), 1.0), instance.label[:200]
            match.model, match.model_version = found.model, found.model_version
            match.save()
            kept.add(match.pk)
        known = len(absorbed)
        removed = [p.pk for p in open_ if p.pk not in kept]
        ClueProposal.objects.filter(pk__in=removed).delete()
    return {"stored": created + updated, "created": created, "updated": updated, "removed": len(removed),
            "already_decided": known, "frames": found.frames, "phrase": found.phrase, "model": found.model}


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
    return to proposed. A link to another question's proposal, to a proposal of another kind, or one both accepted
    and rejected, is invalid. A link to a proposal that no longer exists (a rerun removed it while the page showed
    it) is dropped: the clue stays, as a person's own."""
    known = {p.pk: p for p in ClueProposal.objects.select_for_update().filter(question=question)}
    asked = {row.get("proposal_id") for row in clues} | set(rejected or [])
    vanished = asked - set(known) - {None} - set(ClueProposal.objects.filter(pk__in=asked - set(known) - {None})
                                                 .values_list("pk", flat=True))
    if vanished:
        for row in clues:
            if row.get("proposal_id") in vanished:
                row["proposal_id"] = None
        if rejected is not None:
            rejected[:] = [pk for pk in rejected if pk not in vanished]
    errors: dict[str, str] = {}
    linked: set[int] = set()
    for i, row in enumerate(clues):
        pid = row.get("proposal_id")
        if pid is None:
            continue
        if pid not in known:
            errors[f"clues[{i}]"] = f"proposal {pid} is not one of this question's"
        elif known[pid].kind != row.get("kind"):
            errors[f"clues[{i}]"] = f"proposal {pid} is an {known[pid].kind} proposal, not a {row.get('kind')} clue"
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


# --- a person's click ----------------------------------------------------------------------------------------------

def request_click(*, question: Question, frame_index: int, x: float, y: float) -> Job:
    """Queue the box of a click on one exact proxy frame of a box question (gpu queue); the person's page waits for
    the job and accepts the proposal it makes. Bad input is refused here, before anything is queued."""
    video = question.video
    if question.category not in BOX_KINDS:
        raise NotEditable("click-to-box is for object and attribute questions")
    missing = detectors.interactive_missing()
    if missing:
        raise NotEditable(f"click-to-box is not set up: {missing}")
    if not video.proxy or not video.frame_count or not video.fps:
        raise NotEditable("the video has no proxy yet")
    errors = {}
    if not 0 <= frame_index < video.frame_count:
        errors["frame_index"] = f"frame {frame_index} does not exist (the video has {video.frame_count} frames)"
    if not (0 <= x <= (video.width or 0) and 0 <= y <= (video.height or 0)):
        errors["x"] = f"the point ({x:g}, {y:g}) lies outside the {video.width}x{video.height} frame"
    if errors:
        raise Invalid(errors)
    with transaction.atomic():
        # Under the question's lock, so two clicks at once cannot both pass the cap.
        Question.objects.select_for_update().filter(pk=question.pk).exists()
        waiting = Job.objects.filter(kind=KIND_CLICK, target_id=question.pk, state__in=ACTIVE_JOB_STATES,
                                     target_type=ContentType.objects.get_for_model(Question))
        if waiting.count() >= MAX_WAITING_CLICKS:
            raise NotEditable("the last clicks are still being answered; wait for their boxes")
        return enqueue_job(kind=KIND_CLICK, project=video.project, target=question,
                           params={"question_id": question.pk, "frame_index": frame_index, "x": x, "y": y})


def click_box(*, question_id: int, frame_index: int, x: float, y: float, job: Job | None = None) -> dict | None:
    """The clicked object's box as a new proposal of the question (source ``click``), or None when the model finds
    no object under the point. With ``job``, the proposal is written only while the run still holds it (a restarted
    blind second pass deletes its predecessor's clicks, running ones included)."""
    question = Question.objects.select_related("video").get(pk=question_id)
    if question.category not in BOX_KINDS:
        raise JobFailure(f"question {question.pk} is no longer an object or attribute question")
    video = question.video
    try:
        model = detectors.interactive()
        with FrameDecoder(Path(settings.MEDIA_ROOT) / video.proxy.name) as decoder:
            frame = decoder.get(frame_index)
        # The point in the frame's own pixels: the proxy's size is the video's; clamped onto the last pixel.
        height, width = frame.shape[:2]
        found = model.box_from_point(frame, (min(x, width - 1), min(y, height - 1)))
    except (DetectError, ValueError) as exc:
        raise JobFailure(str(exc)) from None
    finally:
        detectors.release_interactive()
    if found is None:
        return None
    with transaction.atomic():
        if job is not None:
            ensure_lease(job)
        proposal = ClueProposal.objects.create(
            question=question, kind=question.category, source="click", frame_index=frame_index,
            timestamp=(frame_index + 0.5) / video.fps, x1=found.x1, y1=found.y1, x2=found.x2, y2=found.y2,
            score=min(max(found.score, 0.0), 1.0), model=model.model_name, model_version=model.model_version[:100],
        )
    return as_dict(proposal)
