"""R-AVST machine stages: the LLM audibility analysis of event captions and Grounded-SAM2 box proposals.

Both store proposals with their provenance (the LLM call, the detector's model and version, scores); a reviewer's
accept on the event review page makes them truth. Events a reviewer already accepted are never overwritten.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotation.avst.models import AVObject, BoxProposal, Event
from annotation.projects.models import AuditEntry, Decision, Source
from pipeline.avst.audibility import audibility_request, validate_audibility
from pipeline.avst.seconds import sample_seconds
from pipeline.detect import DetectError
from pipeline.videos import detectors
from pipeline.jobs.base import JobFailure
from pipeline.jobs.llm import ThrottledProvider, build_provider, llm_status, log_call
from pipeline.jobs.models import LLMCall, LLMOutcome
from pipeline.llm import engine
from pipeline.llm.prompts import load_prompt
from pipeline.media.frames import FrameDecoder
from pipeline.videos.models import Video, VideoStatus

AUDIBILITY_PROMPT = ("avst_audibility", "v1")


class AvstStageFailed(JobFailure):
    """The stage could not run for this video; the message says why, for a person."""


@dataclass(frozen=True)
class AudibilityReport:
    events: int
    objects: int
    cached: int
    provider_calls: int
    skipped: int


def analyse_audibility(*, video: Video, provider=None, sleep=time.sleep, progress=None) -> AudibilityReport:
    """Objects and their audibility for every event of the video, one LLM call per distinct caption (cached on
    provider, model, prompt version and caption: running it again makes no call)."""
    if provider is None:
        status = llm_status(video.project)
        if not status.configured:
            raise AvstStageFailed(status.message)
        provider = ThrottledProvider(build_provider(video.project))
    prompt = load_prompt(*AUDIBILITY_PROMPT)
    events = list(video.events.order_by("id"))
    calls = cached = objects = skipped = 0
    for done, event in enumerate(events):
        # Analysed before (a rerun after an import adds only the new events), or already reviewed: left alone.
        if event.state == Decision.ACCEPTED or event.audibility_call_id is not None:
            skipped += 1
            continue
        if not event.label.strip():
            raise AvstStageFailed(f"event {event.number} has no caption to analyse")
        request = audibility_request(prompt, event.label)
        key = engine.input_hash(request)
        hit = (
            LLMCall.objects.filter(provider=provider.name, model=provider.model, prompt_version=prompt.id,
                                   input_hash=key, outcome=LLMOutcome.OK)
            .order_by("-created_at").first()
        )
        if hit is not None:
            result = validate_audibility(hit.response["text"])
            call = hit
            cached += 1
        else:
            logged: list[LLMCall] = []
            outcome = engine.ask_structured(
                provider, request, validate=validate_audibility,
                policy=engine.RetryPolicy(max_retries=settings.CLUEBENCH_LLM_MAX_RETRIES,
                                          base_delay=settings.CLUEBENCH_LLM_RETRY_BASE_DELAY, sleep=sleep),
                on_attempt=lambda attempt: logged.append(
                    log_call(video.project, provider, key, attempt, prompt_id=prompt.id)),
            )
            calls += len(logged)
            if not outcome.ok:
                raise AvstStageFailed(f"{provider.model} gave no usable answer for event {event.number} "
                                      f"({event.label!r}): {outcome.error}")
            result = outcome.result
            call = next(row for row in reversed(logged) if row.outcome == LLMOutcome.OK)
        objects += _store_objects(event, result.objects, call)
        if progress is not None:
            progress(done + 1, len(events))
    return AudibilityReport(events=len(events), objects=objects, cached=cached, provider_calls=calls,
                            skipped=skipped)


def _store_objects(event: Event, proposed, call: LLMCall) -> int:
    """Replace the event's model proposals nobody has touched; objects a person added or renamed stay. The event's
    version moves on, so a review page open on it gets a conflict and re-applies its edits."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == Decision.ACCEPTED:
            return 0
        AVObject.objects.filter(event=event, source=Source.MODEL, state=Decision.PROPOSED).delete()
        taken = {name.lower() for name in AVObject.objects.filter(event=event).values_list("name", flat=True)}
        rows = [
            AVObject(event=event, name=o.name, audibility=o.audibility, source=Source.MODEL, llm_call=call,
                     model=call.model, prompt_version=call.prompt_version)
            for o in proposed if o.name.lower() not in taken
        ]
        AVObject.objects.bulk_create(rows)
        event.audibility_call = call
        event.version += 1
        event.save(update_fields=["audibility_call", "version"])
    return len(rows)


# --------------------------------------------------------------------------------------------------------------
# Grounded-SAM2 (gpu queue)

def detector():
    """The worker's detector (the configured backend), loaded on first use and kept for the process's life."""
    return detectors.detector()


@dataclass(frozen=True)
class DetectionReport:
    events: int
    boxes: int
    skipped: int


class DetectionTimeout(AvstStageFailed):
    pass


def reviewed(event_ids) -> set[int]:
    """The events a person has saved or accepted on the review page."""
    return set(AuditEntry.objects.filter(target_type="event", target_id__in=list(event_ids),
                                         action__in=["event.save", "event.accept"]).values_list("target_id", flat=True))


def needs_detection(event: Event, touched: set[int]) -> bool:
    """Not yet boxed, not touched by a reviewer, not accepted, and with objects to look for."""
    return (event.detected_at is None and event.pk not in touched and event.state != Decision.ACCEPTED
            and any(o.state != Decision.REJECTED for o in event.av_objects.all()))


def detect_boxes(*, video: Video, progress=None, time_limit: float | None = None) -> DetectionReport:
    """Box proposals for every object of the video's events that need them: the event's frames once per second,
    Grounding DINO on each object's name, SAM2 propagation, one box per instance per second.

    ``time_limit`` (seconds) is checked between windows of frames: the gpu worker runs tasks in its own process
    (the solo pool), where Celery's time limits do not apply."""
    if video.status != VideoStatus.READY:
        raise AvstStageFailed(f"the video is not processed yet ({video.get_status_display().lower()})")
    deadline = time.monotonic() + time_limit if time_limit else None

    def check_time(*_):
        if deadline is not None and time.monotonic() > deadline:
            raise DetectionTimeout(
                f"box detection took longer than {time_limit:g} s (CLUEBENCH_DETECT_TIME_LIMIT); raise the limit "
                "or run it on a GPU worker")

    events = list(video.events.order_by("id").prefetch_related("av_objects"))
    touched = reviewed(e.pk for e in events)
    todo = [e for e in events if needs_detection(e, touched)]
    try:
        det = detector()
    except DetectError as exc:
        raise AvstStageFailed(str(exc)) from None
    boxes = 0
    try:
        with FrameDecoder(Path(settings.MEDIA_ROOT) / video.proxy.name) as decoder:
            for done, event in enumerate(todo):
                check_time()
                seconds = sample_seconds(event.start, event.end, fps=video.fps, frame_count=video.frame_count,
                                         duration=video.duration)
                names = [o.name for o in event.av_objects.all() if o.state != Decision.REJECTED]
                frames = [decoder.get(index) for _, index in seconds]
                tracks = det.detect(frames, names, progress=check_time)
                boxes += _store_boxes(event, seconds, tracks, det)
                if progress is not None:
                    progress(done + 1, len(todo))
    except DetectError as exc:
        raise AvstStageFailed(str(exc)) from None
    finally:
        det.release()
    return DetectionReport(events=len(todo), boxes=boxes, skipped=len(events) - len(todo))


def _store_boxes(event: Event, seconds, tracks, det) -> int:
    """The run's boxes as the event's model proposals. Nothing is written over a reviewer's work: an event saved
    or accepted meanwhile is left as it is. The version moves on, so an open review page gets a conflict."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.state == Decision.ACCEPTED or reviewed([event.pk]):
            return 0
        objects = {o.name: o for o in event.av_objects.exclude(state=Decision.REJECTED)}
        BoxProposal.objects.filter(avobject__event=event, source=Source.MODEL).delete()
        rows = []
        for track in tracks:
            avobject = objects.get(track.name)
            if avobject is None:
                continue
            for (t, index), found in zip(seconds, track.frames):
                # Instances are numbered per second in the detector's order; they are not identities over time.
                for instance, box in enumerate(found):
                    rows.append(BoxProposal(
                        avobject=avobject, timestamp=t, frame_index=index, instance=instance, x1=box.x1, y1=box.y1,
                        x2=box.x2, y2=box.y2, score=box.score, source=Source.MODEL, model=det.model_name,
                        model_version=det.model_version,
                    ))
        BoxProposal.objects.bulk_create(rows)
        event.detected_at = timezone.now()
        event.detect_model = f"{det.model_name} {det.model_version}"[:200]
        event.version += 1
        event.save(update_fields=["detected_at", "detect_model", "version"])
    return len(rows)
