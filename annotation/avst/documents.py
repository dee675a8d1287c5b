"""R-AVST events under review: the document a reviewer edits on the event review page (objects with their
audibility, boxes per sampled second), saved whole with optimistic concurrency and validated so that a bad box
refuses the save and nothing is half applied; the accept that makes it the truth, and the QA pairs generated from
accepted events.

Boxes are proxy pixels on the frame of one of the event's sampled seconds (``sampled_seconds``); boxes imported
from a published file for a video without a proxy carry no frame index and are in the original video's pixels.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from annotation.avst import hooks
from annotation.avst.assist import answered_boxes
from annotation.avst.models import Audibility, AVObject, BoxProposal, Event, QAPair
from annotation.avst.qa import generate_event_qa
from annotation.avst.seconds import sampled_seconds
from annotation.projects import audit, selectors
from annotation.projects.errors import Invalid, NotAllowed, Stale
from annotation.projects.models import Decision, Source
from annotation.projects.permissions import Capability
from pipeline.videos.models import Video, VideoStatus

MAX_OBJECTS = 50
MAX_BOXES_PER_SECOND = 50


def event_queryset():
    return Event.objects.select_related("video", "video__project").prefetch_related(
        Prefetch("av_objects", queryset=AVObject.objects.order_by("id").prefetch_related(
            Prefetch("boxes", queryset=BoxProposal.objects.order_by("timestamp", "instance", "id"))
        ))
    )


def editable_by(event: Event, user) -> bool:
    return event.video.status == VideoStatus.READY and selectors.can(
        user=user, project=event.video.project, capability=Capability.REVIEW
    )


def _neighbour_url(event: Event, forward: bool) -> str | None:
    siblings = Event.objects.filter(video__project_id=event.video.project_id, video__filter_rule="")
    if forward:
        nxt = siblings.filter(video_id=event.video_id, id__gt=event.id).order_by("id").first() or siblings.filter(
            video_id__gt=event.video_id).order_by("video_id", "id").first()
    else:
        nxt = siblings.filter(video_id=event.video_id, id__lt=event.id).order_by("-id").first() or siblings.filter(
            video_id__lt=event.video_id).order_by("-video_id", "-id").first()
    return reverse("event-review", args=[nxt.pk]) if nxt else None


def doc_of(event: Event) -> dict:
    """The event as the review page and the audit log see it."""
    video = event.video
    objects = []
    for obj in event.av_objects.all():
        objects.append({
            "id": obj.pk, "name": obj.name, "audibility": obj.audibility, "source": obj.source, "state": obj.state,
            "boxes": [
                {"id": b.pk, "frame_index": b.frame_index, "t": b.timestamp, "instance": b.instance, "x1": b.x1,
                 "y1": b.y1, "x2": b.x2, "y2": b.y2, "score": b.score, "source": b.source, "model": b.model}
                for b in obj.boxes.all()
            ],
        })
    return {
        "id": event.pk, "version": event.version, "state": event.state,
        "video": {
            "id": video.pk, "title": video.title, "fps": video.fps, "frame_count": video.frame_count,
            "width": video.width, "height": video.height, "duration": video.duration,
            "frame_url_template": (reverse("video-frame", args=[video.pk, 0]).replace("/0.jpg", "/{index}.jpg")
                                   if video.status == VideoStatus.READY else None),
        },
        "event": {"number": event.number, "label": event.label, "start": event.start, "end": event.end},
        "seconds": [{"t": s.t, "frame_index": s.frame_index} for s in sampled_seconds(event, video)],
        "objects": objects,
        "detection": {"model": event.detect_model,
                      "detected_at": event.detected_at.isoformat() if event.detected_at else None},
    }


def doc_for(event: Event, user) -> dict:
    return {**doc_of(event), "editable": editable_by(event, user), "prev_url": _neighbour_url(event, False),
            "next_url": _neighbour_url(event, True)}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def validate_event_doc(doc: dict, *, event: Event, video: Video) -> list[dict]:
    """The checked objects of a document, or Invalid with every problem found."""
    errors: dict[str, str] = {}
    frames = {s.frame_index: s.t for s in sampled_seconds(event, video) if s.frame_index is not None}
    own_objects = {o.pk: o for o in event.av_objects.all()}
    own_boxes = {b.pk: o.pk for o in own_objects.values() for b in o.boxes.all()}
    raw = doc.get("objects")
    if not isinstance(raw, list):
        raise Invalid({"objects": "objects must be a list"})
    if len(raw) > MAX_OBJECTS:
        raise Invalid({"objects": f"at most {MAX_OBJECTS} objects per event"})
    checked, seen_names, seen_ids, seen_boxes = [], {}, set(), set()
    for i, obj in enumerate(raw):
        where = f"objects[{i}]"
        if not isinstance(obj, dict):
            errors[where] = "an object must be a JSON object"
            continue
        obj_id = obj.get("id")
        if obj_id is not None and (not _is_id(obj_id) or obj_id not in own_objects or obj_id in seen_ids):
            errors[f"{where}.id"] = "not an object of this event"
            continue
        seen_ids.add(obj_id)
        name = obj.get("name")
        name = " ".join(name.split()) if isinstance(name, str) else ""
        if not name:
            errors[f"{where}.name"] = "the object needs a name"
        elif len(name) > 100:
            errors[f"{where}.name"] = "names are at most 100 characters"
        elif "<" in name or ">" in name:
            errors[f"{where}.name"] = "names may not contain < or > (the answers are written between tags)"
        elif name.lower() in seen_names:
            errors[f"{where}.name"] = f"{name!r} is already objects[{seen_names[name.lower()]}]"
        else:
            seen_names[name.lower()] = i
        audibility = obj.get("audibility")
        if audibility not in Audibility.values:
            errors[f"{where}.audibility"] = f"audibility must be one of {', '.join(Audibility.values)}"
        boxes = obj.get("boxes")
        if not isinstance(boxes, list):
            errors[f"{where}.boxes"] = "boxes must be a list"
            continue
        rows, per_second = [], {}
        for j, box in enumerate(boxes):
            problem, row = _check_box(box, video, frames, own_boxes, obj_id, seen_boxes)
            if problem:
                errors[f"{where}.boxes[{j}]"] = problem
                continue
            per_second[row["frame_index"]] = per_second.get(row["frame_index"], 0) + 1
            if per_second[row["frame_index"]] > MAX_BOXES_PER_SECOND:
                errors[f"{where}.boxes[{j}]"] = f"at most {MAX_BOXES_PER_SECOND} boxes of one object per second"
                continue
            rows.append(row)
        checked.append({"id": obj_id, "name": name, "audibility": audibility, "boxes": rows})
    if errors:
        raise Invalid(errors)
    # A box kept from a click or a track names its job: it keeps that model as provenance when the job answered a
    # box on its frame; when not (another event's job, say), it is the person's box, as drawn by hand.
    # Each answer is one box: a second box naming the same job and frame is the person's own.
    answered = answered_boxes(event, {row["origin"] for obj in checked for row in obj["boxes"] if row["origin"]})
    for obj in checked:
        for row in obj["boxes"]:
            key = (row["origin"], row["frame_index"])
            row["origin"] = answered.pop(key, None) if row["origin"] else None
    return checked


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_box(box, video: Video, frames: dict[int, float], own_boxes: dict[int, int], obj_id,
               seen: set[int]) -> tuple[str | None, dict]:
    if not isinstance(box, dict):
        return "a box must be a JSON object", {}
    box_id = box.get("id")
    if box_id is not None and (not _is_id(box_id) or own_boxes.get(box_id, -1) != obj_id):
        return "not a box of this object", {}
    if box_id is not None and box_id in seen:
        return "this box is listed twice", {}
    if box_id is not None:
        seen.add(box_id)
    index = box.get("frame_index")
    if not isinstance(index, int) or isinstance(index, bool) or index not in frames:
        shown = ", ".join(str(i) for i in sorted(frames)) or "none: the video has no proxy"
        return f"a box must lie on one of the event's sampled frames ({shown})", {}
    coords = [box.get(k) for k in ("x1", "y1", "x2", "y2")]
    if not all(_number(v) for v in coords):
        return "a box needs numbers x1, y1, x2, y2", {}
    x1, y1, x2, y2 = (float(v) for v in coords)
    if not (x2 > x1 and y2 > y1):
        return "a box needs a positive width and height", {}
    if x1 < 0 or y1 < 0 or x2 > video.width + 1e-6 or y2 > video.height + 1e-6:
        return f"the box lies outside the {video.width}x{video.height} frame", {}
    origin = box.get("origin")
    if origin is not None and (not isinstance(origin, dict) or set(origin) != {"job"} or not _is_id(origin["job"])):
        return 'origin must be {"job": ID}: the click or track job the box came from', {}
    return None, {"id": box_id, "frame_index": index, "t": frames[index], "x1": x1, "y1": y1, "x2": x2, "y2": y2,
                  "origin": origin["job"] if origin is not None and box_id is None else None}


def save_event_doc(*, event: Event, expected_version: int, doc: dict, user, accept: bool = False) -> Event:
    """Replace the event's objects and boxes with the document's. An unchanged model box keeps its provenance; a
    moved or resized one becomes a person's box, a renamed or relabelled object a person's object; omitted objects
    and boxes are deleted (the audit entry keeps them). Saving without accepting puts the event, its objects and
    boxes back under review (an accepted event's QA pairs go until the next accept); accepting accepts them all and
    generates the event's QA pairs."""
    with transaction.atomic():
        current = Event.objects.select_for_update(of=("self",)).select_related("video", "video__project").get(pk=event.pk)
        if current.version != expected_version:
            raise Stale(current, what="event")
        current = event_queryset().get(pk=event.pk)
        if not editable_by(current, user):
            raise NotAllowed("only a reviewer may change an event, and only once its video is processed")
        checked = validate_event_doc(doc, event=current, video=current.video)
        before = _recorded(doc_of(current))
        now = timezone.now()
        old_objects = {o.pk: o for o in current.av_objects.all()}
        old_boxes = {b.pk: b for o in old_objects.values() for b in o.boxes.all()}
        keep_ids = {o["id"] for o in checked if o["id"] is not None}
        AVObject.objects.filter(event=current).exclude(pk__in=keep_ids).delete()
        BoxProposal.objects.filter(avobject__event=current).delete()
        # Renames may swap two names: clear them first so the unique (event, name) constraint holds throughout.
        for pk in keep_ids:
            AVObject.objects.filter(pk=pk).update(name=f"~renaming {pk}")
        state = Decision.ACCEPTED if accept else Decision.PROPOSED
        boxes = []
        for obj in checked:
            if obj["id"] is None:
                row = AVObject.objects.create(event=current, name=obj["name"], audibility=obj["audibility"],
                                              source=Source.HUMAN, state=state,
                                              decided_by=user if accept else None, decided_at=now if accept else None)
            else:
                row = old_objects[obj["id"]]
                if (row.name, row.audibility) != (obj["name"], obj["audibility"]):
                    # A person's object now; the model and call it came from stay as provenance. A later machine
                    # run replaces only the proposals nobody touched.
                    row.source = Source.HUMAN
                row.name, row.audibility = obj["name"], obj["audibility"]
                row.state = state
                row.decided_by, row.decided_at = (user, now) if accept else (None, None)
                row.save(update_fields=["name", "audibility", "source", "state", "decided_by", "decided_at"])
            instances: dict[int, int] = {}
            for box in obj["boxes"]:
                instance = instances.get(box["frame_index"], 0)
                instances[box["frame_index"]] = instance + 1
                boxes.append(_box_row(row, box, instance, old_boxes.get(box["id"]), accept=accept, user=user,
                                      now=now))
        BoxProposal.objects.bulk_create(boxes)
        current.state = state
        current.reviewed_by, current.reviewed_at = (user, now) if accept else (current.reviewed_by, current.reviewed_at)
        current.version += 1
        current.save(update_fields=["state", "reviewed_by", "reviewed_at", "version"])
        QAPair.objects.filter(event=current).delete()
        if accept:
            generate_event_qa(event=current)
            hooks.event_accepted(event=current, user=user)
        after = _recorded(doc_of(event_queryset().get(pk=current.pk)))
        audit.record(project=current.video.project_id, actor=user,
                     action="event.accept" if accept else "event.save", target_type="event", target_id=current.pk,
                     before=before, after=after)
    return current


def review_view(doc: dict) -> dict:
    """An event document as ``benchmark.metrics.agreement.box_agreement`` compares reviews."""
    return {o["name"]: {"audibility": o["audibility"],
                        "where": [(b["t"], (b["x1"], b["y1"], b["x2"], b["y2"])) for b in o["boxes"]]}
            for o in doc["objects"]}


def _recorded(doc: dict) -> dict:
    """What the audit log keeps of an event document: what a review changes."""
    return {key: doc[key] for key in ("state", "version", "objects")}


def _box_row(avobject: AVObject, box: dict, instance: int, old: BoxProposal | None, *, accept: bool, user,
             now) -> BoxProposal:
    fields = dict(avobject=avobject, timestamp=box["t"], frame_index=box["frame_index"], instance=instance,
                  x1=box["x1"], y1=box["y1"], x2=box["x2"], y2=box["y2"],
                  state=Decision.ACCEPTED if accept else Decision.PROPOSED,
                  decided_by=user if accept else None, decided_at=now if accept else None)
    if old is None:
        # A person's box; kept from a click or a track, it keeps the model and version that proposed it (no score:
        # tracking gives none, so a score stays what marks an edited detector box).
        origin = box["origin"] or {}
        return BoxProposal(source=Source.HUMAN, model=origin.get("model", ""),
                           model_version=origin.get("model_version", ""), **fields)
    same = (old.frame_index, old.x1, old.y1, old.x2, old.y2) == (box["frame_index"], box["x1"], box["y1"], box["x2"],
                                                                box["y2"])
    # An edited model box is a person's box now; it keeps the model, version and score it came from.
    return BoxProposal(pk=old.pk, score=old.score, model=old.model, model_version=old.model_version,
                       source=old.source if same else Source.HUMAN, **fields)
