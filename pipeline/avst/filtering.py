"""The R-AVST paper's video filtering, with every bound configurable per project.

Groups by duration (defaults)::

    short    0 s  <= duration < 30 s
    medium   30 s <= duration < 60 s
    long     60 s <= duration <= 600 s       (above max_duration: no group)

Rules, applied in this order; a removed video gets the FIRST rule that removes it, and only that one:

1. ``duration``         the duration is in no group (longer than ``max_duration``);
2. ``no_events``        the video has no event (checked before coverage, which would be 0 and say less);
3. ``too_many_events``  more than ``max_events`` events;
4. ``low_coverage``     the events cover less than ``min_coverage`` of the video, where coverage is the length
                        of the UNION of the event intervals over the duration (overlapping events count once).

A removed video keeps its duration group when it has one (a long video removed for its events is still long).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from .unav100 import UnavEvent, UnavVideo

__all__ = [
    "GROUPS",
    "RULES",
    "FilterDecision",
    "FilterRules",
    "FilterSummary",
    "SettingsError",
    "coverage",
    "decide",
    "duration_group",
    "filter_videos",
    "summarize",
]

GROUPS = ("short", "medium", "long")
RULES = ("duration", "no_events", "too_many_events", "low_coverage")


class SettingsError(ValueError):
    """A project's filter settings are not usable; the message names the setting."""


@dataclass(frozen=True)
class FilterRules:
    short_max: float = 30.0  # seconds; short: duration < short_max
    medium_max: float = 60.0  # seconds; medium: short_max <= duration < medium_max
    max_duration: float = 600.0  # seconds; long: medium_max <= duration <= max_duration
    max_events: int = 3
    min_coverage: float = 0.08  # share of the video, 0..1

    def __post_init__(self) -> None:
        for name in ("short_max", "medium_max", "max_duration", "min_coverage"):
            value = getattr(self, name)
            if not _is_number(value):
                raise SettingsError(f"{name}: must be a number, got {value!r}")
        if not isinstance(self.max_events, int) or isinstance(self.max_events, bool):
            raise SettingsError(f"max_events: must be a whole number, got {self.max_events!r}")
        if self.short_max <= 0:
            raise SettingsError(f"short_max: must be more than 0 s, got {self.short_max!r}")
        if self.medium_max <= self.short_max:
            raise SettingsError(
                f"medium_max: must be more than short_max ({self.short_max!r} s), got {self.medium_max!r}"
            )
        if self.max_duration < self.medium_max:
            raise SettingsError(
                f"max_duration: must be at least medium_max ({self.medium_max!r} s), got {self.max_duration!r}"
            )
        if self.max_events < 1:
            raise SettingsError(f"max_events: must be at least 1, got {self.max_events!r}")
        if not 0 <= self.min_coverage <= 1:
            raise SettingsError(f"min_coverage: must be a share between 0 and 1, got {self.min_coverage!r}")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> FilterRules:
        """Rules from a project's JSON settings: a mapping of the field names above; a missing key keeps its
        default, an unknown key is an error (a misspelt setting would otherwise be silently ignored)."""
        if settings is None:
            return cls()
        if not isinstance(settings, Mapping):
            raise SettingsError(f"filter settings must be an object, got {type(settings).__name__}")
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise SettingsError(f"unknown filter setting(s) {', '.join(map(repr, unknown))}; known: {', '.join(known)}")
        values = dict(settings)
        # JSON has one number type: 3.0 for max_events is fine, 3.5 is not.
        events = values.get("max_events")
        if isinstance(events, float) and events.is_integer():
            values["max_events"] = int(events)
        return cls(**values)


@dataclass(frozen=True)
class FilterDecision:
    video_id: str
    kept: bool
    group: str | None  # one of GROUPS, None when the duration is in no group
    rule: str | None  # one of RULES for a removed video, None for a kept one
    reason: str  # why it was removed, with the numbers; "" for a kept video
    coverage: float  # share of the video covered by the union of its events


@dataclass(frozen=True)
class FilterSummary:
    total: int
    kept: int
    removed_by_rule: dict[str, int]  # every rule of RULES, in that order
    kept_by_group: dict[str, int]  # every group of GROUPS, in that order


def duration_group(duration: float, rules: FilterRules) -> str | None:
    if duration < rules.short_max:
        return "short"
    if duration < rules.medium_max:
        return "medium"
    if duration <= rules.max_duration:
        return "long"
    return None


def coverage(events: Iterable[UnavEvent], duration: float) -> float:
    """Length of the union of the event intervals (clipped to the video) over ``duration``."""
    covered = 0.0
    reach = 0.0  # end of the union so far; intervals are visited by start, so a gap shows as start > reach
    for event in sorted(events, key=lambda e: e.start):
        start, end = max(event.start, reach), min(event.end, duration)
        if end > start:
            covered += end - start
            reach = end
    return covered / duration


def decide(video: UnavVideo, rules: FilterRules) -> FilterDecision:
    if not video.duration or video.duration <= 0:
        # A video uploaded to the project but not yet probed has no length to group it by or to cover.
        return FilterDecision(video.video_id, False, None, "duration", "duration unknown (not processed yet)", 0.0)
    group = duration_group(video.duration, rules)
    share = coverage(video.events, video.duration)

    def removed(rule: str, reason: str) -> FilterDecision:
        return FilterDecision(video.video_id, False, group, rule, reason, share)

    if group is None:
        return removed(
            "duration",
            f"duration {_duration(video.duration)} is outside every group (max {_duration(rules.max_duration)})",
        )
    if not video.events:
        return removed("no_events", "no events")
    if len(video.events) > rules.max_events:
        return removed("too_many_events", f"{len(video.events)} events; at most {rules.max_events} allowed")
    if share < rules.min_coverage:
        return removed(
            "low_coverage",
            f"events cover {_percent_down(share)} of the video; at least {rules.min_coverage * 100:g}% required",
        )
    return FilterDecision(video.video_id, True, group, None, "", share)


def filter_videos(videos: Iterable[UnavVideo], rules: FilterRules) -> list[FilterDecision]:
    """One decision per video, in the order given."""
    return [decide(video, rules) for video in videos]


def summarize(decisions: Iterable[FilterDecision]) -> FilterSummary:
    removed = dict.fromkeys(RULES, 0)
    kept = dict.fromkeys(GROUPS, 0)
    total = 0
    for d in decisions:
        total += 1
        if d.kept:
            kept[d.group] += 1
        else:
            removed[d.rule] += 1
    return FilterSummary(total=total, kept=sum(kept.values()), removed_by_rule=removed, kept_by_group=kept)


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.1f} s"


def _percent_down(share: float) -> str:
    # Rounded down, so a share just under the bound never reads as the bound itself (7.96% is "7.9%", not "8.0%");
    # the epsilon keeps 0.035 * 1000 == 34.999... from showing as 3.4%.
    return f"{math.floor(share * 1000 + 1e-9) / 10:.1f}%"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
