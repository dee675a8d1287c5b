"""Distinct instances of one object phrase over frames sampled inside an interval: what counting needs.

A detector (:class:`~pipeline.detect.engine.GroundedSam2` or :class:`~pipeline.detect.sam3.Sam3Detector`) gives, per
frame, boxes that carry an ``instance`` number: the same number wherever its tracker followed the object. A tracker
starts afresh at each window of frames, so one object seen across a window boundary comes back under a new number;
:func:`link` joins such pieces when the box where one piece ends overlaps the box where the next begins (IoU at
least ``LINK_IOU``, on consecutive sampled frames), best overlaps first, one-to-one.

Each distinct instance is then proposed once, on one exact frame: its *first clear appearance*, the first frame where
its box is at least ``CLEAR_SHARE`` of the instance's median box area (an object entering the frame, or half
hidden, has a smaller box than usual) and its score is the instance's best score within ``SCORE_SLACK``.

    found = distinct_instances([(120, frame_a), (150, frame_b), ...], "dog", detector)
    found[0].frame_index, found[0].box, found[0].score

The frames may come from a generator: with ``chunk`` (the detector's window), they are drawn and detected one
chunk at a time, so only one chunk of decoded frames is held at once, whatever the interval's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from statistics import median
from typing import Callable, Iterable, Sequence

import numpy as np

from .types import InstanceBox

#: ``(x1, y1, x2, y2)`` in a frame's pixels (geometry.Box; not imported from there, which loads torch: the web
#: process imports this module).
Box = tuple[float, float, float, float]

LINK_IOU = 0.5
CLEAR_SHARE = 0.5
SCORE_SLACK = 0.1


@dataclass(frozen=True)
class DistinctInstance:
    """One object, proposed on ``frame_index`` (the caller's frame number) with its box there (frame pixels) and
    its best score over the frames it was seen on; ``seen`` lists the caller's frame numbers it was seen on, and
    ``boxes`` its box on each of them (empty: only ``box`` on ``frame_index`` is known)."""

    frame_index: int
    box: Box
    score: float
    label: str
    seen: tuple[int, ...]
    boxes: tuple[Box, ...] = ()

    def sightings(self) -> list[tuple[int, Box]]:
        """``(frame number, box)`` wherever the object was seen."""
        if len(self.boxes) == len(self.seen) and self.boxes:
            return list(zip(self.seen, self.boxes))
        return [(self.frame_index, self.box)]


def iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two ``(x1, y1, x2, y2)`` boxes (0 when either has no area)."""
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _area(box: Sequence[float]) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def link(frames: Sequence[Sequence[InstanceBox]], *, min_iou: float = LINK_IOU) -> list[list[tuple[int, InstanceBox]]]:
    """The sightings of each distinct object as ``[(position, box), ...]`` in frame order, objects ordered by their
    first sighting. ``frames[p]`` lists the boxes at the ``p``-th sampled frame. A box without an instance number
    (-1) is an object of its own."""
    pieces: dict[object, list[tuple[int, InstanceBox]]] = {}
    for position, boxes in enumerate(frames):
        for n, box in enumerate(boxes):
            key = box.instance if box.instance >= 0 else ("untracked", position, n)
            pieces.setdefault(key, []).append((position, box))
    ordered = sorted(pieces.values(), key=lambda piece: (piece[0][0], piece[0][1].x1, piece[0][1].y1))
    # Join a piece that ends at frame p to one that starts at p + 1, best overlaps first, each end and start once.
    pairs = []
    for a, first in enumerate(ordered):
        for b, second in enumerate(ordered):
            if a != b and second[0][0] == first[-1][0] + 1:
                overlap = iou(first[-1][1], second[0][1])
                if overlap >= min_iou:
                    pairs.append((-overlap, a, b))
    following: dict[int, int] = {}
    joined = set()
    for _, a, b in sorted(pairs):
        if a not in following and b not in joined:
            following[a] = b
            joined.add(b)
    objects = []
    for start in range(len(ordered)):
        if start in joined:
            continue
        chain, at = [], start
        while at is not None:
            chain.extend(ordered[at])
            at = following.get(at)
        objects.append(chain)
    return objects


def first_clear(sightings: Sequence[tuple[int, InstanceBox]], *, share: float = CLEAR_SHARE,
                slack: float = SCORE_SLACK) -> tuple[int, InstanceBox]:
    """The first sighting whose box is at least ``share`` of the median area and whose score is within ``slack``
    of the best; the best-scoring one when none is both."""
    typical = median(_area(box) for _, box in sightings)
    best = max(box.score for _, box in sightings)
    for position, box in sightings:
        if _area(box) >= share * typical and box.score >= best - slack:
            return position, box
    return max(sightings, key=lambda s: s[1].score)


def distinct_instances(frames: Iterable[tuple[int, np.ndarray]], phrase: str, detector, *,
                       min_score: float = 0.0, progress: Callable[[int, int], None] | None = None,
                       chunk: int | None = None, total: int | None = None) -> list[DistinctInstance]:
    """Each distinct object named ``phrase`` seen on ``frames`` (``(frame number, H x W x 3 RGB)``, in time
    order), once, on its first clear appearance; objects whose best score is under ``min_score`` are left out.

    ``chunk``: detect on at most this many frames per call, drawing them from ``frames`` only then (give the
    detector's window, so that the result is the same as in one call: its windows start afresh anyway). ``total``:
    how many frames ``frames`` holds, for ``progress`` when it is a generator."""
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise ValueError(f"chunk must be a whole number of frames, at least 1, got {chunk!r}")
    source = iter(frames)
    if total is None and isinstance(frames, Sequence):
        total = len(frames)
    numbers: list[int] = []
    boxes: list[list[InstanceBox]] = []
    next_instance = 0
    while True:
        batch = list(islice(source, chunk)) if chunk is not None else list(source)
        if not batch:
            break
        batch_numbers = [number for number, _ in batch]
        if batch_numbers != sorted(set(batch_numbers)) or (numbers and batch_numbers[0] <= numbers[-1]):
            raise ValueError("frames must come in time order, each frame once")
        done = len(numbers)
        report = None
        if progress is not None:
            report = lambda d, t, done=done: progress(done + d, max(total or 0, done + t))  # noqa: E731
        (track,) = detector.detect([pixels for _, pixels in batch], [phrase], progress=report)
        del batch
        # Numbers are per detect call: shift this call's past the ones already seen, so no two pieces share one.
        shift, top = next_instance, next_instance - 1
        for frame_boxes in track.frames:
            kept = []
            for box in frame_boxes:
                if box.instance >= 0:
                    box = box._replace(instance=box.instance + shift)
                    top = max(top, box.instance)
                kept.append(box)
            boxes.append(kept)
        next_instance = top + 1
        numbers += batch_numbers
        if chunk is None:
            break
    found = []
    for sightings in link(boxes):
        best = max(box.score for _, box in sightings)
        if best < min_score:
            continue
        position, box = first_clear(sightings)
        found.append(DistinctInstance(
            frame_index=numbers[position], box=(box.x1, box.y1, box.x2, box.y2), score=best, label=phrase,
            seen=tuple(numbers[p] for p, _ in sightings),
            boxes=tuple((b.x1, b.y1, b.x2, b.y2) for _, b in sightings),
        ))
    return found
