"""CG-AV-Counting scoring profiles (benchmark.metrics.cgav_profiles, benchmark.metrics.xlsx).

Every expected number here was produced by running the public tool's own code outside this project, at the
commit the profile pins, on exactly the inputs below:

* VLMEvalKit 9cc14cd0 (vlmeval/dataset/CGAVCounting/utils.py: post_process, rating_func, with
  CGAVCounting.evaluate's NaN split): the table built as generate_tsv builds it, predictions stored with
  str() and written with DataFrame.to_excel(engine="xlsxwriter"), read with pd.read_excel, the score file
  through its CSV; xlsxwriter 3.3.1, openpyxl 3.1.5, pandas 2.2.3, numpy 1.26.4, word2number 1.1;
* AV-Reasoner b63ce2c8 eval/black_box_evaluation.py and white_box_evaluation.py, over one output file per
  prediction line (read in index order), printed figures copied;
* lmms-eval 75571cfe lmms_eval/tasks/cgav_counting/utils.py: cgav_process_results_{long,ref,clue} and the
  aggregate_* functions, a missing line given as an empty answer.
"""

import json
import math
import random

import numpy as np
import pytest

from benchmark.metrics import cgav, cgav_profiles
from benchmark.metrics.xlsx import roundtrip

TRUTH = [
    {"category": "event", "type": "A", "answer": 3,
     "clue": [{"start": 14.2, "end": 15.0}, {"start": 33.9, "end": 34.6}, {"start": 58.0, "end": 59.1}]},
    {"category": "object", "type": "V", "answer": 3,
     "clue": [{"timestamp": 71.5, "bbox": [100, 200, 180, 280]}, {"timestamp": 71.5, "bbox": [300, 200, 380, 280]},
              {"timestamp": 88.0, "bbox": [640, 300, 700, 360]}]},
    {"category": "attribute", "type": "AV", "answer": 3,
     "clue": [[{"timestamp": 6.0, "bbox": [10, 20, 110, 300]}, {"timestamp": 6.0, "bbox": [400, 30, 520, 330]}],
              [{"timestamp": 21.0, "bbox": [800, 40, 900, 320]}]]},
    {"category": "event", "type": "V", "answer": 120, "clue": [{"start": 1.0, "end": 2.0}]},
]
PREDICTIONS = [
    {"index": 0, "task_mode": "long_acc", "prediction": "3"},
    {"index": 1, "task_mode": "long_acc", "prediction": "None"},                  # a pandas NA string
    {"index": 2, "task_mode": "long_acc", "prediction": ""},                      # empty
    {"index": 3, "task_mode": "long_acc", "prediction": "I count 1,000 of them"},  # lmms-eval's regex, capped
    {"index": 0, "task_mode": "ref_acc", "prediction": "=3"},                     # an xlsx formula
    {"index": 1, "task_mode": "ref_acc", "prediction": "I count 2, maybe 3"},
    {"index": 3, "task_mode": "ref_acc", "prediction": "twenty one"},             # item 2: no line
    {"index": 0, "task_mode": "clue_acc", "prediction": "<answer>[[14.2, 15.0],\r[33.9, 34.6], [58, 59]]</answer>"},
    {"index": 1, "task_mode": "clue_acc",  # int64 box areas overflow in numpy; "Frame 2" and a flat box
     "prediction": '{"Frame1": [[100, 200, 180, 280], [0, 0, 5000000000, 5000000000]], '
                   '"Frame 2": [640, 300, 700, 360]}'},
    {"index": 2, "task_mode": "clue_acc",  # upper-case tags; a bbox without a length
     "prediction": '<ANSWER>{"Frame1": [{"bbox": [10, 20, 110, 300], "label": "a"}, {"bbox": 5, "label": "b"}], '
                   '"Frame2": [{"bbox": [800, 40, 900, 320], "label": "b"}]}</ANSWER>'},
    {"index": 3, "task_mode": "clue_acc", "prediction": None},
]
HEADLINE = cgav_profiles.HEADLINE

PINNED = {
    # VLMEvalKit's rating_func without its round(), then with it.
    "vlmevalkit": {
        "metrics": {"long_acc/acc": 0.5, "long_acc/oboa": 0.5, "long_acc/mae": 60.0, "long_acc/rmse": 84.8528137423857,
                    "ref_acc/acc": 0.0, "ref_acc/oboa": 0.0, "ref_acc/mae": 34.0, "ref_acc/rmse": 57.18391382198319,
                    "clue_acc/wcs": 0.367851130197758, "clue_acc/ifa": 0.6666666666666666},
        "published": {"long_acc/acc": 0.5, "long_acc/oboa": 0.5, "long_acc/mae": 60.0, "long_acc/rmse": 84.8528,
                      "ref_acc/acc": 0.0, "ref_acc/oboa": 0.0, "ref_acc/mae": 34.0, "ref_acc/rmse": 57.1839,
                      "clue_acc/wcs": 0.3679, "clue_acc/ifa": 0.6667},
    },
    # What the scripts print ("wcs" is x 100 there).
    "av-reasoner": {
        "metrics": {"long_acc/acc": 0.25, "long_acc/oboa": 0.25, "long_acc/mae": 31.5,
                    "long_acc/rmse": 60.037488288568504, "ref_acc/acc": 0.0, "ref_acc/oboa": 0.0,
                    "ref_acc/mae": 35.0, "ref_acc/rmse": 57.21013896155121, "clue_acc/ifa": 0.5},
        "published": {"clue_acc/wcs": 33.45713296069839},
    },
    "lmms-eval": {
        "metrics": {"long_acc/acc": 0.25, "long_acc/oboa": 0.25, "long_acc/mae": 61.5,
                    "long_acc/rmse": 120.01874853538509, "ref_acc/acc": 0.25, "ref_acc/oboa": 0.5,
                    "ref_acc/mae": 25.75, "ref_acc/rmse": 49.52524608722303, "clue_acc/wcs": 0.6470713296069839,
                    "clue_acc/ifa": 0.75},
        "published": {},
    },
}
LMMS_CLUE_WCS = [0.9847319278346617, 0.8535533905932737, 0.75, 0.0]  # cgav_process_results_clue, per item


@pytest.mark.parametrize("profile", ["vlmevalkit", "av-reasoner", "lmms-eval"])
def test_profiles_equal_the_public_tools_on_the_hand_made_case(profile):
    rep = cgav_profiles.score(TRUTH, PREDICTIONS, profile)
    assert rep.errors == {}
    for key, value in PINNED[profile]["metrics"].items():
        assert rep.metrics[key] == value, key
    for key, value in PINNED[profile]["published"].items():
        assert rep.published[key] == value, key


def test_lmms_eval_per_item_wcs():
    rep = cgav_profiles.score(TRUTH, PREDICTIONS, "lmms-eval")
    assert [it.wcs for it in rep.items if it.task_mode == "clue_acc"] == LMMS_CLUE_WCS


def test_vlmevalkit_items_say_why():
    rep = cgav_profiles.score(TRUTH, PREDICTIONS, "vlmevalkit")
    by = {(it.index, it.task_mode): it for it in rep.items}
    assert by[(1, "long_acc")].acc is None and "NA strings" in by[(1, "long_acc")].note
    assert by[(2, "long_acc")].acc is None and "blank cell" in by[(2, "long_acc")].note
    assert by[(2, "ref_acc")].acc is None and "no answer" in by[(2, "ref_acc")].note
    assert by[(0, "ref_acc")].err == 0 and by[(0, "ref_acc")].acc == 0 and "formula" in by[(0, "ref_acc")].note
    assert by[(0, "clue_acc")].ifa == 0 and "_x000D_" in by[(0, "clue_acc")].note


def test_disagreements_list_the_items_with_the_raw_output_and_why():
    reports = {p: cgav_profiles.score(TRUTH, PREDICTIONS, p) for p in cgav_profiles.PROFILES}
    rows = cgav_profiles.disagreements(reports)
    keys = {(r["index"], r["task_mode"]) for r in rows}
    assert (0, "long_acc") not in keys  # "3" is 3 everywhere
    row = next(r for r in rows if (r["index"], r["task_mode"]) == (3, "long_acc"))
    assert row["raw"] == "I count 1,000 of them"
    assert row["scores"]["lmms-eval"]["err"] == 240.0 and row["scores"]["vlmevalkit"]["err"] == 120.0
    assert "capped" in row["why"]["lmms-eval"]
    row = next(r for r in rows if (r["index"], r["task_mode"]) == (2, "ref_acc"))
    assert row["raw"] is None and "not counted" in row["why"]["av-reasoner"]


def test_vlmevalkit_key_error_and_nan():
    black_only = [p for p in PREDICTIONS if p["task_mode"] == "long_acc"]
    rep = cgav_profiles.score(TRUTH, black_only, "vlmevalkit")
    assert rep.metrics == {} and "KeyError: 'wcs'" in rep.errors["clue_acc"]
    # no white-box answer survives the round trip ("nan" and "" are NA): the same KeyError
    rep = cgav_profiles.score(TRUTH, black_only + [{"index": 0, "task_mode": "clue_acc", "prediction": "nan"}],
                              "vlmevalkit")
    assert "KeyError" in rep.errors["clue_acc"]
    # one scored white-box row: ref_acc has none of its own but its columns exist, so its means are NaN
    rep = cgav_profiles.score(TRUTH, black_only + [PREDICTIONS[7]], "vlmevalkit")
    assert rep.errors == {} and math.isnan(rep.metrics["ref_acc/acc"]) and math.isnan(rep.published["ref_acc/mae"])


def test_int64_box_areas_wrap_like_numpy():
    box, huge = [100, 200, 180, 280], [0, 0, 5_000_000_000, 5_000_000_000]
    b1, b2 = np.array(box), np.array(huge)  # what compute_sIoU builds
    with np.errstate(over="ignore"):
        inter = max(0, min(b1[2], b2[2]) - max(b1[0], b2[0])) * max(0, min(b1[3], b2[3]) - max(b1[1], b2[1]))
        union = (b1[2] - b1[0]) * (b1[3] - b1[1]) + (b2[2] - b2[0]) * (b2[3] - b2[1]) - inter
    expected = inter / union if union > 0 else 0.0
    assert cgav.compute_siou_numpy(box, huge) == expected
    assert cgav.compute_siou(box, huge) != expected  # plain Python does not wrap
    assert cgav.compute_siou_numpy([1.5, 2, 3, 4], [1, 2, 3, 4]) == cgav.compute_siou([1.5, 2, 3, 4], [1, 2, 3, 4])
    with pytest.raises(TypeError):
        cgav.compute_siou_numpy([True, True, False, False], [0, 0, 1, 1])


def test_linear_sum_assignment_equals_scipy_on_ties():
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(7)
    for n in range(3000):
        shape = tuple(rng.integers(1, 6, size=2))
        m = rng.integers(0, 3, shape).astype(float) / 2 if n % 2 else rng.random(shape)
        want = linear_sum_assignment(-m)
        got = cgav.linear_sum_assignment(-m)
        assert (list(want[0]), list(want[1])) == (list(got[0]), list(got[1]))


# ------------------------------------------------------------------------------------------------- xlsx round trip

# Each pair: what VLMEvalKit stores, and what pd.read_excel gives back (xlsxwriter 3.3.1 / openpyxl 3.1.5 /
# pandas 2.2.3, run outside the project); None: NaN, 0: the number 0.
XLSX = [
    ("3", "3"), ("", None), ("None", None), ("nan", None), ("NA", None), (" NA", " NA"), ("a\rb", "a_x000D_b"),
    ("a\r\nb", "a_x000D_\nb"), ("x\x01y", "x_x0001_y"), ("_x000D_", "_x000D_"), ("=1+2", 0), ("=A1", 0),
    ("{=1}", 0), ("=", 0), ("http://example.com/x", "http://example.com/x"),
    ("http://e.com/" + "a" * 2100, None), ("mailto:a@b", "a@b"), ("internal:Sheet1!A1", "Sheet1!A1"),
    ("external:c:\\x", "c:\\x"), ("external:foo", "foo"), ("\t3", "\t3"), ("3 ", "3 "), ("TRUE", "TRUE"),
    ("x\x00y", "x_x0000_y"), ("\ufffe", "_xFFFE_"), ("a\x0bb", "a_x000B_b"), ("_x000D_a\r", "_x000D_a_x000D_"),
    ("a\x01_x0041_", "a_x0001__x0041_"), ("\U0001F600" * 3, "\U0001F600" * 3),
]


@pytest.mark.parametrize("stored,read_back", XLSX)
def test_xlsx_roundtrip_pinned(stored, read_back):
    cell = roundtrip(stored)
    assert cell.value == read_back and type(cell.value) is type(read_back)
    if read_back != stored:
        assert cell.why


def test_xlsx_roundtrip_cuts_at_32767_utf16_units():
    assert roundtrip("3" * 40000).value == "3" * 32767
    cut = roundtrip("\U0001F600" * 20000).value  # two UTF-16 units each, never split
    assert cut == "\U0001F600" * 16383
    assert roundtrip(None).value is None and "str(None)" in roundtrip(None).why


def test_seeded_fuzz_of_the_vlmevalkit_profile_against_round_trip_properties():
    """Whatever the answers, the vlmevalkit profile drops exactly the rows whose stored text is NaN after the
    round trip, scores 0 on the formula rows, and scores every other row as VLMEvalKit's compat mode scores the
    rewritten text."""
    rng = random.Random(20260)
    pieces = ["3", "three", "", "None", "NULL", "#N/A", "n/a", "=2", "{=2}", "\r", "\x07", "_x0041_", " ",
              "<answer>[[14.2, 15.0]]</answer>", '{"Frame1": [[100, 200, 180, 280]]}', "http://a/", "mailto:x"]
    for _ in range(40):
        preds = []
        for index in range(len(TRUTH)):
            for mode in cgav.TASK_MODES:
                if rng.random() < 0.15:
                    continue
                text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3)))
                preds.append({"index": index, "task_mode": mode, "prediction": None if rng.random() < 0.1 else text})
        rep = cgav_profiles.score(TRUTH, preds, "vlmevalkit")
        given = {(p["index"], p["task_mode"]): p["prediction"] for p in preds}
        for it in rep.items:
            cell = roundtrip(given.get((it.index, it.task_mode)))
            scores = (it.acc, it.err) if it.task_mode != "clue_acc" else (it.wcs, it.ifa)
            if cell.value is None:
                assert scores == (None, None)
            elif not isinstance(cell.value, str):
                assert scores == (0, 0)
            else:
                one = cgav.score([TRUTH[it.index]], [{"index": 0, "task_mode": it.task_mode,
                                                      "prediction": cell.value}], vlmevalkit_compat=True,
                                 int64_boxes=True).items[0]
                assert scores == ((one.acc, one.err) if it.task_mode != "clue_acc" else (one.wcs, one.ifa))


def test_strict_is_todays_default():
    assert cgav_profiles.score(TRUTH, PREDICTIONS, "strict").metrics == cgav.score(TRUTH, PREDICTIONS).metrics


def test_lmms_eval_stops_on_a_list_where_an_object_is_expected():
    rep = cgav_profiles.score(TRUTH, [{"index": 1, "task_mode": "clue_acc", "prediction": "[[1, 2, 3, 4]]"}],
                              "lmms-eval")
    assert "AttributeError" in rep.errors["clue_acc"] and "clue_acc/wcs" not in rep.metrics


def test_pins_name_commits():
    for profile in ("vlmevalkit", "av-reasoner", "lmms-eval"):
        assert len(cgav_profiles.PINS[profile].split("@")[1].split()[0]) == 40
    assert json.dumps(cgav_profiles.PINS)
