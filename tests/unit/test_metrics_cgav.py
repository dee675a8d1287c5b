"""CG-AV-Counting scoring (benchmark.metrics.cgav): every rule of VLMEvalKit's CGAVCounting evaluation.

Numbers are worked out by hand in the comments unless a test says that it pins
a result of VLMEvalKit's own code.
"""

import ast
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmark.metrics import cgav
from benchmark.metrics.cgav import (
    ItemScore,
    PredictionError,
    extract_outer_json,
    greedy_match,
    load_predictions,
    parse_clues,
    parse_count,
    score,
    time_str_to_seconds,
)

ROOT = Path(__file__).resolve().parents[2]


def event(answer_clue, type_="A"):
    return {"category": "event", "type": type_, "answer": len(answer_clue),
            "clue": [{"start": s, "end": e} for s, e in answer_clue]}


def obj(boxes, type_="V"):
    """boxes: [(timestamp, [x1, y1, x2, y2]), ...]"""
    return {"category": "object", "type": type_, "answer": len(boxes),
            "clue": [{"timestamp": t, "bbox": b} for t, b in boxes]}


def attr(clusters, type_="AV"):
    return {"category": "attribute", "type": type_, "answer": sum(len(c) for c in clusters),
            "clue": [[{"timestamp": t, "bbox": b} for t, b in c] for c in clusters]}


def count_item(answer, category="event", type_="V"):
    return {"category": category, "type": type_, "answer": answer, "clue": []}


def preds(mode, texts):
    return [{"index": i, "task_mode": mode, "prediction": p} for i, p in enumerate(texts)]


def one_wcs(item, text):
    rep = score([item], preds("clue_acc", [text]))
    it = rep.items[0]
    return it.wcs, it.ifa


def one_count(answer, text):
    it = score([count_item(answer)], preds("long_acc", [text])).items[0]
    return it.pred, it.acc, it.oboa, it.err


# ---------------------------------------------------------------- black box

def test_acc_oboa_and_error_clipping():
    assert one_count(10, "10") == (10.0, 1, 1, 0.0)
    assert one_count(10, "11") == (11.0, 0, 1, 1.0)
    assert one_count(10, "12") == (12.0, 0, 0, 2.0)
    # |10 - 500| = 490 > max(2*10, 100) = 100 -> err = 2*gt = 20
    assert one_count(10, "500")[3] == 20.0
    # |10 - 110| = 100 <= 100 -> kept
    assert one_count(10, "110")[3] == 100.0
    # gt 60: bound max(120, 100) = 120; |60-150| = 90 kept, |60-200| = 140 -> 120
    assert one_count(60, "150")[3] == 90.0
    assert one_count(60, "200")[3] == 120.0
    # gt 0: bound 100; 100 is kept, but 101 is clipped to 2*0 = 0 (a large over-count costs nothing)
    assert one_count(0, "one hundred")[3] == 100.0
    assert one_count(0, "101")[3] == 0.0


def test_mae_and_rmse():
    truth = [count_item(3), count_item(5), count_item(10)]
    rep = score(truth, preds("ref_acc", ["3", "four", "500"]))
    # errors 0, 1, 20 (clipped)
    m = rep.metrics
    assert m["ref_acc/acc"] == pytest.approx(1 / 3)
    assert m["ref_acc/oboa"] == pytest.approx(2 / 3)
    assert m["ref_acc/mae"] == pytest.approx(7.0)
    assert m["ref_acc/rmse"] == pytest.approx(math.sqrt((0 + 1 + 400) / 3))
    assert [it.err for it in rep.items] == [0.0, 1.0, 20.0]
    assert "long_acc/acc" not in m and "clue_acc/wcs" not in m  # modes absent from the file are left out


@pytest.mark.parametrize("text, expected", [
    ("3", 3.0),
    ("three", 3.0),
    ("Three", 3.0),
    ("twenty-one", 21.0),         # '-' becomes a space
    ("Twenty One", 21.0),
    ("one hundred and five", 105.0),
    ("two thousand and twelve", 2012.0),
    ("three point five", 3.5),
    ("point", 0.0),               # parses, as 0
    ("I count three, no, four", 4.0),  # "three," is not a number word; "four" is
    ("one two three four", 9.0),  # word2number's number_formation: 1*2+3+4
    ("one two three four five", 1.0),  # five words: the first one
    ("\u0663", 3.0),              # Arabic-Indic digit: str.isdigit and int() accept it
    ("3\n", None),                # only a bare digit string passes isdigit()
    (" 3", None),
    ("3.", None),
    ("3.0", None),
    ("-2", None),                 # '-' becomes a space first
    ("1,000", None),
    ("12 people", None),
    ("<answer>3</answer>", None),  # the black box never looks for tags
    ("thousand five", None),      # number_formation([]) fails
    ("two thousand thousand", None),
    ("\u00b3", None),             # superscript: isdigit() but not int()
    ("many", None),
    ("", None),
    ("9" * 400, None),            # VLMEvalKit stops with OverflowError here; unparsable in the port
    (None, None),
])
def test_parse_count(text, expected):
    assert parse_count(text) == expected


def test_unparsable_counts_as_zero():
    assert one_count(2, "many") == (0.0, 0, 0, 2.0)
    assert one_count(1, "3\n") == (0.0, 0, 1, 1.0)
    assert one_count(0, "no idea") == (0.0, 1, 1, 0.0)  # pred 0 == gt 0


# ---------------------------------------------------------------- white box parsing

@pytest.mark.parametrize("text, seconds", [
    ("01:02", 62), ("1:02.5", 62.5), ("0:01:02.25", 62.25), ("1:00:00", 3600), (" 2:03 ", 123),
])
def test_time_str_to_seconds(text, seconds):
    assert time_str_to_seconds(text) == seconds


@pytest.mark.parametrize("text", ["1:2:3:4", "1:30.5.5", "12", "a:b"])
def test_time_str_to_seconds_rejects(text):
    with pytest.raises(ValueError):
        time_str_to_seconds(text)


def test_answer_tags_first_pair_and_fallback():
    assert parse_clues("x <answer>[[1, 2]]</answer> y <answer>[[5, 6]]</answer>", "event") == ([[1, 2]], True)
    # unclosed tag: the whole text is searched for JSON
    assert parse_clues("<answer>[[1, 2]]", "event") == ([[1, 2]], True)
    # tags are case-sensitive
    assert parse_clues("<ANSWER>[[1, 2]]</ANSWER>", "event") == ([[1, 2]], True)


def test_json_inside_prose():
    assert parse_clues("The events are [[1, 2], [3, 4]] as shown.", "event") == ([[1, 2], [3, 4]], True)
    # the first balanced block "[fig 1]" is not JSON: the next one is taken
    assert parse_clues("See [fig 1]: [[1, 2]] done", "event") == ([[1, 2]], True)
    # brackets are counted inside strings too; a stray closer is ignored
    assert extract_outer_json('} {"a": [1]} tail') == '{"a": [1]}'
    assert extract_outer_json("no json here") is None
    assert parse_clues("no json here", "event") == (None, False)
    assert parse_clues("null", "event") == (None, False)  # JSON null counts as nothing parsed


def test_event_time_formats():
    text = '<answer>[["0:14.5", "0:15.2"], ["1:00:01", "1:00:03"], ["33.9 s", 35], [58, "59"]]</answer>'
    parsed, ok = parse_clues(text, "event")
    assert ok and parsed == [[14.5, 15.2], [3601, 3603], [33.9, 35], [58, 59.0]]
    assert parse_clues('[["12.5s", "14"]]', "event") == (None, False)    # float("12.5s") fails the answer
    assert parse_clues('[["1:00", "70"]]', "event") == (None, False)     # only one with ':' -> float("1:00")
    assert parse_clues('[{"start": 1, "end": 2}]', "event") == (None, False)  # dicts are not read
    assert parse_clues('[[1]]', "event") == (None, False)
    assert parse_clues("[]", "event") == ([], True)


def test_object_frames_points_and_skips():
    text = ('{"Frame1": [[0, 0], [10, 10], [20, 20], [30, 30], [99, 99]], "Frame 2": [[1, 2, 3, 4], [5, 6]], '
            '"Frame03": [], "note": [[1, 2, 3, 4]], "Frame4": [{"bbox_2d": [1, 2, 3, 4]}]}')
    parsed, ok = parse_clues(text, "object")
    # two-point boxes pair up (the odd point is dropped); a frame's kind follows its first element;
    # keys without "Frame" are skipped; bbox_2d dicts are skipped without failing the answer
    assert ok and parsed == [(0, [0, 0, 10, 10]), (0, [20, 20, 30, 30]), (1, [1, 2, 3, 4])]
    assert parse_clues('{"Frame_1": [[1, 2, 3, 4]]}', "object") == (None, False)  # int("_1") fails
    assert parse_clues('{"frame1": [[1, 2, 3, 4]]}', "object") == ([], True)     # case-sensitive: skipped
    assert parse_clues('[[1, 2, 3, 4]]', "object") == (None, False)              # a list has no keys
    assert parse_clues('{"Frame1": null}', "object") == (None, False)


def test_attribute_labels_bbox_and_bbox_2d():
    text = ('<answer>{"Frame 1": [{"bbox": [1, 2, 3, 4], "label": "red"}, {"bbox_2d": [5, 6, 7, 8], "label": "blue"}],'
            ' "Frame 2": [{"label": "red", "bbox": [1, 2], "bbox_2d": [9, 9, 10, 10]}, {"label": "green"}]}</answer>')
    parsed, ok = parse_clues(text, "attribute")
    assert ok and parsed == {"red": [(0, [1, 2, 3, 4]), (1, [9, 9, 10, 10])], "blue": [(0, [5, 6, 7, 8])], "green": []}
    assert parse_clues('{"Frame 1": [{"bbox": [1, 2, 3, 4]}]}', "attribute") == (None, False)  # no label


# ---------------------------------------------------------------- white box scoring

def test_event_best_match_la_and_cap():
    item = event([(0, 10), (20, 30)])
    # gt1 best tIoU 1 ([0,10]); gt2 best 0.5 ([25,30]: 5/10). LA = 0.75, CAP = 1 - |3-2|/2 = 0.5
    wcs, ifa = one_wcs(item, "[[0, 10], [25, 30], [40, 50]]")
    assert ifa == 1 and wcs == pytest.approx(math.sqrt(0.75 * 0.5))
    # no one-to-one matching: one wide interval serves both (10/30 each). LA = 1/3, CAP = 1/2
    assert one_wcs(item, "[[0, 30]]")[0] == pytest.approx(math.sqrt(1 / 6))
    # twice the count or more: CAP clipped at 0
    assert one_wcs(item, "[[0, 10], [20, 30], [1, 2], [3, 4]]") == (0.0, 1)
    # reversed interval: no overlap
    assert one_wcs(event([(0, 10)]), "[[10, 0]]") == (0.0, 1)


def test_object_per_frame_greedy_with_tie_follows_scan_order():
    a, b = [0, 0, 10, 10], [20, 0, 30, 10]
    p1 = [5, 0, 25, 10]   # IoU 50/250 = 0.2 with both a and b: a tie
    p2 = [0, 0, 10, 1]    # IoU 10/100 = 0.1 with a, 0 with b
    answer = json.dumps({"Frame1": [p1, p2]})
    # gt order a, b: (a, p1) wins the tie, then (b, p2) = 0 -> LA = 0.2 / 2 = 0.1, CAP 1
    assert one_wcs(obj([(1.0, a), (1.0, b)]), answer)[0] == pytest.approx(math.sqrt(0.1))
    # gt order b, a: (b, p1) wins, then (a, p2) = 0.1 -> LA = 0.3 / 2
    assert one_wcs(obj([(1.0, b), (1.0, a)]), answer)[0] == pytest.approx(math.sqrt(0.15))


def test_greedy_match_ties_on_both_sides():
    # first maximum in (gt, pred) scan order
    assert greedy_match([[0.5, 0.5], [0.5, 0.2]]) == [(0, 0, 0.5), (1, 1, 0.2)]
    assert greedy_match([[0.2, 0.5], [0.5, 0.5]]) == [(0, 1, 0.5), (1, 0, 0.5)]
    assert greedy_match([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]) == [(0, 0, 0.0), (1, 1, 0.0)]
    assert greedy_match([]) == [] and greedy_match([[]]) == []
    with pytest.raises(cgav._Timeout):  # VLMEvalKit loops until its alarm when only NaN pairs are left
        greedy_match([[0.5, float("nan")], [float("nan"), float("nan")]])


def _naive_greedy(matrix):
    """VLMEvalKit's greedy_matching loop, on a matrix."""
    unmatched_gt, unmatched_pred = set(range(len(matrix))), set(range(len(matrix[0]) if matrix else 0))
    matches = []
    while unmatched_gt and unmatched_pred:
        max_iou, best = -1, None
        for g in unmatched_gt:
            for p in unmatched_pred:
                if matrix[g][p] > max_iou:
                    max_iou, best = matrix[g][p], (g, p)
        g, p = best
        matches.append((g, p, matrix[g][p]))
        unmatched_gt.remove(g)
        unmatched_pred.remove(p)
    return matches


def test_greedy_match_equals_rescanning_on_tie_heavy_matrices():
    rng = random.Random(7)
    for _ in range(500):
        n, m = rng.randint(1, 9), rng.randint(1, 9)
        matrix = [[rng.choice([0.0, 0.25, 0.5, 0.5, 1.0]) for _ in range(m)] for _ in range(n)]
        assert greedy_match(matrix) == _naive_greedy(matrix)


def test_reversed_corners_two_point_boxes_and_empty_frames():
    item = obj([(1.0, [0, 0, 10, 10]), (2.0, [50, 50, 60, 60])])
    # reversed corners on Frame1, two points on Frame2: both exact
    assert one_wcs(item, '{"Frame1": [[10, 10, 0, 0]], "Frame2": [[60, 50], [50, 60]]}') == (1.0, 1)
    # empty Frame2 list: frame 2 scores 0 -> (1 + 0) / 2
    assert one_wcs(item, '{"Frame1": [[0, 0, 10, 10]], "Frame2": []}') == (0.5, 1)
    # a box on a frame the truth does not have (Frame3) adds a frame scoring 0 -> (1 + 1 + 0) / 3
    wcs, _ = one_wcs(item, '{"Frame1": [[0, 0, 10, 10]], "Frame2": [[50, 50, 60, 60]], "Frame3": [[1, 1, 2, 2]]}')
    assert wcs == pytest.approx(2 / 3)
    # one extra box on a one-box frame: CAP_f = 1 - 1/1 = 0, that frame scores 0
    assert one_wcs(item, '{"Frame1": [[0, 0, 10, 10], [0, 0, 9, 9]], "Frame2": [[50, 50, 60, 60]]}') == (0.5, 1)
    # bbox_2d dicts are ignored for objects: parsed, nothing predicted
    assert one_wcs(item, '{"Frame1": [{"bbox_2d": [0, 0, 10, 10]}]}') == (0.0, 1)


def test_objects_share_a_frame_by_timestamp_in_first_appearance_order():
    # frames are numbered by first appearance in the clue list, not by time
    item = obj([(9.0, [0, 0, 10, 10]), (3.0, [20, 20, 30, 30]), (9.0, [40, 40, 50, 50])])
    answer = '{"Frame1": [[0, 0, 10, 10], [40, 40, 50, 50]], "Frame2": [[20, 20, 30, 30]]}'
    assert one_wcs(item, answer) == (1.0, 1)


def test_bad_coordinates_fail_only_where_the_truth_has_boxes():
    item = obj([(1.0, [0, 0, 10, 10])])
    assert one_wcs(item, '{"Frame1": [[0, 0, "10", 10]]}') == (0, 0)           # compared with a gt box: fails
    assert one_wcs(item, '{"Frame1": [[0, 0, 10, 10]], "Frame5": [["a", 0, 1, null]]}') == (0.5, 1)  # never compared


def test_attribute_hungarian():
    a, b, d = [0, 0, 10, 10], [20, 0, 30, 10], [50, 50, 60, 60]
    item = attr([[(1.0, a)], [(1.0, b), (2.0, d)]])
    # S[red, x] = 0 (a vs b); S[red, y] = 1 (a vs a); S[blue, x] = (1 + 0)/2 (frame 2 missing); S[blue, y] = 0
    # Hungarian: red-y + blue-x = 1.5, / K = 2
    answer = ('{"Frame 1": [{"bbox": %s, "label": "x"}, {"bbox_2d": %s, "label": "y"}], '
              '"Frame 2": [], "Frame 9": [{"label": "z", "bbox": [1, 1, 2, 2]}]}') % (b, a)
    assert one_wcs(item, answer) == (0.75, 1)
    # labels are names only: swapping them changes nothing
    assert one_wcs(item, answer.replace('"x"', '"tmp"').replace('"y"', '"x"').replace('"tmp"', '"y"')) == (0.75, 1)
    # one predicted cluster for two gt clusters: the other scores 0
    assert one_wcs(item, '{"Frame 1": [{"bbox": %s, "label": "y"}]}' % a) == (0.5, 1)
    # an attribute item with no cluster at all divides by K = 0: VLMEvalKit gives wcs 0, ifa 0
    assert one_wcs(attr([]), '{"Frame 1": [{"bbox": [1, 1, 2, 2], "label": "y"}]}') == (0, 0)


def test_ifa_is_the_share_of_parsed_answers():
    truth = [event([(0, 10)]), event([(0, 10)]), obj([(1.0, [0, 0, 10, 10])]), attr([[(1.0, [0, 0, 10, 10])]])]
    rep = score(truth, preds("clue_acc", ["<answer>[[0, 10]]</answer>", "about ten seconds in",
                                          '{"Frame1": [[0, 0, 10, 10]]}', "[1, 2, 3, 4]"]))
    assert [it.ifa for it in rep.items] == [1, 0, 1, 0]
    assert rep.metrics["clue_acc/ifa"] == 0.5
    assert rep.metrics["clue_acc/wcs"] == 0.5


# ---------------------------------------------------------------- missing / empty predictions

def test_missing_and_empty_default_scores_like_unparsable():
    truth = [count_item(3), count_item(5), count_item(0), event([(0, 10)])]
    p = [{"index": 0, "task_mode": "long_acc", "prediction": "3"},
         {"index": 1, "task_mode": "long_acc", "prediction": ""},
         # index 2 has no long_acc line; index 3 is null
         {"index": 3, "task_mode": "long_acc", "prediction": None},
         {"index": 0, "task_mode": "clue_acc", "prediction": ""},
         {"index": 3, "task_mode": "clue_acc", "prediction": "[[0, 10]]"}]
    rep = score(truth, p)
    long = [it for it in rep.items if it.task_mode == "long_acc"]
    # errors 0, 5, 0 (pred 0 == gt 0, so acc 1), 0 (gt 0 of the event item, len 1 -> answer 1: err 1)
    assert [it.err for it in long] == [0.0, 5.0, 0.0, 1.0]
    assert [it.acc for it in long] == [1, 0, 1, 0]
    assert rep.metrics["long_acc/mae"] == 1.5
    assert rep.metrics["long_acc/acc"] == 0.5
    clue = [it for it in rep.items if it.task_mode == "clue_acc"]
    assert [(it.wcs, it.ifa) for it in clue] == [(0, 0), (0, 0), (0, 0), (1.0, 1)]
    assert rep.metrics["clue_acc/wcs"] == 0.25 and rep.metrics["clue_acc/ifa"] == 0.25
    assert rep.counts == {"long_acc/items": 4, "long_acc/missing": 2, "long_acc/scored": 4,
                          "clue_acc/items": 4, "clue_acc/missing": 2, "clue_acc/scored": 4}


def test_missing_and_empty_vlmevalkit_compat():
    truth = [count_item(3), count_item(5), count_item(0), event([(0, 10)])]
    p = [{"index": 0, "task_mode": "long_acc", "prediction": "3"},
         {"index": 1, "task_mode": "long_acc", "prediction": ""},
         {"index": 3, "task_mode": "long_acc", "prediction": None},
         {"index": 0, "task_mode": "clue_acc", "prediction": ""},
         {"index": 3, "task_mode": "clue_acc", "prediction": "[[0, 10]]"}]
    rep = score(truth, p, vlmevalkit_compat=True)
    long = {it.index: it for it in rep.items if it.task_mode == "long_acc"}
    # "" -> post_process gives acc 0, oboa 0 and an error of 0; missing rows are dropped from the means
    assert (long[1].acc, long[1].oboa, long[1].err) == (0, 0, 0)
    assert long[2].acc is None and long[3].err is None
    assert rep.metrics["long_acc/mae"] == 0.0
    assert rep.metrics["long_acc/acc"] == 0.5
    assert rep.metrics["long_acc/oboa"] == 0.5
    # clue: "" -> (0, 0) counted; indexes 1 and 2 dropped
    assert rep.metrics["clue_acc/wcs"] == 0.5 and rep.metrics["clue_acc/ifa"] == 0.5
    assert rep.counts["long_acc/scored"] == 2 and rep.counts["clue_acc/scored"] == 2


def test_excel_roundtrip_turns_na_strings_into_missing():
    truth = [count_item(3), count_item(0)]
    p = preds("long_acc", ["3", "None"])
    assert score(truth, p, vlmevalkit_compat=True).metrics["long_acc/acc"] == 1.0  # "None" unparsable -> 0 == gt
    rep = score(truth, p, vlmevalkit_compat=True, excel_roundtrip=True)
    assert rep.counts["long_acc/scored"] == 1 and rep.items[1].raw is None
    # xlsx cells hold 32,767 characters: the number words after that are lost
    long_text = "x" * 32767 + " three"
    assert score([count_item(3)], preds("long_acc", [long_text]), excel_roundtrip=True).items[0].acc == 0
    assert score([count_item(3)], preds("long_acc", [long_text])).items[0].acc == 1


# ---------------------------------------------------------------- breakdowns and report

def test_breakdowns_by_category_and_type():
    truth = [event([(0, 10)], type_="A"), obj([(1.0, [0, 0, 10, 10])], type_="V"), event([(0, 1), (2, 3)], type_="V")]
    rep = score(truth, preds("long_acc", ["1", "0", "2"]) + preds("clue_acc", ["[[0, 10]]", "[]", "[]"]))
    m = rep.metrics
    assert m["by_category/event/long_acc/acc"] == 1.0
    assert m["by_category/object/long_acc/acc"] == 0.0
    assert m["by_type/V/long_acc/mae"] == 0.5
    assert m["by_type/A/clue_acc/wcs"] == 1.0
    assert m["by_category/object/clue_acc/ifa"] == 0.0  # a list has no keys: object answer fails
    assert m["by_type/V/clue_acc/ifa"] == 0.5
    assert isinstance(rep.items[0], ItemScore)
    assert all(isinstance(v, float) for v in m.values())


def test_mean_matches_pandas_bit_for_bit():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    for n in (1, 7, 9, 130, 1027):
        vals = list(rng.random(n) ** 3)
        for k in rng.choice(n, size=n // 10, replace=False):
            vals[k] = None
        got = cgav._pandas_mean(vals)
        want = pd.Series([np.nan if v is None else v for v in vals], dtype="float64").mean()
        assert got == want or (math.isnan(got) and math.isnan(want))


def test_pinned_against_vlmevalkit_post_process_and_rating_func():
    """Pins the numbers VLMEvalKit's own post_process / compute_wcs_unlabeled / rating_func gave for this case.

    Derived by running a verbatim copy of vlmeval/dataset/CGAVCounting/utils.py (post_process,
    compute_wcs_unlabeled, compute_cluster_pair_wcs, greedy_matching, compute_sIoU, compute_tiou,
    extract_outer_json, time_str_to_seconds) with word2number 1.1, and CGAVCounting.evaluate's
    NaN split plus rating_func's pandas means (unrounded). Per item it gave long_acc errors 0, 1, 3
    ("3\\n" is unparsable), ref_acc errors 3 ("<answer>3</answer>" unparsable), 1, 6 (150 clipped to
    2*3), and wcs 0.8257228238447706, 0.9515694601538334, 0.9619068093163328, ifa 1, 1, 1.
    """
    truth = [
        {"category": "event", "type": "A", "answer": 3,
         "clue": [{"start": 14.2, "end": 15.0}, {"start": 33.9, "end": 34.6}, {"start": 58.0, "end": 59.1}]},
        {"category": "object", "type": "V", "answer": 3,
         "clue": [{"timestamp": 71.5, "bbox": [100, 200, 180, 280]}, {"timestamp": 71.5, "bbox": [300, 200, 380, 280]},
                  {"timestamp": 88.0, "bbox": [640, 300, 700, 360]}]},
        {"category": "attribute", "type": "AV", "answer": 3,
         "clue": [[{"timestamp": 6.0, "bbox": [10, 20, 110, 300]}, {"timestamp": 6.0, "bbox": [400, 30, 520, 330]}],
                  [{"timestamp": 21.0, "bbox": [800, 40, 900, 320]}]]},
    ]
    p = preds("long_acc", ["three", "4", "3\n"]) + preds("ref_acc", ["<answer>3</answer>", "two", "150"]) + preds(
        "clue_acc", [
            'Sure! <answer>[["0:14.5", "0:15.2"], ["33.9 s", 35], [58, 59]]</answer>',
            'The boxes: {"Frame1": [[180, 280, 100, 200], [305, 195, 385, 290]], "Frame2": [[640, 300], [702, 358]], '
            '"Frame3": []}',
            '<answer>{"Frame 1": [{"bbox_2d": [12, 22, 108, 298], "label": "white"}, {"bbox": [400, 30, 520, 330], '
            '"label": "white"}], "Frame 2": [{"bbox": [795, 45, 905, 325], "label": "black"}]}</answer>',
        ])
    expected = {
        "long_acc/acc": 0.3333333333333333, "long_acc/oboa": 0.6666666666666666,
        "long_acc/mae": 1.3333333333333333, "long_acc/rmse": 1.8257418583505538,
        "ref_acc/acc": 0.0, "ref_acc/oboa": 0.3333333333333333,
        "ref_acc/mae": 3.3333333333333335, "ref_acc/rmse": 3.9157800414902435,
        "clue_acc/wcs": 0.9130663644383121, "clue_acc/ifa": 1.0,
    }
    for compat in (False, True):
        rep = score(truth, p, vlmevalkit_compat=compat)
        for k, v in expected.items():
            assert rep.metrics[k] == pytest.approx(v, rel=1e-15, abs=0), k
    wcs = [it.wcs for it in rep.items if it.task_mode == "clue_acc"]
    assert wcs == pytest.approx([0.8257228238447706, 0.9515694601538334, 0.9619068093163328], rel=1e-15)


# ---------------------------------------------------------------- load_predictions

def write(tmp_path, lines):
    path = tmp_path / "preds.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_predictions_reads_and_skips_blank_lines(tmp_path):
    path = write(tmp_path, ['{"index": 0, "task_mode": "long_acc", "prediction": "3"}', "",
                            '{"index": 0, "task_mode": "clue_acc", "prediction": null}'])
    assert load_predictions(path, truth_size=1) == [
        {"index": 0, "task_mode": "long_acc", "prediction": "3"},
        {"index": 0, "task_mode": "clue_acc", "prediction": None}]


@pytest.mark.parametrize("lines, message", [
    (['{"index": 0, "task_mode": "long_acc", "prediction": "3"}', "{oops"], ":2: not JSON"),
    (['[1, 2]'], ":1: expected a JSON object, got list"),
    (['{"index": 0, "task_mode": "long_acc"}'], ":1: missing key(s) 'prediction'"),
    (['{"prediction": "3"}'], ":1: missing key(s) 'index', 'task_mode'"),
    (['{"index": 0, "task_mode": "acc", "prediction": "3"}'], ":1: unknown task_mode 'acc'"),
    (['{"index": 5, "task_mode": "ref_acc", "prediction": "3"}'], ":1: index 5 not in the truth (0..2)"),
    (['{"index": -1, "task_mode": "ref_acc", "prediction": "3"}'], ":1: index -1 not in the truth"),
    (['{"index": "0", "task_mode": "ref_acc", "prediction": "3"}'], ":1: index must be an integer"),
    (['{"index": true, "task_mode": "ref_acc", "prediction": "3"}'], ":1: index must be an integer"),
    (['{"index": 0, "task_mode": "ref_acc", "prediction": 3}'], ":1: prediction must be a string or null"),
    (['{"index": 0, "task_mode": "ref_acc", "prediction": "3"}',
      '{"index": 1, "task_mode": "ref_acc", "prediction": "3"}',
      '{"index": 0, "task_mode": "ref_acc", "prediction": "4"}'],
     ":3: duplicate (index 0, task_mode 'ref_acc'), first on line 1"),
])
def test_load_predictions_errors_name_the_line(tmp_path, lines, message):
    path = write(tmp_path, lines)
    with pytest.raises(PredictionError) as exc:
        load_predictions(path, truth_size=3)
    assert message in str(exc.value)
    assert str(path) in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_load_predictions_rejects_bad_utf8(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"index": 0, "task_mode": "long_acc", "prediction": "3"}\n{"x": "\xff"}\n')
    with pytest.raises(PredictionError, match=":2: not UTF-8"):
        load_predictions(path)


def test_load_predictions_without_truth_size_accepts_any_index(tmp_path):
    path = write(tmp_path, ['{"index": 99, "task_mode": "long_acc", "prediction": "3"}'])
    assert load_predictions(path)[0]["index"] == 99


def test_score_validates_predictions_too():
    with pytest.raises(PredictionError, match="duplicate"):
        score([count_item(1)], preds("long_acc", ["1"]) * 2)
    with pytest.raises(PredictionError, match="not in the truth"):
        score([count_item(1)], [{"index": 1, "task_mode": "long_acc", "prediction": "1"}])


# ---------------------------------------------------------------- no Django

def test_metrics_package_does_not_import_django():
    code = ("import sys, benchmark.metrics.cgav; "
            "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    for path in (ROOT / "benchmark" / "metrics").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "django" for n in names), path
