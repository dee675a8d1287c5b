"""Reads of releases: the latest released counts and the releases a human baseline can be built for (plugged into
quality control's pages), the worst-scored items of a submission, and the release page's leaderboard and the
data its charts are drawn from."""

import json
from pathlib import Path

from annotation.projects.models import Project
from benchmark.formats import ravst
from benchmark.releases.baseline import coverage
from benchmark.releases.errors import public
from benchmark.releases.models import Release, ReleaseFormat, ReleaseState, Submission, SubmissionState
from benchmark.releases.services import submission_dir, truth_path


def released_count(*, project: Project, key: str) -> tuple[int | None, str]:
    """How many questions ("questions") or QA pairs ("qa_pairs") the latest frozen release holds, and which."""
    releases = Release.objects.filter(project=project, state=ReleaseState.FROZEN).order_by("-frozen_at", "-id")
    for release in releases.only("version", "format", "manifest"):
        counts = (release.manifest or {}).get("counts") or {}
        if isinstance(counts.get(key), int):
            return counts[key], f"in {release.version} ({release.get_format_display()}), the latest frozen release"
    return None, "no frozen release yet"


#: The order of a release's headline counts: what is asked first, then what it is asked about.
HEADLINE_ORDER = ("questions", "qa_pairs", "rows", "events", "videos", "clues")


def headline_counts(*, release: Release) -> list[tuple[str, int]]:
    """The release's whole counts for its page, as (words, number): "questions", 12; questions (or QA pairs)
    first, then events, videos and clues, then any other in name order. The breakdowns (by category, type,
    task) are the page's charts, so they are left out here."""
    counts = (release.manifest or {}).get("counts") or {}
    keys = sorted((k for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)),
                  key=lambda k: (HEADLINE_ORDER.index(k) if k in HEADLINE_ORDER else len(HEADLINE_ORDER), k))
    return [(key.replace("_", " ").replace("qa ", "QA "), counts[key]) for key in keys]


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


# --- the leaderboard and the release page's charts ----------------------------------------------------------------

#: Metrics where a smaller figure is the better one (count errors); every other leaderboard metric is a fraction
#: in [0, 1] where larger is better.
LOWER_IS_BETTER = ("mae", "rmse")


def metric(metrics: dict | None, key: str):
    """A flat key of CG-AV-Counting metrics, or task/metric of R-AVST's nested ones."""
    if not metrics:
        return None
    if key in metrics:
        return metrics[key]
    task, _, name = key.partition("/")
    return (metrics.get(task) or {}).get(name)


def leaderboard(*, release: Release, profile: str, columns: list[tuple[str, str]]) -> list[dict]:
    """The release's submissions (human baselines first, then newest first) under one scoring profile:
    {"submission", "values" (one per column, None where missing), "coverage", "profile_error", "error"}.
    Errors are in the words every member may read (no server path)."""
    rows = []
    for s in release.submissions.order_by("-is_human_baseline", "-created_at"):
        result = profile_result(submission=s, profile=profile)
        profile_error = "; ".join(result.get("errors", {}).values()) if s.state == SubmissionState.SCORED else ""
        rows.append({"submission": s, "values": [metric(result["metrics"], key) for key, _ in columns],
                     "coverage": coverage(submission=s), "profile_error": public(profile_error),
                     "error": public(s.error)})
    return rows


def _number(value) -> float | None:
    """A metric as a JSON number; None for a missing, non-numeric or non-finite one (NaN is not JSON)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def charts_payload(*, stats: list[dict], columns: list[tuple[str, str]], rows: list[dict], profile: str) -> dict:
    """What the releases island draws (the page's json_script): the release's statistics and the leaderboard
    under the profile shown. Plain JSON: labels, counts and figures, nothing from the server's disk."""
    return {
        "stats": [{"title": s["title"], "unit": s.get("unit", ""),
                   "bars": [{"label": str(b["label"]), "count": int(b["count"])} for b in s["bars"]]}
                  for s in stats],
        "leaderboard": {
            "profile": profile,
            "metrics": [{"key": key, "label": label,
                         "better": "lower" if key.rpartition("/")[2] in LOWER_IS_BETTER else "higher",
                         "scale": "count" if key.rpartition("/")[2] in LOWER_IS_BETTER else "fraction"}
                        for key, label in columns],
            "rows": [{"id": r["submission"].pk, "model": r["submission"].model_name,
                      "human": r["submission"].is_human_baseline, "state": r["submission"].state,
                      "stateLabel": r["submission"].get_state_display(),
                      "values": [_number(v) for v in r["values"]]} for r in rows],
        },
    }
