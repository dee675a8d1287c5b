"""The R-AVST QA templates against the published test split: every published pair is rebuilt from its event's
objects, boxes and bounds, and the generated strings must equal the published ones character for character,
except for pairs whose published data the templates cannot produce (listed and counted below)."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmark.formats import ravst as R
from benchmark.formats.ravst_qa import NO_BOX, EventInput, EventObject, event_qa, sample_times, scale_box
from tests.published import RAVST_TEST_SPLIT

PUBLISHED = RAVST_TEST_SPLIT


@pytest.fixture(scope="module")
def videos():
    return R.load(PUBLISHED)


def _boxes_from_where(where):
    """Boxes per second as an answer lists them; a second whose only line is the zero box had no box."""
    boxes: dict[float, list] = {}
    for t, box in where:
        boxes.setdefault(t, []).append(box)
    return {t: [] if found == [NO_BOX] else found for t, found in boxes.items()}


def _bounds(entry: R.RavstEvent) -> tuple[float, float]:
    bounds = R.event_bounds(entry)
    if bounds is not None:
        return bounds
    # No AVSR question: the AVTR/AVSTR <when> holds the bounds rounded to one decimal, which is all those
    # answers write of them (their where-seconds are given, not derived from the bounds).
    return next(qa.answer.objects[0].when for task in ("AVTR", "AVSTR") for qa in entry.qa.get(task, ()))


def reconstruct(entry: R.RavstEvent) -> EventInput:
    """The event's input as the published answers show it: objects (audible when a sounding AVSR question or an
    AVTR/AVSTR question names them, visible-only when a silent AVSR question does), in the order they first
    appear, with their boxes per second."""
    objects: dict[str, tuple[str, dict]] = {}
    for qa in entry.qa.get("AVSR", ()):
        audibility = "audible" if R.parse_question("AVSR", qa.question).sounding else "visible_only"
        for obj in qa.answer.objects:
            objects.setdefault(obj.name, (audibility, _boxes_from_where(obj.where)))
    for task in ("AVSTR", "AVTR"):
        for qa in entry.qa.get(task, ()):
            obj = qa.answer.objects[0]
            objects.setdefault(obj.name, ("audible", _boxes_from_where(obj.where or ())))
    start, end = _bounds(entry)
    return EventInput(
        number=entry.event_num,
        start=start,
        end=end,
        objects=[EventObject(name, audibility, boxes) for name, (audibility, boxes) in objects.items()],
    )


def _quirk(qa: R.QA) -> str | None:
    """Why the templates cannot produce a published pair, or None when they should."""
    for obj in qa.answer.objects:
        seconds = [t for i, (t, _) in enumerate(obj.where or ()) if i == 0 or obj.where[i - 1][0] != t]
        if seconds != sorted(set(seconds)):
            return "lines out of time order or a second repeated after another"
        if obj.where and all(box == NO_BOX for _, box in obj.where):
            return "an object with only zero lines"
    return None


def compare(videos):
    """(matched, quirks by kind, unexplained mismatches, pairs in all)."""
    matched, quirks, unexplained, total = 0, Counter(), [], 0
    for video in videos:
        for entry in video.events:
            generated = event_qa(reconstruct(entry))
            by_question = {qa.question: qa for pairs in generated.qa.values() for qa in pairs}
            for task, pairs in entry.qa.items():
                for qa in pairs:
                    total += 1
                    mine = by_question.get(qa.question)
                    if mine is not None and mine.raw_answer == qa.raw_answer:
                        matched += 1
                        continue
                    kind = _quirk(qa)
                    if kind is None:
                        unexplained.append((video.video_name, entry.event_num, task, qa.question))
                    else:
                        quirks[kind] += 1
    return matched, quirks, unexplained, total


# --- the published file ---------------------------------------------------------------------------------


def test_published_pairs_are_reproduced(videos):
    matched, quirks, unexplained, total = compare(videos)
    assert unexplained == []
    assert total == 1638
    # 98.5% character for character; the rest is data the templates do not write (see _quirk).
    assert matched == 1614
    assert dict(quirks) == {
        "lines out of time order or a second repeated after another": 22,
        "an object with only zero lines": 2,
    }


def test_published_rule_shares(videos):
    """The shares quoted in benchmark/formats/ravst_qa.py's docstring."""
    c = Counter()
    for video in videos:
        for entry in video.events:
            bounds = R.event_bounds(entry)
            sounding, silent = [], []
            for qa in entry.qa.get("AVSR", ()):
                objs = qa.answer.objects
                (sounding if R.parse_question("AVSR", qa.question).sounding else silent).append(objs)
                c["avsr"] += 1
                c["avsr with a found object"] += any(any(b != NO_BOX for _, b in o.where) for o in objs)
            c["entries"] += 1
            c["entries in task order"] += list(entry.qa) == [t for t in R.TASKS if t in entry.qa]
            if sounding and silent:
                c["both avsr"] += 1
                c["sounding first"] += R.parse_question("AVSR", entry.qa["AVSR"][0].question).sounding
                c["lists disjoint"] += not {o.name for o in sounding[0]} & {o.name for o in silent[0]}
            names = {o.name: o for objs in sounding for o in objs}
            for qa in entry.qa.get("AVTR", ()):
                obj = qa.answer.objects[0]
                if sounding:
                    c["avtr checkable"] += 1
                    c["avtr sounding"] += obj.name in names
                    c["avtr unfound"] += obj.name in names and not names[obj.name].where
            for qa in entry.qa.get("AVSTR", ()):
                obj = qa.answer.objects[0]
                c["avstr"] += 1
                c["avstr found"] += any(b != NO_BOX for _, b in obj.where)
                if obj.name in names:
                    c["avstr checkable"] += 1
                    c["avstr where as avsr"] += obj.where == names[obj.name].where
            for kind, lists in (("sounding", sounding), ("silent", silent)):
                for objs in lists:
                    c[f"{kind} objects"] += len(objs)
                    c[f"{kind} unfound"] += sum(1 for o in objs if not any(b != NO_BOX for _, b in o.where))
                    if len(objs) > 1:
                        c["avsr lists of several"] += 1
                        c["avsr lists sorted"] += [o.name for o in objs] == sorted(o.name for o in objs)
            avtr = [qa.answer.objects[0].name for qa in entry.qa.get("AVTR", ())]
            if len(avtr) > 1 and sounding and set(avtr) <= set(names):
                c["avtr orders checkable"] += 1
                c["avtr order as avsr"] += avtr == [o.name for o in sounding[0] if o.name in avtr]
            for task in ("AVTR", "AVSTR"):
                for qa in entry.qa.get(task, ()):
                    if bounds is not None:
                        c["when checkable"] += 1
                        c["when rounded"] += qa.answer.objects[0].when == (round(bounds[0], 1), round(bounds[1], 1))
            for objs in sounding + silent:
                for o in objs:
                    if not any(b != NO_BOX for _, b in o.where):
                        c["unfound"] += 1
                        c["unfound empty"] += o.where == []
            for task in ("AVSR", "AVSTR"):
                for qa in entry.qa.get(task, ()):
                    for o in qa.answer.objects:
                        if not o.where or bounds is None:
                            continue
                        seconds = {t for t, _ in o.where}
                        times = [round(t, 1) for t in sample_times(*bounds)]
                        c["blocks"] += 1
                        c["blocks before end"] += max(seconds) < bounds[1]
                        c["blocks within times"] += seconds <= set(times)
                        c["blocks with all times"] += sorted(seconds) == times
    assert c["entries in task order"] == c["entries"] == 1107
    assert (c["avtr sounding"], c["avtr checkable"], c["avtr unfound"]) == (158, 158, 7)
    assert (c["avsr with a found object"], c["avsr"]) == (665, 666)
    assert c["lists disjoint"] == c["both avsr"] == 56
    assert (c["avstr where as avsr"], c["avstr checkable"], c["avstr found"], c["avstr"]) == (118, 118, 306, 306)
    assert (c["sounding unfound"], c["sounding objects"]) == (39, 493)
    assert (c["silent unfound"], c["silent objects"]) == (108, 531)
    assert (c["avsr lists sorted"], c["avsr lists of several"]) == (143, 265)
    assert (c["avtr order as avsr"], c["avtr orders checkable"]) == (3, 7)
    assert (c["sounding first"], c["both avsr"]) == (30, 56)
    assert (c["when rounded"], c["when checkable"]) == (331, 331)
    assert (c["unfound empty"], c["unfound"]) == (145, 147)
    assert (c["blocks before end"], c["blocks within times"], c["blocks with all times"], c["blocks"]) == (
        997, 949, 347, 997,
    )


# --- unit cases -----------------------------------------------------------------------------------------


def _answers(event):
    return {task: [(qa.question, qa.raw_answer) for qa in pairs] for task, pairs in event.qa.items()}


def test_all_tasks_for_one_event():
    times = sample_times(1.39314, 4.31906)
    assert [round(t, 1) for t in times] == [1.4, 2.4, 3.4]
    guitar = EventObject(
        "guitar", "audible", {times[0]: [(10, 20, 30, 40)], times[1]: [], times[2]: [(11, 21, 31, 41)]}
    )
    man = EventObject("A man", "audible", {t: [] for t in times})
    lamp = EventObject("lamp", "visible_only", {times[0]: [(1, 2, 3, 4)], times[1]: [], times[2]: []})
    event = event_qa(EventInput(number=2, start=1.39314, end=4.31906, objects=[guitar, man, lamp]))
    assert event.event_num == 2 and list(event.qa) == ["AVTR", "AVSR", "AVSTR"]
    where_guitar = (
        "<where>\n1.4: [10.0, 20.0, 30.0, 40.0]\n2.4: [0.0, 0.0, 0.0, 0.0]\n3.4: [11.0, 21.0, 31.0, 41.0]\n</where>"
    )
    assert _answers(event) == {
        "AVTR": [
            (
                "When is the moment guitar makes sound and is visible?",
                "<answer>\n<object>guitar</object>\n<when>[1.4, 4.3]</when>\n</answer>",
            ),
            (
                "When is the moment A man makes sound and is visible?",
                "<answer>\n<object>A man</object>\n<when>[1.4, 4.3]</when>\n</answer>",
            ),
        ],
        "AVSR": [
            (
                "What visible object(s) make sound between 1.39314 and 4.31906, and where is/are they?",
                f"<answer>\n<object>guitar</object>\n{where_guitar}\n"
                "<object>A man</object>\n<where>\n</where>\n</answer>",
            ),
            (
                "What silent object(s) can be seen between 1.39314 and 4.31906, and where is/are they?",
                "<answer>\n<object>lamp</object>\n<where>\n1.4: [1.0, 2.0, 3.0, 4.0]\n2.4: [0.0, 0.0, 0.0, 0.0]\n"
                "3.4: [0.0, 0.0, 0.0, 0.0]\n</where>\n</answer>",
            ),
        ],
        "AVSTR": [
            (
                'When is the moment guitar makes sound and is visible, and where is the "guitar"?',
                f"<answer>\n<object>guitar</object>\n<when>[1.4, 4.3]</when>\n{where_guitar}\n</answer>",
            ),
        ],
    }


def test_object_never_found():
    """A found object's missing seconds are zero lines; an object never found has an empty block (as 145 of the
    147 unfound published objects), gets its AVTR pair but no AVSTR pair, and alone gives no AVSR pair."""
    times = sample_times(0.0, 3.0)
    assert times == [0.0, 1.0, 2.0]
    seen_once = EventObject("dog", "audible", {0.0: [], 1.0: [(5, 5, 9, 9)], 2.0: []})
    assert event_qa(EventInput(1, 0.0, 3.0, [seen_once])).qa["AVSTR"][0].raw_answer.endswith(
        "<where>\n0.0: [0.0, 0.0, 0.0, 0.0]\n1.0: [5.0, 5.0, 9.0, 9.0]\n2.0: [0.0, 0.0, 0.0, 0.0]\n</where>\n</answer>"
    )
    never = EventObject("dog", "audible", {t: [] for t in times})
    event = event_qa(EventInput(1, 0.0, 3.0, [never]))
    assert list(event.qa) == ["AVTR"]
    found = EventObject("cat", "audible", {0.0: [(1, 1, 2, 2)]})
    event = event_qa(EventInput(1, 0.0, 3.0, [found, never]))
    assert event.qa["AVSR"][0].raw_answer == (
        "<answer>\n<object>cat</object>\n<where>\n0.0: [1.0, 1.0, 2.0, 2.0]\n</where>\n"
        "<object>dog</object>\n<where>\n</where>\n</answer>"
    )
    assert [qa.answer.objects[0].name for qa in event.qa["AVSTR"]] == ["cat"]


def test_two_instances_at_one_second_and_zero_slots():
    obj = EventObject("person", "audible", {
        1.0: [(0, 0, 10, 10), (20, 20, 30, 30)],
        0.0: [(1, 1, 11, 11)],
        2.0: [(2, 2, 12, 12), NO_BOX],  # a tracked instance absent at that second keeps its slot
    })
    answer = event_qa(EventInput(1, 0.0, 2.5, [obj])).qa["AVSR"][0].raw_answer
    assert answer == (
        "<answer>\n<object>person</object>\n<where>\n0.0: [1.0, 1.0, 11.0, 11.0]\n1.0: [0.0, 0.0, 10.0, 10.0]\n"
        "1.0: [20.0, 20.0, 30.0, 30.0]\n2.0: [2.0, 2.0, 12.0, 12.0]\n2.0: [0.0, 0.0, 0.0, 0.0]\n</where>\n</answer>"
    )


def test_no_visible_only_objects_means_no_silent_avsr():
    obj = EventObject("bell", "audible", {0.5: [(1, 1, 2, 2)]})
    event = event_qa(EventInput(1, 0.5, 1.2, [obj]))
    assert [R.parse_question("AVSR", qa.question).sounding for qa in event.qa["AVSR"]] == [True]
    only_silent = event_qa(EventInput(1, 0.5, 1.2, [EventObject("lamp", "visible_only", {0.5: [(1, 1, 2, 2)]})]))
    assert list(only_silent.qa) == ["AVSR"]
    assert R.parse_question("AVSR", only_silent.qa["AVSR"][0].question).sounding is False
    assert event_qa(EventInput(1, 0.5, 1.2, [])).qa == {}


def test_sample_times_last_is_before_the_end():
    assert sample_times(0.0, 2.0) == [0.0, 1.0]
    assert sample_times(0.0, 2.01) == [0.0, 1.0, 2.0]
    assert sample_times(3.375, 9.89314) == [3.375 + k for k in range(7)]
    assert sample_times(0.1, 1.1) == [0.1]
    assert sample_times(5.0, 5.2) == [5.0]
    for bad in ((2.0, 2.0), (3.0, 1.0), (-1.0, 2.0), (0.0, float("nan"))):
        with pytest.raises(ValueError):
            sample_times(*bad)


@pytest.mark.parametrize(
    "objects, message",
    [
        ([EventObject("a", "loud")], "audibility"),
        ([EventObject("", "audible")], "cannot be written"),
        ([EventObject(" a", "audible")], "cannot be written"),
        ([EventObject("a<b", "audible")], "cannot be written"),
        ([EventObject("a", "audible"), EventObject("a", "visible_only")], "listed twice"),
        ([EventObject("a", "audible", {0.0: [(1, 2, 3)]})], "four numbers"),
        ([EventObject("a", "audible", {0.0: [(5, 2, 3, 4)]})], "x1 > x2"),
        ([EventObject("a", "audible", {0.0: [], 0.04: []})], "repeated sampled time"),
        ([EventObject("a", "audible", {float("inf"): []})], "bad or repeated"),
    ],
)
def test_bad_input(objects, message):
    with pytest.raises(ValueError, match=message):
        event_qa(EventInput(1, 0.0, 5.0, objects))


def test_bad_event():
    with pytest.raises(ValueError, match="0 <= start < end"):
        event_qa(EventInput(1, 4.0, 4.0))
    with pytest.raises(ValueError, match="event number"):
        event_qa(EventInput(0, 0.0, 4.0))


def test_scale_box():
    # A 720p proxy of a 1280x720 original is the same size; of a 640x360 original, half.
    assert scale_box((10.4, 20.5, 30.6, 719.9), 1.0, 1.0) == (10.0, 21.0, 31.0, 720.0)
    assert scale_box((10.4, 20.5, 30.6, 719.9), 1.0, 1.0, width=1280, height=720) == (10.0, 21.0, 31.0, 719.0)
    assert scale_box((101, 51, 1279, 719), 0.5, 0.5, width=640, height=360) == (51.0, 26.0, 639.0, 359.0)
    assert scale_box((-3, 0, 4, 4), 2.0, 1.0, width=100, height=100) == (0.0, 0.0, 8.0, 4.0)
    with pytest.raises(ValueError):
        scale_box((0, 0, 1, 1), 0, 1)
    with pytest.raises(ValueError):
        scale_box((0, 0, 1), 1, 1)
