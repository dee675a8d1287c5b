"""Existing releases brought into a project, so that everything downstream (exports, scoring, statistics)
works on data no one annotated here. Videos whose files are absent are kept as metadata."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from annotation.avst.models import Audibility, AVObject, BoxProposal, Event, QAPair
from annotation.counting.models import Category, Clue, Question, QuestionState
from annotation.projects.models import Decision, Project, ProjectKind, Source
from benchmark.formats import cgav, ravst
from pipeline.videos.models import Video, VideoStatus


class ImportFailed(ValueError):
    """The file cannot be imported into that project; the message says why."""


@dataclass(frozen=True)
class ImportReport:
    project: Project
    videos_created: int
    items: int
    details: dict


def _project(name: str, kind: str) -> Project:
    project, _ = Project.objects.get_or_create(name=name, defaults={"kind": kind})
    if project.kind != kind:
        raise ImportFailed(f"project {name!r} is a {project.get_kind_display()} project, not {ProjectKind(kind).label}")
    return project


def _videos(project: Project, names: list[str], durations: dict[str, float] | None = None) -> tuple[dict, int]:
    known = {v.external_id: v for v in Video.objects.filter(project=project, external_id__in=names)}
    missing = [n for n in dict.fromkeys(names) if n not in known]
    created = Video.objects.bulk_create(
        Video(project=project, external_id=n, title=n, status=VideoStatus.METADATA,
              duration=(durations or {}).get(n) or None)
        for n in missing
    )
    known.update({v.external_id: v for v in created})
    return known, len(created)


def import_cgav(*, project_name: str, path: Path) -> ImportReport:
    try:
        items = cgav.load(path)
    except cgav.FormatError as exc:
        raise ImportFailed(f"{path}: {exc}") from None
    with transaction.atomic():
        project = _project(project_name, ProjectKind.COUNTING)
        videos, created = _videos(project, [item["video"] for item in items])
        questions = Question.objects.bulk_create(
            Question(
                video=videos[item["video"]], text=item["question"], category=item["category"], modality=item["type"],
                drafted_answer=item["answer"], ref_start=item["query_interval"][0], ref_end=item["query_interval"][1],
                final_start=item["query_interval"][0], final_end=item["query_interval"][1], state=QuestionState.POOLED,
            )
            for item in items
        )
        clues = []
        for item, question in zip(items, questions):
            if item["category"] == Category.EVENT:
                clues += [Clue(question=question, kind=Category.EVENT, start=c["start"], end=c["end"]) for c in item["clue"]]
            elif item["category"] == Category.OBJECT:
                clues += [_box_clue(question, Category.OBJECT, c, "") for c in item["clue"]]
            else:
                for k, cluster in enumerate(item["clue"], start=1):
                    clues += [_box_clue(question, Category.ATTRIBUTE, c, f"cluster {k}") for c in cluster]
        Clue.objects.bulk_create(clues)
    return ImportReport(project, created, len(items), {"questions": len(questions), "clues": len(clues)})


def _box_clue(question: Question, kind: str, entry: dict, cluster: str) -> Clue:
    x1, y1, x2, y2 = entry["bbox"]
    return Clue(
        question=question, kind=kind, timestamp=entry["timestamp"], x1=min(x1, x2), y1=min(y1, y2),
        x2=max(x1, x2), y2=max(y1, y2), cluster=cluster,
    )


def _template(task: str, question: str) -> str:
    parts = ravst.parse_question(task, question)
    if task == "AVSR":
        return "avsr_sounding" if parts.sounding else "avsr_silent"
    return task.lower()


def _event_span(event, duration: float) -> tuple[float, float]:
    """The event's boundaries: as its AVSR question states them, else the first <when> of its answers."""
    bounds = ravst.event_bounds(event)
    if bounds is None:
        for qas in event.qa.values():
            for qa in qas:
                for obj in qa.answer.objects:
                    if obj.when is not None:
                        bounds = obj.when
                        break
    if bounds is None or not 0 <= bounds[0] < bounds[1]:
        bounds = (0.0, duration)
    return float(bounds[0]), float(bounds[1])


def import_ravst(*, project_name: str, path: Path) -> ImportReport:
    """Videos (as metadata), events, their objects with audibility, the boxes and the QA pairs (accepted: a
    published file has been reviewed). Export gives back the same file."""
    try:
        videos = ravst.load(Path(path))
    except ravst.FormatError as exc:
        raise ImportFailed(f"{path}: {exc}") from None
    with transaction.atomic():
        project = _project(project_name, ProjectKind.AVST)
        rows, created = _videos(project, [v.video_name for v in videos], {v.video_name: v.duration for v in videos})
        event_rows = []
        for v in videos:
            for e in v.events:
                start, end = _event_span(e, v.duration)
                event_rows.append(Event(video=rows[v.video_name], number=e.event_num, start=start, end=end,
                                        state=Decision.ACCEPTED))
        event_rows = Event.objects.bulk_create(event_rows)
        pairs, objects, boxes_for = [], [], []
        position = 0
        for v in videos:
            for e in v.events:
                event = event_rows[position]
                position += 1
                names: dict[str, AVObject] = {}
                for task, qas in e.qa.items():
                    for qa in qas:
                        template = _template(task, qa.question)
                        pairs.append(QAPair(
                            video=event.video, event=event, task=task, template=template, question=qa.question,
                            answer={"raw": qa.raw_answer}, state=Decision.ACCEPTED,
                        ))
                        audible = template != "avsr_silent"
                        for obj in qa.answer.objects:
                            if obj.name not in names:
                                names[obj.name] = AVObject(
                                    event=event, name=obj.name, source=Source.HUMAN, state=Decision.ACCEPTED,
                                    audibility=Audibility.AUDIBLE if audible else Audibility.VISIBLE_ONLY,
                                )
                                objects.append(names[obj.name])
                                boxes_for.append(obj.where or [])
        QAPair.objects.bulk_create(pairs, batch_size=2000)
        objects = AVObject.objects.bulk_create(objects, batch_size=2000)
        boxes = []
        for avobject, where in zip(objects, boxes_for):
            seen: dict[float, int] = {}
            for t, (x1, y1, x2, y2) in where:
                if x2 <= x1 or y2 <= y1:
                    continue  # [0, 0, 0, 0]: the object was not found at that second
                instance = seen.get(t, 0)
                seen[t] = instance + 1
                boxes.append(BoxProposal(
                    avobject=avobject, timestamp=t, instance=instance, x1=x1, y1=y1, x2=x2, y2=y2,
                    source=Source.HUMAN, state=Decision.ACCEPTED,
                ))
        BoxProposal.objects.bulk_create(boxes, batch_size=5000)
    return ImportReport(project, created, len(pairs), {
        "videos": len(videos), "events": len(event_rows), "qa_pairs": len(pairs), "objects": len(objects),
        "boxes": len(boxes),
    })
