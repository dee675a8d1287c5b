"""The CG-AV-Counting release format: ``cg-av-counting.json``.

The contract is ``/work/shared/formats/cg-av-counting/FORMAT.md``; items are
plain dicts (what ``json.load`` gives), built here, validated, and dumped to
bytes that do not change when the same selection is exported again.

Decisions
---------
* **Key order** of every item (:data:`KEY_ORDER`): ``index, video, question,
  question_en, answer, type, category, query_interval, clue``.  ``question``
  and ``question_en`` hold the same text (older releases only have
  ``question_en``; the public tools read either).  Keys an imported item has
  beyond these are kept, after them, in their own order.
* **Seconds** (``query_interval``, event ``start`` / ``end``) are rounded to
  3 decimals (milliseconds) and written as floats (``12.0``, not ``12``).  A
  reference clip must be cut from, and named after, the interval *as written*
  (``pipeline.media.clips.clip_name(video, *item["query_interval"])``).
* **Object timestamps** are the mid-frame time ``(i + 0.5) / fps`` of the
  annotated frame ``i``, rounded to 6 decimals (:data:`TIMESTAMP_DECIMALS`):
  ``int(t * fps) == i`` holds for every frame of any video shorter than about
  a day at up to 240 fps (the rounding moves ``t * fps`` by at most
  ``0.5e-6 * fps``, far from the half frame of slack);
  :func:`object_clue` checks it for every timestamp it writes.
* **Boxes** ``[x_min, y_min, x_max, y_max]`` are pixels of the 720p video,
  put in min/max order and rounded to 1 decimal (:data:`BOX_DECIMALS`), always
  written as floats (``100.0``).
* **Clue order** is canonical so that re-exports are byte-identical whatever
  order the database returned: events by ``(start, end)``, objects by
  ``(timestamp, bbox)``, inside each attribute cluster the same, and clusters
  by their first object.
* **Counts**: ``answer == len(clue)`` for every category; for ``attribute``
  ``clue`` is the list of clusters, one per counted attribute value, so the
  answer is the number of clusters (each non-empty).
* **JSON**: ``json.dumps(items, ensure_ascii=False, indent=2,
  allow_nan=False)`` plus a final newline, UTF-8.

Plain Python: nothing under ``benchmark.formats`` imports Django.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional, Union

from pipeline.media.files import write_bytes_atomic

__all__ = [
    "KEY_ORDER",
    "TYPES",
    "CATEGORIES",
    "SECONDS_DECIMALS",
    "TIMESTAMP_DECIMALS",
    "BOX_DECIMALS",
    "FILE_NAME",
    "FormatError",
    "seconds",
    "mid_frame_time",
    "event_clue",
    "object_clue",
    "attribute_clue",
    "build_item",
    "validate_items",
    "dump",
    "save",
    "load",
    "loads",
]

PathLike = Union[str, "os.PathLike[str]"]

#: The release's question file name.
FILE_NAME = "cg-av-counting.json"

#: Key order of every item written.
KEY_ORDER = ("index", "video", "question", "question_en", "answer", "type", "category", "query_interval", "clue")

#: Query modalities.
TYPES = ("V", "A", "V2A", "A2V", "AV")

#: Counting targets.
CATEGORIES = ("event", "object", "attribute")

SECONDS_DECIMALS = 3
TIMESTAMP_DECIMALS = 6
BOX_DECIMALS = 1

#: Tolerance (seconds) for "clue inside the query interval": one millisecond
#: of rounding plus, for object timestamps, the half frame of a mid-frame time.
_INTERVAL_SLACK = 1e-3


class FormatError(ValueError):
    """A question file does not have the CG-AV-Counting shape; the message names the item and field."""


# -- numbers -------------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _round(x: float, decimals: int) -> float:
    value = round(float(x), decimals)
    return 0.0 if value == 0 else value  # no "-0.0"


def seconds(x: float) -> float:
    """Seconds as written: a float rounded to :data:`SECONDS_DECIMALS` decimals."""
    if not _is_number(x):
        raise ValueError(f"seconds must be a finite number, got {x!r}")
    return _round(x, SECONDS_DECIMALS)


def mid_frame_time(frame_index: int, fps: float) -> float:
    """``(frame_index + 0.5) / fps`` rounded to :data:`TIMESTAMP_DECIMALS` decimals.

    Raises ``ValueError`` if ``int(t * fps)`` would not give ``frame_index``
    back (it always does for realistic videos; the check guards the rule).
    """
    if not _is_int(frame_index) or frame_index < 0:
        raise ValueError(f"frame index must be a whole number >= 0, got {frame_index!r}")
    if not _is_number(fps) or fps <= 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}")
    t = _round((frame_index + 0.5) / fps, TIMESTAMP_DECIMALS)
    if int(t * fps) != frame_index:  # pragma: no cover - needs a video of days at hundreds of fps
        raise ValueError(f"frame {frame_index} at {fps!r} fps has no exact {TIMESTAMP_DECIMALS}-decimal timestamp")
    return t


# -- clues ---------------------------------------------------------------------------


def event_clue(start: float, end: float) -> dict[str, float]:
    """``{"start": s, "end": e}`` in seconds (3 decimals); needs ``0 <= start < end``."""
    s, e = seconds(start), seconds(end)
    if s < 0:
        raise ValueError(f"event start must not be negative, got {start!r}")
    if e <= s:
        raise ValueError(f"event end ({end!r}) must be after its start ({start!r})")
    return {"start": s, "end": e}


def _box(box: Sequence[float]) -> list[float]:
    if isinstance(box, (str, bytes)) or not isinstance(box, Sequence) or len(box) != 4:
        raise ValueError(f"a box is 4 numbers [x_min, y_min, x_max, y_max], got {box!r}")
    if not all(_is_number(v) for v in box):
        raise ValueError(f"box coordinates must be finite numbers, got {list(box)!r}")
    x1, y1, x2, y2 = (float(v) for v in box)
    x1, x2 = sorted((x1, x2))
    y1, y2 = sorted((y1, y2))
    out = [_round(v, BOX_DECIMALS) for v in (x1, y1, x2, y2)]
    if out[2] <= out[0] or out[3] <= out[1]:
        raise ValueError(f"box {list(box)!r} has no area")
    return out


def object_clue(frame_index: int, fps: float, box: Sequence[float]) -> dict[str, Any]:
    """``{"timestamp": (i + 0.5) / fps, "bbox": [x_min, y_min, x_max, y_max]}``.

    ``frame_index`` is the annotated frame of the 720p video (the truth: the
    evaluators read frame ``int(timestamp * fps)``, which gives it back);
    ``box`` is in that video's pixels, reordered to min/max and rounded to one
    decimal.
    """
    return {"timestamp": mid_frame_time(frame_index, fps), "bbox": _box(box)}


def _object_key(entry: Mapping[str, Any]) -> tuple:
    return (entry["timestamp"], tuple(entry["bbox"]))


def attribute_clue(clusters: Iterable[Iterable[Mapping[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Clusters of :func:`object_clue` entries (one cluster per counted attribute value), in canonical order."""
    out: list[list[dict[str, Any]]] = []
    for k, cluster in enumerate(clusters):
        entries = [{"timestamp": e["timestamp"], "bbox": list(e["bbox"])} for e in cluster]
        if not entries:
            raise ValueError(f"attribute cluster {k} is empty")
        out.append(sorted(entries, key=_object_key))
    out.sort(key=lambda c: [_object_key(e) for e in c])
    return out


def _canonical_clue(category: str, clue: Any) -> list:
    if isinstance(clue, (str, bytes, Mapping)) or not isinstance(clue, Iterable):
        raise ValueError(f"clue must be a list, got {type(clue).__name__}")
    try:
        return _canonical_clue_entries(category, clue)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"malformed {category} clue: {exc!r}") from None


def _canonical_clue_entries(category: str, clue: Any) -> list:
    if category == "event":
        entries = [{"start": seconds(e["start"]), "end": seconds(e["end"])} for e in clue]
        return sorted(entries, key=lambda e: (e["start"], e["end"]))
    if category == "object":
        entries = [_written_object(e) for e in clue]
        return sorted(entries, key=_object_key)
    return attribute_clue([[_written_object(e) for e in cluster] for cluster in clue])


def _written_object(entry: Mapping[str, Any]) -> dict[str, Any]:
    """An object entry as written: timestamp to :data:`TIMESTAMP_DECIMALS` decimals, box by :func:`_box`."""
    t = entry["timestamp"]
    if not _is_number(t) or t < 0:
        raise ValueError(f"timestamp must be a finite number >= 0, got {t!r}")
    return {"timestamp": _round(t, TIMESTAMP_DECIMALS), "bbox": _box(entry["bbox"])}


# -- items -----------------------------------------------------------------------------


def build_item(
    *,
    index: int,
    video: str,
    question: str,
    answer: int,
    type: str,  # noqa: A002 - the field's name in the format
    category: str,
    query_interval: Sequence[float],
    clue: Sequence[Any],
) -> dict[str, Any]:
    """One question item with the keys in :data:`KEY_ORDER` (``question_en`` = ``question``).

    ``clue`` is a list of :func:`event_clue` / :func:`object_clue` entries,
    or for ``attribute`` a list of clusters of :func:`object_clue` entries;
    it is put in canonical order.  The interval is rounded to milliseconds.
    Raises ``ValueError`` for a wrong type, category or interval; the counts
    are checked by :func:`validate_items`.
    """
    if not _is_int(index) or index < 0:
        raise ValueError(f"index must be a whole number >= 0, got {index!r}")
    if not isinstance(video, str) or not video:
        raise ValueError(f"video must be a file name, got {video!r}")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("question must be a non-empty string")
    if not _is_int(answer) or answer < 0:
        raise ValueError(f"answer must be a whole number >= 0, got {answer!r}")
    if type not in TYPES:
        raise ValueError(f"type must be one of {', '.join(TYPES)}, got {type!r}")
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}, got {category!r}")
    if isinstance(query_interval, (str, bytes)) or len(query_interval) != 2:
        raise ValueError(f"query_interval must be [start, end], got {query_interval!r}")
    start, end = seconds(query_interval[0]), seconds(query_interval[1])
    if start < 0 or end <= start:
        raise ValueError(f"query_interval must satisfy 0 <= start < end, got {list(query_interval)!r}")
    return {
        "index": index,
        "video": video,
        "question": question,
        "question_en": question,
        "answer": answer,
        "type": type,
        "category": category,
        "query_interval": [start, end],
        "clue": _canonical_clue(category, clue),
    }


def _ordered(item: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: item[k] for k in KEY_ORDER if k in item}
    out.update((k, v) for k, v in item.items() if k not in out)
    return out


# -- validation ------------------------------------------------------------------------


def _check_box(where: str, box: Any, size: Optional[tuple[int, int]], errors: list[str]) -> None:
    if not isinstance(box, list) or len(box) != 4 or not all(_is_number(v) for v in box):
        errors.append(f"{where}: bbox must be 4 numbers, got {box!r}")
        return
    x1, y1, x2, y2 = box
    if x2 <= x1 or y2 <= y1:
        errors.append(f"{where}: bbox {box} is not [x_min, y_min, x_max, y_max] with x_min < x_max and y_min < y_max")
    if min(box) < 0:
        errors.append(f"{where}: bbox {box} has a negative coordinate")
    if size is not None:
        w, h = size
        if x2 > w or y2 > h:
            errors.append(f"{where}: bbox {box} reaches outside the {w}x{h} frame")


def _check_object(
    where: str,
    entry: Any,
    interval: Optional[tuple[float, float]],
    fps: Optional[float],
    size: Optional[tuple[int, int]],
    errors: list[str],
) -> None:
    if not isinstance(entry, dict) or set(entry) != {"timestamp", "bbox"}:
        errors.append(f"{where}: an object clue is {{\"timestamp\", \"bbox\"}}, got {entry!r}")
        return
    t = entry["timestamp"]
    if not _is_number(t) or t < 0:
        errors.append(f"{where}: timestamp must be a number >= 0, got {t!r}")
    else:
        if interval is not None and not (interval[0] - _INTERVAL_SLACK <= t <= interval[1] + _INTERVAL_SLACK):
            errors.append(f"{where}: timestamp {t} lies outside the query interval {list(interval)}")
        if fps is not None:
            i = int(t * fps)
            if abs(t - mid_frame_time(i, fps)) > 0.5 * 10**-TIMESTAMP_DECIMALS:
                errors.append(
                    f"{where}: timestamp {t} is not the mid-frame time of frame {i} at {fps:g} fps "
                    f"(expected {mid_frame_time(i, fps)})"
                )
    _check_box(where, entry["bbox"], size, errors)


def validate_items(
    items: Sequence[Mapping[str, Any]],
    *,
    video_fps: Optional[Mapping[str, float]] = None,
    video_sizes: Optional[Mapping[str, tuple[int, int]]] = None,
) -> list[str]:
    """Every problem found in ``items``, as messages ``"item <n> (index <i>): <field>: ..."``; empty when valid.

    Checks the fields' types and values, ``answer == len(clue)`` (clusters for
    ``attribute``), ``0 <= start < end`` for the interval and each event,
    clues inside the query interval, boxes ordered, non-negative and (with
    ``video_sizes``: video file name -> ``(width, height)``) inside the frame,
    ``question == question_en`` when both are present, unique ``index``
    values; with ``video_fps`` (video file name -> fps) every object
    timestamp must be the mid-frame time of a frame.
    """
    errors: list[str] = []
    seen_index: dict[int, int] = {}
    for n, item in enumerate(items):
        label = f"item {n}" + (f" (index {item.get('index')})" if isinstance(item, Mapping) and "index" in item else "")
        if not isinstance(item, Mapping):
            errors.append(f"{label}: must be a JSON object, got {type(item).__name__}")
            continue
        err = errors.append

        index = item.get("index")
        if "index" in item:
            if not _is_int(index) or index < 0:
                err(f"{label}: index must be a whole number >= 0, got {index!r}")
            elif index in seen_index:
                err(f"{label}: index {index} is also used by item {seen_index[index]}")
            else:
                seen_index[index] = n

        video = item.get("video")
        if not isinstance(video, str) or not video:
            err(f"{label}: video must be a file name, got {video!r}")
            video = None

        q, q_en = item.get("question"), item.get("question_en")
        if q is None and q_en is None:
            err(f"{label}: question is missing")
        for field, value in (("question", q), ("question_en", q_en)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                err(f"{label}: {field} must be a non-empty string, got {value!r}")
        if isinstance(q, str) and isinstance(q_en, str) and q != q_en:
            err(f"{label}: question and question_en differ")

        answer = item.get("answer")
        if not _is_int(answer) or answer < 0:
            err(f"{label}: answer must be a whole number >= 0, got {answer!r}")
            answer = None
        if item.get("type") not in TYPES:
            err(f"{label}: type must be one of {', '.join(TYPES)}, got {item.get('type')!r}")
        category = item.get("category")
        if category not in CATEGORIES:
            err(f"{label}: category must be one of {', '.join(CATEGORIES)}, got {category!r}")

        interval: Optional[tuple[float, float]] = None
        qi = item.get("query_interval")
        if not isinstance(qi, list) or len(qi) != 2 or not all(_is_number(v) for v in qi):
            err(f"{label}: query_interval must be [start, end] in seconds, got {qi!r}")
        elif not 0 <= qi[0] < qi[1]:
            err(f"{label}: query_interval {qi} must satisfy 0 <= start < end")
        else:
            interval = (qi[0], qi[1])

        fps = video_fps.get(video) if (video_fps is not None and video is not None) else None
        if video_fps is not None and video is not None and fps is None:
            err(f"{label}: video: no fps known for {video!r}")
        size = video_sizes.get(video) if (video_sizes is not None and video is not None) else None
        if video_sizes is not None and video is not None and size is None:
            err(f"{label}: video: no frame size known for {video!r}")

        clue = item.get("clue")
        if not isinstance(clue, list):
            err(f"{label}: clue must be a list, got {type(clue).__name__}")
            continue
        if answer is not None and category in CATEGORIES and answer != len(clue):
            what = "clusters" if category == "attribute" else "clue entries"
            err(f"{label}: answer is {answer} but there are {len(clue)} {what}")
        for k, entry in enumerate(clue):
            where = f"{label}: clue[{k}]"
            if category == "event":
                if not isinstance(entry, dict) or set(entry) != {"start", "end"}:
                    err(f"{where}: an event clue is {{\"start\", \"end\"}}, got {entry!r}")
                    continue
                s, e = entry["start"], entry["end"]
                if not _is_number(s) or not _is_number(e):
                    err(f"{where}: start and end must be numbers, got {s!r}, {e!r}")
                elif not 0 <= s < e:
                    err(f"{where}: event {s}-{e} must satisfy 0 <= start < end")
                elif interval is not None and (
                    s < interval[0] - _INTERVAL_SLACK or e > interval[1] + _INTERVAL_SLACK
                ):
                    err(f"{where}: event {s}-{e} lies outside the query interval {list(interval)}")
            elif category == "object":
                _check_object(where, entry, interval, fps, size, errors)
            elif category == "attribute":
                if not isinstance(entry, list) or not entry:
                    err(f"{where}: an attribute cluster is a non-empty list of object clues, got {entry!r}")
                    continue
                for m, obj in enumerate(entry):
                    _check_object(f"{where}[{m}]", obj, interval, fps, size, errors)
    return errors


# -- reading and writing ------------------------------------------------------------------


def dump(items: Iterable[Mapping[str, Any]]) -> bytes:
    """The question file's bytes: keys in :data:`KEY_ORDER`, indent 2, UTF-8 (not escaped), final newline.

    Deterministic: the same items always give the same bytes.  Raises
    ``ValueError`` for NaN or infinite numbers.
    """
    text = json.dumps([_ordered(item) for item in items], ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def save(path: PathLike, items: Iterable[Mapping[str, Any]]) -> Path:
    """Write :func:`dump` of ``items`` to ``path`` atomically (temporary file + rename)."""
    return write_bytes_atomic(path, dump(items))


def _shape_error(n: int, item: Any, field: str, message: str) -> FormatError:
    idx = item.get("index") if isinstance(item, dict) else None
    label = f"item {n}" + (f" (index {idx})" if idx is not None else "")
    return FormatError(f"{label}: {field}: {message}")


def _normalise_loaded(n: int, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise FormatError(f"item {n}: must be a JSON object, got {type(item).__name__}")

    def fail(field: str, message: str) -> FormatError:
        return _shape_error(n, item, field, message)

    item = dict(item)
    if "question" not in item and "question_en" not in item:
        raise fail("question", "missing (neither 'question' nor 'question_en' is present)")
    if "question" not in item:
        item["question"] = item["question_en"]
    if "question_en" not in item:
        item["question_en"] = item["question"]
    for field in ("question", "question_en"):
        if not isinstance(item[field], str):
            raise fail(field, f"must be a string, got {type(item[field]).__name__}")
    if "index" not in item:
        item["index"] = n
    elif not _is_int(item["index"]):
        raise fail("index", f"must be a whole number, got {item['index']!r}")
    for field in ("video", "answer", "type", "category", "query_interval", "clue"):
        if field not in item:
            raise fail(field, "missing")
    if not isinstance(item["video"], str):
        raise fail("video", f"must be a string, got {item['video']!r}")
    if not _is_int(item["answer"]):
        if _is_number(item["answer"]) and float(item["answer"]).is_integer():
            item["answer"] = int(item["answer"])
        else:
            raise fail("answer", f"must be a whole number, got {item['answer']!r}")
    for field in ("type", "category"):
        if not isinstance(item[field], str):
            raise fail(field, f"must be a string, got {item[field]!r}")
    if item["category"] not in CATEGORIES:
        raise fail("category", f"must be one of {', '.join(CATEGORIES)}, got {item['category']!r}")
    qi = item["query_interval"]
    if not isinstance(qi, list) or len(qi) != 2 or not all(_is_number(v) for v in qi):
        raise fail("query_interval", f"must be [start, end] in seconds, got {qi!r}")
    clue = item["clue"]
    if not isinstance(clue, list):
        raise fail("clue", f"must be a list, got {type(clue).__name__}")

    def check_object(where: str, entry: Any) -> None:
        if not isinstance(entry, dict) or "timestamp" not in entry or "bbox" not in entry:
            raise fail(where, f"an object clue needs 'timestamp' and 'bbox', got {entry!r}")
        if not _is_number(entry["timestamp"]):
            raise fail(where + ".timestamp", f"must be a number, got {entry['timestamp']!r}")
        box = entry["bbox"]
        if not isinstance(box, list) or len(box) != 4 or not all(_is_number(v) for v in box):
            raise fail(where + ".bbox", f"must be 4 numbers, got {box!r}")

    for k, entry in enumerate(clue):
        where = f"clue[{k}]"
        if item["category"] == "event":
            if not isinstance(entry, dict) or "start" not in entry or "end" not in entry:
                raise fail(where, f"an event clue needs 'start' and 'end', got {entry!r}")
            for key in ("start", "end"):
                if not _is_number(entry[key]):
                    raise fail(f"{where}.{key}", f"must be a number, got {entry[key]!r}")
        elif item["category"] == "object":
            check_object(where, entry)
        else:
            if not isinstance(entry, list):
                raise fail(where, f"an attribute cluster must be a list of object clues, got {entry!r}")
            for m, obj in enumerate(entry):
                check_object(f"{where}[{m}]", obj)
    return _ordered(item)


def loads(data: Union[str, bytes]) -> list[dict[str, Any]]:
    """Parse a question file's text; see :func:`load`."""
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FormatError(f"not valid JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise FormatError(f"the file must hold a JSON list of items, not {type(raw).__name__}")
    return [_normalise_loaded(n, item) for n, item in enumerate(raw)]


def load(path: PathLike) -> list[dict[str, Any]]:
    """Read ``cg-av-counting.json`` (this project's or a public release's).

    Accepts older files with only ``question_en`` (or only ``question``): the
    other is filled in with the same text; a missing ``index`` becomes the
    position.  Numbers are kept as written.  Items come back with their keys
    in :data:`KEY_ORDER`, so ``dump(load(p))`` is canonical.  Raises
    :class:`FormatError` naming the item and field for a wrong shape (missing
    field, wrong type); use :func:`validate_items` for the content rules.
    """
    with open(path, "rb") as fh:
        return loads(fh.read())
