"""R-AVST QA pairs from a reviewer-accepted event: its accepted objects and boxes through the published templates
(benchmark.formats.ravst_qa), boxes scaled from proxy pixels to the original video's pixels as the format writes them."""

from __future__ import annotations

from annotation.avst.models import Event, QAPair
from annotation.avst.seconds import sampled_seconds
from annotation.projects.models import Decision
from benchmark.formats import ravst_qa as templates
from pipeline.videos.models import Video


def original_size(video: Video) -> tuple[int, int] | None:
    """The original video's displayed width and height (after rotation), when it was probed."""
    probe = video.source_probe or {}
    width, height = probe.get("width"), probe.get("height")
    if not width or not height:
        return None
    if probe.get("rotation") in (90, 270):
        width, height = height, width
    return int(width), int(height)


def event_input(event: Event) -> templates.EventInput:
    """The event's accepted objects with, per sampled second, their accepted boxes in original pixels."""
    video = event.video
    size = original_size(video)
    scale = (size[0] / video.width, size[1] / video.height) if size and video.width and video.height else None
    seconds = [s.t for s in sampled_seconds(event, video)]
    objects = []
    for obj in event.av_objects.filter(state=Decision.ACCEPTED).order_by("id"):
        boxes: dict[float, list] = {t: [] for t in seconds}
        for box in obj.boxes.filter(state=Decision.ACCEPTED).order_by("timestamp", "instance", "id"):
            coords = (box.x1, box.y1, box.x2, box.y2)
            if box.frame_index is not None and scale is not None:
                # Drawn on the proxy: the format wants the original's pixels.
                coords = templates.scale_box(coords, scale[0], scale[1], width=size[0], height=size[1])
            boxes.setdefault(box.timestamp, []).append(coords)
        objects.append(templates.EventObject(name=obj.name, audibility=obj.audibility, boxes=boxes))
    return templates.EventInput(number=event.number, start=event.start, end=event.end, objects=objects)


def _template(task: str, question: str) -> str:
    if task == "AVSR":
        return "avsr_sounding" if question.startswith("What visible") else "avsr_silent"
    return task.lower()


def generate_event_qa(*, event: Event) -> list[QAPair]:
    """Replace the event's QA pairs with those its accepted objects and boxes give (accepted: they are made of
    reviewed truth by fixed templates, no model is involved)."""
    generated = templates.event_qa(event_input(event))
    QAPair.objects.filter(event=event).delete()
    rows = [
        QAPair(video=event.video, event=event, task=task, template=_template(task, pair.question),
               question=pair.question, answer={"raw": pair.raw_answer}, state=Decision.ACCEPTED,
               decided_by=event.reviewed_by, decided_at=event.reviewed_at)
        for task, pairs in generated.qa.items() for pair in pairs
    ]
    return QAPair.objects.bulk_create(rows)
