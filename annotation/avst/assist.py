"""Assistance on the event review page: a click on an object gives its box, and one box is followed through the
event's other sampled seconds (SAM 2, or SAM 3's tracker with the sam3 backend) on the gpu queue.

The page asks (``request_click`` / ``request_track``), the job answers in its result, and the page shows the answer as
proposals to confirm: nothing is written to the event until the reviewer saves it (the one write path,
``documents.save_event_doc``). Bad input is refused before anything is queued.

A box the reviewer keeps names the job it came from (``"origin": {"job": ID}``); the save checks that answer
(``answered_boxes``) and stores the box as the person's, with the model and version that proposed it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.contrib.contenttypes.models import ContentType

from annotation.avst.models import Event
from annotation.avst.seconds import sampled_seconds
from annotation.projects.errors import Invalid, NotEditable
from pipeline.detect import DetectError
from pipeline.jobs.base import JobFailure
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job, JobState
from pipeline.jobs.services import enqueue_job
from pipeline.media.frames import FrameDecoder
from pipeline.videos import detectors

KIND_CLICK = "assist.event_click_box"
KIND_TRACK = "assist.event_track"
#: Click or track jobs of one event that may wait at once (of each kind).
MAX_WAITING = 2


def _frames_of(event: Event) -> dict[int, float]:
    return {s.frame_index: s.t for s in sampled_seconds(event, event.video) if s.frame_index is not None}


def _ready(event: Event) -> dict[int, float]:
    missing = detectors.interactive_missing()
    if missing:
        raise NotEditable(f"click-to-box and tracking are not set up: {missing}")
    frames = _frames_of(event)
    if not frames or not event.video.width or not event.video.height:
        raise NotEditable("the event has no sampled frames (the video is not processed)")
    return frames


def _check_frame(frames: dict[int, float], frame_index: int) -> None:
    if frame_index not in frames:
        shown = ", ".join(str(i) for i in sorted(frames))
        raise Invalid({"frame_index": f"not one of the event's sampled frames ({shown})"})


def request_click(*, event: Event, frame_index: int, x: float, y: float) -> Job:
    frames = _ready(event)
    _check_frame(frames, frame_index)
    video = event.video
    if not (0 <= x <= video.width and 0 <= y <= video.height):
        raise Invalid({"x": f"the point ({x:g}, {y:g}) lies outside the {video.width}x{video.height} frame"})
    return _enqueue_capped(KIND_CLICK, event, {"event_id": event.pk, "frame_index": frame_index, "x": x, "y": y})


def request_track(*, event: Event, frame_index: int, box: list[float]) -> Job:
    frames = _ready(event)
    _check_frame(frames, frame_index)
    video = event.video
    x1, y1, x2, y2 = box
    if not (x2 > x1 and y2 > y1):
        raise Invalid({"box": "a box needs a positive width and height"})
    if x1 < 0 or y1 < 0 or x2 > video.width + 1e-6 or y2 > video.height + 1e-6:
        raise Invalid({"box": f"the box lies outside the {video.width}x{video.height} frame"})
    return _enqueue_capped(KIND_TRACK, event,
                           {"event_id": event.pk, "frame_index": frame_index, "box": [float(v) for v in box]})


def _enqueue_capped(kind: str, event: Event, params: dict) -> Job:
    """Queue a click or track job of the event unless ``MAX_WAITING`` of its own are still waiting (one reviewer
    must not fill the gpu queue); under the event's lock, so two requests at once cannot both pass."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).exists()
        waiting = Job.objects.filter(kind=kind, target_id=event.pk, state__in=ACTIVE_JOB_STATES,
                                     target_type=ContentType.objects.get_for_model(Event))
        if waiting.count() >= MAX_WAITING:
            what = "clicks" if kind == KIND_CLICK else "tracks"
            raise NotEditable(f"the last {what} are still being answered; wait for them")
        return enqueue_job(kind=kind, project=event.video.project, target=event, params=params)


def _decoded(event: Event, indices: list[int]):
    with FrameDecoder(Path(settings.MEDIA_ROOT) / event.video.proxy.name) as decoder:
        return [decoder.get(index) for index in indices]


def click(*, event_id: int, frame_index: int, x: float, y: float) -> dict:
    """``{"box": [x1, y1, x2, y2] | None, "score", "model", "model_version", "frame_index"}``."""
    event = Event.objects.select_related("video").get(pk=event_id)
    try:
        model = detectors.interactive()
        (frame,) = _decoded(event, [frame_index])
        height, width = frame.shape[:2]
        found = model.box_from_point(frame, (min(x, width - 1), min(y, height - 1)))
    except (DetectError, ValueError) as exc:
        raise JobFailure(str(exc)) from None
    finally:
        detectors.release_interactive()
    return {"frame_index": frame_index, "box": None if found is None else [found.x1, found.y1, found.x2, found.y2],
            "score": None if found is None else found.score, "model": model.model_name,
            "model_version": model.model_version}


def track(*, event_id: int, frame_index: int, box: list[float], progress=None) -> dict:
    """The box followed through the event's sampled seconds: ``{"boxes": [{"frame_index", "t", "box"}, ...],
    "model", "model_version"}`` with one entry per second where the object was found, the given second left out."""
    event = Event.objects.select_related("video").get(pk=event_id)
    frames = _frames_of(event)
    indices = sorted(frames)
    if frame_index not in frames:
        raise JobFailure(f"frame {frame_index} is no longer one of the event's sampled frames")
    try:
        model = detectors.interactive()
        pixels = _decoded(event, indices)
        followed = model.track(pixels, indices.index(frame_index), tuple(box))
    except (DetectError, ValueError) as exc:
        raise JobFailure(str(exc)) from None
    finally:
        detectors.release_interactive()
    found = [{"frame_index": index, "t": frames[index], "box": list(b)[:4]}
             for index, b in zip(indices, followed) if b is not None and index != frame_index]
    return {"boxes": found, "model": model.model_name, "model_version": model.model_version}


def answered_boxes(event: Event, job_ids: set[int]) -> dict[tuple[int, int], dict]:
    """``(job id, frame index) -> {"model", "model_version"}`` for each box that a succeeded click or track
    job of ``event`` among ``job_ids`` answered: what a kept box may name as its origin. Jobs of other events,
    kinds or states answer nothing."""
    if not job_ids:
        return {}
    jobs = Job.objects.filter(pk__in=job_ids, kind__in=(KIND_CLICK, KIND_TRACK), state=JobState.SUCCEEDED,
                              target_type=ContentType.objects.get_for_model(Event), target_id=event.pk)
    answered: dict[tuple[int, int], dict] = {}
    for job in jobs:
        result = job.result if isinstance(job.result, dict) else {}
        about = {"model": str(result.get("model", ""))[:100],
                 "model_version": str(result.get("model_version", ""))[:100]}
        if job.kind == KIND_CLICK:
            frames = [result.get("frame_index")] if result.get("box") else []
        else:
            frames = [b.get("frame_index") for b in result.get("boxes", []) if isinstance(b, dict)]
        for frame in frames:
            if isinstance(frame, int) and not isinstance(frame, bool):
                answered[job.pk, frame] = about
    return answered
