"""Score a predictions file against a truth file under a named profile: plain Python, no Django, no database.

This is what ``python -m benchmark.metrics``, ``manage.py evaluate`` (which hands the command here before Django
is set up) and the release pages (``benchmark.releases.scoring``) all call.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from benchmark.formats import cgav, ravst
from benchmark.metrics import cgav as cgav_metrics
from benchmark.metrics import cgav_profiles

FORMATS = ("cg-av-counting", "r-avst")
PROFILES = {"cg-av-counting": cgav_profiles.PROFILES, "r-avst": ("strict", "avst-zero")}
# What the leaderboard shows first; the command line keeps the documented "strict" rules unless told.
DEFAULT_PROFILE = {"cg-av-counting": cgav_profiles.DEFAULT_PROFILE, "r-avst": "strict"}
PINS = {"cg-av-counting": cgav_profiles.PINS,
        "r-avst": {"strict": "this project's documented rules (benchmark/metrics/ravst.py)",
                   "avst-zero": "zhlllau/R-AVST@f3171074ba1bfe6e29060fe0c5bf0611df75bf16 "
                                "AVST-Zero/src/open_r1/grpo.py"}}
WORD_VECTORS_ENV = "CLUEBENCH_AVST_WORD_VECTORS"


class ScoringError(ValueError):
    """The truth or the predictions cannot be read, or the profile is unknown; the message says which."""


def plain(value: Any) -> Any:
    """JSON-safe: dataclasses as dicts, tuples as lists, NaN and infinities as None."""
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        return plain(value.item())
    return value


def _check_profile(format: str, profile: str) -> None:
    if format not in FORMATS:
        raise ScoringError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if profile not in PROFILES[format]:
        raise ScoringError(f"unknown profile {profile!r} for {format}; use one of {', '.join(PROFILES[format])}")


def _subset(truth: list, predictions: list[dict], indices: list[int]) -> tuple[list, list[dict]]:
    """The truth items at `indices` and the predictions renumbered to their positions among them."""
    if len(set(indices)) != len(indices) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(truth) for i in indices
    ):
        raise ScoringError(f"the items to score must be distinct indices of the truth (0..{len(truth) - 1})")
    position = {index: n for n, index in enumerate(indices)}
    renumbered = []
    for record in predictions:
        if record["index"] not in position:
            raise ScoringError(f"predictions: index {record['index']} is not one of the items this submission is "
                               "scored on")
        renumbered.append({**record, "index": position[record["index"]]})
    return [truth[i] for i in indices], renumbered


def load(format: str, truth_path: Path, predictions_path: Path, indices: list[int] | None = None):
    """(truth, predictions) as the metric engines take them."""
    if indices is not None and format != "cg-av-counting":
        raise ScoringError("only a CG-AV-Counting submission can be scored on part of the truth")
    if format == "cg-av-counting":
        try:
            truth = cgav.load(truth_path)
        except (cgav.FormatError, OSError, ValueError) as exc:
            raise ScoringError(f"truth {truth_path}: {exc}") from None
        try:
            predictions = cgav_metrics.load_predictions(predictions_path, truth_size=len(truth))
        except cgav_metrics.PredictionError as exc:
            raise ScoringError(f"predictions: {exc}") from None
        if indices is not None:
            truth, predictions = _subset(truth, predictions, indices)
        return truth, predictions
    if format == "r-avst":
        from benchmark.metrics import ravst as ravst_metrics

        try:
            truth = ravst.load(Path(truth_path))
        except (ravst.FormatError, OSError, ValueError) as exc:
            raise ScoringError(f"truth {truth_path}: {exc}") from None
        try:
            predictions = ravst_metrics.load_predictions(predictions_path, truth)
        except ravst_metrics.PredictionError as exc:
            raise ScoringError(f"predictions: {exc}") from None
        return truth, predictions
    raise ScoringError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")


def _score(format: str, profile: str, truth, predictions, word_vectors: str | None):
    if format == "cg-av-counting":
        return cgav_profiles.score(truth, predictions, profile)
    if profile == "strict":
        from benchmark.metrics import ravst as ravst_metrics

        return ravst_metrics.score(truth, predictions)
    from benchmark.metrics import avst_zero

    word_vectors = word_vectors if word_vectors is not None else os.environ.get(WORD_VECTORS_ENV) or None
    try:
        embedder = avst_zero.default_embedder(word_vectors)
    except OSError as exc:
        raise ScoringError(f"word vectors {word_vectors}: {exc}") from None
    return avst_zero.score(truth, predictions, embedder=embedder)


def _result(format: str, profile: str, report) -> dict:
    out = {"profile": profile, "pin": PINS[format][profile], "metrics": plain(report.metrics),
           "published": plain(getattr(report, "published", None) or report.metrics),
           "errors": dict(getattr(report, "errors", {}) or {}), "items": plain(report.items)}
    if getattr(report, "word_vectors", ""):
        out["word_vectors"] = report.word_vectors
    return out


def _reindex(report, indices: list[int] | None) -> None:
    if indices is not None:
        for item in report.items:
            item.index = indices[item.index]


def evaluate(*, format: str, truth_path: Path, predictions_path: Path, profile: str = "strict",
             indices: list[int] | None = None, word_vectors: str | None = None) -> dict:
    """``{"profile", "pin", "metrics", "published", "errors", "items"}`` (JSON-safe). With ``indices``
    (CG-AV-Counting), only those truth items are scored; items keep their indices in the truth."""
    _check_profile(format, profile)
    truth, predictions = load(format, truth_path, predictions_path, indices)
    report = _score(format, profile, truth, predictions, word_vectors)
    _reindex(report, indices)
    return _result(format, profile, report)


def _ravst_disagreements(reports: dict) -> list[dict]:
    strict, zero = reports.get("strict"), reports.get("avst-zero")
    if strict is None or zero is None:
        return []
    zero_by = {(i.video_name, i.event_num, i.task, i.qa_index): i for i in zero.items}
    out = []
    for s in strict.items:
        key = (s.video_name, s.event_num, s.task, s.qa_index)
        z = zero_by.get(key)
        if z is None or s.tiou is None or z.tiou is None or abs(s.tiou - z.tiou) <= 1e-12:
            continue
        out.append({"index": f"{s.video_name} event {s.event_num} #{s.qa_index}", "task_mode": s.task, "raw": z.raw,
                    "scores": {"strict": {"tIoU": s.tiou}, "avst-zero": {"tIoU": z.tiou}},
                    "why": {"strict": f"tIoU {s.tiou:.4f} ({s.status})",
                            "avst-zero": f"tIoU {z.tiou:.4f}" + (f" ({z.note})" if z.note else "")}})
    return out


def evaluate_all(*, format: str, truth_path: Path, predictions_path: Path, indices: list[int] | None = None,
                 word_vectors: str | None = None) -> dict:
    """Every profile of the format: ``{"profiles": {name: result without items}, "items": {name: items},
    "disagreements": [...]}``. The files are read once."""
    if format not in FORMATS:
        raise ScoringError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    truth, predictions = load(format, truth_path, predictions_path, indices)
    reports = {}
    for profile in PROFILES[format]:
        reports[profile] = _score(format, profile, truth, predictions, word_vectors)
        _reindex(reports[profile], indices)
    results = {name: _result(format, name, rep) for name, rep in reports.items()}
    if format == "cg-av-counting":
        disagreements = plain(cgav_profiles.disagreements(reports))
    else:
        disagreements = plain(_ravst_disagreements(reports))
    return {"profiles": {name: {k: v for k, v in r.items() if k != "items"} for name, r in results.items()},
            "items": {name: r["items"] for name, r in results.items()}, "disagreements": disagreements}


def dumps(result: Any) -> str:
    return json.dumps(result, sort_keys=True, ensure_ascii=False)
