"""The R-AVST question-answer templates: one event with its accepted objects -> AVTR, AVSR and AVSTR pairs.

Strings come from :mod:`benchmark.formats.ravst` (question templates, answer grammar, number formatting); this
module decides which pairs exist and what goes in them. The rules were read off the authors' published test split
(``shared/formats/r-avst/xml_test_QA.json``: 1,107 annotation entries, 1,638 pairs). That file holds a SAMPLE of
the pairs of each event (an event rarely has all three tasks), so a rule can be checked only where the file shows
both sides; the share each rule matches is given over the cases that can be checked (``tests/unit/test_avst_qa.py``
recomputes them).

Which pairs
    * AVTR: one pair per audible ("visible and audible") object, in the objects' order, whether or not the
      detector ever found it. Every published AVTR object is among its event's sounding AVSR objects (158 of 158
      checkable), 7 of them never found.
    * AVSR sounding: one pair listing every audible object, in order, each with its ``<where>``; silent: one pair
      listing every visible-only object. A variant is written only when at least one of its objects was found
      (has a box): 665 of the 666 published AVSR pairs list a found object (the one left lists a single object
      whose lines are all zero, see ``<where>``), while 108 of 531 silent objects are unfound. The two lists never
      share an object (56 of 56 entries with both).
    * AVSTR: one pair per audible object that was found, with ``<when>`` and the same ``<where>`` as in AVSR
      (118 of 118 where both are published). No published AVSTR object is unfound (306 of 306), while 39 of 493
      sounding AVSR objects are: an AVSTR question asks where the object is.
    * Order: AVTR, AVSR, AVSTR inside an event, as in every published entry (1,107 of 1,107); AVSR sounding before
      silent (the published file has both orders: 30 and 26 of 56 entries with both, so the order is not data).
      Objects keep the caller's order: no order can be read off the file (143 of 265 AVSR lists of several
      objects are sorted by name; the AVTR pairs follow the sounding AVSR list in 3 of 7 checkable entries).

``<when>``
    ``[start, end]`` of the event, each rounded to one decimal (331 of 331 AVTR/AVSTR answers whose event bounds
    the AVSR question gives).

``<where>``
    One line per box, seconds in increasing time, boxes of one second in the caller's order; several lines with
    the same ``T`` are several instances. A sampled second without a box gives one ``T: [0.0, 0.0, 0.0, 0.0]``
    line. An object without a box at any second gets an empty block (``<where>`` then ``</where>``): 145 of the
    147 published unfound objects look like that, the other 2 have only zero lines. A box that is all zeros may
    be passed as an instance slot (the published tracker wrote one for a tracked instance absent at that second,
    beside the other instances' boxes); it does not count as finding the object.

Sampling times (:func:`sample_times`)
    ``T_k = start + k`` for ``k = 0, 1, ...`` while ``T_k < end`` (written rounded to one decimal): the last ``T``
    is strictly before the end. Every published line has ``T < end`` (997 of 997 blocks); every ``T`` of 949 of
    997 blocks is one of these times (the other 48 sample a little earlier, at a frame's time: an event from
    18.957 s gives 18.9, 19.9, ...); but only 347 blocks have exactly all of them, because the published tracker
    wrote nothing for stretches in which it detected nothing (blocks stop early or have gaps of ~10 s).
    :func:`event_qa` writes the seconds it is given and does not require them to be these.

Boxes are in pixels of the original video, written with one decimal; the published ones are all whole pixels
with the right/bottom edge at most width - 1 / height - 1 (1279 on 1280-wide videos): see :func:`scale_box`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from benchmark.formats.ravst import QA, Answer, ObjectAnswer, RavstEvent, question_text
from pipeline.avst.seconds import check_bounds as _check_bounds
from pipeline.avst.seconds import finite as _finite
from pipeline.avst.seconds import sample_times

__all__ = [
    "AUDIBILITIES",
    "NO_BOX",
    "EventInput",
    "EventObject",
    "event_qa",
    "sample_times",
    "scale_box",
]

Box = tuple[float, float, float, float]

AUDIBILITIES = ("audible", "visible_only")
#: What a second without a box is written as.
NO_BOX: Box = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class EventObject:
    """An accepted object of an event. ``boxes``: sampled time (seconds) -> the boxes at that second, in original
    video pixels ``(x1, y1, x2, y2)``; an empty list is a second where the object was not found."""

    name: str
    audibility: str  # one of AUDIBILITIES
    boxes: Mapping[float, Sequence[Sequence[float]]] = field(default_factory=dict)


@dataclass(frozen=True)
class EventInput:
    number: int  # the event's number in the video, written as event_num
    start: float  # seconds
    end: float
    objects: Sequence[EventObject] = ()


def event_qa(event: EventInput) -> RavstEvent:
    """The event's question-answer pairs (see the module docstring for the rules). Tasks without a pair are left
    out of ``qa``. Raises ``ValueError`` for an input the templates cannot write."""
    _check_event(event)
    when = (event.start, event.end)
    audible = [o for o in event.objects if o.audibility == "audible"]
    silent = [o for o in event.objects if o.audibility == "visible_only"]
    avtr = [
        QA(question_text("AVTR", object=o.name), Answer([ObjectAnswer(o.name, when=when)])) for o in audible
    ]
    avsr = [
        QA(
            question_text("AVSR", start=event.start, end=event.end, sounding=sounding),
            Answer([ObjectAnswer(o.name, where=_where(o)) for o in objects]),
        )
        for objects, sounding in ((audible, True), (silent, False))
        if any(_found(o) for o in objects)
    ]
    avstr = [
        QA(question_text("AVSTR", object=o.name), Answer([ObjectAnswer(o.name, when=when, where=_where(o))]))
        for o in audible
        if _found(o)
    ]
    qa = {task: pairs for task, pairs in (("AVTR", avtr), ("AVSR", avsr), ("AVSTR", avstr)) if pairs}
    return RavstEvent(event_num=event.number, qa=qa)


def scale_box(
    box: Sequence[float], sx: float, sy: float, *, width: int | None = None, height: int | None = None
) -> Box:
    """A box from proxy pixels to original pixels: ``x * sx``, ``y * sy`` (``sx = original width / proxy width``),
    rounded half up to whole pixels as the published boxes are, and kept inside ``[0, width - 1]`` /
    ``[0, height - 1]`` when the original size is given."""
    x1, y1, x2, y2 = _box(box, "box")
    if not (_finite(sx) and sx > 0 and _finite(sy) and sy > 0):
        raise ValueError(f"scale factors must be positive numbers, got {sx!r}, {sy!r}")

    def scale(value: float, factor: float, size: int | None) -> float:
        pixel = float(math.floor(value * factor + 0.5))
        return pixel if size is None else min(max(pixel, 0.0), float(size - 1))

    return (scale(x1, sx, width), scale(y1, sy, height), scale(x2, sx, width), scale(y2, sy, height))


def _found(obj: EventObject) -> bool:
    return any(tuple(map(float, b)) != NO_BOX for boxes in obj.boxes.values() for b in boxes)


def _where(obj: EventObject) -> list[tuple[float, Box]]:
    if not _found(obj):
        return []
    lines: list[tuple[float, Box]] = []
    for t in sorted(obj.boxes):
        boxes = obj.boxes[t]
        lines += [(t, _box(b, obj.name)) for b in boxes] if boxes else [(t, NO_BOX)]
    return lines


def _check_event(event: EventInput) -> None:
    _check_bounds(event.start, event.end)
    if isinstance(event.number, bool) or not isinstance(event.number, int) or event.number < 1:
        raise ValueError(f"event number must be a whole number from 1, got {event.number!r}")
    seen: set[str] = set()
    for obj in event.objects:
        if obj.audibility not in AUDIBILITIES:
            raise ValueError(f"object {obj.name!r}: audibility must be one of {', '.join(AUDIBILITIES)}")
        if not obj.name or obj.name != obj.name.strip() or "\n" in obj.name or "<" in obj.name:
            raise ValueError(f"object name {obj.name!r} cannot be written (empty, padded, a newline or '<')")
        if obj.name in seen:
            raise ValueError(f"object {obj.name!r} is listed twice in event {event.number}")
        seen.add(obj.name)
        written: set[float] = set()
        for t, boxes in obj.boxes.items():
            # Seconds are written with one decimal: two that print alike could not be told apart.
            if not _finite(t) or t < 0 or round(t, 1) in written:
                raise ValueError(f"object {obj.name!r}: bad or repeated sampled time {t!r}")
            written.add(round(t, 1))
            for b in boxes:
                _box(b, f"object {obj.name!r} at {t!r} s")


def _box(box: Sequence[float], at: str) -> Box:
    if len(box) != 4 or not all(_finite(v) for v in box):
        raise ValueError(f"{at}: a box is four numbers (x1, y1, x2, y2), got {box!r}")
    x1, y1, x2, y2 = (float(v) for v in box)
    if x1 > x2 or y1 > y2:
        raise ValueError(f"{at}: box {box!r} has x1 > x2 or y1 > y2")
    return (x1, y1, x2, y2)
