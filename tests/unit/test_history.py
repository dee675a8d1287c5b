"""History in words: the differences between two recorded documents of a question or an event."""

from annotation.avst.history import event_changes
from annotation.counting.history import question_changes
from annotation.projects.audit import text_diff


def _said(changes):
    return [(c.kind, c.subject, c.detail) for c in changes]


def test_text_diff_marks_removed_and_added_words():
    assert text_diff("How many beeps?", "How many loud beeps are heard?") == (
        ("same", "How many "), ("added", "loud "), ("same", "beeps"), ("added", " are heard"), ("same", "?"))
    assert text_diff("How many dogs bark?", "How many dogs?") == (("same", "How many dogs"), ("removed", " bark"),
                                                                  ("same", "?"))


def test_question_fields_and_clues_in_words():
    before = {"text": "How many beeps?", "drafted_answer": 2, "ref_start": 1.0, "ref_end": 20.0, "state": "answered",
              "clusters": [], "clues": [
                  {"kind": "event", "start": 2.0, "end": 3.0}, {"kind": "event", "start": 5.0, "end": 6.0}]}
    after = {**before, "drafted_answer": 3, "ref_start": 1.5, "clues": [
        {"kind": "event", "start": 2.0, "end": 3.0}, {"kind": "event", "start": 5.2, "end": 6.0},
        {"kind": "event", "start": 9.0, "end": 9.5}]}
    assert _said(question_changes(before, after)) == [
        ("changed", "Drafted count", "2 → 3"),
        ("changed", "Reference interval", "1.00–20.00 s → 1.50–20.00 s"),
        ("changed", "event 5.00–6.00 s", "now 5.20–6.00 s"),
        ("added", "event 9.00–9.50 s", ""),
    ]


def test_boxes_moved_resized_and_removed():
    box = {"kind": "object", "frame_index": 12, "x1": 10.0, "y1": 20.0, "x2": 110.0, "y2": 70.0, "cluster": ""}
    other = {**box, "frame_index": 40}
    before = {"clues": [box, other], "clusters": []}
    moved = {**box, "x1": 20.0, "x2": 120.0, "y1": 16.0, "y2": 66.0}
    assert _said(question_changes(before, {"clues": [moved], "clusters": []})) == [
        ("moved", "object box on frame 12", "by +10 px across, -4 px down"),
        ("removed", "object box on frame 40", ""),
    ]
    grown = {**box, "x2": 210.0}
    assert _said(question_changes({"clues": [box]}, {"clues": [grown]})) == [
        ("resized", "object box on frame 12", "from 100×50 to 200×50 px")]


def test_a_new_question_text_is_shown_whole_with_its_word_diff():
    change = question_changes({"text": "How many beeps?"}, {"text": "How many beeps in all?"})[0]
    assert change.detail == "How many beeps in all?" and ("added", " in all") in change.words


def test_event_objects_and_boxes_in_words():
    box = {"id": 7, "frame_index": 8, "t": 0.3, "x1": 0.0, "y1": 0.0, "x2": 40.0, "y2": 40.0}
    before = {"state": "proposed", "objects": [
        {"id": 1, "name": "dog", "audibility": "audible", "boxes": [box]},
        {"id": 2, "name": "ball", "audibility": "visible_only", "boxes": []}]}
    after = {"state": "accepted", "objects": [
        {"id": 1, "name": "dog", "audibility": "audible", "boxes": [{**box, "x1": 5.0, "x2": 45.0}]},
        {"id": 2, "name": "tennis ball", "audibility": "audible", "boxes": [
            {"id": 9, "frame_index": 8, "t": 0.3, "x1": 1.0, "y1": 1.0, "x2": 2.0, "y2": 2.0}]},
        {"id": 3, "name": "owner", "audibility": "visible_only", "boxes": []}]}
    assert _said(event_changes(before, after)) == [
        ("changed", "State", "proposed → accepted"),
        ("added", "object 'owner'", "visible only"),
        ("moved", "box of 'dog' at 0.3 s", "by +5 px across, +0 px down"),
        ("changed", "object 'ball'", "renamed 'tennis ball'"),
        ("changed", "object 'tennis ball'", "visible only → visible and audible"),
        ("added", "box of 'tennis ball' at 0.3 s", ""),
    ]
