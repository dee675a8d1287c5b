"""Tests for benchmark.formats.cgav (the CG-AV-Counting question file). No Django, no media."""

from __future__ import annotations

import json
import random

import pytest

from benchmark.formats.cgav import (
    KEY_ORDER,
    FormatError,
    attribute_clue,
    build_item,
    dump,
    event_clue,
    load,
    loads,
    mid_frame_time,
    object_clue,
    save,
    validate_items,
)

FPS = {"demo_0001.mp4": 25.0, "demo_0002.mp4": 30000 / 1001}
SIZES = {"demo_0001.mp4": (1280, 720), "demo_0002.mp4": (960, 720)}

#: The synthetic example of FORMAT.md, as written there.
FORMAT_EXAMPLE = """[
  {"index": 0, "video": "demo_0001.mp4",
   "question": "How many times does the bell ring?", "question_en": "How many times does the bell ring?",
   "answer": 3, "type": "A", "category": "event", "query_interval": [12.0, 61.5],
   "clue": [{"start": 14.2, "end": 15.0}, {"start": 33.9, "end": 34.6}, {"start": 58.0, "end": 59.1}]},
  {"index": 1, "video": "demo_0001.mp4",
   "question": "How many red balls appear?", "question_en": "How many red balls appear?",
   "answer": 2, "type": "V", "category": "object", "query_interval": [70.0, 95.0],
   "clue": [{"timestamp": 71.5, "bbox": [100, 200, 180, 280]}, {"timestamp": 88.0, "bbox": [640, 300, 700, 360]}]},
  {"index": 2, "video": "demo_0002.mp4",
   "question": "How many different shirt colours do the singers wear?", "question_en": "How many different shirt colours do the singers wear?",
   "answer": 2, "type": "AV", "category": "attribute", "query_interval": [5.0, 40.0],
   "clue": [[{"timestamp": 6.0, "bbox": [10, 20, 110, 300]}, {"timestamp": 6.0, "bbox": [400, 30, 520, 330]}],
            [{"timestamp": 21.0, "bbox": [800, 40, 900, 320]}]]}
]"""


def make_items() -> list[dict]:
    fps2 = FPS["demo_0002.mp4"]
    return [
        build_item(
            index=0, video="demo_0001.mp4", question="How many times does the bell ring?", answer=3,
            type="A", category="event", query_interval=[12, 61.5],
            clue=[event_clue(58.0, 59.1), event_clue(14.2, 15.0), event_clue(33.9, 34.6)],
        ),
        build_item(
            index=1, video="demo_0001.mp4", question="How many red balls appear?", answer=2,
            type="V", category="object", query_interval=[70.0, 95.0],
            clue=[object_clue(2200, 25.0, [640, 300, 700, 360]), object_clue(1787, 25.0, [180, 280, 100, 200])],
        ),
        build_item(
            index=2, video="demo_0002.mp4", question="Combien de couleurs de chemise différentes ?", answer=2,
            type="AV", category="attribute", query_interval=[5.0, 40.0],
            clue=attribute_clue([
                [object_clue(629, fps2, [800.04, 40, 900, 320.06])],
                [object_clue(179, fps2, [400, 30, 520, 330]), object_clue(179, fps2, [10, 20, 110, 300])],
            ]),
        ),
    ]


# -- building ---------------------------------------------------------------------------------


def test_build_item_key_order_and_rounding():
    items = make_items()
    for item in items:
        assert tuple(item) == KEY_ORDER
        assert item["question_en"] == item["question"]
    event, obj, attr = items
    assert event["query_interval"] == [12.0, 61.5] and isinstance(event["query_interval"][0], float)
    assert event["clue"] == [{"start": 14.2, "end": 15.0}, {"start": 33.9, "end": 34.6}, {"start": 58.0, "end": 59.1}]
    # Objects sorted by timestamp, boxes put in min/max order, mid-frame timestamps.
    assert obj["clue"] == [
        {"timestamp": 71.5, "bbox": [100.0, 200.0, 180.0, 280.0]},
        {"timestamp": 88.02, "bbox": [640.0, 300.0, 700.0, 360.0]},
    ]
    # Clusters sorted by their first object; objects in a cluster by (timestamp, bbox); 1-decimal boxes.
    assert [len(c) for c in attr["clue"]] == [2, 1]
    assert attr["clue"][0][0]["bbox"] == [10.0, 20.0, 110.0, 300.0]
    assert attr["clue"][1][0]["bbox"] == [800.0, 40.0, 900.0, 320.1]
    assert attr["clue"][0][0]["timestamp"] == round(179.5 * 1001 / 30000, 6) == 5.989317
    assert validate_items(items, video_fps=FPS, video_sizes=SIZES) == []


def test_seconds_rounding_is_milliseconds():
    assert event_clue(1.23449, 2.0004) == {"start": 1.234, "end": 2.0}
    item = build_item(index=0, video="v.mp4", question="q", answer=0, type="V", category="event",
                      query_interval=[0.00049, 3.14159], clue=[])
    assert item["query_interval"] == [0.0, 3.142]
    assert json.dumps(item["query_interval"]) == "[0.0, 3.142]"  # no "-0.0", floats written as floats


@pytest.mark.parametrize("fps", [25, 30, 29.97, 30000 / 1001, 59.94, 60000 / 1001, 24000 / 1001, 50, 60])
def test_mid_frame_timestamps_give_the_frame_back(fps):
    rng = random.Random(int(fps * 1000))
    frames = list(range(0, 20000)) + [rng.randrange(0, int(4 * 3600 * fps)) for _ in range(20000)]
    for i in frames:
        t = mid_frame_time(i, fps)
        assert int(t * fps) == i, (i, t)
        # The value survives the JSON round trip exactly.
        assert json.loads(json.dumps(t)) == t
        assert round(t, 6) == t


def test_index_over_fps_would_not():
    # Why mid-frame times: i / fps stored as a float gives i - 1 back for some frames.
    fps = 30000 / 1001
    assert any(int((i / fps) * fps) != i for i in range(20000))
    assert all(int(mid_frame_time(i, fps) * fps) == i for i in range(20000))


def test_clue_constructors_reject_bad_values():
    with pytest.raises(ValueError, match="after its start"):
        event_clue(3.0, 3.0)
    with pytest.raises(ValueError, match="negative"):
        event_clue(-1.0, 3.0)
    with pytest.raises(ValueError, match="no area"):
        object_clue(3, 25, [10, 10, 10, 40])
    with pytest.raises(ValueError, match="4 numbers"):
        object_clue(3, 25, [10, 10, 40])
    with pytest.raises(ValueError, match="frame index"):
        object_clue(-1, 25, [0, 0, 10, 10])
    with pytest.raises(ValueError, match="empty"):
        attribute_clue([[]])
    with pytest.raises(ValueError, match="type"):
        build_item(index=0, video="v.mp4", question="q", answer=0, type="X", category="event",
                   query_interval=[0, 1], clue=[])
    with pytest.raises(ValueError, match="query_interval"):
        build_item(index=0, video="v.mp4", question="q", answer=0, type="V", category="event",
                   query_interval=[5, 1], clue=[])
    with pytest.raises(ValueError, match="malformed"):
        build_item(index=0, video="v.mp4", question="q", answer=1, type="V", category="event",
                   query_interval=[0, 5], clue=[{"begin": 1}])


# -- validation -----------------------------------------------------------------------------------


def _errors(mutate, **kwargs) -> list[str]:
    items = make_items()
    mutate(items)
    return validate_items(items, **kwargs)


@pytest.mark.parametrize(
    "mutate, kwargs, expected",
    [
        (lambda it: it[0].update(answer=4), {}, "item 0 (index 0): answer is 4 but there are 3 clue entries"),
        (lambda it: it[2].update(answer=3), {}, "item 2 (index 2): answer is 3 but there are 2 clusters"),
        (lambda it: it[0].update(query_interval=[61.5, 12.0]), {}, "query_interval [61.5, 12.0] must satisfy"),
        (lambda it: it[0]["clue"][0].update(end=14.0), {}, "clue[0]: event 14.2-14.0 must satisfy"),
        (lambda it: it[0]["clue"][2].update(end=62.0), {}, "clue[2]: event 58.0-62.0 lies outside the query interval"),
        (lambda it: it[1]["clue"][0].update(timestamp=96.0), {}, "clue[0]: timestamp 96.0 lies outside"),
        (lambda it: it[1]["clue"][0].update(bbox=[100.0, 200.0, 90.0, 280.0]), {}, "is not [x_min, y_min, x_max, y_max]"),
        (lambda it: it[1]["clue"][0].update(bbox=[-1.0, 200.0, 90.0, 280.0]), {}, "negative coordinate"),
        (lambda it: it[2]["clue"][1][0].update(bbox=[800.0, 40.0, 961.0, 320.0]), {"video_sizes": SIZES},
         "item 2 (index 2): clue[1][0]: bbox [800.0, 40.0, 961.0, 320.0] reaches outside the 960x720 frame"),
        (lambda it: it[1]["clue"][0].update(timestamp=71.49), {"video_fps": FPS},
         "timestamp 71.49 is not the mid-frame time of frame 1787 at 25 fps (expected 71.5)"),
        (lambda it: it[1].update(video="other.mp4"), {"video_fps": FPS}, "video: no fps known for 'other.mp4'"),
        (lambda it: it[2].update(clue=[[]], answer=1), {}, "an attribute cluster is a non-empty list"),
        (lambda it: it[1].update(index=0), {}, "item 1 (index 0): index 0 is also used by item 0"),
        (lambda it: it[1].update(question_en="something else"), {}, "question and question_en differ"),
        (lambda it: it[1].update(type="VA"), {}, "type must be one of V, A, V2A, A2V, AV"),
        (lambda it: it[1].update(category="objects"), {}, "category must be one of event, object, attribute"),
        (lambda it: it[1].update(answer=True), {}, "answer must be a whole number"),
        (lambda it: it[1].update(clue={"a": 1}), {}, "clue must be a list"),
    ],
)
def test_validate_items_reports(mutate, kwargs, expected):
    errors = _errors(mutate, **kwargs)
    assert any(expected in e for e in errors), errors


def test_validate_accepts_the_format_example():
    items = loads(FORMAT_EXAMPLE)
    assert validate_items(items) == []
    # Its object timestamps are not mid-frame times: flagged only when the fps is given.
    errors = validate_items(items, video_fps=FPS)
    assert errors and all("mid-frame" in e for e in errors)


# -- dump / load -------------------------------------------------------------------------------------


def test_dump_is_deterministic_and_round_trips(tmp_path):
    items = make_items()
    data = dump(items)
    assert data.endswith(b"\n") and not data.endswith(b"\n\n")
    assert data == dump(make_items())  # same selection, same bytes
    assert "Combien de couleurs de chemise différentes ?".encode() in data  # not \u-escaped
    text = data.decode()
    first = text.index('"index"')
    assert [text.index(f'"{k}"', first) for k in KEY_ORDER] == sorted(text.index(f'"{k}"', first) for k in KEY_ORDER)
    path = save(tmp_path / "release" / "cg-av-counting.json", items)
    assert path.read_bytes() == data
    loaded = load(path)
    assert loaded == items
    assert dump(loaded) == data  # re-dump is byte-identical
    assert json.loads(data) == items


def test_dump_order_does_not_depend_on_input_order():
    a = make_items()
    b = make_items()
    b[1]["clue"].reverse()
    b[1] = build_item(**{k: b[1][k] for k in KEY_ORDER if k != "question_en"})
    b[0] = dict(reversed(list(b[0].items())))  # keys in any order
    assert dump(a) == dump(b)


def test_dump_rejects_nan():
    items = make_items()
    items[0]["query_interval"] = [float("nan"), 1.0]
    with pytest.raises(ValueError):
        dump(items)


def test_load_old_release_with_question_en_only(tmp_path):
    old = [
        {"video": "v1.mp4", "question_en": "How many dogs bark?", "answer": 1, "type": "A", "category": "event",
         "query_interval": [1.0, 9.0], "clue": [{"start": 2.0, "end": 3.0}], "extra": "kept"},
        {"video": "v2.mp4", "question_en": "How many cups?", "answer": 1.0, "type": "V", "category": "object",
         "query_interval": [0, 4], "clue": [{"timestamp": 1.02, "bbox": [1, 2, 3, 4]}]},
    ]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old))
    items = load(path)
    assert [i["question"] for i in items] == ["How many dogs bark?", "How many cups?"]
    assert [i["question_en"] for i in items] == ["How many dogs bark?", "How many cups?"]
    assert [i["index"] for i in items] == [0, 1]  # missing index: the position
    assert list(items[0]) == [*KEY_ORDER, "extra"] and items[0]["extra"] == "kept"
    assert items[1]["answer"] == 1 and isinstance(items[1]["answer"], int)
    assert items[1]["clue"][0]["bbox"] == [1, 2, 3, 4]  # numbers kept as written
    assert validate_items(items) == []
    assert b'"question": "How many dogs bark?",\n    "question_en": "How many dogs bark?"' in dump(items)


@pytest.mark.parametrize(
    "data, message",
    [
        ("{not json", "not valid JSON"),
        ('{"video": "a.mp4"}', "JSON list of items"),
        ("[3]", "item 0: must be a JSON object"),
        ('[{"index": 7, "video": "a.mp4", "answer": 1, "type": "V", "category": "event", "query_interval": [0, 1], "clue": []}]',
         "item 0 (index 7): question: missing"),
        ('[{"index": 0, "video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "event",'
         ' "query_interval": [0, 1], "clue": []}, {"index": 1, "video": "a.mp4", "question": "q", "type": "V",'
         ' "category": "event", "query_interval": [0, 1], "clue": []}]', "item 1 (index 1): answer: missing"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1.5, "type": "V", "category": "event", "query_interval": [0, 1], "clue": []}]',
         "item 0 (index 0): answer: must be a whole number"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "event", "query_interval": [0], "clue": []}]',
         "query_interval: must be [start, end]"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "thing", "query_interval": [0, 1], "clue": []}]',
         "category: must be one of"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "object", "query_interval": [0, 1],'
         ' "clue": [{"timestamp": 0.5, "bbox": [1, 2, 3]}]}]', "item 0 (index 0): clue[0].bbox: must be 4 numbers"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "event", "query_interval": [0, 1],'
         ' "clue": [{"start": "0.1", "end": 0.5}]}]', "clue[0].start: must be a number"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "attribute", "query_interval": [0, 1],'
         ' "clue": [{"timestamp": 0.5, "bbox": [1, 2, 3, 4]}]}]', "clue[0]: an attribute cluster must be a list"),
        ('[{"video": "a.mp4", "question": "q", "answer": 1, "type": "V", "category": "attribute", "query_interval": [0, 1],'
         ' "clue": [[{"timestamp": 0.5}]]}]', "clue[0][0]: an object clue needs"),
    ],
)
def test_load_shape_errors_name_item_and_field(tmp_path, data, message):
    path = tmp_path / "bad.json"
    path.write_text(data)
    with pytest.raises(FormatError) as info:
        load(path)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)

