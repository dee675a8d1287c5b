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


def evaluate(*, format: str, truth_path: Path, predictions_path: Path, indices: list[int] | None = None) -> dict:
    """{"metrics": {...}, "items": [...]} with per-item scores (JSON-safe). With `indices` (CG-AV-Counting), only
    those truth items are scored, as if the truth held nothing else; items keep their indices in the truth."""
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
        report = cgav_metrics.score(truth, predictions)
        if indices is not None:
            for item in report.items:
                item.index = indices[item.index]
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
