"""Score model predictions against a CG-AV-Counting truth file.

The numbers are those of VLMEvalKit's ``CGAVCounting`` evaluation
(``vlmeval/dataset/CGAVCounting/utils.py``: ``post_process``,
``compute_wcs_unlabeled``, ``compute_cluster_pair_wcs``, ``greedy_matching``,
``compute_sIoU``, ``compute_tiou``, ``extract_outer_json``,
``time_str_to_seconds``, ``rating_func``; and ``CGAVCounting.evaluate`` in
``cg_av_counting.py``), ported here rule for rule, with the answer parser of
the ``word2number`` 1.1 package (``w2n.word_to_num``) that ``post_process``
calls.  VLMEvalKit itself is not imported.  Nothing here imports Django.

Differences from VLMEvalKit, all on purpose:

* Default (``vlmevalkit_compat=False``): a prediction that is missing (no
  line for an item of a task mode that the file has, or ``"prediction":
  null``) or empty (``""``) is scored like an unparsable one: number 0 for
  the black box (so ``err = gt``, and ``acc = 1`` when ``gt == 0``), ``wcs =
  0`` and ``ifa = 0`` for the white box.  VLMEvalKit drops missing rows from
  every mean, and ``post_process`` gives an empty answer ``acc = oboa = 0``
  and an error of 0.  ``vlmevalkit_compat=True`` gives VLMEvalKit's
  behaviour, including the order in which ``rating_func``'s pandas mean adds
  the rows (missing rows first, as zeros), so the floats agree to the bit.
* ``excel_roundtrip=True`` also applies what VLMEvalKit's xlsx round trip does
  to predictions before they reach ``post_process`` (xlsxwriter writes them,
  ``pd.read_excel`` reads them back): a prediction equal to one of pandas'
  default NA strings (``""``, ``"None"``, ``"NA"``, ``"null"``, ``"nan"``,
  ...) becomes missing, and one longer than 32,767 characters is cut there.
* Greedy box matching sorts the pairs once instead of rescanning them for
  every match; the result (including which pair wins a tie, and the order in
  which matched IoUs are summed) is the same.
* Not reproduced: VLMEvalKit's 10 s ``signal.alarm`` in
  ``compute_wcs_unlabeled`` (an answer that takes longer there gets ``wcs =
  None``, left out of the ``wcs`` mean, and ``ifa = 1``).  Its one input that
  would always hit it, greedy matching left with NaN IoUs only (an endless
  loop there), cannot arise, as ``compute_sIoU`` never gives NaN; the port
  still maps it to ``wcs = None``.  A black-box answer of 309 to 4,300 digits
  makes VLMEvalKit raise ``OverflowError`` and stop; here it is unparsable.

Metric keys of ``Report.metrics`` (fractions and errors, not rounded; the
``rating_func`` of VLMEvalKit rounds to 4 places):

* ``long_acc/acc``, ``long_acc/oboa``, ``long_acc/mae``, ``long_acc/rmse``,
  the same four with ``ref_acc/``, ``clue_acc/wcs``, ``clue_acc/ifa``;
* ``by_category/<category>/<key>`` and ``by_type/<type>/<key>`` for each key
  above, e.g. ``by_category/event/long_acc/mae``, ``by_type/V2A/clue_acc/wcs``.

A task mode with no line at all in the predictions is left out.  An item
with no line for a task mode that has lines counts as ``"prediction":
null`` (VLMEvalKit's table always has the row; a model that returned nothing
leaves NaN there).  ``nan`` stands where a mean has no item to average
(compat mode, all missing).
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

TASK_MODES = ("long_acc", "ref_acc", "clue_acc")
BLACK_BOX_MODES = ("long_acc", "ref_acc")
MODE_FIELDS = {
    "long_acc": ("acc", "oboa", "mae", "rmse"),
    "ref_acc": ("acc", "oboa", "mae", "rmse"),
    "clue_acc": ("wcs", "ifa"),
}
REQUIRED_KEYS = ("index", "task_mode", "prediction")

# pandas' default NA strings (read_excel's na_values when keep_default_na=True)
_EXCEL_NA = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
    "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a",
    "nan", "null",
})
_EXCEL_MAX_CHARS = 32767


class PredictionError(ValueError):
    """A predictions file or record that cannot be scored."""


class _Timeout(Exception):
    """Where VLMEvalKit's greedy matching loops until its 10 s alarm."""


# --------------------------------------------------------------------------
# Black box: word2number 1.1 ``w2n.word_to_num``, as post_process calls it
# --------------------------------------------------------------------------

_AMERICAN_NUMBER_SYSTEM = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1000000, "billion": 1000000000, "point": ".",
}
_DECIMAL_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _number_formation(number_words: list[str]):
    numbers = [_AMERICAN_NUMBER_SYSTEM[w] for w in number_words]
    if len(numbers) == 4:
        return (numbers[0] * numbers[1]) + numbers[2] + numbers[3]
    if len(numbers) == 3:
        return numbers[0] * numbers[1] + numbers[2]
    if len(numbers) == 2:
        if 100 in numbers:
            return numbers[0] * numbers[1]
        return numbers[0] + numbers[1]
    return numbers[0]  # IndexError on an empty list, as in word2number


def _decimal_sum(decimal_digit_words: list[str]) -> float:
    digits = []
    for w in decimal_digit_words:
        if w not in _DECIMAL_WORDS:
            return 0
        digits.append(_AMERICAN_NUMBER_SYSTEM[w])
    return float("0." + "".join(map(str, digits)))


def word_to_num(number_sentence):
    """word2number 1.1 ``w2n.word_to_num``: raises ValueError (or IndexError) when it cannot parse."""
    if type(number_sentence) is not str:
        raise ValueError("not a string")
    s = number_sentence.replace("-", " ").lower()
    if s.isdigit():
        return int(s)
    clean = [w for w in s.strip().split() if w in _AMERICAN_NUMBER_SYSTEM]
    if not clean:
        raise ValueError("no number words")
    if clean.count("thousand") > 1 or clean.count("million") > 1 or clean.count("billion") > 1 \
            or clean.count("point") > 1:
        raise ValueError("redundant number word")
    decimals: list[str] = []
    if clean.count("point") == 1:
        decimals = clean[clean.index("point") + 1:]
        clean = clean[:clean.index("point")]
    bi = clean.index("billion") if "billion" in clean else -1
    mi = clean.index("million") if "million" in clean else -1
    ti = clean.index("thousand") if "thousand" in clean else -1
    if (ti > -1 and (ti < mi or ti < bi)) or (mi > -1 and mi < bi):
        raise ValueError("malformed number")
    total = 0
    if len(clean) > 0:
        if len(clean) == 1:
            total += _AMERICAN_NUMBER_SYSTEM[clean[0]]
        else:
            if bi > -1:
                total += _number_formation(clean[0:bi]) * 1000000000
            if mi > -1:
                total += _number_formation(clean[bi + 1:mi] if bi > -1 else clean[0:mi]) * 1000000
            if ti > -1:
                if mi > -1:
                    mult = _number_formation(clean[mi + 1:ti])
                elif bi > -1 and mi == -1:
                    mult = _number_formation(clean[bi + 1:ti])
                else:
                    mult = _number_formation(clean[0:ti])
                total += mult * 1000
            if ti > -1 and ti != len(clean) - 1:
                hundreds = _number_formation(clean[ti + 1:])
            elif mi > -1 and mi != len(clean) - 1:
                hundreds = _number_formation(clean[mi + 1:])
            elif bi > -1 and bi != len(clean) - 1:
                hundreds = _number_formation(clean[bi + 1:])
            elif ti == -1 and mi == -1 and bi == -1:
                hundreds = _number_formation(clean)
            else:
                hundreds = 0
            total += hundreds
    if len(decimals) > 0:
        total += _decimal_sum(decimals)
    return total


def parse_count(text) -> float | None:
    """The black-box answer as VLMEvalKit reads it, or None where it falls back to 0.

    The whole text goes to ``word_to_num``: only a bare digit string (after
    ``-`` becomes a space and the text is lower-cased, so no sign, point,
    space or newline) or number words separated by white space count.
    ``"3\\n"``, ``"3."``, ``"-2"`` and ``"<answer>3</answer>"`` are all
    unparsable; ``"I see three, no, four"`` reads ``four``.
    """
    try:
        value = word_to_num(text)
    except Exception:
        return None
    try:
        return float(value)
    except OverflowError:  # VLMEvalKit raises here, outside its try
        return None


# --------------------------------------------------------------------------
# White box parsing
# --------------------------------------------------------------------------

def time_str_to_seconds(time_str: str) -> float:
    """``MM:SS``, ``H:MM:SS``, each with an optional ``.fraction``, to seconds (VLMEvalKit's)."""
    time_str = time_str.strip()
    if "." in time_str:
        time_main, fraction = time_str.split(".")
        fraction = float(f"0.{fraction}")
    else:
        time_main = time_str
        fraction = 0.0
    parts = list(map(int, time_main.split(":")))
    if len(parts) == 2:
        minutes, seconds = parts
        total = minutes * 60 + seconds
    elif len(parts) == 3:
        hours, minutes, seconds = parts
        total = hours * 3600 + minutes * 60 + seconds
    else:
        raise ValueError(f"Invalid time format: {time_str}")
    return total + fraction


def extract_outer_json(text: str) -> str | None:
    """The first balanced outermost ``{...}``/``[...]`` block that parses, re-serialised (VLMEvalKit's).

    Brackets are counted without regard to strings, and a closing bracket that
    does not match the innermost open one is ignored.
    """
    stack: list[str] = []
    start_idx = None
    opening = {"{": "}", "[": "]"}
    closing = {"}": "{", "]": "["}
    for i, char in enumerate(text):
        if char in opening:
            if not stack:
                start_idx = i
            stack.append(char)
        elif char in closing:
            if stack and stack[-1] == closing[char]:
                stack.pop()
                if not stack and start_idx is not None:
                    candidate = text[start_idx:i + 1]
                    try:
                        return json.dumps(json.loads(candidate))
                    except json.JSONDecodeError:
                        continue
    return None


_ANSWER_RE = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)


def extract_answer_json(response: str):
    """The JSON value of a white-box answer, or None: first ``<answer>...</answer>`` (else the whole
    text), stripped, parsed as JSON, else the first outer JSON block in it."""
    m = _ANSWER_RE.search(response)
    student_answer = m.group(1).strip() if m else response.strip()
    j = None
    try:
        try:
            j = json.loads(student_answer)
        except Exception:
            j = json.loads(extract_outer_json(student_answer))
    except Exception:
        pass
    return j


def _parse_events(j) -> list[list]:
    pred = []
    for e in j:
        if isinstance(e[0], str) and isinstance(e[1], str) and ":" in e[0] and ":" in e[1]:
            pred.append([time_str_to_seconds(e[0]), time_str_to_seconds(e[1])])
        else:
            pred.append([float(e[0].split(" ")[0]) if isinstance(e[0], str) else e[0],
                         float(e[1].split(" ")[0]) if isinstance(e[1], str) else e[1]])
    return pred


def _parse_objects(j) -> list[tuple]:
    pred = []
    for key in j.keys():
        if "Frame" not in key:
            continue
        idx = int(key.replace("Frame", "")) - 1
        v = j[key]
        if len(v) == 0:
            continue
        if isinstance(v[0], list) and len(v[0]) == 4:
            for e in v:
                if isinstance(e, list) and len(e) == 4:
                    pred.append((idx, e))
        elif isinstance(v[0], list) and len(v[0]) == 2:
            for ii in range(int(len(v) // 2)):
                a, b = v[ii * 2], v[ii * 2 + 1]
                if isinstance(a, list) and len(a) == 2 and isinstance(b, list) and len(b) == 2:
                    pred.append((idx, [a[0], a[1], b[0], b[1]]))
    return pred


def _parse_attributes(j) -> dict:
    pred: dict = {}
    for key in j.keys():
        if "Frame" not in key:
            continue
        idx = int(key.replace("Frame", "")) - 1
        for e in j[key]:
            if e["label"] not in pred.keys():
                pred[e["label"]] = []
            if "bbox" in e:
                if isinstance(e["bbox"], list) and len(e["bbox"]) == 4:
                    pred[e["label"]].append((idx, e["bbox"]))
            if "bbox_2d" in e:
                if isinstance(e["bbox_2d"], list) and len(e["bbox_2d"]) == 4:
                    pred[e["label"]].append((idx, e["bbox_2d"]))
    return pred


_PARSERS = {"event": _parse_events, "object": _parse_objects, "attribute": _parse_attributes}


def parse_clues(text, category: str) -> tuple[Any, bool]:
    """Parse a white-box answer the way ``post_process`` does; ``(parsed, ok)``.

    * ``event``: ``[[start, end], ...]`` in seconds. Two strings that both hold
      ``:`` go through ``time_str_to_seconds`` (``MM:SS[.f]``, ``H:MM:SS[.f]``);
      any other string is cut at its first space and read with ``float``
      (``"12.5 s"`` works, ``"12.5s"`` fails the whole answer); non-strings are
      kept as they are. Dicts (``{"start": ...}``) fail the whole answer.
    * ``object``: ``[(frame_index, [x1, y1, x2, y2]), ...]`` from keys holding
      ``Frame`` (``"Frame3"``, ``"Frame 3"`` -> index 2; other keys skipped).
      A frame's list holds boxes of 4 numbers, or points of 2 read in pairs
      as corners; which one is decided by its first element, and other
      shapes (e.g. ``{"bbox_2d": ...}`` dicts) are skipped without failing.
    * ``attribute``: ``{label: [(frame_index, box), ...]}`` from
      ``{"Frame N": [{"label": ..., "bbox" | "bbox_2d": [...]}, ...]}``.

    ``ok`` is False where VLMEvalKit would leave ``ifa = 0`` at this stage; it
    can still set ``ifa = 0`` later, when the boxes or times fail in scoring
    (e.g. strings where numbers belong, on a frame the truth has boxes on).
    """
    if not isinstance(text, str) or not text:
        return None, False
    parser = _PARSERS.get(category)
    if parser is None:
        return None, False
    j = extract_answer_json(text)
    if j is None:
        return None, False
    try:
        return parser(j), True
    except Exception:
        return None, False


# --------------------------------------------------------------------------
# White box scoring
# --------------------------------------------------------------------------

def compute_tiou(t1, t2):
    inter_start = max(t1[0], t2[0])
    inter_end = min(t1[1], t2[1])
    inter = max(0.0, inter_end - inter_start)
    union = max(t1[1], t2[1]) - min(t1[0], t2[0])
    return inter / union if union > 0 else 0.0


def compute_siou(box1, box2):
    """IoU of two ``[x1, y1, x2, y2]`` boxes with corners reordered first (VLMEvalKit's ``compute_sIoU``).

    Plain Python instead of numpy arrays: the same values for coordinates
    below 2**53 (and areas below 2**63), and the same exceptions for
    non-numbers.
    """
    a0 = min(box1[0], box1[2])
    a1 = min(box1[1], box1[3])
    a2 = max(box1[0], box1[2])
    a3 = max(box1[1], box1[3])
    b0 = min(box2[0], box2[2])
    b1 = min(box2[1], box2[3])
    b2 = max(box2[0], box2[2])
    b3 = max(box2[1], box2[3])
    inter_area = max(0, min(a2, b2) - max(a0, b0)) * max(0, min(a3, b3) - max(a1, b1))
    area1 = (a2 - a0) * (a3 - a1)
    area2 = (b2 - b0) * (b3 - b1)
    union = area1 + area2 - inter_area
    return inter_area / union if union > 0 else 0.0


_I64 = 1 << 63
_SMALL = 1 << 26  # coordinates below this give areas below 2**53: numpy's arithmetic is Python's


def _np_value(v):
    """A coordinate as one element of numpy's ``np.array`` of four: ``("i", int)`` for int64, ``("f", float)``."""
    if isinstance(v, float):
        return ("f", v)
    if isinstance(v, int):
        return ("i", int(v))
    raise TypeError(f"not a number: {v!r}")


def _np_box(box):
    corners = [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]
    if all(isinstance(c, bool) for c in corners):
        raise TypeError("numpy boolean subtract")  # np.array of four bools: `-` raises there
    values = [_np_value(c) for c in corners]
    if any(kind == "f" for kind, _ in values):
        return [("f", float(v)) for _, v in values]
    if any(not -_I64 <= v < _I64 for _, v in values):
        return [("o", v) for _, v in values]  # an object array: exact Python ints (uint64 not reproduced)
    return values


def _wrap(v: int) -> int:
    return ((v + _I64) % (1 << 64)) - _I64


def _np_op(a, b, op):
    (ka, va), (kb, vb) = a, b
    if ka == "f" or kb == "f":
        return ("f", op(float(va), float(vb)))
    if ka == "o" or kb == "o":
        return ("o", op(va, vb))
    return ("i", _wrap(op(va, vb)))


def _np_max0(a):
    return a if a[1] > 0 else ("i", 0)


def compute_siou_numpy(box1, box2):
    """``compute_sIoU`` as VLMEvalKit runs it, with each box a numpy array: int64 when all four corners are
    integers, so areas beyond 2**63 wrap around, and int64 values are turned into doubles before dividing."""
    if all(type(v) is int and -_SMALL < v < _SMALL or type(v) is float for v in (*box1[:4], *box2[:4])) \
            and len(box1) >= 4 and len(box2) >= 4:
        return compute_siou(box1, box2)
    a, b = _np_box(box1), _np_box(box2)
    sub, mul, add = (lambda x, y: x - y), (lambda x, y: x * y), (lambda x, y: x + y)
    ix1, iy1 = max(a[0], b[0], key=lambda t: t[1]), max(a[1], b[1], key=lambda t: t[1])
    ix2, iy2 = min(a[2], b[2], key=lambda t: t[1]), min(a[3], b[3], key=lambda t: t[1])
    inter = _np_op(_np_max0(_np_op(ix2, ix1, sub)), _np_max0(_np_op(iy2, iy1, sub)), mul)
    area1 = _np_op(_np_op(a[2], a[0], sub), _np_op(a[3], a[1], sub), mul)
    area2 = _np_op(_np_op(b[2], b[0], sub), _np_op(b[3], b[1], sub), mul)
    union = _np_op(_np_op(area1, area2, add), inter, sub)
    if not union[1] > 0:
        return 0.0
    if inter[0] == "o" and union[0] == "o":
        return inter[1] / union[1]
    return float(inter[1]) / float(union[1])


def greedy_match(iou: list[list[float]]) -> list[tuple[int, int, float]]:
    """VLMEvalKit's ``greedy_matching`` on a precomputed IoU matrix, by one sort.

    VLMEvalKit repeatedly scans the unmatched pairs, gt index outer and pred
    index inner, both ascending (CPython iterates a set of small ints in
    order), and keeps the first pair whose IoU is strictly greater than the
    best so far.  Sorting by (-IoU, gt, pred) and taking pairs whose gt and
    pred are both still free picks the same pairs in the same order.  NaN
    IoUs are never picked there; if only NaN pairs are left, its loop never
    ends (``_Timeout``).  Returns ``(gt, pred, iou)`` in the order matched.
    """
    n_gt = len(iou)
    n_pred = len(iou[0]) if n_gt else 0
    if n_gt == 0 or n_pred == 0:
        return []
    pairs = [(-v, gi, pj) for gi, row in enumerate(iou) for pj, v in enumerate(row) if v == v]
    pairs.sort()
    used_gt = [False] * n_gt
    used_pred = [False] * n_pred
    matches = []
    limit = min(n_gt, n_pred)
    for neg, gi, pj in pairs:
        if used_gt[gi] or used_pred[pj]:
            continue
        used_gt[gi] = used_pred[pj] = True
        matches.append((gi, pj, iou[gi][pj]))
        if len(matches) == limit:
            return matches
    raise _Timeout


def _cluster_pair_tiou(gt, pred) -> float:
    loc_sum = 0.0
    for g in gt:
        loc_sum += max([compute_tiou(g, p) for p in pred] or [0.0])
    loc_acc = loc_sum / len(gt) if gt else 0.0
    count_penalty = 1.0 - abs(len(pred) - len(gt)) / max(len(gt), 1)
    return math.sqrt(loc_acc * max(0, count_penalty))


def _cluster_pair_siou(gt, pred, siou=None) -> float:
    siou = siou or compute_siou
    gt_by_f: dict = defaultdict(list)
    pred_by_f: dict = defaultdict(list)
    for f, box in gt:
        gt_by_f[f].append(box)
    for f, box in pred:
        pred_by_f[f].append(box)
    all_f = set(gt_by_f) | set(pred_by_f)  # iterated in the same order as VLMEvalKit's, for the same sum
    wcs = 0.0
    for f in all_f:
        gt_f = gt_by_f.get(f, [])
        pred_f = pred_by_f.get(f, [])
        if gt_f and pred_f:
            matrix = [[siou(g, p) for p in pred_f] for g in gt_f]
            loc_sum = sum([v for _, _, v in greedy_match(matrix)])
        else:
            loc_sum = 0  # sum([]) in VLMEvalKit
        loc_acc = loc_sum / len(gt_f) if gt_f else 0.0
        count_penalty = 1.0 - abs(len(pred_f) - len(gt_f)) / max(len(gt_f), 1)
        wcs += math.sqrt(loc_acc * max(0, count_penalty))
    return wcs / max(len(all_f), 1)


def _augmenting_path(nc, cost, u, v, path, row4col, spc, i, SR, SC, remaining):
    min_val = 0.0
    num_remaining = nc
    for it in range(nc):
        remaining[it] = nc - it - 1
    for k in range(len(SR)):
        SR[k] = False
    for k in range(nc):
        SC[k] = False
        spc[k] = math.inf
    sink = -1
    while sink == -1:
        index = -1
        lowest = math.inf
        SR[i] = True
        row = cost[i]
        ui = u[i]
        for it in range(num_remaining):
            j = remaining[it]
            r = min_val + row[j] - ui - v[j]
            if r < spc[j]:
                path[j] = i
                spc[j] = r
            if spc[j] < lowest or (spc[j] == lowest and row4col[j] == -1):
                lowest = spc[j]
                index = it
        min_val = lowest
        if min_val == math.inf:
            return -1, min_val
        j = remaining[index]
        if row4col[j] == -1:
            sink = j
        else:
            i = row4col[j]
        SC[j] = True
        num_remaining -= 1
        remaining[index] = remaining[num_remaining]
    return sink, min_val


def linear_sum_assignment(cost) -> tuple[list[int], list[int]]:
    """scipy's ``linear_sum_assignment`` (minimising; Crouse's shortest augmenting path, as in scipy's
    ``rectangular_lsap``), step for step in plain Python, so that ties pick the same pairs without importing
    scipy.optimize (0.3 s).  ``cost``: a list of rows or a 2-d array; returns (rows, cols) as scipy orders them.
    """
    cost = [[float(x) for x in row] for row in cost]
    nr = len(cost)
    nc = len(cost[0]) if nr else 0
    if nr == 0 or nc == 0:
        return [], []
    transpose = nc < nr
    if transpose:
        cost = [list(col) for col in zip(*cost)]
        nr, nc = nc, nr
    for row in cost:
        for x in row:
            if x != x or x == -math.inf:
                raise ValueError("matrix contains invalid numeric entries")
    u = [0.0] * nr
    v = [0.0] * nc
    spc = [math.inf] * nc
    path = [-1] * nc
    col4row = [-1] * nr
    row4col = [-1] * nc
    SR = [False] * nr
    SC = [False] * nc
    remaining = [0] * nc
    for cur in range(nr):
        sink, min_val = _augmenting_path(nc, cost, u, v, path, row4col, spc, cur, SR, SC, remaining)
        if sink < 0:
            raise ValueError("cost matrix is infeasible")
        u[cur] += min_val
        for i in range(nr):
            if SR[i] and i != cur:
                u[i] += min_val - spc[col4row[i]]
        for j in range(nc):
            if SC[j]:
                v[j] -= min_val - spc[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    if transpose:
        order = sorted(range(nr), key=lambda k: col4row[k])
        return [col4row[k] for k in order], order
    return list(range(nr)), col4row


def compute_wcs_unlabeled(gt_clusters, pred_clusters, iou_type: str, siou=None):
    """Hungarian matching of clusters on the pair scores; sum of matched scores / K.

    Returns None where VLMEvalKit's alarm would fire; raises where it raises
    (the caller then scores ``wcs = 0, ifa = 0``): K == 0, NaN scores, bad boxes.
    """
    pair = _cluster_pair_tiou if iou_type == "tIoU" else _cluster_pair_siou
    try:
        K, M = len(gt_clusters), len(pred_clusters)
        score_matrix = np.zeros((K, M))
        for i in range(K):
            for j in range(M):
                score_matrix[i, j] = (pair(gt_clusters[i], pred_clusters[j]) if iou_type == "tIoU"
                                      else pair(gt_clusters[i], pred_clusters[j], siou))
        row_ind, col_ind = linear_sum_assignment(-score_matrix)
        matched = [score_matrix[i, j] for i, j in zip(row_ind, col_ind)]
        return sum(matched) / K
    except _Timeout:
        return None


def _frame_index(clues: list[dict]) -> dict:
    """Timestamp -> frame position (order of first appearance), like the prompt's Frame1, Frame2, ..."""
    order: dict = {}
    for c in clues:
        ts = c["timestamp"]
        if ts not in order:
            order[ts] = len(order)
    return order


def _wcs_item(clue, category: str, response, siou=None) -> tuple[Any, float | None, int]:
    """``(parsed, wcs, ifa)`` of one white-box answer, as ``post_process`` scores it."""
    parsed, ok = parse_clues(response, category)
    if not ok:
        return parsed, 0, 0
    try:
        if category == "event":
            gt = [[float(e["start"]), float(e["end"])] for e in clue]
            wcs = compute_wcs_unlabeled([gt], [parsed], "tIoU")
        elif category == "object":
            frames = _frame_index(clue)
            gt = [(frames[c["timestamp"]], c["bbox"]) for c in clue]
            wcs = compute_wcs_unlabeled([gt], [parsed], "sIoU", siou)
        else:
            frames = _frame_index([c for cluster in clue for c in cluster])
            gt = [[(frames[c["timestamp"]], c["bbox"]) for c in cluster] for cluster in clue]
            wcs = compute_wcs_unlabeled(gt, list(parsed.values()), "sIoU", siou)
    except Exception:
        return parsed, 0, 0
    return parsed, (None if wcs is None else float(wcs)), 1


def _count_item(answer, response) -> tuple[float, int, int, float, float]:
    """``(pred, acc, oboa, err, err**2)`` of one black-box answer (response not empty)."""
    pred = parse_count(response)
    if pred is None:
        pred = 0.0
    gt = float(answer)
    diff = abs(gt - pred)
    acc = 1 if diff <= 1e-5 else 0
    oboa = 1 if diff <= 1 else 0
    if diff <= max(2 * gt, 100):
        err, err2 = diff, diff ** 2
    else:
        err, err2 = abs(gt * 2), abs(gt * 2) ** 2
    return pred, acc, oboa, err, err2


# --------------------------------------------------------------------------
# Records, scoring, report
# --------------------------------------------------------------------------

@dataclass
class ItemScore:
    """One (item, task mode).

    ``pred``: black box, the number scored (0.0 where unparsable); white box,
    what ``parse_clues`` made of the answer (None where it failed).  ``gt``:
    the answer, or the clue list.  ``acc``/``oboa``/``err`` are set for the
    black box, ``wcs``/``ifa`` for the white box; all of them are None for an
    item that compat mode leaves out (no prediction), and ``wcs`` alone is
    None where VLMEvalKit's alarm would fire.  ``raw``: the prediction text
    (None where missing).
    """

    index: int
    task_mode: str
    category: str
    type: str
    pred: Any
    gt: Any
    acc: int | None = None
    oboa: int | None = None
    err: float | None = None
    wcs: float | None = None
    ifa: int | None = None
    raw: str | None = None
    note: str = ""


@dataclass
class Report:
    metrics: dict[str, float]
    items: list[ItemScore]
    counts: dict[str, int] = field(default_factory=dict)
    """``<mode>/items`` lines expected, ``<mode>/missing`` without a prediction, ``<mode>/scored`` counted."""


def _check_record(rec, where: str, truth_size: int | None) -> tuple[int, str]:
    if not isinstance(rec, dict):
        raise PredictionError(f"{where}: expected a JSON object, got {type(rec).__name__}")
    missing = [k for k in REQUIRED_KEYS if k not in rec]
    if missing:
        raise PredictionError(f"{where}: missing key(s) {', '.join(repr(k) for k in missing)}")
    index, mode, pred = rec["index"], rec["task_mode"], rec["prediction"]
    if mode not in TASK_MODES:
        raise PredictionError(f"{where}: unknown task_mode {mode!r} (expected one of {', '.join(TASK_MODES)})")
    if isinstance(index, bool) or not isinstance(index, int):
        raise PredictionError(f"{where}: index must be an integer, got {index!r}")
    if truth_size is not None and not 0 <= index < truth_size:
        raise PredictionError(f"{where}: index {index} not in the truth (0..{truth_size - 1})")
    if pred is not None and not isinstance(pred, str):
        raise PredictionError(f"{where}: prediction must be a string or null, got {type(pred).__name__}")
    return index, mode


def load_predictions(path, truth_size: int | None = None) -> list[dict]:
    """Read a JSON Lines predictions file: one ``{"index", "task_mode", "prediction"}`` object a line.

    Blank lines are skipped.  Raises PredictionError naming the file and line
    for a line that is not UTF-8 or not JSON, not an object, lacks a key, has
    an unknown ``task_mode``, a non-integer ``index`` or one outside
    ``0..truth_size-1`` (when given), a prediction that is neither string nor
    null, or repeats an ``(index, task_mode)``.
    """
    path = Path(path)
    out: list[dict] = []
    seen: dict[tuple[int, str], int] = {}
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise PredictionError(f"{where}: not UTF-8 ({exc.reason})") from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PredictionError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
            key = _check_record(rec, where, truth_size)
            if key in seen:
                raise PredictionError(
                    f"{where}: duplicate (index {key[0]}, task_mode {key[1]!r}), first on line {seen[key]}")
            seen[key] = lineno
            out.append(rec)
    return out


def _pandas_mean(values: list) -> float:
    """``pd.Series(values).mean()`` bit for bit: NaN/None filled with 0, numpy's pairwise sum, / count."""
    arr = np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    mask = np.isnan(arr)
    count = arr.size - int(mask.sum())
    if count == 0:
        return float("nan")
    if mask.any():
        arr[mask] = 0.0
    return float(arr.sum(dtype=np.float64) / np.float64(count))


def _aggregate(rows: list[tuple[ItemScore, float | None]], prefix: str, mode: str, out: dict) -> None:
    if mode == "clue_acc":
        out[f"{prefix}{mode}/wcs"] = _pandas_mean([it.wcs for it, _ in rows])
        out[f"{prefix}{mode}/ifa"] = _pandas_mean([it.ifa for it, _ in rows])
        return
    out[f"{prefix}{mode}/acc"] = _pandas_mean([it.acc for it, _ in rows])
    out[f"{prefix}{mode}/oboa"] = _pandas_mean([it.oboa for it, _ in rows])
    out[f"{prefix}{mode}/mae"] = _pandas_mean([it.err for it, _ in rows])
    out[f"{prefix}{mode}/rmse"] = float(np.sqrt(_pandas_mean([e2 for _, e2 in rows])))


def score(truth: list[dict], predictions: Iterable[dict], *, vlmevalkit_compat: bool = False,
          excel_roundtrip: bool = False, int64_boxes: bool = False) -> Report:
    """Score predictions against the truth items (``cg-av-counting.json``'s list).

    ``index`` in a prediction is the item's position in ``truth`` (what
    VLMEvalKit's TSV assigns).  Predictions are validated as
    ``load_predictions`` does (PredictionError).  See the module docstring for
    ``vlmevalkit_compat`` and ``excel_roundtrip``.  ``int64_boxes``: box IoUs as VLMEvalKit's numpy arrays
    compute them (:func:`compute_siou_numpy`).
    """
    by_key: dict[tuple[int, str], Any] = {}
    for n, rec in enumerate(predictions):
        key = _check_record(rec, f"prediction #{n}", len(truth))
        if key in by_key:
            raise PredictionError(f"prediction #{n}: duplicate (index {key[0]}, task_mode {key[1]!r})")
        by_key[key] = rec["prediction"]
    modes = [m for m in TASK_MODES if any(k[1] == m for k in by_key)]

    items: list[ItemScore] = []
    metrics: dict[str, float] = {}
    counts: dict[str, int] = {}
    for mode in modes:
        dropped: list[tuple[ItemScore, float | None]] = []
        scored: list[tuple[ItemScore, float | None]] = []
        for index, t in enumerate(truth):
            raw = by_key.get((index, mode))
            if excel_roundtrip and raw is not None:
                raw = None if raw in _EXCEL_NA else raw[:_EXCEL_MAX_CHARS]
            category, typ = t.get("category"), t.get("type")
            gt = t["clue"] if mode == "clue_acc" else t["answer"]
            item = ItemScore(index=index, task_mode=mode, category=category, type=typ, pred=None, gt=gt, raw=raw)
            err2 = None
            if raw is None and vlmevalkit_compat:
                dropped.append((item, None))  # evaluate() keeps NaN rows apart and puts them first
                items.append(item)
                continue
            if not raw and vlmevalkit_compat:  # post_process: `if response:` is false
                if mode == "clue_acc":
                    item.wcs, item.ifa = 0, 0
                else:
                    item.acc, item.oboa, item.err, err2 = 0, 0, 0, 0
            elif mode == "clue_acc":
                item.pred, item.wcs, item.ifa = _wcs_item(gt, category, raw or "",
                                                          compute_siou_numpy if int64_boxes else None)
            else:
                item.pred, item.acc, item.oboa, item.err, err2 = _count_item(gt, raw or "")
            scored.append((item, err2))
            items.append(item)
        rows = dropped + scored
        counts[f"{mode}/items"] = len(truth)
        counts[f"{mode}/missing"] = sum(1 for it, _ in rows if it.raw is None)
        counts[f"{mode}/scored"] = len(scored)
        _aggregate(rows, "", mode, metrics)
        for attr, prefix in (("category", "by_category"), ("type", "by_type")):
            groups: dict = {}
            for row in rows:
                groups.setdefault(getattr(row[0], attr), []).append(row)
            for name in sorted(groups, key=str):
                _aggregate(groups[name], f"{prefix}/{name}/", mode, metrics)
    items.sort(key=lambda it: (TASK_MODES.index(it.task_mode), it.index))
    return Report(metrics=metrics, items=items, counts=counts)
