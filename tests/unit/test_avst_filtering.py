"""The R-AVST video filtering: groups, rules in order, reasons, summary, settings."""

from __future__ import annotations

import pytest

from pipeline.avst.filtering import (
    FilterDecision,
    FilterRules,
    FilterSummary,
    SettingsError,
    coverage,
    decide,
    duration_group,
    filter_videos,
    summarize,
)
from pipeline.avst.unav100 import UnavEvent, UnavVideo

RULES = FilterRules()


def video(duration: float, *segments: tuple[float, float], video_id: str = "v") -> UnavVideo:
    return UnavVideo(video_id, duration, "test", tuple(UnavEvent(s, e, "dog barking") for s, e in segments))


def test_duration_groups_at_their_bounds():
    assert [duration_group(d, RULES) for d in (0.5, 29.99, 30.0, 59.99, 60.0, 600.0, 600.01)] == [
        "short", "short", "medium", "medium", "long", "long", None,
    ]


def test_coverage_counts_overlaps_once():
    assert coverage([UnavEvent(0, 10, "a"), UnavEvent(5, 15, "b"), UnavEvent(20, 25, "c")], 100.0) == 0.2
    assert coverage([UnavEvent(0, 30, "a"), UnavEvent(5, 10, "b"), UnavEvent(12, 40, "c")], 50.0) == 0.8
    assert coverage([UnavEvent(4, 6, "a"), UnavEvent(4, 6, "b")], 10.0) == 0.2
    assert coverage([], 10.0) == 0.0


def test_kept_video():
    d = decide(video(45.0, (0.0, 10.0), (5.0, 20.0)), RULES)
    assert d == FilterDecision("v", True, "medium", None, "", 20.0 / 45.0)


@pytest.mark.parametrize(
    "v, rule, group, reason",
    [
        (video(720.0), "duration", None, "duration 12.0 min is outside every group (max 10.0 min)"),
        (video(720.0, *[(i, i + 1.0) for i in range(5)]), "duration", None, "duration 12.0 min"),
        (video(20.0), "no_events", "short", "no events"),
        (
            video(100.0, (0, 1), (2, 3), (4, 5), (6, 7)), "too_many_events", "long", "4 events; at most 3 allowed",
        ),
        (
            video(100.0, (0.0, 3.0), (2.0, 5.2)), "low_coverage", "long",
            "events cover 5.2% of the video; at least 8% required",
        ),
        (
            video(100.0, (0.0, 7.96)), "low_coverage", "long",
            "events cover 7.9% of the video; at least 8% required",
        ),
        (
            video(100.0, (0.0, 3.5)), "low_coverage", "long",
            "events cover 3.5% of the video; at least 8% required",
        ),
    ],
)
def test_each_removed_video_gets_the_first_rule(v, rule, group, reason):
    d = decide(v, RULES)
    assert (d.kept, d.rule, d.group) == (False, rule, group)
    assert d.reason.startswith(reason)


def test_bounds_are_inclusive_where_documented():
    assert decide(video(100.0, (0.0, 8.0)), RULES).kept  # exactly min_coverage
    assert decide(video(100.0, (0, 10), (20, 30), (40, 50)), RULES).kept  # exactly max_events
    assert decide(video(600.0, (0.0, 100.0)), RULES).group == "long"


def test_custom_rules_and_summary():
    rules = FilterRules.from_settings(
        {"short_max": 10, "medium_max": 20, "max_duration": 40.0, "max_events": 1.0, "min_coverage": 0.5}
    )
    assert rules == FilterRules(10.0, 20.0, 40.0, 1, 0.5)
    videos = [
        video(5.0, (0.0, 4.0), video_id="a"),
        video(15.0, (0.0, 10.0), video_id="b"),
        video(30.0, (0.0, 20.0), video_id="c"),
        video(30.0, (0.0, 5.0), (6.0, 20.0), video_id="d"),
        video(30.0, (0.0, 5.0), video_id="e"),
        video(50.0, (0.0, 50.0), video_id="f"),
        video(15.0, video_id="g"),
    ]
    decisions = filter_videos(videos, rules)
    assert [(d.video_id, d.kept, d.group, d.rule) for d in decisions] == [
        ("a", True, "short", None),
        ("b", True, "medium", None),
        ("c", True, "long", None),
        ("d", False, "long", "too_many_events"),
        ("e", False, "long", "low_coverage"),
        ("f", False, None, "duration"),
        ("g", False, "medium", "no_events"),
    ]
    assert decisions[5].reason == "duration 50.0 s is outside every group (max 40.0 s)"
    assert decisions[3].reason == "2 events; at most 1 allowed"
    assert decisions[4].reason == "events cover 16.6% of the video; at least 50% required"
    assert summarize(decisions) == FilterSummary(
        total=7,
        kept=3,
        removed_by_rule={"duration": 1, "no_events": 1, "too_many_events": 1, "low_coverage": 1},
        kept_by_group={"short": 1, "medium": 1, "long": 1},
    )
    assert summarize([]) == FilterSummary(
        0, 0, {"duration": 0, "no_events": 0, "too_many_events": 0, "low_coverage": 0},
        {"short": 0, "medium": 0, "long": 0},
    )


def test_missing_settings_keep_their_defaults():
    assert FilterRules.from_settings(None) == FilterRules.from_settings({}) == RULES
    assert FilterRules.from_settings({"max_events": 5}) == FilterRules(max_events=5)


@pytest.mark.parametrize(
    "settings, message",
    [
        ([], "filter settings must be an object"),
        ({"max_event": 3}, "unknown filter setting(s) 'max_event'; known: short_max, medium_max"),
        ({"short_max": "30"}, "short_max: must be a number, got '30'"),
        ({"min_coverage": True}, "min_coverage: must be a number"),
        ({"max_duration": float("inf")}, "max_duration: must be a number"),
        ({"max_events": 2.5}, "max_events: must be a whole number, got 2.5"),
        ({"max_events": 0}, "max_events: must be at least 1"),
        ({"short_max": 0}, "short_max: must be more than 0 s"),
        ({"medium_max": 30}, "medium_max: must be more than short_max (30.0 s), got 30"),
        ({"max_duration": 59}, "max_duration: must be at least medium_max (60.0 s), got 59"),
        ({"min_coverage": 8}, "min_coverage: must be a share between 0 and 1, got 8"),
        ({"min_coverage": -0.1}, "min_coverage: must be a share between 0 and 1"),
    ],
)
def test_bad_settings(settings, message):
    with pytest.raises(SettingsError) as info:
        FilterRules.from_settings(settings)
    assert message in str(info.value)


def test_a_video_without_a_known_duration_is_removed_by_the_duration_rule():
    video = UnavVideo(video_id="up", duration=0.0, subset="", events=(UnavEvent(0.0, 1.0, "x"),))
    decision = decide(video, FilterRules())
    assert (decision.kept, decision.rule, decision.group) == (False, "duration", None)
    assert "unknown" in decision.reason
