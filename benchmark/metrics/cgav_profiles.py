"""CG-AV-Counting scoring profiles: the numbers each public evaluator gives, item for item.

Every profile scores the same JSON Lines predictions (see :mod:`benchmark.metrics.cgav`); they differ in what
happens around the shared per-item rules.  Each reproduces the public code at a pinned commit (:data:`PINS`);
none of that code is imported or copied here.

``strict`` (this project's default)
    :func:`benchmark.metrics.cgav.score`: every item of a task mode that has lines is counted; a missing,
    ``null`` or empty prediction scores like an unparsable one.

``vlmevalkit`` (open-compass/VLMEvalKit, ``vlmeval/dataset/CGAVCounting/`` at 9cc14cd0, the last commit whose
``cg_av_counting.py`` imports its own ``post_process``; from 401916c0 of March 2026 it imports
``utils.cgbench.post_process`` and raises on every row)
    VLMEvalKit's table always has the three task modes for every item.  Each answer goes through its xlsx round
    trip (:mod:`benchmark.metrics.xlsx`): a missing, ``null`` or empty answer and the pandas NA strings become
    NaN and are left out of the means; ``=...`` becomes the number 0 (scored 0); ``\\r`` comes back as
    ``_x000D_``; answers are cut at 32,767 characters.  Box IoUs use numpy arrays (int64 areas wrap around).
    ``rating_func`` then takes pandas means: a task mode without any scored row gives NaN, and where no row of
    the whole table was scored in a mode's columns (``acc`` ... for the black box, ``wcs``/``ifa`` for the white
    box) it raises ``KeyError`` and reports nothing.  A clue list whose JSON exceeds 32,767 characters is cut in
    the ``answer`` cell, and ``post_process`` then raises outside its ``try``.  ``metrics`` holds the unrounded
    means; ``published`` the 4-place figures ``rating_func`` returns (numpy's ``round``).

``av-reasoner`` (AV-Reasoner/AV-Reasoner, ``eval/`` at b63ce2c8)
    The authors' scripts read one output file per item and skip items without one (a missing line here);
    ``null`` is kept (``w2n`` fails on it: 0).  Black box: ``w2n.word_to_num`` else 0, exact match is a
    difference *below* 1e-5, means are plain sums over the items read.  White box: ``str(prediction)``, the
    same parser and WCS as VLMEvalKit (numpy boxes) except that an attribute ``bbox`` without a length fails
    the item (``len`` is taken before the type check); an item that fails to parse, raises or times out
    counts as WCS 0 and as a failure: ``ifa = 1 - failures / N``.  ``published`` has WCS x 100 as the script
    prints it.

``lmms-eval`` (EvolvingLMMs-Lab/lmms-eval, ``lmms_eval/tasks/cgav_counting/utils.py`` at 75571cfe)
    Every item is counted; a missing or ``null`` answer is an empty one.  Black box: after the last
    ``</think>``, commas removed, the first ``[-+]?\\d+(\\.\\d+)?`` in the text, else the *sum* of the number
    words from zero to ninety, else 0.  White box: its own JSON extraction (``<answer>`` case-insensitive, then
    the first balanced block that parses), times as seconds or ``[h:]m:s``, ``frame N`` keys matched anywhere
    in the key, a flat ``[x1, y1, x2, y2]`` taken as one box, plain-Python IoUs; no cluster on either side
    gives WCS 0 with the format counted valid.  Errors other than ``KeyError``, ``TypeError``, ``ValueError``
    and ``IndexError`` (e.g. a JSON list where an object is expected: ``AttributeError``) stop lmms-eval; the
    profile then reports the task mode as failed, naming the item.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from benchmark.metrics import cgav
from benchmark.metrics.cgav import BLACK_BOX_MODES, MODE_FIELDS, TASK_MODES, ItemScore, Report
from benchmark.metrics.xlsx import MAX_CHARS, roundtrip

PROFILES = ("vlmevalkit", "av-reasoner", "lmms-eval", "strict")
DEFAULT_PROFILE = "vlmevalkit"
PINS = {
    "vlmevalkit": "open-compass/VLMEvalKit@9cc14cd04de7296e674c4859ecc6de63319dc4a7 vlmeval/dataset/CGAVCounting/",
    "av-reasoner": "AV-Reasoner/AV-Reasoner@b63ce2c8388fc2d59b62c46e2d8586321e864f30 eval/",
    "lmms-eval": "EvolvingLMMs-Lab/lmms-eval@75571cfe0fa36ca5ec2e6aa2bb268f9d38295af3 lmms_eval/tasks/cgav_counting/",
    "strict": "this project's documented rules (benchmark/metrics/cgav.py)",
}
HEADLINE = tuple(f"{mode}/{f}" for mode in TASK_MODES for f in MODE_FIELDS[mode])


@dataclass
class ProfileReport(Report):
    """A :class:`Report` with the profile's name, the figures as the tool prints them (``published``) and why
    a task mode has no numbers (``errors``: mode -> message)."""

    profile: str = "strict"
    published: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _records(truth: list, predictions: Iterable[dict]) -> dict[tuple[int, str], Any]:
    by_key: dict[tuple[int, str], Any] = {}
    for n, rec in enumerate(predictions):
        key = cgav._check_record(rec, f"prediction #{n}", len(truth))
        if key in by_key:
            raise cgav.PredictionError(f"prediction #{n}: duplicate (index {key[0]}, task_mode {key[1]!r})")
        by_key[key] = rec["prediction"]
    return by_key


def _np_round4(value: float) -> float:
    return float(np.round(np.float64(value), 4))


def _note_count(item: ItemScore) -> None:
    if item.err is not None and item.pred is not None and abs(float(item.gt) - item.pred) > max(2 * float(item.gt), 100):
        item.note = "; ".join(filter(None, [item.note, f"read {item.pred:g}: error capped at 2 x answer"]))


# --------------------------------------------------------------------------------------------------------- strict

def score_strict(truth: list, predictions: Iterable[dict]) -> ProfileReport:
    rep = cgav.score(truth, list(predictions))
    for item in rep.items:
        if item.raw is None:
            item.note = "no answer: scored as unparsable"
        _note_count(item)
    return ProfileReport(rep.metrics, rep.items, rep.counts, profile="strict",
                         published={k: v for k, v in rep.metrics.items() if k in HEADLINE})


# ----------------------------------------------------------------------------------------------------- vlmevalkit

def score_vlmevalkit(truth: list, predictions: Iterable[dict]) -> ProfileReport:
    by_key = _records(truth, predictions)
    notes: dict[tuple[int, str], str] = {}
    rows: list[dict] = []
    errors: dict[str, str] = {}
    for mode in TASK_MODES:
        for index in range(len(truth)):
            cell = roundtrip(by_key.get((index, mode)))
            value = cell.value
            if value == 0 and not isinstance(value, str):
                value = ""  # the number 0: `if response:` is false, every score 0
            if cell.why:
                notes[(index, mode)] = cell.why
            rows.append({"index": index, "task_mode": mode, "prediction": value})
            if mode == "clue_acc" and value and "clue_acc" not in errors:
                answer = json.dumps(truth[index]["clue"])
                if len(answer) > MAX_CHARS:
                    errors["clue_acc"] = (f"item {index}: its clue JSON ({len(answer):,} characters) is cut in the "
                                          "xlsx answer cell, and post_process raises JSONDecodeError")
    rep = cgav.score(truth, rows, vlmevalkit_compat=True, int64_boxes=True)
    for item in rep.items:
        item.raw = by_key.get((item.index, item.task_mode))
        item.note = notes.get((item.index, item.task_mode), "")
        _note_count(item)
    if errors:  # evaluate() stops: nothing is reported
        return ProfileReport({}, rep.items, rep.counts, profile="vlmevalkit", errors=errors)
    scored_black = any(it.acc is not None for it in rep.items if it.task_mode in BLACK_BOX_MODES)
    scored_white = any(it.wcs is not None or it.ifa is not None for it in rep.items if it.task_mode == "clue_acc")
    for mode in TASK_MODES:
        if not (scored_white if mode == "clue_acc" else scored_black):
            missing = MODE_FIELDS[mode][0]
            errors[mode] = (f"rating_func raises KeyError: {missing!r} (no {mode} row, nor any row of its kind, "
                            "was scored) and VLMEvalKit reports nothing")
            return ProfileReport({}, rep.items, rep.counts, profile="vlmevalkit", errors=errors)
    published = {k: _np_round4(rep.metrics[k]) for k in HEADLINE}
    return ProfileReport(rep.metrics, rep.items, rep.counts, profile="vlmevalkit", published=published)


# ---------------------------------------------------------------------------------------------------- av-reasoner

def _attribute_len_check(text: str) -> bool:
    """False where the authors' attribute parser takes ``len()`` of a ``bbox`` that has none (it then fails)."""
    j = cgav.extract_answer_json(text)
    if not isinstance(j, dict):
        return True
    for key, entries in j.items():
        if "Frame" not in key or not isinstance(entries, list):
            continue
        for e in entries:
            if not isinstance(e, dict) or "label" not in e:
                return True  # fails the same way in both parsers
            for k in ("bbox", "bbox_2d"):
                if k in e and not hasattr(e[k], "__len__"):
                    return False
    return True


def score_av_reasoner(truth: list, predictions: Iterable[dict]) -> ProfileReport:
    by_key = _records(truth, predictions)
    items: list[ItemScore] = []
    metrics: dict[str, float] = {}
    published: dict[str, Any] = {}
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for mode in TASK_MODES:
        if not any(k[1] == mode for k in by_key):
            continue
        read = [(i, by_key[(i, mode)]) for i in range(len(truth)) if (i, mode) in by_key]
        counts[f"{mode}/items"] = len(truth)
        counts[f"{mode}/missing"] = len(truth) - len(read)
        counts[f"{mode}/scored"] = len(read)
        mode_items = []
        for index in range(len(truth)):
            t = truth[index]
            gt = t["clue"] if mode == "clue_acc" else t["answer"]
            mode_items.append(ItemScore(index=index, task_mode=mode, category=t.get("category"), type=t.get("type"),
                                        pred=None, gt=gt, raw=by_key.get((index, mode)),
                                        note="" if (index, mode) in by_key else "no output file: not counted"))
        if mode in BLACK_BOX_MODES:
            correct = correct_1 = 0
            mae = rmse = 0.0
            for index, raw in read:
                item = mode_items[index]
                pred = cgav.parse_count(raw) if raw is not None else None
                pred = 0 if pred is None else pred
                gt = float(truth[index]["answer"])
                diff = abs(gt - float(pred))
                item.pred = float(pred)
                item.acc = 1 if diff < 1e-5 else 0
                item.oboa = 1 if diff <= 1 else 0
                item.err = diff if diff <= max(2 * gt, 100) else abs(gt * 2)
                correct += item.acc
                correct_1 += item.oboa
                mae += item.err
                rmse += item.err ** 2
                _note_count(item)
            if not read:
                errors[mode] = "no output read: the script divides by zero"
            else:
                n = len(read)
                metrics.update({f"{mode}/acc": correct / n, f"{mode}/oboa": correct_1 / n, f"{mode}/mae": mae / n,
                                f"{mode}/rmse": math.sqrt(rmse / n)})
        else:
            scores: list[float] = []
            failures = 0
            for index, raw in read:
                item = mode_items[index]
                text = str(raw)
                category = truth[index].get("category")
                if category == "attribute" and not _attribute_len_check(text):
                    parsed, wcs, ifa = None, 0, 0
                    item.note = "a bbox without a length: the attribute parser raises"
                else:
                    parsed, wcs, ifa = cgav._wcs_item(truth[index]["clue"], category, text, cgav.compute_siou_numpy)
                item.pred = parsed
                if ifa and wcs is not None:
                    scores.append(wcs)
                    item.wcs, item.ifa = float(wcs), 1
                else:
                    scores.append(0)
                    failures += 1
                    item.wcs, item.ifa = 0.0, 0
                    if ifa and wcs is None:
                        item.note = "timed out (10 s alarm): counted as a failure"
            if not read:
                errors[mode] = "no output read: the script divides by zero"
            else:
                metrics[f"{mode}/wcs"] = sum(scores) / len(scores)
                metrics[f"{mode}/ifa"] = 1 - (failures / len(scores))
        items.extend(mode_items)
        for key in MODE_FIELDS[mode]:
            name = f"{mode}/{key}"
            if name in metrics:
                published[name] = metrics[name] * 100 if name == "clue_acc/wcs" else metrics[name]
    _breakdowns(items, metrics, lambda it: it.note != "no output file: not counted")
    return ProfileReport(metrics, items, counts, profile="av-reasoner", published=published, errors=errors)


def _breakdowns(items: list[ItemScore], metrics: dict, counted) -> None:
    """Plain means by category and type over the counted items (the public scripts print no breakdowns)."""
    for attr, prefix in (("category", "by_category"), ("type", "by_type")):
        groups: dict = defaultdict(list)
        for it in items:
            if counted(it):
                groups[(getattr(it, attr), it.task_mode)].append(it)
        for (name, mode), its in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
            n = len(its)
            if mode == "clue_acc":
                metrics[f"{prefix}/{name}/{mode}/wcs"] = sum(it.wcs or 0 for it in its) / n
                metrics[f"{prefix}/{name}/{mode}/ifa"] = sum(it.ifa or 0 for it in its) / n
            else:
                metrics[f"{prefix}/{name}/{mode}/acc"] = sum(it.acc for it in its) / n
                metrics[f"{prefix}/{name}/{mode}/oboa"] = sum(it.oboa for it in its) / n
                metrics[f"{prefix}/{name}/{mode}/mae"] = sum(it.err for it in its) / n
                metrics[f"{prefix}/{name}/{mode}/rmse"] = math.sqrt(sum(it.err ** 2 for it in its) / n)


# ------------------------------------------------------------------------------------------------------ lmms-eval

_LMMS_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_LMMS_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                    "eighty": 80, "ninety": 90})
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z]+")
_ANSWER_I = re.compile(r"<answer>(.*?)</answer>", re.DOTALL | re.IGNORECASE)
_FRAME_KEY = re.compile(r"frame\s*(\d+)", re.IGNORECASE)


def lmms_number(value: Any) -> float:
    """The count lmms-eval reads from an answer."""
    if value is None:
        return 0.0
    text = str(value).strip().lower().replace(",", "")
    if "</think>" in text:
        text = text.rsplit("</think>", 1)[-1].strip()
    m = _NUMBER.search(text)
    if m:
        return float(m.group(0))
    words = [_LMMS_WORDS[w] for w in _WORD.findall(text.replace("-", " ")) if w in _LMMS_WORDS]
    return float(sum(words)) if words else 0.0


def lmms_json(response: Any) -> Any:
    """The JSON value lmms-eval extracts from a white-box answer, or None."""
    m = _ANSWER_I.search(response or "")
    text = m.group(1).strip() if m else (response or "").strip()
    try:
        return json.loads(text)
    except (TypeError, json.JSONDecodeError):
        pass
    pairs = {"]": "[", "}": "{"}
    for start, char in enumerate(text):
        if char not in "[{":
            continue
        depth: list[str] = []
        for end in range(start, len(text)):
            c = text[end]
            if c in "[{":
                depth.append(c)
            elif c in "]}":
                if not depth or depth[-1] != pairs[c]:
                    break
                depth.pop()
                if not depth:
                    try:
                        return json.loads(text[start:end + 1])
                    except json.JSONDecodeError:
                        break
    return None


def _lmms_seconds(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    value = str(value).strip().split()[0]
    if ":" not in value:
        return float(value)
    return sum(float(p) * 60 ** k for k, p in enumerate(reversed(value.split(":"))))


def _lmms_timestamps(clue: list, category: str) -> list[float]:
    flat = clue if category != "attribute" else [c for cluster in clue for c in cluster]
    out: list[float] = []
    for c in flat:
        t = float(c["timestamp"])
        if t not in out:
            out.append(t)
    return out


def _lmms_frame(key: Any) -> int | None:
    m = _FRAME_KEY.search(str(key))
    return int(m.group(1)) - 1 if m else None


def _max_assignment_sum(scores: np.ndarray) -> float:
    """The largest total of a one-to-one assignment, added up along the longer side as lmms-eval does."""
    if scores.size == 0:
        return 0.0
    matrix = scores.T if scores.shape[0] > scores.shape[1] else scores
    rows, cols = cgav.linear_sum_assignment(-matrix)
    total = 0.0
    for r, c in sorted(zip(rows, cols), key=lambda rc: rc[1]):
        total += matrix[r, c]
    return float(total)


def _lmms_wcs(gt_clusters: list, pred_clusters: list, temporal: bool) -> float:
    if not gt_clusters or not pred_clusters:
        return 0.0
    scores = np.zeros((len(gt_clusters), len(pred_clusters)))
    for i, g in enumerate(gt_clusters):
        for j, p in enumerate(pred_clusters):
            scores[i, j] = cgav._cluster_pair_tiou(g, p) if temporal else cgav._cluster_pair_siou(g, p)
    return _max_assignment_sum(scores) / len(gt_clusters)


class _Stop(Exception):
    """An error lmms-eval does not catch: its run stops."""


def lmms_clue(item: dict, response: Any) -> tuple[float, float, Any]:
    """``(wcs, ifa, parsed)`` of one white-box answer as lmms-eval scores it; raises _Stop where it stops."""
    parsed = lmms_json(response)
    if parsed is None:
        return 0.0, 0.0, None
    clue, category = item["clue"], item["category"]
    try:
        if category == "event":
            pred = [[_lmms_seconds(e[0]), _lmms_seconds(e[1])] for e in parsed]
            gt = [[float(e["start"]), float(e["end"])] for e in clue]
            return _lmms_wcs([gt], [pred], True), 1.0, pred
        stamps = _lmms_timestamps(clue, category)
        if category == "object":
            gt = [(stamps.index(float(c["timestamp"])), c["bbox"]) for c in clue]
            pred = []
            for key, boxes in parsed.items():
                frame = _lmms_frame(key)
                if frame is None or not isinstance(boxes, list):
                    continue
                if boxes and all(isinstance(v, (int, float)) for v in boxes) and len(boxes) == 4:
                    boxes = [boxes]
                elif boxes and all(isinstance(p, list) and len(p) == 2 for p in boxes):
                    boxes = [[boxes[k][0], boxes[k][1], boxes[k + 1][0], boxes[k + 1][1]]
                             for k in range(0, len(boxes) - 1, 2)]
                pred.extend((frame, b) for b in boxes if isinstance(b, list) and len(b) == 4)
            return _lmms_wcs([gt], [pred], False), 1.0, pred
        gt_clusters = [[(stamps.index(float(c["timestamp"])), c["bbox"]) for c in cluster] for cluster in clue]
        clusters: dict = defaultdict(list)
        for key, objects in parsed.items():
            frame = _lmms_frame(key)
            if frame is None or not isinstance(objects, list):
                continue
            for obj in objects:
                if not isinstance(obj, dict) or "label" not in obj:
                    continue
                box = obj.get("bbox", obj.get("bbox_2d"))
                if isinstance(box, list) and len(box) == 4:
                    clusters[str(obj["label"])].append((frame, box))
        return _lmms_wcs(gt_clusters, list(clusters.values()), False), 1.0, dict(clusters)
    except (KeyError, TypeError, ValueError, IndexError):
        return 0.0, 0.0, None
    except Exception as exc:  # noqa: BLE001 - what lmms-eval does not catch
        raise _Stop(f"{type(exc).__name__}: {exc}") from None


def score_lmms_eval(truth: list, predictions: Iterable[dict]) -> ProfileReport:
    by_key = _records(truth, predictions)
    items: list[ItemScore] = []
    metrics: dict[str, float] = {}
    errors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for mode in TASK_MODES:
        if not any(k[1] == mode for k in by_key):
            continue
        mode_items = []
        for index, t in enumerate(truth):
            raw = by_key.get((index, mode))
            gt = t["clue"] if mode == "clue_acc" else t["answer"]
            item = ItemScore(index=index, task_mode=mode, category=t.get("category"), type=t.get("type"), pred=None,
                             gt=gt, raw=raw, note="" if raw is not None else "no answer: read as an empty one")
            if mode == "clue_acc":
                try:
                    wcs, ifa, item.pred = lmms_clue(t, raw if raw is not None else "")
                except _Stop as exc:
                    errors[mode] = f"item {index}: lmms-eval stops with {exc}"
                    wcs, ifa = 0.0, 0.0
                    item.note = f"lmms-eval stops here ({exc})"
                item.wcs, item.ifa = wcs, int(ifa)
            else:
                pred = lmms_number(raw)
                target = float(t["answer"])
                error = abs(target - pred)
                item.pred = pred
                item.acc, item.oboa = int(error <= 1e-5), int(error <= 1)
                item.err = error if error <= max(2 * target, 100) else abs(2 * target)
                _note_count(item)
            mode_items.append(item)
        n = len(mode_items)
        counts.update({f"{mode}/items": n, f"{mode}/missing": sum(1 for it in mode_items if it.raw is None),
                       f"{mode}/scored": n})
        items.extend(mode_items)
        if mode in errors or not n:
            continue
        if mode == "clue_acc":
            metrics["clue_acc/wcs"] = sum(float(it.wcs) for it in mode_items) / n
            metrics["clue_acc/ifa"] = sum(float(it.ifa) for it in mode_items) / n
        else:
            metrics[f"{mode}/acc"] = sum(float(it.acc) for it in mode_items) / n
            metrics[f"{mode}/oboa"] = sum(float(it.oboa) for it in mode_items) / n
            metrics[f"{mode}/mae"] = sum(it.err for it in mode_items) / n
            metrics[f"{mode}/rmse"] = math.sqrt(sum(it.err ** 2 for it in mode_items) / n)
    _breakdowns([it for it in items if it.task_mode not in errors], metrics, lambda it: True)
    return ProfileReport(metrics, items, counts, profile="lmms-eval",
                         published={k: v for k, v in metrics.items() if k in HEADLINE}, errors=errors)


SCORERS = {"vlmevalkit": score_vlmevalkit, "av-reasoner": score_av_reasoner, "lmms-eval": score_lmms_eval,
           "strict": score_strict}


def score(truth: list, predictions: Iterable[dict], profile: str = "strict") -> ProfileReport:
    if profile not in SCORERS:
        raise ValueError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    return SCORERS[profile](truth, list(predictions))


# ------------------------------------------------------------------------------------------------- disagreements

def _describe(item: ItemScore | None) -> str:
    if item is None:
        return "not scored"
    if item.task_mode == "clue_acc":
        if item.wcs is None and item.ifa is None:
            text = "dropped"
        else:
            text = f"wcs {item.wcs:.4f}, ifa {item.ifa}" if item.wcs is not None else f"ifa {item.ifa}"
    elif item.acc is None:
        text = "dropped"
    else:
        text = f"read {item.pred:g}, error {item.err:g}" if item.pred is not None else f"error {item.err:g}"
    return f"{text} ({item.note})" if item.note else text


def _values(item: ItemScore | None) -> tuple:
    if item is None:
        return ("absent",)
    if item.task_mode == "clue_acc":
        return (None if item.wcs is None else round(float(item.wcs), 12), item.ifa)
    return (item.acc, None if item.err is None else round(float(item.err), 12))


def disagreements(reports: dict[str, Report]) -> list[dict]:
    """The (item, task mode) pairs whose scores differ between profiles, each with the raw answer and, per
    profile, what it made of it (``why``)."""
    by_profile = {name: {(it.index, it.task_mode): it for it in rep.items} for name, rep in reports.items()}
    keys = sorted({k for items in by_profile.values() for k in items}, key=lambda k: (TASK_MODES.index(k[1]), k[0]))
    out = []
    for key in keys:
        per = {name: items.get(key) for name, items in by_profile.items()}
        if len({_values(it) for it in per.values()}) <= 1:
            continue
        raw = next((it.raw for it in per.values() if it is not None and it.raw is not None), None)
        out.append({"index": key[0], "task_mode": key[1], "raw": raw,
                     "scores": {name: dict(zip(("acc", "err") if key[1] != "clue_acc" else ("wcs", "ifa"),
                                               _values(it))) if it is not None else None
                                for name, it in per.items()},
                     "why": {name: _describe(it) for name, it in per.items()}})
    return out
