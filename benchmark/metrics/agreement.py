"""Agreement between two annotation passes of one CG-AV-Counting question (quality control), and between two
reviews of one R-AVST event's boxes (:func:`box_agreement`).

A question is clued twice: the first pass is the reference, the second (blind)
pass is scored against it as if it were a model's answer.  Nothing here
imports Django; clues have the release shapes of
``/work/shared/formats/cg-av-counting/FORMAT.md`` (event ``{"start", "end"}``,
object ``{"timestamp", "bbox"}``, attribute a list of clusters of objects).

Counts
    :func:`count_agreement` -> ``{"exact", "off_by_one", "abs_error"}``;
    ``off_by_one`` is ``|first - second| <= 1`` (so it includes exact, like
    the benchmark's ``oboa``).  :func:`summarize_counts` gives the fractions
    and the mean absolute error over ``(first, second)`` pairs.

White-box score
    :func:`wcs_agreement` is the WCS a model gets (``benchmark.metrics.cgav``,
    VLMEvalKit's rules), with the first pass as truth and the second pass as
    the answer.  WCS is not re-implemented: the second pass is written as the
    answer a model would give (:func:`second_pass_answer`) and scored by
    ``cgav._wcs_item``, the function ``cgav.score`` calls per item.  The
    adapter mirrors how ``cgav.parse_clues`` reads an answer, so that
    ``parse_clues(second_pass_answer(...))`` is exactly
    :func:`second_pass_prediction`:

    * event: ``[[start, end], ...]`` in seconds (floats), the second pass's order.
    * object: ``{"FrameN": [[x1, y1, x2, y2], ...], ...}``, parsed as
      ``[(N - 1, box), ...]``.  ``cgav`` numbers the truth's frames by the
      order in which their timestamps first appear in the truth clue
      (``cgav._frame_index``: what the prompt calls Frame1, Frame2, ...), so a
      second-pass timestamp gets the key of the truth frame it falls on: the
      truth timestamp equal to it, or, with ``fps`` given, the first truth
      timestamp on the same video frame ``int(timestamp * fps)`` (the frame the
      evaluators extract).  A timestamp on no truth frame gets a key after the
      truth's (``K + 1``, ``K + 2``, ... in order of first appearance, one per
      distinct timestamp, or per distinct frame with ``fps``): a frame where
      the truth has nothing, which scores 0 there and counts in the mean over
      frames, exactly as a model answer naming a frame the truth lacks.
      Without ``fps`` frames are matched by exact timestamp equality, as
      ``cgav._frame_index`` groups the truth itself (this project writes the
      mid-frame time ``(i + 0.5) / fps`` rounded to 6 decimals, so two passes
      on one frame give the same float).  Boxes are kept as given (reversed
      corners are reordered by ``cgav.compute_siou``, as for models).
    * attribute: ``{"FrameN": [{"label": "cluster<j>", "bbox": box}, ...]}``,
      one label per second-pass cluster (``j`` from 1), frame keys as for
      objects with the truth's frames taken over all its clusters; parsed as
      ``{label: [(N - 1, box), ...]}``.  A cluster without boxes cannot be
      written in that answer format and is left out (it would only add a
      zero column to the Hungarian matrix, which does not change the score).

    The one departure from the model score: when both passes have no clue at
    all (an answer of 0), WCS is 1.0 (``cgav`` gives 0 there, as LA has no
    truth interval or box to average over).  One pass empty scores 0.

    The score is not symmetric: swap the arguments to take the second pass as
    reference.

Temporal agreement of event clues (CVAT quality-control style)
    :func:`temporal_agreement`: intervals are matched one-to-one by maximum
    total tIoU (``scipy.optimize.linear_sum_assignment`` on ``1 - tIoU``,
    tIoU by ``cgav.compute_tiou``); an assigned pair with ``tIoU >=
    iou_threshold`` is a match.  ``precision = matches / len(second)``,
    ``recall = matches / len(first)``, ``f1`` their harmonic mean (0 when
    both are 0), ``mean_iou_matched`` the mean tIoU of the matches (0 when
    there is none).  ``boundary_f1``: the start times of the two passes are
    matched one-to-one (Hungarian on ``|t1 - t2|``), and so are the end
    times; a pair within ``boundary_tolerance`` seconds is a matched
    boundary; precision/recall/F1 over the ``2 * len`` boundaries of each
    pass.  For the boundaries, distances beyond the tolerance are replaced by
    one large constant before the assignment, so that it first maximises the
    number of pairs within tolerance and then minimises their total distance
    (plain total distance can trade a within-tolerance pair for two near
    misses).  Both passes empty: every value 1.0; one empty: every value 0.0.
    Threshold and tolerance comparisons allow 1e-9 of floating-point error.

Per question and aggregates
    :func:`question_agreement` combines the counts, WCS and (events only) the
    temporal values in one flat row; :func:`aggregate` averages rows (per
    annotator, per project): each metric is the mean over the rows that
    have it (temporal ones over event rows), booleans as fractions.
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from benchmark.metrics import cgav, ravst

__all__ = [
    "box_agreement",
    "COUNT_KEYS",
    "TEMPORAL_KEYS",
    "METRIC_KEYS",
    "count_agreement",
    "summarize_counts",
    "second_pass_prediction",
    "second_pass_answer",
    "wcs_agreement",
    "temporal_agreement",
    "question_agreement",
    "aggregate",
]

COUNT_KEYS = ("exact", "off_by_one", "abs_error")
TEMPORAL_KEYS = ("mean_iou_matched", "precision", "recall", "f1", "boundary_f1")
#: The metric keys of a :func:`question_agreement` row, in order.
METRIC_KEYS = COUNT_KEYS + ("wcs",) + TEMPORAL_KEYS

_EPS = 1e-9


# --------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------

def count_agreement(first: int, second: int) -> dict:
    """``{"exact": bool, "off_by_one": bool, "abs_error": |first - second|}``; off_by_one includes exact."""
    err = abs(first - second)
    return {"exact": err == 0, "off_by_one": err <= 1, "abs_error": err}


def summarize_counts(pairs: Iterable[tuple[int, int]]) -> dict:
    """``{"n", "exact", "off_by_one", "mae"}`` over ``(first, second)`` count pairs.

    ``exact`` and ``off_by_one`` are fractions of the pairs; all three are
    None when there is no pair.
    """
    rows = [count_agreement(a, b) for a, b in pairs]
    n = len(rows)
    if n == 0:
        return {"n": 0, "exact": None, "off_by_one": None, "mae": None}
    return {
        "n": n,
        "exact": sum(r["exact"] for r in rows) / n,
        "off_by_one": sum(r["off_by_one"] for r in rows) / n,
        "mae": sum(r["abs_error"] for r in rows) / n,
    }


# --------------------------------------------------------------------------
# White-box score: the second pass as a model answer
# --------------------------------------------------------------------------

def _plain(x):
    """A JSON-serialisable scalar (numpy scalars become Python ones)."""
    return x.item() if hasattr(x, "item") else x


def _interval(e) -> tuple[float, float]:
    if isinstance(e, Mapping):
        return float(e["start"]), float(e["end"])
    s, t = e
    return float(s), float(t)


def _objects(category: str, clue) -> list[dict]:
    if category == "object":
        return list(clue)
    return [c for cluster in clue for c in cluster]


def _frame_positions(truth_objects: list[dict], second_objects: list[dict], fps) -> list[int]:
    """The 0-based frame position (``FrameN`` is position ``N - 1``) of each second-pass object."""
    truth_pos = cgav._frame_index(truth_objects)  # timestamp -> position, as cgav numbers the truth
    by_frame: dict = {}
    if fps is not None:
        for ts, pos in truth_pos.items():
            by_frame.setdefault(int(ts * fps), pos)
    extra: dict = {}
    out = []
    for c in second_objects:
        ts = c["timestamp"]
        if ts in truth_pos:
            out.append(truth_pos[ts])
            continue
        key = ts if fps is None else int(ts * fps)
        if fps is not None and key in by_frame:
            out.append(by_frame[key])
            continue
        if key not in extra:
            extra[key] = len(truth_pos) + len(extra)
        out.append(extra[key])
    return out


def _answer_json(category: str, first_clue, second_clue, fps):
    if category == "event":
        return [[s, e] for s, e in map(_interval, second_clue)]
    if category == "object":
        objs = list(second_clue)
        frames: dict = {}
        for pos, c in zip(_frame_positions(_objects("object", first_clue), objs, fps), objs):
            frames.setdefault(f"Frame{pos + 1}", []).append([_plain(v) for v in c["bbox"]])
        return frames
    if category == "attribute":
        objs, labels = [], []
        for j, cluster in enumerate(second_clue, 1):
            for c in cluster:
                objs.append(c)
                labels.append(f"cluster{j}")
        frames = {}
        for pos, c, label in zip(_frame_positions(_objects("attribute", first_clue), objs, fps), objs, labels):
            frames.setdefault(f"Frame{pos + 1}", []).append(
                {"label": label, "bbox": [_plain(v) for v in c["bbox"]]})
        return frames
    raise ValueError(f"unknown category {category!r} (expected event, object or attribute)")


def second_pass_answer(category: str, first_clue, second_clue, *, fps=None) -> str:
    """The second pass written as a model's white-box answer to the question clued by the first pass.

    See the module docstring for the frame keys.  ``cgav.parse_clues`` reads
    it back as :func:`second_pass_prediction`.
    """
    return json.dumps(_answer_json(category, first_clue, second_clue, fps))


def second_pass_prediction(category: str, first_clue, second_clue, *, fps=None):
    """The parsed prediction ``cgav`` scores for the second pass (what ``cgav.parse_clues`` returns).

    event ``[[start, end], ...]``; object ``[(frame_position, box), ...]``;
    attribute ``{label: [(frame_position, box), ...]}``.
    """
    j = _answer_json(category, first_clue, second_clue, fps)
    if category == "event":
        return j
    if category == "object":
        return [(int(k[len("Frame"):]) - 1, box) for k, boxes in j.items() for box in boxes]
    pred: dict = {}
    for k, entries in j.items():
        for e in entries:
            pred.setdefault(e["label"], []).append((int(k[len("Frame"):]) - 1, e["bbox"]))
    return pred


def _n_clues(category: str, clue) -> int:
    return len(_objects(category, clue)) if category == "attribute" else len(clue)


def wcs_agreement(category: str, first_clue, second_clue, *, fps=None) -> float:
    """The white-box counting score of the second pass against the first, by ``cgav``'s own scoring.

    1.0 when both passes have no clue (``cgav`` would give 0); otherwise the
    value ``cgav.score`` gives the answer :func:`second_pass_answer` on a
    truth item whose clue is ``first_clue`` (0 where ``cgav`` fails the item).
    """
    answer = second_pass_answer(category, first_clue, second_clue, fps=fps)
    if _n_clues(category, first_clue) == 0 and _n_clues(category, second_clue) == 0:
        return 1.0
    _, wcs, ifa = cgav._wcs_item(first_clue, category, answer)
    if not ifa or wcs is None:
        return 0.0
    return float(wcs)


# --------------------------------------------------------------------------
# Temporal agreement (events)
# --------------------------------------------------------------------------

def _prf(matched: int, n_first: int, n_second: int) -> tuple[float, float, float]:
    precision = matched / n_second if n_second else 0.0
    recall = matched / n_first if n_first else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def _boundary_matches(a: Sequence[float], b: Sequence[float], tolerance: float) -> int:
    """One-to-one pairs of times within ``tolerance``: most such pairs, then least total distance."""
    if not a or not b:
        return 0
    dist = np.abs(np.asarray(a, dtype=float)[:, None] - np.asarray(b, dtype=float)[None, :])
    within = dist <= tolerance + _EPS
    # A pair beyond tolerance costs more than all within-tolerance pairs together.
    penalty = (tolerance + _EPS) * min(len(a), len(b)) + 1.0
    cost = np.where(within, dist, penalty)
    rows, cols = linear_sum_assignment(cost)
    return int(within[rows, cols].sum())


def temporal_agreement(first, second, *, iou_threshold: float = 0.5, boundary_tolerance: float = 0.5) -> dict:
    """``{"mean_iou_matched", "precision", "recall", "f1", "boundary_f1"}`` of two event clue lists.

    Intervals are ``(start, end)`` pairs or ``{"start", "end"}`` dicts, in
    seconds; the first pass is the reference (recall is over its intervals).
    Raises ValueError for an interval that ends before it starts or is not finite.
    """
    a = [_interval(e) for e in first]
    b = [_interval(e) for e in second]
    for s, e in a + b:
        if not (math.isfinite(s) and math.isfinite(e)) or e < s:
            raise ValueError(f"bad interval [{s}, {e}]")
    if not a and not b:
        return {k: 1.0 for k in TEMPORAL_KEYS}
    if not a or not b:
        return {k: 0.0 for k in TEMPORAL_KEYS}

    iou = np.array([[cgav.compute_tiou(x, y) for y in b] for x in a], dtype=float)
    rows, cols = linear_sum_assignment(1.0 - iou)
    matched = [float(iou[i, j]) for i, j in zip(rows, cols) if iou[i, j] >= iou_threshold - _EPS]
    precision, recall, f1 = _prf(len(matched), len(a), len(b))

    n_bound = _boundary_matches([s for s, _ in a], [s for s, _ in b], boundary_tolerance) \
        + _boundary_matches([e for _, e in a], [e for _, e in b], boundary_tolerance)
    _, _, boundary_f1 = _prf(n_bound, 2 * len(a), 2 * len(b))

    return {
        "mean_iou_matched": sum(matched) / len(matched) if matched else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "boundary_f1": boundary_f1,
    }


# --------------------------------------------------------------------------
# Per question, aggregates
# --------------------------------------------------------------------------

def question_agreement(category: str, answer1: int, clue1, answer2: int, clue2, *, fps=None,
                       iou_threshold: float = 0.5, boundary_tolerance: float = 0.5) -> dict:
    """One flat row: ``exact``, ``off_by_one``, ``abs_error`` (the answers), ``wcs`` (the clues), and
    for ``event`` questions also ``mean_iou_matched``, ``precision``, ``recall``, ``f1``, ``boundary_f1``.

    Pass 1 (``answer1``, ``clue1``) is the reference.
    """
    row: dict[str, Any] = dict(count_agreement(answer1, answer2))
    row["wcs"] = wcs_agreement(category, clue1, clue2, fps=fps)
    if category == "event":
        row.update(temporal_agreement(clue1, clue2, iou_threshold=iou_threshold,
                                      boundary_tolerance=boundary_tolerance))
    return row


def aggregate(rows: Iterable[Mapping[str, Any]]) -> dict:
    """Means per metric over :func:`question_agreement` rows.

    ``{"n": rows, "n_event": rows with temporal values, <key>: mean, ...}``
    for every key of :data:`METRIC_KEYS`; each mean is over the rows that have
    that key with a value other than None (booleans count as 0/1; the mean of
    ``abs_error`` is the MAE), and is None where no row has it.
    """
    rows = list(rows)
    out: dict[str, Any] = {
        "n": len(rows),
        "n_event": sum(1 for r in rows if r.get("f1") is not None),
    }
    for key in METRIC_KEYS:
        values = [float(r[key]) for r in rows if r.get(key) is not None]
        out[key] = sum(values) / len(values) if values else None
    return out


def box_agreement(first: Mapping[str, Mapping[str, Any]], second: Mapping[str, Mapping[str, Any]]) -> dict:
    """Agreement of two reviews of one R-AVST event (an accepted review and an audit of it).

    Each side maps an object name to ``{"audibility": str, "where": [(T, (x1, y1, x2, y2)), ...]}``. Objects are
    paired by name; an object on one side only scores 0. ``viou`` is the mean over objects of the spatio-temporal
    IoU the R-AVST metric gives a model (``benchmark.metrics.ravst.viou``, the first review as truth);
    ``audibility`` is the share of paired objects labelled alike. Two empty reviews agree fully.
    """
    names = sorted(set(first) | set(second))
    if not names:
        return {"objects": 0, "paired": 0, "viou": 1.0, "audibility": 1.0}
    paired = [n for n in names if n in first and n in second]
    scores = [ravst.viou(first[n]["where"], second[n]["where"]) if n in paired else 0.0 for n in names]
    same = [first[n]["audibility"] == second[n]["audibility"] for n in paired]
    return {
        "objects": len(names),
        "paired": len(paired),
        "viou": sum(scores) / len(scores),
        "audibility": (sum(same) / len(same)) if same else None,
    }
