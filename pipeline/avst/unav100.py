"""The UnAV-100 annotation file, read strictly, and the lookup of a video file by its id.

The file (ActivityNet style)::

    {"database": {"<video id>": {"duration": 60.0, "subset": "train" | "validation" | "test",
                                  "annotations": [{"segment": [start, end], "label": "playing trombone"}, ...],
                                  ...}}}

Other keys (``url``, ``resolution``, ``fps``, ``label_id``...) are ignored. Events keep their file order.
Every problem raises :class:`FormatError` naming the video id and the field.

Segment ends past the duration
    UnAV-100 measured durations and marked segments with different tools, so some segments end a little after
    the video does. An end at most :data:`END_TOLERANCE` seconds past the duration is clamped to the duration;
    further past, or a start at or after the duration, is an error (the segment cannot belong to the video).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

__all__ = [
    "END_TOLERANCE",
    "SUBSETS",
    "VIDEO_EXTENSIONS",
    "FormatError",
    "UnavEvent",
    "UnavVideo",
    "find_video",
    "load",
    "loads",
]

#: Seconds a segment may end past the video's duration before it is an error; within it the end is clamped.
END_TOLERANCE = 1.0
SUBSETS = ("train", "validation", "test")
#: Looked for in this order, each as ``{id}{ext}`` and then ``v_{id}{ext}`` (some UnAV dumps prefix ``v_``).
VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".avi", ".mov")

# YouTube ids and the like; no path separators, so an id can never point outside the video directory.
_ID_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")


class FormatError(ValueError):
    """The annotation file does not follow the UnAV-100 format; the message names the video and the field."""


@dataclass(frozen=True)
class UnavEvent:
    start: float  # seconds, 0 <= start < end <= the video's duration
    end: float
    label: str


@dataclass(frozen=True)
class UnavVideo:
    video_id: str
    duration: float  # seconds, > 0
    subset: str  # one of SUBSETS
    events: tuple[UnavEvent, ...]


def load(path: str | PathLike) -> list[UnavVideo]:
    """Read an annotation file (videos in file order)."""
    return loads(Path(path).read_bytes())


def loads(text: str | bytes) -> list[UnavVideo]:
    """Parse an annotation file's text."""
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as e:  # JSONDecodeError, UnicodeDecodeError and NaN/Infinity are all ValueErrors
        raise FormatError(f"not valid JSON: {e}") from None
    if not isinstance(data, dict) or "database" not in data:
        raise FormatError('expected a JSON object with a "database" key')
    database = data["database"]
    if not isinstance(database, dict):
        raise FormatError('"database" must be an object mapping video ids to videos')
    return [_video(video_id, value) for video_id, value in database.items()]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _video(video_id: str, value: Any) -> UnavVideo:
    at = f"video {video_id!r}"
    if not _ID_RE.fullmatch(video_id):
        raise FormatError(f"{at}: an id is letters, digits, '_', '-' and '.', not starting with '.'")
    if not isinstance(value, dict):
        raise FormatError(f"{at}: expected an object")
    for key in ("duration", "subset", "annotations"):
        if key not in value:
            raise FormatError(f"{at}: missing {key!r}")
    duration = value["duration"]
    if not _is_number(duration) or not duration > 0:
        raise FormatError(f"{at}: 'duration' must be a positive number of seconds, got {duration!r}")
    duration = float(duration)
    subset = value["subset"]
    # Some copies of the file write "Train"/"Validation"; the split is the same.
    if not isinstance(subset, str) or subset.lower() not in SUBSETS:
        raise FormatError(f"{at}: 'subset' must be one of {', '.join(SUBSETS)}, got {subset!r}")
    annotations = value["annotations"]
    if not isinstance(annotations, list):
        raise FormatError(f"{at}: 'annotations' must be a list")
    events = tuple(_event(f"{at} annotations[{i}]", item, duration) for i, item in enumerate(annotations))
    return UnavVideo(video_id=video_id, duration=duration, subset=subset.lower(), events=events)


def _event(at: str, item: Any, duration: float) -> UnavEvent:
    if not isinstance(item, dict):
        raise FormatError(f"{at}: expected an object with 'segment' and 'label'")
    if "segment" not in item:
        raise FormatError(f"{at}: missing 'segment'")
    if "label" not in item:
        raise FormatError(f"{at}: missing 'label'")
    segment = item["segment"]
    if not isinstance(segment, list) or len(segment) != 2 or not all(_is_number(v) for v in segment):
        raise FormatError(f"{at}: 'segment' must be [start, end], two numbers, got {segment!r}")
    start, end = float(segment[0]), float(segment[1])
    if start < 0:
        raise FormatError(f"{at}: 'segment' start {start!r} is negative")
    if start >= end:
        raise FormatError(f"{at}: 'segment' start {start!r} is not before its end {end!r}")
    if start >= duration:
        raise FormatError(f"{at}: 'segment' start {start!r} is at or after the end of the video ({duration!r} s)")
    if end > duration + END_TOLERANCE:
        raise FormatError(
            f"{at}: 'segment' end {end!r} is more than {END_TOLERANCE:g} s after the end of the video ({duration!r} s)"
        )
    label = item["label"]
    if not isinstance(label, str) or not label.strip():
        raise FormatError(f"{at}: 'label' must be a non-empty string, got {label!r}")
    return UnavEvent(start=start, end=min(end, duration), label=label.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def find_video(directory: str | PathLike, video_id: str) -> Path | None:
    """The video file of ``video_id`` in ``directory`` (not searched recursively), or ``None``.

    Tries ``{id}{ext}`` then ``v_{id}{ext}`` for each of :data:`VIDEO_EXTENSIONS` in order, so an id with both an
    ``.mp4`` and a ``.webm`` gives the ``.mp4``.
    """
    if not _ID_RE.fullmatch(video_id):
        raise ValueError(f"{video_id!r} is not a video id (letters, digits, '_', '-', '.')")
    folder = Path(directory)
    for ext in VIDEO_EXTENSIONS:
        for stem in (video_id, f"v_{video_id}"):
            candidate = folder / f"{stem}{ext}"
            if candidate.is_file():
                return candidate
    return None
