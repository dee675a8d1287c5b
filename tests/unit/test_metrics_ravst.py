"""R-AVST scoring: hand-computed cases, perfect predictions on the published split, predictions file errors."""

import json

import pytest

from benchmark.formats import ravst as R
from benchmark.metrics import ravst as M
from tests.published import RAVST_TEST_SPLIT

PUBLISHED = RAVST_TEST_SPLIT

approx = pytest.approx


@pytest.fixture(scope="module")
def published():
    return R.load(PUBLISHED)


# --- tIoU ------------------------------------------------------------------------------------------


def test_tiou_cases():
    assert M.tiou((0, 10), (0, 10)) == 1.0
    assert M.tiou((0, 10), (5, 15)) == approx(5 / 15)
    assert M.tiou((0, 10), (2, 4)) == approx(0.2)
    assert M.tiou((0, 10), (10, 20)) == 0.0
    assert M.tiou((0, 10), (20, 30)) == 0.0
    assert M.tiou((3, 3), (3, 3)) == 1.0
    assert M.tiou((3, 3), (4, 4)) == 0.0
    assert M.tiou((3, 3), (0, 10)) == 0.0


def _video(name="v", *events):
    return R.RavstVideo(name, 60.0, list(events))


def _avtr(when, name="dog"):
    return R.QA(R.question_text("AVTR", object=name), R.Answer([R.ObjectAnswer(name, when)]))


def test_r1_thresholds_and_missing():
    truth = [_video("v", R.RavstEvent(1, {"AVTR": [_avtr((0.0, 10.0)), _avtr((0.0, 10.0)), _avtr((0.0, 10.0))]}),
                    R.RavstEvent(2, {"AVTR": [_avtr((0.0, 10.0))]}))]
    preds = [
        {"video_name": "v", "event_num": 1, "task": "AVTR", "prediction": "<when>[0, 3]</when>"},  # 0.3
        {"video_name": "v", "event_num": 1, "task": "AVTR", "qa_index": 1, "prediction": "<when>[0, 5]</when>"},  # 0.5
        {"video_name": "v", "event_num": 1, "task": "AVTR", "qa_index": 2, "prediction": "no idea"},  # unparsable
        # event 2 missing
    ]
    rep = M.score(truth, preds, name_matcher="exact")
    m = rep.metrics["AVTR"]
    assert m["n"] == 4 and m["n_missing"] == 1 and m["n_unparsable"] == 1
    assert m["m_tIoU"] == approx((0.3 + 0.5) / 4)
    assert m["R1@0.3"] == approx(0.5)  # 0.3 counts (at or above)
    assert m["R1@0.5"] == approx(0.25)
    assert m["R1@0.7"] == 0.0
    assert [i.status for i in rep.items] == ["ok", "ok", "unparsable", "missing"]
    assert rep.metrics["AVSR"]["n"] == 0 and rep.metrics["AVSR"]["m_vIoU"] is None


# --- vIoU ------------------------------------------------------------------------------------------

BOX = (0.0, 0.0, 10.0, 10.0)
HALF = (0.0, 0.0, 10.0, 5.0)  # IoU with BOX = 0.5
NULL = (0.0, 0.0, 0.0, 0.0)


def test_box_iou():
    assert M.box_iou(BOX, BOX) == 1.0
    assert M.box_iou(BOX, HALF) == 0.5
    assert M.box_iou(BOX, (10.0, 10.0, 20.0, 20.0)) == 0.0
    assert M.box_iou((0, 0, 10, 10), (5, 5, 15, 15)) == approx(25 / 175)


def test_viou_missing_seconds_on_either_side():
    truth = [(1.0, BOX), (2.0, BOX), (3.0, BOX)]
    assert M.viou(truth, truth) == 1.0
    assert M.viou(truth, [(1.0, BOX), (2.0, HALF)]) == approx((1 + 0.5 + 0) / 3)  # 3.0 missing in prediction
    assert M.viou(truth, truth + [(10.0, BOX)]) == approx(3 / 4)  # 10.0 absent from truth
    assert M.viou(truth, []) == 0.0
    assert M.viou(truth, None) == 0.0


def test_viou_second_snapping():
    truth = [(12.4, BOX), (13.4, BOX)]
    assert M.viou(truth, [(12.0, BOX), (13.0, BOX)]) == 1.0  # within 0.5 s of a truth second
    assert M.viou(truth, [(12.9, BOX)]) == approx(0.5)  # tie: the earlier second 12.4
    assert M.viou(truth, [(14.0, BOX)]) == 0.0  # 0.6 s from 13.4: its own second, T has 3 seconds, none scores
    assert M.viou(truth, [(13.9, BOX)]) == approx(1 / 2)  # 0.5 s from 13.4: snapped


def test_viou_multi_instance_seconds():
    a, b = (0.0, 0.0, 10.0, 10.0), (100.0, 100.0, 110.0, 110.0)
    truth = [(1.0, a), (1.0, b)]
    assert M.viou(truth, [(1.0, b), (1.0, a)]) == 1.0  # order does not matter
    assert M.viou(truth, [(1.0, a)]) == approx(0.5)  # one instance missed
    assert M.viou([(1.0, a)], [(1.0, a), (1.0, b)]) == approx(0.5)  # one spurious instance
    assert M.viou(truth, [(1.0, a), (1.0, (100.0, 100.0, 110.0, 105.0))]) == approx((1 + 0.5) / 2)
    # greedy by IoU: the better pair is taken first
    c = (0.0, 0.0, 10.0, 8.0)  # IoU 0.8 with a
    assert M.viou([(1.0, a), (1.0, c)], [(1.0, a)]) == approx(1 / 2)
    # identical truth lines count once
    assert M.viou([(1.0, a), (1.0, a)], [(1.0, a)]) == 1.0


def test_viou_null_boxes():
    truth = [(1.0, BOX), (2.0, NULL), (3.0, BOX)]
    assert M.viou(truth, [(1.0, BOX), (3.0, BOX)]) == 1.0  # no box at 2.0 agrees with "not found"
    assert M.viou(truth, [(1.0, BOX), (2.0, NULL), (3.0, BOX)]) == 1.0  # saying "not found" too
    assert M.viou(truth, [(1.0, BOX), (2.0, BOX), (3.0, BOX)]) == approx(2 / 3)  # a box where there is none
    assert M.viou([(2.0, NULL)], []) == 1.0
    assert M.viou([(2.0, NULL)], [(7.0, NULL)]) == 1.0  # predicted "not found" elsewhere is neutral
    assert M.viou([(2.0, NULL), (2.0, BOX)], [(2.0, BOX)]) == 1.0  # the null line beside a real box is ignored
    assert M.viou([(1.0, BOX)], [(1.0, NULL)]) == 0.0
    # a truth object without any box line
    assert M.viou([], []) == 1.0
    assert M.viou([], [(1.0, BOX)]) == 0.0


# --- names -----------------------------------------------------------------------------------------


def test_normalise_name():
    assert M.normalise_name("A man") == "man"
    assert M.normalise_name("The Dogs!") == "dog"
    assert M.normalise_name("1. people") == "people"
    assert M.normalise_name("3. Cars") == "car"
    assert M.normalise_name("Babies") == "baby"
    assert M.normalise_name("glass") == "glass"
    assert M.normalise_name("bus") == "bus"
    assert M.normalise_name("fire-truck") == M.normalise_name("Fire truck") == "fire truck"
    assert M.normalise_name("an") == ""


def test_match_objects_exact_first_then_hungarian():
    exact = M.ExactNameMatcher()
    assert M.match_objects(["A man", "Car"], ["cars", "the man"], exact) == [(0, 1, 1.0), (1, 0, 1.0)]
    assert M.match_objects(["dog"], ["cat"], exact) == []

    sims = {("dog", "puppy"): 0.9, ("dog", "hound"): 0.8, ("wolf", "puppy"): 0.78, ("wolf", "hound"): 0.1}
    matcher = lambda a, b: sims.get((a, b), 0.0)  # noqa: E731
    # Greedy would take dog-puppy (0.9) and leave wolf without a match; the Hungarian step pairs both.
    m = M.match_objects(["dog", "wolf"], ["puppy", "hound"], M._resolve_matcher(matcher))
    assert [(a, b) for a, b, _ in m] == [(0, 1), (1, 0)]
    # more predicted than truth objects, and the other way round
    m = M.match_objects(["wolf"], ["hound", "puppy"], M._resolve_matcher(matcher))
    assert [(a, b) for a, b, _ in m] == [(0, 1)]
    m = M.match_objects(["wolf", "dog"], ["hound"], M._resolve_matcher(matcher))
    assert [(a, b) for a, b, _ in m] == [(1, 0)]


def _avsr(objects, sounding=True):
    return R.QA(
        R.question_text("AVSR", start=0.0, end=5.0, sounding=sounding),
        R.Answer([R.ObjectAnswer(n, None, w) for n, w in objects]),
    )


def test_avsr_obj_acc_and_viou():
    truth = [_video("v", R.RavstEvent(1, {"AVSR": [_avsr([("A man", [(0.0, BOX)]), ("Guitar", [(0.0, BOX)])])]}))]

    def run(text):
        rep = M.score(truth, [{"video_name": "v", "event_num": 1, "task": "AVSR", "prediction": text}], name_matcher="exact")
        return rep.metrics["AVSR"], rep.items[0]

    m, item = run("<object>man</object><where>0.0: [0, 0, 10, 10]</where><object>guitars</object><where>0.0: [0, 0, 10, 5]</where>")
    assert m["obj_acc"] == 1.0 and m["m_vIoU"] == approx(0.75)
    assert m["AP@0.3"] == 1.0 and m["AP@0.5"] == 1.0
    assert item.matches == [("A man", "man", 1.0), ("Guitar", "guitars", 1.0)]
    m, _ = run("<object>man</object><where>0.0: [0, 0, 10, 10]</where>")
    assert m["obj_acc"] == approx(0.5) and m["m_vIoU"] == approx(0.5) and m["AP@0.5"] == 1.0
    m, _ = run("<object>man</object><where>0.0: [0, 0, 10, 10]</where><object>guitar</object><object>drum</object>")
    assert m["obj_acc"] == approx(2 / 3) and m["m_vIoU"] == approx(1 / 3) and m["AP@0.5"] == 0.0
    m, _ = run("<object>drum</object><where>0.0: [0, 0, 10, 10]</where>")  # right box, wrong name
    assert m["obj_acc"] == 0.0 and m["m_vIoU"] == 0.0


def test_name_matching_by_embedding():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    matcher = M.EmbeddingNameMatcher()
    assert matcher.similarity("A car", "automobile") >= 0.75
    assert matcher.similarity("sofa", "couch") >= 0.75
    assert matcher.similarity("car", "banana") < 0.75
    assert matcher.similarity("The Dogs", "dog") == 1.0  # normalised equality, no model needed
    truth = [_video("v", R.RavstEvent(1, {"AVSR": [_avsr([("Car", [(0.0, BOX)]), ("Sofa", [(0.0, BOX)])], False)]}))]
    pred = "<object>couch</object><where>0.0: [0, 0, 10, 10]</where><object>automobile</object><where>0.0: [0, 0, 10, 10]</where>"
    rep = M.score(truth, [{"video_name": "v", "event_num": 1, "task": "AVSR", "prediction": pred}], name_matcher=matcher)
    assert rep.metrics["AVSR"]["obj_acc"] == 1.0 and rep.metrics["AVSR"]["m_vIoU"] == 1.0
    assert [(t, p) for t, p, _ in rep.items[0].matches] == [("Car", "automobile"), ("Sofa", "couch")]
    rep = M.score(truth, [{"video_name": "v", "event_num": 1, "task": "AVSR", "prediction": pred}], name_matcher="exact")
    assert rep.metrics["AVSR"]["obj_acc"] == 0.0


def test_avstr_scores():
    qa = R.QA(
        R.question_text("AVSTR", object="dog"),
        R.Answer([R.ObjectAnswer("dog", (1.4, 3.4), [(1.4, BOX), (2.4, BOX), (3.4, NULL)])]),
    )
    truth = [_video("v", R.RavstEvent(1, {"AVSTR": [qa]}))]
    pred = "<answer>\n<object>dog</object>\n<when>[1.4, 2.4]</when>\n<where>\n1: [0, 0, 10, 10]\n2: [0, 0, 10, 5]\n</where>\n</answer>"
    rep = M.score(truth, [{"video_name": "v", "event_num": 1, "task": "AVSTR", "prediction": pred}])
    m = rep.metrics["AVSTR"]
    assert m["m_tIoU"] == approx(0.5)
    assert m["m_vIoU"] == approx((1 + 0.5 + 1) / 3)
    assert m["AP@0.5"] == 1.0


# --- the published split ---------------------------------------------------------------------------


def test_perfect_predictions_score_one(published):
    preds = [
        {"video_name": v, "event_num": e, "task": t, "qa_index": i, "prediction": qa.raw_answer}
        for v, e, t, i, qa in R.iter_questions(published)
    ]
    rep = M.score(published, preds)
    assert len(rep.items) == 1638
    for task in R.TASKS:
        m = rep.metrics[task]
        assert m["n_missing"] == m["n_unparsable"] == 0
        for key, value in m.items():
            if not key.startswith("n"):
                assert value == 1.0, (task, key)
    assert all(i.status == "ok" for i in rep.items)


def test_no_predictions_score_zero(published):
    rep = M.score(published, [])
    assert rep.metrics["AVTR"]["m_tIoU"] == 0.0 and rep.metrics["AVSR"]["obj_acc"] == 0.0
    assert rep.metrics["AVSTR"]["m_vIoU"] == 0.0 and rep.metrics["AVSR"]["n_missing"] == 666


def test_repeated_event_num_is_addressed_by_qa_index(published):
    video = next(v for v in published if v.video_name == "IXM05dPfKmo")
    keys = [(e, t, i) for v, e, t, i, _ in R.iter_questions([video])]
    assert keys == [(1, "AVSR", 0), (1, "AVSR", 1)]


# --- predictions file ------------------------------------------------------------------------------


def _truth():
    return [_video("v", R.RavstEvent(1, {"AVTR": [_avtr((0.0, 1.0))], "AVSR": [_avsr([("x", [])])]}), R.RavstEvent(2, {})),
            _video("w")]


def _lines(*records):
    return [r if isinstance(r, str) else json.dumps(r) for r in records]


OK = {"video_name": "v", "event_num": 1, "task": "AVTR", "prediction": "<when>[0, 1]</when>"}


def test_load_predictions_ok(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(_lines(OK, "", {**OK, "task": "AVSR", "prediction": None, "model": "m"})) + "\n")
    preds = M.load_predictions(path, _truth())
    assert [(p.task, p.line, p.prediction) for p in preds] == [("AVTR", 1, "<when>[0, 1]</when>"), ("AVSR", 3, None)]
    rep = M.score(_truth(), preds, name_matcher="exact")
    assert rep.metrics["AVTR"]["m_tIoU"] == 1.0 and rep.items[1].status == "missing"


@pytest.mark.parametrize(
    "lines, message",
    [
        (["{not json"], "line 1: not valid JSON"),
        (["[1, 2]"], "line 1: expected a JSON object"),
        ([{"video_name": "v", "event_num": 1, "task": "AVTR"}], "line 1: missing key(s) prediction"),
        ([{**OK, "event_num": "1"}], "line 1: event_num must be an integer"),
        ([{**OK, "event_num": True}], "line 1: event_num must be an integer"),
        ([{**OK, "qa_index": -1}], "qa_index must be a non-negative integer"),
        ([{**OK, "prediction": 3}], "prediction must be a string or null"),
        ([{**OK, "task": "AV Temporal Reasoning"}], "line 1: unknown task 'AV Temporal Reasoning'"),
        ([{**OK, "video_name": "zzz"}], "line 1: unknown video_name 'zzz'"),
        ([{**OK, "event_num": 3}], "video 'v' has no event_num 3"),
        ([{**OK, "event_num": 2}], "event 2 of video 'v' has no AVTR question"),
        ([{**OK, "video_name": "w"}], "video 'w' has no event_num 1"),
        ([{**OK, "task": "AVSTR"}], "event 1 of video 'v' has no AVSTR question"),
        ([{**OK, "qa_index": 1}], "has 1 AVTR question(s); qa_index 1 is out of range"),
        ([OK, "", {**OK, "qa_index": 0}], "line 3: second prediction for 'v' event 1 AVTR qa_index 0 (first on line 1)"),
    ],
)
def test_load_predictions_errors(lines, message):
    with pytest.raises(M.PredictionError) as err:
        M.load_predictions(_lines(*lines), _truth())
    assert message in str(err.value)


def test_score_checks_plain_dicts():
    with pytest.raises(M.PredictionError, match="line 2: second prediction"):
        M.score(_truth(), [OK, OK], name_matcher="exact")
