"""Importing UnAV-100 annotations into an R-AVST project, and applying the paper's filtering with the project's
bounds (the rules are the engine pipeline.avst.filtering)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from annotation.avst.models import Event
from annotation.projects.models import Project, ProjectKind
from pipeline.avst import filtering, unav100
from pipeline.jobs.services import enqueue_job
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import PROCESS_VIDEO, ingest_video


class AvstImportError(ValueError):
    """The annotation file or the videos folder cannot be imported; the message says where and why."""


@dataclass
class UnavImportReport:
    project: Project
    videos_created: int = 0
    videos_existing: int = 0
    events_created: int = 0
    files_found: int = 0
    files_missing: int = 0
    kept: int = 0
    removed: dict[str, int] = field(default_factory=dict)
    jobs: list = field(default_factory=list)


def filter_rules(project: Project) -> filtering.FilterRules:
    try:
        return filtering.FilterRules.from_settings(project.settings.get("filtering") or {})
    except filtering.SettingsError as exc:
        raise AvstImportError(f"the project's filtering settings are invalid: {exc}") from None


def import_unav100(*, project_name: str, annotations: Path, videos_dir: Path | None = None,
                   dispatch: bool = True) -> UnavImportReport:
    """Videos and events from an UnAV-100 annotation file into the project (created, kind R-AVST, if missing), then
    the filtering. A video whose file is in ``videos_dir`` is stored and queued for processing once kept; one without
    stays metadata. Importing the same file again adds nothing."""
    try:
        videos = unav100.load(Path(annotations))
    except unav100.FormatError as exc:
        raise AvstImportError(f"{annotations}: {exc}") from None
    if videos_dir is not None and not Path(videos_dir).is_dir():
        raise AvstImportError(f"{videos_dir}: not a folder")
    with transaction.atomic():
        project, _ = Project.objects.get_or_create(name=project_name, defaults={"kind": ProjectKind.AVST})
        if project.kind != ProjectKind.AVST:
            raise AvstImportError(f"project {project_name} is a {project.get_kind_display()} project, not R-AVST")
        rules = filter_rules(project)
        report = UnavImportReport(project=project)
        existing = set(Video.objects.filter(project=project).values_list("external_id", flat=True))
        for item in videos:
            if item.video_id in existing:
                report.videos_existing += 1
                continue
            video = Video.objects.create(project=project, title=item.video_id, external_id=item.video_id,
                                         duration=item.duration, status=VideoStatus.METADATA,
                                         meta={"unav100": {"subset": item.subset}})
            Event.objects.bulk_create([
                Event(video=video, number=n, label=e.label, start=e.start, end=e.end)
                for n, e in enumerate(item.events, start=1)
            ])
            report.videos_created += 1
            report.events_created += len(item.events)
        apply_filtering(project=project, rules=rules, dispatch=dispatch)
    # Files are copied outside the transaction: a large folder should not hold it open, and each ingest commits.
    if videos_dir is not None:
        wanted = Video.objects.filter(project=project, status=VideoStatus.METADATA, file="").order_by("id")
        for video in wanted:
            path = unav100.find_video(Path(videos_dir), video.external_id)
            if path is None:
                report.files_missing += 1
                continue
            report.files_found += 1
            with open(path, "rb") as source:
                ingested = ingest_video(project=project, source=source, filename=path.name, into=video,
                                        process=not video.filter_rule, dispatch=dispatch)
            if ingested.job is not None:
                report.jobs.append(ingested.job)
    counts = Counter(Video.objects.filter(project=project).values_list("filter_rule", flat=True))
    report.kept = counts.pop("", 0)
    report.removed = dict(sorted(counts.items()))
    return report


def apply_filtering(*, project: Project, rules: filtering.FilterRules | None = None,
                    dispatch: bool = True) -> filtering.FilterSummary:
    """Run the filtering over every video of the project with its current bounds and store each outcome; a kept
    video whose file was stored but not processed (filtering had removed it) is queued for processing now."""
    rules = rules or filter_rules(project)
    videos = list(Video.objects.filter(project=project).prefetch_related("events").order_by("id"))
    decisions = filtering.filter_videos([
        unav100.UnavVideo(video_id=str(v.pk), duration=v.duration or 0.0, subset="",
                          events=tuple(unav100.UnavEvent(e.start, e.end, e.label) for e in v.events.all()))
        for v in videos
    ], rules)
    by_id = {d.video_id: d for d in decisions}
    changed = []
    for video in videos:
        decision = by_id[str(video.pk)]
        new = (decision.group or "", decision.rule or "", decision.reason)
        if (video.filter_group, video.filter_rule, video.filter_reason) != new:
            video.filter_group, video.filter_rule, video.filter_reason = new
            changed.append(video)
    Video.objects.bulk_update(changed, ["filter_group", "filter_rule", "filter_reason"], batch_size=1000)
    waiting = Video.objects.filter(project=project, filter_rule="", status=VideoStatus.METADATA).exclude(file="")
    for video in waiting:
        Video.objects.filter(pk=video.pk).update(status=VideoStatus.UPLOADED)
        enqueue_job(kind=PROCESS_VIDEO, project=project, target=video, params={"video_id": video.pk}, dispatch=dispatch)
    return filtering.summarize(decisions)
