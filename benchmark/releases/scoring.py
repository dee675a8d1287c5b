"""Scoring a submission's file against its release, for the leaderboard: the plain scorer of
benchmark.metrics.evaluate under every profile of the release's format."""

from __future__ import annotations

from benchmark.metrics.evaluate import (  # noqa: F401 - the names the release app uses
    DEFAULT_PROFILE,
    FORMATS,
    PINS,
    PROFILES,
    ScoringError,
    dumps,
    evaluate,
    evaluate_all,
)
