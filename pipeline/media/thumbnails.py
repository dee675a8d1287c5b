"""A sprite of timeline thumbnails for a proxy video.

:func:`thumbnail_strip` writes ONE JPEG holding ``n`` thumbnails, all
``thumb_width`` x ``thumb_height``, laid out row by row, left to right, at
most :data:`MAX_COLUMNS` to a row: tile ``k`` has its top-left corner at
``((k % columns) * thumb_width, (k // columns) * thumb_height)``.  The
sprite is ``columns * thumb_width`` wide and ``rows * thumb_height`` high;
tiles after the last one in the bottom row are black.

It returns the index the timeline needs (JSON-safe)::

    {"thumb_width": 160, "thumb_height": 90, "columns": 10, "rows": 4,
     "times": [0.0, 10.0, ...], "frame_indices": [0, 250, ...]}

``times[k]`` is the presentation time (seconds) of the frame shown in tile
``k`` and ``frame_indices[k]`` its index; both strictly increase.  The tile
for time ``t`` is the last ``k`` with ``times[k] <= t`` (the first tile
before ``times[0]``, which is 0 in practice).

Speed: thumbnail ``k`` samples time ``k * interval`` and shows the keyframe
at or before it when that keyframe is at most half an interval earlier,
which with a keyframe every second (proxies) is always so for intervals of
2 s and more: one seek and one keyframe decode per thumbnail (non-key
frames are skipped by the decoder), so an hour of 720p takes seconds.  For
denser strips the exact frame is decoded where no keyframe is close enough.

Frame indices are computed from pts assuming a constant frame rate, which
proxies have.  Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import bisect
import math
import os
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator, Optional, Union

import av
import numpy as np
from PIL import Image

from .files import atomic_path

__all__ = ["MAX_THUMBNAILS", "MAX_COLUMNS", "DEFAULT_EVERY_SECONDS", "thumbnail_strip"]

#: At most this many thumbnails in a strip.
MAX_THUMBNAILS = 200
#: At most this many thumbnails in a row of the sprite.
MAX_COLUMNS = 10
#: With neither ``count`` nor ``every_seconds``: one thumbnail per this many seconds.
DEFAULT_EVERY_SECONDS = 10.0


def thumbnail_strip(
    proxy_path: Union[str, os.PathLike],
    out_jpeg: Union[str, os.PathLike],
    *,
    count: Optional[int] = None,
    every_seconds: Optional[float] = None,
    thumb_height: int = 90,
    quality: int = 80,
) -> dict[str, Any]:
    """Write the thumbnail sprite of ``proxy_path`` to ``out_jpeg``; return its index.

    Give at most one of ``count`` (1 to :data:`MAX_THUMBNAILS` thumbnails
    spread evenly over the video) and ``every_seconds`` (one per that many
    seconds, at most :data:`MAX_THUMBNAILS`: the interval grows when the
    video is too long).  Neither: one per :data:`DEFAULT_EVERY_SECONDS`
    seconds.  There is always at least one thumbnail, and never more than
    the video has frames.  ``out_jpeg`` is written atomically.
    """
    if count is not None and every_seconds is not None:
        raise ValueError("give either count or every_seconds, not both")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_THUMBNAILS):
        raise ValueError(f"count must be a whole number from 1 to {MAX_THUMBNAILS}, got {count!r}")
    if every_seconds is not None and (
        isinstance(every_seconds, bool)
        or not isinstance(every_seconds, (int, float))
        or not math.isfinite(every_seconds)
        or every_seconds <= 0
    ):
        raise ValueError(f"every_seconds must be a positive number, got {every_seconds!r}")
    if isinstance(thumb_height, bool) or not isinstance(thumb_height, int) or not 8 <= thumb_height <= 2160:
        raise ValueError(f"thumb_height must be a whole number of pixels from 8 to 2160, got {thumb_height!r}")
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be a whole number from 1 to 100, got {quality!r}")

    with av.open(os.fspath(proxy_path), mode="r") as container:
        if not container.streams.video:
            raise ValueError(f"{os.fspath(proxy_path)} has no video stream")
        stream = container.streams.video[0]
        # One keyframe per seek: slice threads give it sooner than frame threads,
        # which must fill their pipeline after every seek.
        stream.thread_type = "SLICE"
        grabber = _Grabber(container, stream)

        n_frames = grabber.frame_count
        rate = grabber.rate
        duration = Fraction(n_frames) / rate
        if count is not None:
            n = count
            step = Fraction(n_frames, n)
        else:
            every = Fraction(every_seconds if every_seconds is not None else DEFAULT_EVERY_SECONDS)
            n = max(1, math.ceil(duration / every))
            step = every * rate
            if n > MAX_THUMBNAILS:
                n = MAX_THUMBNAILS
                step = Fraction(n_frames, n)
        if n >= n_frames:
            n, step = n_frames, Fraction(1)
        # step is in frames and at least 1, so the targets are distinct frames.
        targets = [min(n_frames - 1, math.floor(k * step)) for k in range(n)]

        tw, th = grabber.thumb_size(thumb_height)
        columns = min(n, MAX_COLUMNS)
        rows = math.ceil(n / columns)
        sprite = np.zeros((rows * th, columns * tw, 3), dtype=np.uint8)
        tolerance = math.floor(step / 2)
        times: list[float] = []
        indices: list[int] = []
        prev = -1
        for k, target in enumerate(targets):
            frame, index = grabber.grab(target, tolerance, prev)
            tile = frame.to_ndarray(width=tw, height=th, format="rgb24", interpolation="AREA")
            r, c = divmod(k, columns)
            sprite[r * th : (r + 1) * th, c * tw : (c + 1) * tw] = tile
            times.append(grabber.time_of(frame))
            indices.append(index)
            prev = index

    _write_jpeg_atomic(sprite, Path(out_jpeg), quality)
    return {
        "thumb_width": tw,
        "thumb_height": th,
        "columns": columns,
        "rows": rows,
        "times": times,
        "frame_indices": indices,
    }


class _Grabber:
    """Seeks and decodes single frames of one open video stream."""

    def __init__(self, container: Any, stream: Any) -> None:
        self.container = container
        self.stream = stream
        self.time_base = Fraction(stream.time_base)
        rate = stream.average_rate or stream.guessed_rate or stream.base_rate
        if not rate:
            raise ValueError("cannot tell the frame rate of the video")
        self.rate = Fraction(rate)
        self.start = stream.start_time or 0
        self.frame_pts = 1 / (self.rate * self.time_base)  # pts per frame
        frames = stream.frames
        if not frames:
            if stream.duration:
                frames = round(stream.duration * self.time_base * self.rate)
            elif container.duration:
                frames = round(Fraction(container.duration, av.time_base) * self.rate)
        if not frames:
            raise ValueError("cannot tell how many frames the video has")
        self.frame_count = int(frames)
        self.keyframes = self._keyframe_table()
        # An exact decode that may go on: its frame generator and last index.
        self._frames: Optional[Iterator[Any]] = None
        self._last = -1

    def _keyframe_table(self) -> Optional[list[int]]:
        """Frame indices of the keyframes, from the demuxer's index (no reading).

        The MP4 index lists the samples in decode order; with closed GOPs
        (x264's IDR keyframes) a keyframe's rank there is its frame index.
        ``None`` where the container has no complete index.
        """
        entries = [e for e in self.stream.index_entries if not e.is_discard]
        if len(entries) != self.frame_count:
            return None
        return [i for i, e in enumerate(entries) if e.is_keyframe] or None

    def thumb_size(self, height: int) -> tuple[int, int]:
        cc = self.stream.codec_context
        sar = cc.sample_aspect_ratio or Fraction(1)
        width = max(1, round(Fraction(height) * cc.width * Fraction(sar) / cc.height))
        return width, height

    def index_of(self, frame: Any) -> int:
        return round((frame.pts - self.start) / self.frame_pts)

    def time_of(self, frame: Any) -> float:
        return float((frame.pts - self.start) * self.time_base)

    def grab(self, target: int, tolerance: int, after: int) -> tuple[Any, int]:
        """The keyframe at or before ``target`` where it is at most ``tolerance``
        frames before it and after frame ``after``; else frame ``target`` itself."""
        keyframe: Optional[int] = None
        if self.keyframes is not None:
            keyframe = self.keyframes[bisect.bisect_right(self.keyframes, target) - 1]
        if keyframe is None or (target - tolerance <= keyframe and keyframe > after):
            frame, index = self._keyframe_at_or_before(target)
            if frame is not None and target - tolerance <= index <= target and index > after:
                return frame, index
        return self._exact(target, keyframe)

    def _seek(self, index: int, skip: str) -> None:
        self._stop()
        self.stream.codec_context.skip_frame = skip
        pts = self.start + round(index * self.frame_pts)
        self.container.seek(pts, stream=self.stream, backward=True, any_frame=False)

    def _stop(self) -> None:
        if self._frames is not None:
            self._frames.close()
        self._frames = None
        self._last = -1

    def _decoded(self) -> Iterator[Any]:
        for packet in self.container.demux(self.stream):
            for frame in packet.decode():
                if frame.pts is not None:
                    yield frame

    def _keyframe_at_or_before(self, index: int) -> tuple[Any, int]:
        """The first frame after seeking back from ``index`` with non-key frames skipped."""
        self._seek(index, "NONKEY")
        frames = self._decoded()
        try:
            frame = next(frames, None)
        finally:
            frames.close()
        return (frame, self.index_of(frame)) if frame is not None else (None, -1)

    def _exact(self, index: int, keyframe: Optional[int]) -> tuple[Any, int]:
        """Frame ``index`` (or the first one after it, should it be missing).

        Decodes on from the previous exact frame when no keyframe lies
        between it and ``index``; else seeks.
        """
        going_on = self._frames is not None and keyframe is not None and keyframe <= self._last < index
        if not going_on:
            self._seek(index, "DEFAULT")
            self._frames = self._decoded()
        for frame in self._frames:
            self._last = self.index_of(frame)
            if self._last >= index:
                return frame, self._last
        self._stop()
        raise ValueError(f"could not decode frame {index} of the video")


def _write_jpeg_atomic(rgb: np.ndarray, out: Path, quality: int) -> None:
    with atomic_path(out) as tmp:
        Image.fromarray(rgb, "RGB").save(tmp, format="JPEG", quality=quality)
