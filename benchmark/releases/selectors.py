"""Reads of releases: the latest released counts and the releases a human baseline can be built for (plugged into
quality control's pages), and the worst-scored items of a submission."""

import json
from pathlib import Path

from annotation.projects.models import Project
from benchmark.formats import ravst
from benchmark.releases.models import Release, ReleaseFormat, ReleaseState, Submission
from benchmark.releases.services import submission_dir, truth_path


def released_count(*, project: Project, key: str) -> tuple[int | None, str]:
    """How many questions ("questions") or QA pairs ("qa_pairs") the latest frozen release holds, and which."""
    releases = Release.objects.filter(project=project, state=ReleaseState.FROZEN).order_by("-frozen_at", "-id")
    for release in releases.only("version", "format", "manifest"):
        counts = (release.manifest or {}).get("counts") or {}
        if isinstance(counts.get(key), int):
            return counts[key], f"in {release.version} ({release.get_format_display()}), the latest frozen release"
    return None, "no frozen release yet"


def headline_counts(*, release: Release) -> list[tuple[str, int]]:
    """The release's whole counts for its page, in the manifest's order, as (words, number): "questions", 12. The
    breakdowns (by category, type, task) are the page's charts, so they are left out here."""
    counts = (release.manifest or {}).get("counts") or {}
    return [(key.replace("_", " ").replace("qa ", "QA "), value) for key, value in counts.items()
            if isinstance(value, int) and not isinstance(value, bool)]


def baseline_releases(*, project: Project) -> list[Release]:
    """The frozen CG-AV-Counting releases of the project, newest first: those a human baseline is built for."""
    return list(Release.objects.filter(project=project, format=ReleaseFormat.CG_AV_COUNTING,
                                       state=ReleaseState.FROZEN).order_by("-created_at"))


def worst_items(*, submission: Submission, limit: int = 25) -> list[dict]:
    path = submission_dir(submission) / "items.json"
    if not path.exists():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    if submission.release.format == ReleaseFormat.CG_AV_COUNTING:
        def badness(item):
            if item.get("err") is not None:
                return item["err"]
            return 1 - (item.get("wcs") or 0)

        worst = sorted(items, key=badness, reverse=True)[:limit]
        return [{"key": f"#{i['index']} {i['task_mode']}", "scores": {k: i.get(k) for k in ("acc", "err", "wcs", "ifa")},
                 "prediction": i.get("raw"), "truth": json.dumps(i.get("gt"))} for i in worst]
    truth = {(name, num, task, k): qa.raw_answer
             for name, num, task, k, qa in ravst.iter_questions(ravst.load(truth_path(submission.release)))}
    predictions = {}
    with open(Path(submission.file.path), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                key = (record["video_name"], record["event_num"], record["task"], record.get("qa_index", 0))
                predictions[key] = record.get("prediction")

    def score_of(item):
        values = [item.get(k) for k in ("tiou", "viou", "obj_acc") if item.get(k) is not None]
        return min(values) if values else 0.0

    worst = sorted(items, key=score_of)[:limit]
    rows = []
    for i in worst:
        key = (i["video_name"], i["event_num"], i["task"], i["qa_index"])
        rows.append({"key": f"{i['video_name']} event {i['event_num']} {i['task']}",
                     "scores": {k: i.get(k) for k in ("status", "tiou", "viou", "obj_acc")},
                     "prediction": predictions.get(key), "truth": truth.get(key)})
    return rows


def profile_choice(*, release: Release, requested: str | None) -> tuple[str, list[tuple[str, str]]]:
    """The scoring profile a leaderboard shows (the requested one if the format has it, else the format's
    default) and the choices: (name, the commit it reproduces)."""
    from benchmark.releases.scoring import DEFAULT_PROFILE, PINS, PROFILES

    profiles = PROFILES.get(release.format, ())
    chosen = requested if requested in profiles else DEFAULT_PROFILE.get(release.format, "strict")
    return chosen, [(name, PINS[release.format][name]) for name in profiles]


def profile_result(*, submission: Submission, profile: str) -> dict:
    """{"metrics", "published", "errors"} of one profile; a submission scored before profiles has "strict" only."""
    stored = (submission.profile_metrics or {}).get(profile)
    if stored is not None:
        return stored
    if profile == "strict" and submission.metrics is not None:
        return {"metrics": submission.metrics, "published": submission.metrics, "errors": {}}
    return {"metrics": {}, "published": {}, "errors": {"": "not scored under this profile (scored before profiles)"}}


def disagreements(*, submission: Submission, limit: int = 200) -> tuple[list[dict], int]:
    """The items on which the scoring profiles disagree (the first `limit`), and how many there are."""
    path = submission_dir(submission) / "disagreements.json"
    if not path.exists():
        return [], 0
    rows = json.loads(path.read_text(encoding="utf-8"))
    return rows[:limit], len(rows)
