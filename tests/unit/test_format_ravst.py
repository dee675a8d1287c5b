"""The R-AVST format against the published test split (``tests/fixtures/r-avst/xml_test_QA.json``)."""

import io
import json

import pytest

from benchmark.formats import ravst as R
from tests.published import RAVST_TEST_SPLIT

PUBLISHED = RAVST_TEST_SPLIT



@pytest.fixture(scope="module")
def published_bytes():
    return PUBLISHED.read_bytes()


@pytest.fixture(scope="module")
def videos(published_bytes):
    return R.load(PUBLISHED)


# --- the published file ----------------------------------------------------------------------------


def test_published_counts(videos):
    questions = list(R.iter_questions(videos))
    assert len(videos) == 1070
    assert len(questions) == 1638
    boxes = sum(len(o.where or ()) for *_, qa in questions for o in qa.answer.objects)
    assert boxes == 30737
    by_task = {t: sum(1 for q in questions if q[2] == t) for t in R.TASKS}
    assert by_task == {"AVTR": 666, "AVSR": 666, "AVSTR": 306}


def test_round_trip_bytes_and_value(published_bytes, videos):
    text = R.dump(videos)
    assert json.loads(text) == json.loads(published_bytes)
    assert text.encode("utf-8") == published_bytes  # byte identity
    # our own re-export is deterministic and stable
    assert R.dump(R.load(text)) == text


def test_load_accepts_every_input_kind(published_bytes):
    n = len(R.load(published_bytes))
    assert len(R.load(str(PUBLISHED))) == n
    assert len(R.load(published_bytes.decode())) == n
    assert len(R.load(json.loads(published_bytes))) == n
    assert len(R.load(io.BytesIO(published_bytes))) == n
    with pytest.raises(TypeError):
        R.load(42)


def test_event_key_order_and_repeated_event_nums_are_kept(videos):
    orders = {tuple(e.qa) for v in videos for e in v.events}
    assert ("AVTR", "AVSR", "AVSTR") in orders and ("AVSR", "AVSTR") in orders
    repeated = [v for v in videos if len({e.event_num for e in v.events}) != len(v.events)]
    assert len(repeated) == 16
    keys = [(v, e, t, i) for v, e, t, i, _ in R.iter_questions(videos)]
    assert len(set(keys)) == len(keys) == 1638


def test_every_answer_formats_back_byte_for_byte(videos):
    n = 0
    for _, _, task, _, qa in R.iter_questions(videos):
        assert R.format_answer(R.parse_answer(qa.raw_answer)) == qa.raw_answer
        assert R.format_answer(qa.answer, task) == qa.raw_answer
        n += 1
    assert n == 1638


def test_every_question_is_regenerated_from_its_pieces(videos):
    matched = 0
    variants = set()
    for _, _, task, _, qa in R.iter_questions(videos):
        parts = R.parse_question(task, qa.question)
        if task == "AVSR":
            variants.add(parts.sounding)
            text = R.question_text(task, start=parts.start, end=parts.end, sounding=parts.sounding)
        else:
            assert parts.object == qa.answer.objects[0].name  # the question names the answer's object
            text = R.question_text(task, object=parts.object)
        matched += text == qa.question
    assert matched == 1638
    assert variants == {True, False}


def test_event_bounds(videos):
    first = videos[0]
    assert first.video_name == "zLfhRM6G0OU"
    assert R.event_bounds(first.events[0]) == (0.0, 44.4319)


# --- numbers and templates -------------------------------------------------------------------------


def test_number_formatting():
    assert R.format_boundary(44.4319) == "44.4319"
    assert R.format_boundary(1.39314) == "1.39314"
    assert R.format_boundary(6.510000001) == "6.51"
    assert R.format_boundary(0) == "0.0"
    assert R.format_boundary(1.393144) == "1.39314"
    assert R.format_boundary(0.00001) == "0.00001"  # never exponent notation
    answer = R.Answer([R.ObjectAnswer("x", (0, 44.4319), [(3.4000000000000004, (158, 0.0, 1279.04, 719))])])
    assert R.format_answer(answer) == (
        "<answer>\n<object>x</object>\n<when>[0.0, 44.4]</when>\n<where>\n"
        "3.4: [158.0, 0.0, 1279.0, 719.0]\n</where>\n</answer>"
    )
    with pytest.raises(R.FormatError):
        R.format_answer(R.Answer([R.ObjectAnswer("x", (0, float("nan")))]))


def test_question_templates():
    assert R.question_text("AVTR", object="trombone") == "When is the moment trombone makes sound and is visible?"
    assert (
        R.question_text("AV Spatial Reasoning", start=0.0, end=44.4319)
        == "What visible object(s) make sound between 0.0 and 44.4319, and where is/are they?"
    )
    assert (
        R.question_text("AVSR", start=1.39314, end=4.31906, sounding=False)
        == "What silent object(s) can be seen between 1.39314 and 4.31906, and where is/are they?"
    )
    assert (
        R.question_text("AVSTR", object="person")
        == 'When is the moment person makes sound and is visible, and where is the "person"?'
    )
    with pytest.raises(R.FormatError):
        R.question_text("AVSR", start=1.0)
    with pytest.raises(R.FormatError):
        R.question_text("XYZ", object="a")
    with pytest.raises(R.FormatError):
        R.parse_question("AVTR", "When does the trombone play?")
    with pytest.raises(R.FormatError):
        R.parse_question("AVSTR", 'When is the moment a makes sound and is visible, and where is the "b"?')


def test_task_shape_when_formatting():
    avsr = R.Answer([R.ObjectAnswer("Passengers")])
    assert R.format_answer(avsr, "AVSR") == "<answer>\n<object>Passengers</object>\n<where>\n</where>\n</answer>"
    assert R.format_answer(avsr) == "<answer>\n<object>Passengers</object>\n</answer>"
    with pytest.raises(R.FormatError):
        R.format_answer(avsr, "AVTR")  # AVTR needs a when
    qa = R.QA("q", R.Answer([R.ObjectAnswer("dog", (1.0, 2.0))]))
    assert qa.raw_answer == "<answer>\n<object>dog</object>\n<when>[1.0, 2.0]</when>\n</answer>"


# --- strict parsing --------------------------------------------------------------------------------

GOOD = "<answer>\n<object>A man</object>\n<where>\n0.0: [272.0, 208.0, 393.0, 359.0]\n0.0: [0.0, 0.0, 0.0, 0.0]\n</where>\n</answer>"


def test_parse_answer_values():
    a = R.parse_answer(GOOD)
    assert a == R.Answer([R.ObjectAnswer("A man", None, [(0.0, (272.0, 208.0, 393.0, 359.0)), (0.0, (0.0, 0.0, 0.0, 0.0))])])
    b = R.parse_answer("<answer>\n<object>trombone</object>\n<when>[0.0, 44.4]</when>\n</answer>")
    assert b.objects[0].when == (0.0, 44.4) and b.objects[0].where is None
    c = R.parse_answer("<answer>\n<object>Pond</object>\n<where>\n</where>\n</answer>")
    assert c.objects[0].where == []


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "line 1"),
        ("<answer>\n<object>x</object>\n</answer>\n", "last line"),
        ("<answer>\n</answer>", "no <object>"),
        ("<answer>\n<object></object>\n</answer>", "line 2"),
        ("<answer>\n<object>x</object>\n<when>[1, 2]</when>\n</answer>", "line 3"),
        ("<answer>\n<object>x</object>\n<when>[1.0,2.0]</when>\n</answer>", "line 3"),
        ("<answer>\n<object>x</object>\n<where>\n1.0: [1.0, 2.0, 3.0]\n</where>\n</answer>", "line 4"),
        ("<answer>\n<object>x</object>\n<where>\n1.0: [1.0, 2.0, 3.0, 4.25]\n</where>\n</answer>", "line 4"),
        ("<answer>\n<object>x</object>\n<where>\n1.0: [1.0, 2.0, 3.0, 4.0]\n</answer>", "'</where>'"),
        ("<answer>\n<object>x</object>\n<where>\n</where>\n<when>[1.0, 2.0]</when>\n</answer>", "line 5"),
        ("<answer>\nprose\n</answer>", "line 2"),
        (" <answer>\n<object>x</object>\n</answer>", "line 1"),
    ],
)
def test_malformed_answers_raise(text, fragment):
    with pytest.raises(R.FormatError) as err:
        R.parse_answer(text)
    assert fragment in str(err.value)


def test_malformed_files_raise_with_location():
    good = {"Q": "When is the moment x makes sound and is visible?", "A": "<answer>\n<object>x</object>\n<when>[1.0, 2.0]</when>\n</answer>"}
    base = [{"video_name": "v1", "duration": 10.0, "annotation": [{"event_num": 1, "AV Temporal Reasoning": [good]}]}]
    assert R.dump(R.load(base)) == json.dumps(base, indent=2)
    bad_answer = json.loads(json.dumps(base))
    bad_answer[0]["annotation"][0]["AV Temporal Reasoning"][0]["A"] = "<answer>\n<object>x</object>\n<when>[1, 2]</when>\n</answer>"
    with pytest.raises(R.FormatError, match=r"video #0 \('v1'\) annotation\[0\] 'AV Temporal Reasoning'\[0\]: answer line 3"):
        R.load(bad_answer)
    bad_key = json.loads(json.dumps(base))
    bad_key[0]["annotation"][0]["AV Other"] = []
    with pytest.raises(R.FormatError, match="unknown key 'AV Other'"):
        R.load(bad_key)
    with pytest.raises(R.FormatError, match="event_num must be an integer"):
        R.load([{"video_name": "v", "duration": 1.0, "annotation": [{"event_num": "1"}]}])
    with pytest.raises(R.FormatError, match="keys video_name, duration, annotation"):
        R.load([{"video_name": "v", "duration": 1.0}])
    with pytest.raises(R.FormatError, match="not valid JSON"):
        R.load("[{")


# --- lenient prediction parsing --------------------------------------------------------------------


def test_prediction_exact_format_is_read_like_the_strict_parser():
    assert R.parse_prediction(GOOD) == R.parse_answer(GOOD)


def test_prediction_reads_every_published_answer_exactly(videos):
    assert all(R.parse_prediction(qa.raw_answer) == qa.answer for *_, qa in R.iter_questions(videos))


def test_prediction_near_misses():
    a = R.parse_prediction("Sure! Here it is:\n<answer><object> the dog </object><when>[3, 7.5]</when></answer> Hope it helps")
    assert a.objects == [R.ObjectAnswer("the dog", (3.0, 7.5), None)]

    b = R.parse_prediction("<object>dog</object>\n<when>(7.5 - 3)</when>\n<where>\nT = 3 : [10, 20, 5, 40]\n4s: (1,2,3,4), 5.0 :[1, 2, 3, 4]")
    assert b.objects[0].when == (3.0, 7.5)
    assert b.objects[0].where == [(3.0, (5.0, 20.0, 10.0, 40.0)), (4.0, (1.0, 2.0, 3.0, 4.0)), (5.0, (1.0, 2.0, 3.0, 4.0))]

    c = R.parse_prediction("<answer>\n<object>cat\n<where>\n1: [1, 1, 2, 2]\n<object>dog</object>\n<where>\n2.0: [0, 0, 5, 5]\n</where>")
    assert [o.name for o in c.objects] == ["cat", "dog"]
    assert c.objects[0].where == [(1.0, (1.0, 1.0, 2.0, 2.0))]

    d = R.parse_prediction("<answer>draft <when>[0, 1]</when></answer> final: <answer><when>[2, 4]</when></answer>")
    assert d.objects == [R.ObjectAnswer("", (2.0, 4.0), None)]

    e = R.parse_prediction("The sound is from [12.0, 20.5] seconds.")
    assert e.objects == [R.ObjectAnswer("", (12.0, 20.5), None)]

    f = R.parse_prediction("1.0: [1, 2, 3, 4]\n2.0: [1, 2, 3, 4]")
    assert f.objects[0].where == [(1.0, (1.0, 2.0, 3.0, 4.0)), (2.0, (1.0, 2.0, 3.0, 4.0))]

    assert R.parse_prediction('<object>**"Dog"**</object>').objects[0].name == "Dog"
    assert R.parse_prediction("<object>License plate '#1$ FAN'</object>").objects[0].name == "License plate '#1$ FAN'"

    g = R.parse_prediction("<OBJECT>Dog</OBJECT><WHEN>[1,2]</WHEN><when>[5, 6]</when>")
    assert g.objects == [R.ObjectAnswer("Dog", (1.0, 2.0), None)]


@pytest.mark.parametrize("text", [None, "", "   ", "I cannot tell.", "<answer></answer>", "<when>soon</when>"])
def test_prediction_without_content_is_none(text):
    assert R.parse_prediction(text) is None
