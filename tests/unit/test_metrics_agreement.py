"""Agreement between two annotation passes (benchmark.metrics.agreement).

Expected numbers are worked out by hand in the comments; the WCS values are
also checked against ``cgav.score`` on the equivalent truth item and model
answer, which proves the second-pass adapter.
"""

import math
import subprocess
import sys
from pathlib import Path

import pytest

from benchmark.metrics import cgav
from benchmark.metrics.agreement import (
    METRIC_KEYS,
    TEMPORAL_KEYS,
    aggregate,
    count_agreement,
    question_agreement,
    second_pass_answer,
    second_pass_prediction,
    summarize_counts,
    temporal_agreement,
    wcs_agreement,
)

ROOT = Path(__file__).resolve().parents[2]
approx = pytest.approx


def ev(*pairs):
    return [{"start": s, "end": e} for s, e in pairs]


def ob(*items):
    return [{"timestamp": t, "bbox": list(b)} for t, b in items]


def model_wcs(category, truth_clue, answer_text):
    """What cgav.score gives a model answering ``answer_text`` on a truth item with ``truth_clue``."""
    n = len(truth_clue) if category != "attribute" else sum(len(c) for c in truth_clue)
    truth = [{"category": category, "type": "V", "answer": n, "clue": truth_clue}]
    rep = cgav.score(truth, [{"index": 0, "task_mode": "clue_acc", "prediction": answer_text}])
    it = rep.items[0]
    assert it.ifa == 1
    return it.wcs


A = [100, 100, 200, 200]
B = [300, 100, 400, 200]
C = [500, 500, 600, 600]


# ---------------------------------------------------------------- counts

def test_count_agreement_exact_off_by_one_and_two():
    assert count_agreement(5, 5) == {"exact": True, "off_by_one": True, "abs_error": 0}
    assert count_agreement(5, 6) == {"exact": False, "off_by_one": True, "abs_error": 1}
    assert count_agreement(6, 5) == {"exact": False, "off_by_one": True, "abs_error": 1}
    assert count_agreement(5, 7) == {"exact": False, "off_by_one": False, "abs_error": 2}


def test_summarize_counts():
    # exact: (5,5),(0,0) -> 2/4; off by <= 1: + (5,6) -> 3/4; errors 0+1+2+0 -> mae 3/4
    assert summarize_counts([(5, 5), (5, 6), (5, 7), (0, 0)]) == {
        "n": 4, "exact": 0.5, "off_by_one": 0.75, "mae": 0.75}
    assert summarize_counts([]) == {"n": 0, "exact": None, "off_by_one": None, "mae": None}


# ---------------------------------------------------------------- identical passes

def test_identical_event_passes():
    clue = ev((10.0, 12.0), (20.0, 21.5), (30.0, 34.0))
    row = question_agreement("event", 3, clue, 3, clue)
    assert row == {"exact": True, "off_by_one": True, "abs_error": 0, "wcs": 1.0,
                   "mean_iou_matched": 1.0, "precision": 1.0, "recall": 1.0, "f1": 1.0, "boundary_f1": 1.0}


def test_identical_object_and_attribute_passes():
    objs = ob((1.5, A), (1.5, B), (4.25, C))
    assert question_agreement("object", 3, objs, 3, objs) == {
        "exact": True, "off_by_one": True, "abs_error": 0, "wcs": 1.0}
    clusters = [ob((1.5, A), (1.5, B)), ob((4.25, C))]
    assert wcs_agreement("attribute", clusters, clusters) == 1.0


# ---------------------------------------------------------------- events

def test_shifted_event_within_tolerance():
    # [10, 12] vs [10.3, 12.3]: inter 1.7, union 2.3 -> tIoU 17/23 >= 0.5, matched;
    # both boundaries move 0.3 s <= 0.5 s; WCS = sqrt(LA * CAP) = sqrt(17/23 * 1)
    first, second = ev((10.0, 12.0)), ev((10.3, 12.3))
    t = temporal_agreement(first, second)
    assert t["mean_iou_matched"] == approx(17 / 23)
    assert (t["precision"], t["recall"], t["f1"], t["boundary_f1"]) == (1.0, 1.0, 1.0, 1.0)
    assert wcs_agreement("event", first, second) == approx(math.sqrt(17 / 23))


def test_shift_beyond_tolerance_still_matches_interval_but_not_boundaries():
    # [10, 12] vs [10.6, 12.6]: tIoU 1.4/2.6 = 7/13 >= 0.5; boundaries 0.6 s apart -> none
    t = temporal_agreement([(10.0, 12.0)], [(10.6, 12.6)])
    assert t["f1"] == 1.0 and t["mean_iou_matched"] == approx(7 / 13)
    assert t["boundary_f1"] == 0.0
    # a wider tolerance takes them
    assert temporal_agreement([(10.0, 12.0)], [(10.6, 12.6)], boundary_tolerance=0.6)["boundary_f1"] == 1.0


def test_extra_event():
    first = ev((0.0, 2.0), (10.0, 12.0))
    second = ev((0.0, 2.0), (10.0, 12.0), (20.0, 22.0))
    t = temporal_agreement(first, second)
    # 2 matches: P = 2/3, R = 1, F1 = 2*(2/3)/(5/3) = 0.8; boundaries 4 of 6 / 4 of 4 -> 0.8
    assert t["precision"] == approx(2 / 3) and t["recall"] == 1.0
    assert t["f1"] == approx(0.8) and t["boundary_f1"] == approx(0.8)
    assert t["mean_iou_matched"] == 1.0
    # WCS: LA = 1 (each truth interval has an exact match), CAP = 1 - |3 - 2| / 2 = 0.5
    assert wcs_agreement("event", first, second) == approx(math.sqrt(0.5))
    # the other way round: recall 2/3, and CAP = 1 - 1/3
    t2 = temporal_agreement(second, first)
    assert t2["precision"] == 1.0 and t2["recall"] == approx(2 / 3) and t2["f1"] == approx(0.8)
    assert wcs_agreement("event", second, first) == approx(math.sqrt(2 / 3 * 2 / 3))


def test_below_threshold_is_no_match():
    # [0, 2] vs [1, 3]: tIoU 1/3 < 0.5; boundaries 1 s apart
    t = temporal_agreement([(0.0, 2.0)], [(1.0, 3.0)])
    assert t == {"mean_iou_matched": 0.0, "precision": 0.0, "recall": 0.0, "f1": 0.0, "boundary_f1": 0.0}
    assert temporal_agreement([(0.0, 2.0)], [(1.0, 3.0)], iou_threshold=0.3)["f1"] == 1.0


def test_one_to_one_matching_by_total_iou():
    # one long reference event split in two by the second pass: tIoU 0.4 and 0.5;
    # only one can be matched (one-to-one), and only 0.5 passes the threshold
    t = temporal_agreement([(0.0, 10.0)], [(0.0, 4.0), (5.0, 10.0)])
    assert t["mean_iou_matched"] == 0.5
    assert (t["precision"], t["recall"]) == (0.5, 1.0) and t["f1"] == approx(2 / 3)
    # boundaries: start 0 = 0 and end 10 = 10 matched -> 2 of 4 / 2 of 2 -> F1 2/3
    assert t["boundary_f1"] == approx(2 / 3)
    # listing order does not matter: the assignment pairs equal intervals
    t = temporal_agreement([(0.0, 4.0), (4.0, 8.0)], [(4.0, 8.0), (0.0, 4.0)])
    assert t["f1"] == 1.0 and t["mean_iou_matched"] == 1.0


def test_boundary_matching_maximises_pairs_within_tolerance():
    # starts 0, 1 vs 0.6, 1.6 (tolerance 0.5): only 1 <-> 0.6 is within; plain least total
    # distance would pair 0-0.6 and 1-1.6 (both 0.6 apart) and find none. Ends all equal.
    # -> 1 + 2 = 3 matched boundaries of 4 on each side: F1 0.75
    t = temporal_agreement([(0.0, 10.0), (1.0, 11.0)], [(0.6, 10.0), (1.6, 11.0)])
    assert t["boundary_f1"] == approx(0.75)


def test_starts_only_match_starts():
    # second's start 2.0 equals first's end 2.0, but boundary types are not mixed
    t = temporal_agreement([(0.0, 2.0)], [(2.0, 4.0)])
    assert t["boundary_f1"] == 0.0


def test_empty_vs_empty_and_empty_vs_one():
    assert temporal_agreement([], []) == {k: 1.0 for k in TEMPORAL_KEYS}
    assert temporal_agreement([], [(1.0, 2.0)]) == {k: 0.0 for k in TEMPORAL_KEYS}
    assert temporal_agreement([(1.0, 2.0)], []) == {k: 0.0 for k in TEMPORAL_KEYS}
    row = question_agreement("event", 0, [], 0, [])
    assert row == {"exact": True, "off_by_one": True, "abs_error": 0, "wcs": 1.0,
                   **{k: 1.0 for k in TEMPORAL_KEYS}}
    row = question_agreement("event", 0, [], 1, ev((1.0, 2.0)))
    assert row["wcs"] == 0.0 and row["f1"] == 0.0 and row["off_by_one"] and not row["exact"]
    assert wcs_agreement("event", ev((1.0, 2.0)), []) == 0.0
    for cat in ("object", "attribute"):
        assert wcs_agreement(cat, [], []) == 1.0
    assert wcs_agreement("attribute", [[]], []) == 1.0
    assert wcs_agreement("object", [], ob((1.5, A))) == 0.0
    assert wcs_agreement("object", ob((1.5, A)), []) == 0.0
    assert wcs_agreement("attribute", [], [ob((1.5, A))]) == 0.0
    assert wcs_agreement("attribute", [ob((1.5, A))], []) == 0.0


def test_intervals_as_pairs_or_dicts_and_bad_interval():
    assert temporal_agreement([(1, 2)], ev((1.0, 2.0)))["f1"] == 1.0
    with pytest.raises(ValueError):
        temporal_agreement([(3.0, 2.0)], [(1.0, 2.0)])


# ---------------------------------------------------------------- objects

def test_missing_box_on_a_shared_frame():
    # frame 1.5 has A and B in truth, only A in the second pass:
    # LA = 1/2, CAP = 1 - |1 - 2| / 2 = 1/2 -> sqrt(1/4) = 0.5
    assert wcs_agreement("object", ob((1.5, A), (1.5, B)), ob((1.5, A))) == approx(0.5)


def test_missing_box_on_its_own_frame():
    # frames 1.5 (A) and 4.25 (B); the second pass misses frame 4.25: (1 + 0) / 2 frames
    assert wcs_agreement("object", ob((1.5, A), (4.25, B)), ob((1.5, A))) == approx(0.5)


def test_reversed_corners_tolerated():
    first = ob((1.5, A), (1.5, B))
    second = ob((1.5, [200, 200, 100, 100]), (1.5, [300, 200, 400, 100]))  # both corner orders flipped
    assert wcs_agreement("object", first, second) == 1.0


def test_partial_box_overlap():
    # [100,100,200,200] vs [150,100,250,200]: inter 50*100, union 150*100 -> IoU 1/3
    assert wcs_agreement("object", ob((1.5, A)), ob((1.5, [150, 100, 250, 200]))) == approx(math.sqrt(1 / 3))


def test_frame_on_no_truth_frame_counts_as_extra_frame():
    # second pass boxes A on 2.0, a frame the truth lacks: frames {1.5 (truth only), 2.0 (pred only)} -> 0
    assert wcs_agreement("object", ob((1.5, A)), ob((2.0, A))) == 0.0
    pred = second_pass_prediction("object", ob((1.5, A), (4.25, B)), ob((2.0, A), (1.5, B), (2.0, C)))
    # truth frames: 1.5 -> 0, 4.25 -> 1; the extra 2.0 gets position 2 (key Frame3)
    assert pred == [(2, A), (2, C), (0, B)]


def test_fps_matches_timestamps_on_the_same_video_frame():
    # at 25 fps, 1.62 (the mid-frame time of frame 40) and 1.61 are both frame int(t * 25) = 40
    first, second = ob((1.62, A)), ob((1.61, A))
    assert wcs_agreement("object", first, second) == 0.0          # exact timestamps differ
    assert wcs_agreement("object", first, second, fps=25) == 1.0  # same video frame
    # 1.66 is frame 41: still another frame
    assert wcs_agreement("object", first, ob((1.66, A)), fps=25) == 0.0


# ---------------------------------------------------------------- attributes

def test_attribute_clusters_swapped_in_order():
    first = [ob((1.5, A), (1.5, B)), ob((4.25, C))]
    second = [ob((4.25, C)), ob((1.5, B), (1.5, A))]
    assert wcs_agreement("attribute", first, second) == 1.0


def test_attribute_partial_by_hand():
    # truth frames: 1.5 -> 0, 4.25 -> 1. gt0 = {A, B on frame 0}, gt1 = {C on frame 1};
    # second pass: cluster1 = {C on frame 1}, cluster2 = {A on frame 0}.
    # gt0-cluster2: one frame, LA 1/2, CAP 1/2 -> 0.5; gt1-cluster1: 1; cross pairs 0.
    # Hungarian: (0.5 + 1) / K=2 = 0.75
    first = [ob((1.5, A), (1.5, B)), ob((4.25, C))]
    second = [ob((4.25, C)), ob((1.5, A))]
    assert wcs_agreement("attribute", first, second) == approx(0.75)
    assert wcs_agreement("attribute", first, [ob((1.5, A)), ob((4.25, C))]) == approx(0.75)


# ---------------------------------------------------------------- the adapter against cgav.score

def test_adapter_output_is_what_parse_clues_reads():
    cases = [
        ("event", ev((1.0, 2.0)), ev((1.25, 2.5), (7.0, 9.0))),
        ("object", ob((1.5, A), (4.25, B)), ob((4.25, B), (9.0, C), (1.5, [200, 200, 100, 100]))),
        ("attribute", [ob((1.5, A)), ob((4.25, B))], [ob((9.0, C), (4.25, B)), [], ob((1.5, A))]),
    ]
    for category, first, second in cases:
        text = second_pass_answer(category, first, second)
        parsed, ok = cgav.parse_clues(text, category)
        assert ok
        assert parsed == second_pass_prediction(category, first, second)


def test_wcs_equals_cgav_score_on_a_model_answer():
    # event: a model writing the same intervals, with MM:SS times inside <answer> tags
    first = ev((10.0, 12.0), (20.0, 22.0))
    second = ev((10.3, 12.3), (40.0, 41.0), (70.5, 71.0))
    text = "I found them.\n<answer>[[\"00:10.3\", \"00:12.3\"], [\"0:40\", \"0:41\"], [\"1:10.5\", \"1:11\"]]</answer>"
    expected = model_wcs("event", first, text)
    assert 0 < expected < 1
    assert wcs_agreement("event", first, second) == expected
    assert wcs_agreement("event", first, second) == model_wcs(
        "event", first, second_pass_answer("event", first, second))

    # object: truth frames 1.5 -> Frame 1, 4.25 -> Frame 2; the model answers with "Frame 2" keys
    # and one box as two corner points read in pairs; a box on a frame the truth lacks is "Frame 3"
    first = ob((1.5, A), (1.5, B), (4.25, C))
    second = ob((4.25, [520, 510, 610, 600]), (1.5, [110, 100, 200, 210]), (7.0, B))
    text = ('<answer>{"Frame 2": [[520, 510, 610, 600]], "Frame 1": [[110, 100], [200, 210]], '
            '"Frame 3": [[300, 100, 400, 200]]}</answer>')
    expected = model_wcs("object", first, text)
    assert 0 < expected < 1
    assert wcs_agreement("object", first, second) == approx(expected, rel=0, abs=1e-15)

    # attribute: labels are free text to the scorer; bbox_2d works too
    first = [ob((1.5, A), (1.5, B)), ob((4.25, C))]
    second = [ob((1.5, [100, 100, 190, 200])), ob((4.25, C), (1.5, B))]
    text = ('{"Frame1": [{"label": "red", "bbox_2d": [100, 100, 190, 200]}, {"label": "blue", "bbox": [300, 100, 400, 200]}], '
            '"Frame2": [{"label": "blue", "bbox": [500, 500, 600, 600]}]}')
    expected = model_wcs("attribute", first, text)
    assert 0 < expected < 1
    assert wcs_agreement("attribute", first, second) == approx(expected, rel=0, abs=1e-15)


# ---------------------------------------------------------------- rows and aggregates

def test_question_agreement_keys():
    row = question_agreement("object", 2, ob((1.5, A), (1.5, B)), 1, ob((1.5, A)))
    assert row == {"exact": False, "off_by_one": True, "abs_error": 1, "wcs": approx(0.5)}
    row = question_agreement("event", 1, ev((10.0, 12.0)), 1, ev((10.3, 12.3)))
    assert list(row) == list(METRIC_KEYS)


def test_aggregate_means_per_metric():
    rows = [
        question_agreement("event", 2, ev((0.0, 2.0), (10.0, 12.0)), 3, ev((0.0, 2.0), (10.0, 12.0), (20.0, 22.0))),
        question_agreement("event", 1, ev((0.0, 2.0)), 1, ev((0.0, 2.0))),
        question_agreement("object", 2, ob((1.5, A), (1.5, B)), 4, ob((1.5, A))),
    ]
    agg = aggregate(rows)
    assert agg["n"] == 3 and agg["n_event"] == 2
    assert agg["exact"] == approx(1 / 3)
    assert agg["off_by_one"] == approx(2 / 3)
    assert agg["abs_error"] == approx(1.0)  # (1 + 0 + 2) / 3
    assert agg["wcs"] == approx((math.sqrt(0.5) + 1.0 + 0.5) / 3)
    assert agg["precision"] == approx((2 / 3 + 1) / 2)   # over the two event rows only
    assert agg["f1"] == approx((0.8 + 1) / 2)
    assert agg["boundary_f1"] == approx((0.8 + 1) / 2)
    assert aggregate([]) == {"n": 0, "n_event": 0, **{k: None for k in METRIC_KEYS}}
    only_objects = aggregate(rows[2:])
    assert only_objects["n_event"] == 0 and only_objects["f1"] is None and only_objects["wcs"] == approx(0.5)


def test_no_django():
    code = ("import sys, benchmark.metrics.agreement; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
