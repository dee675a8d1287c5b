"""From the database to release files, one function per format. Each writes into a folder and returns the
release's description for the manifest (counts, source video hashes, models and prompts involved).

Query counts do not grow with the number of questions: rows come with select_related/prefetch_related.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from django.conf import settings

from annotation.avst.models import QAPair
from annotation.counting.clues import clue_list
from annotation.counting.models import CandidateQuestion, Question, QuestionState
from annotation.projects.models import Decision
from benchmark.formats import cgav, hf, ravst
from benchmark.releases.errors import ReleaseError
from benchmark.releases.models import Release, ReleaseFormat
from pipeline.media import clips
from pipeline.videos.models import Video


def video_file_name(video: Video) -> str:
    """The name a video has in a CG-AV-Counting release: its source name when it has one, else its id."""
    name = video.external_id or f"video-{video.pk}"
    if "/" in name or "\\" in name or name in {".", ".."} or name.startswith("."):
        raise ReleaseError(f"video {video.pk} is named {name!r}, which cannot be a file name in a release")
    return name if name.lower().endswith(".mp4") else f"{name}.mp4"


def cgav_items(release: Release) -> tuple[list[dict], list[Question]]:
    questions = list(
        Question.objects.filter(video__project=release.project, state=QuestionState.POOLED)
        .select_related("video")
        .prefetch_related("clues")
        .order_by("video__external_id", "video__id", "id")
    )
    items = []
    for index, q in enumerate(questions):
        start = q.final_start if q.final_start is not None else q.ref_start
        end = q.final_end if q.final_end is not None else q.ref_end
        items.append(
            cgav.build_item(
                index=index, video=video_file_name(q.video), question=q.text, answer=q.drafted_answer,
                type=q.modality, category=q.category, query_interval=[start, end], clue=clue_list(q),
            )
        )
    return items, questions


def _copy_new(src: Path, dst: Path) -> None:
    """A copy, never a hard link (freezing makes release files read-only, which must not reach the live proxy),
    and never over another file."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.exists():
        raise ReleaseError(f"two videos would both be {dst.name} in the release; rename one")
    shutil.copyfile(src, dst)


def _models_involved(project) -> list[dict]:
    rows = (
        CandidateQuestion.objects.filter(video__project=project, state=Decision.ACCEPTED)
        .exclude(model="")
        .values_list("model", "prompt_version")
        .distinct()
    )
    return [{"model": m, "prompt_version": p} for m, p in sorted(rows)]


def export_cgav(release: Release, out: Path) -> dict:
    items, questions = cgav_items(release)
    (out / "cg-av-counting.json").write_bytes(cgav.dump(items))
    videos = {q.video_id: q.video for q in questions}
    if not release.metadata_only:
        for video in videos.values():
            if not video.proxy.name:
                raise_missing(video)
            _copy_new(Path(settings.MEDIA_ROOT) / video.proxy.name, out / "cg_videos_720p" / video_file_name(video))
        for item, q in zip(items, questions):
            start, end = item["query_interval"]
            clips.cut_clip(
                Path(settings.MEDIA_ROOT) / q.video.proxy.name,
                out / "ref_videos" / clips.clip_name(item["video"], start, end),
                start=start, end=end, fps=q.video.fps,
            )
    return {
        "counts": {
            "questions": len(items),
            "videos": len(videos),
            "clues": sum(len(q.clues.all()) for q in questions),
            "by_category": dict(sorted(Counter(i["category"] for i in items).items())),
            "by_type": dict(sorted(Counter(i["type"] for i in items).items())),
        },
        "sources": {video_file_name(v): v.sha256 for v in sorted(videos.values(), key=video_file_name)},
        "models": _models_involved(release.project),
    }


def raise_missing(video: Video):
    raise ReleaseError(
        f"video {video.title} has no 720p proxy (status: {video.get_status_display().lower()}); "
        "process it first, or release with --metadata-only"
    )


def ravst_videos(release: Release) -> list:
    pairs = list(
        QAPair.objects.filter(video__project=release.project, state=Decision.ACCEPTED)
        .select_related("video", "event")
        .order_by("video__id", "event__id", "id")
    )
    if release.selection.get("split"):
        pairs = [p for p in pairs if p.split == release.selection["split"]]
    return ravst_from_pairs(pairs)


def ravst_from_pairs(pairs: list[QAPair]) -> list[ravst.RavstVideo]:
    """QA pairs (ordered by video, event, id) as the R-AVST structure, events and tasks in stored order."""
    videos: dict[int, ravst.RavstVideo] = {}
    events: dict[tuple[int, int | None], ravst.RavstEvent] = {}
    for pair in pairs:
        video = videos.get(pair.video_id)
        if video is None:
            video = videos[pair.video_id] = ravst.RavstVideo(
                video_name=pair.video.external_id or pair.video.title, duration=pair.video.duration or 0.0
            )
        event = events.get((pair.video_id, pair.event_id))
        if event is None:
            event = events[(pair.video_id, pair.event_id)] = ravst.RavstEvent(
                event_num=pair.event.number if pair.event else 1
            )
            video.events.append(event)
        raw = pair.answer["raw"]
        event.qa.setdefault(pair.task, []).append(
            ravst.QA(question=pair.question, answer=ravst.parse_answer(raw), raw_answer=raw)
        )
    return list(videos.values())


def export_ravst(release: Release, out: Path) -> dict:
    videos = ravst_videos(release)
    (out / "r-avst.json").write_text(ravst.dump(videos), encoding="utf-8")
    tasks = Counter(task for v in videos for e in v.events for task, qas in e.qa.items() for _ in qas)
    return {
        "counts": {"videos": len(videos), "events": sum(len(v.events) for v in videos), "qa_pairs": sum(tasks.values()),
                   "by_task": dict(sorted(tasks.items()))},
        "models": [],
    }


def export_hf(release: Release, out: Path) -> dict:
    if release.project.kind == "counting":
        items, _ = cgav_items(release)
        rows, name, doc = hf.cgav_rows(items), "cg-av-counting", hf.CGAV_FEATURES_DOC
    else:
        rows, name, doc = hf.ravst_rows(ravst.to_obj(ravst_videos(release))), "r-avst", hf.RAVST_FEATURES_DOC
    hf.write_parquet(
        rows, out, name=name, features_doc=doc,
        description=f"{release.project.name} {release.version}, exported by Cluebench.",
    )
    return {"counts": {"rows": len(rows)}, "models": _models_involved(release.project)}


EXPORTERS = {
    ReleaseFormat.CG_AV_COUNTING: export_cgav,
    ReleaseFormat.R_AVST: export_ravst,
    ReleaseFormat.HF_PARQUET: export_hf,
}
