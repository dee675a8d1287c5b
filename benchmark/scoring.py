"""Scoring a predictions file against truth, for the command line and the leaderboard: one entry point per
format over the metric engines (benchmark/metrics), which reproduce the public evaluators."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from benchmark.formats import cgav, ravst
from benchmark.metrics import cgav as cgav_metrics
from benchmark.metrics import ravst as ravst_metrics

FORMATS = ("cg-av-counting", "r-avst")


class ScoringError(ValueError):
    """The truth or the predictions cannot be read; the message names the file and line."""


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        value = asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def evaluate(*, format: str, truth_path: Path, predictions_path: Path) -> dict:
    """{"metrics": {...}, "items": [...]} with per-item scores (JSON-safe)."""
    if format == "cg-av-counting":
        try:
            truth = cgav.load(truth_path)
        except (cgav.FormatError, OSError, ValueError) as exc:
            raise ScoringError(f"truth {truth_path}: {exc}") from None
        try:
            predictions = cgav_metrics.load_predictions(predictions_path, truth_size=len(truth))
        except cgav_metrics.PredictionError as exc:
            raise ScoringError(f"predictions: {exc}") from None
        report = cgav_metrics.score(truth, predictions)
    elif format == "r-avst":
        try:
            truth = ravst.load(Path(truth_path))
        except (ravst.FormatError, OSError, ValueError) as exc:
            raise ScoringError(f"truth {truth_path}: {exc}") from None
        try:
            predictions = ravst_metrics.load_predictions(predictions_path, truth)
        except ravst_metrics.PredictionError as exc:
            raise ScoringError(f"predictions: {exc}") from None
        report = ravst_metrics.score(truth, predictions)
    else:
        raise ScoringError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return {"metrics": _plain(report.metrics), "items": _plain(report.items)}


def dumps(result: dict) -> str:
    return json.dumps(result, sort_keys=True, ensure_ascii=False)
