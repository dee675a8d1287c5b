"""Exact video frames by index, decoded in-process with PyAV.

The truth for a frame is its index, never a float time (see DESIGN.md,
"Index, not float time").  :class:`FrameDecoder` builds once, from a demux
pass over the video packets, a table frame index -> pts: the pts sorted,
the index of a frame being the rank of its pts.  That is what decord (the
reader of the public evaluators) and "decode from the start and count
frames" agree on, so the frame served here is the frame a model is shown.

A decoder keeps its container open and remembers where it is: stepping
forward costs one decode per frame and no seek; anything else seeks to the
keyframe at or before the target and decodes forward, matching frames by
pts.  :class:`DecoderPool` keeps a few decoders open per process,
:class:`FrameCache` keeps the JPEGs on disk, and :func:`frame_jpeg` ties
them together for the web views.

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import bisect
import io
import operator
import os
import re
import threading
from collections import OrderedDict
from fractions import Fraction
from pathlib import Path
from typing import Callable, Iterator, Optional, Union

import av
import numpy as np
from PIL import Image

from .files import atomic_path

__all__ = [
    "DecoderClosedError",
    "FrameDecoder",
    "DecoderPool",
    "encode_jpeg",
    "FrameCache",
    "frame_jpeg",
]

PathLike = Union[str, os.PathLike]

#: How many frames before the last keyframe preceding the target the
#: decoder may be and still decode forward instead of seeking.  A seek
#: flushes the decoder and (with frame threads) refills its pipeline, which
#: costs about as much as decoding a few frames.
FORWARD_SLACK = 8


class DecoderClosedError(ValueError):
    """The decoder was closed (by its owner or by a :class:`DecoderPool` eviction)."""


class FrameDecoder:
    """Random access to the frames of one video file, by frame index.

    ``get(i)`` returns frame ``i`` as an ``(height, width, 3)`` ``uint8`` RGB
    array, bit-identical to ``decord.VideoReader(path)[i].asnumpy()`` and to
    the ``i``-th frame of a decode from the start.

    Thread-safe: one decoder may be shared by the threads of a web worker
    (calls are serialised by a lock).  ``seeks`` and ``decoded`` count the
    seeks done and the frames decoded so far; tests and benchmarks read them.
    """

    def __init__(self, path: PathLike, *, forward_slack: int = FORWARD_SLACK) -> None:
        self.path = os.fspath(path)
        self.forward_slack = forward_slack
        self.seeks = 0
        self.decoded = 0
        self._lock = threading.RLock()
        self._container = None
        self._open()
        try:
            self._build_index()
        except BaseException:
            self._container.close()
            self._container = None
            raise
        stream = self._stream
        self._width = stream.codec_context.width
        self._height = stream.codec_context.height
        self._rate = self._frame_rate()
        # Position: index of the last frame the decoder produced, the frame
        # itself, and the generator that continues after it.
        self._pos: Optional[int] = None
        self._last: Optional[av.VideoFrame] = None
        self._frames: Optional[Iterator[av.VideoFrame]] = None

    # -- setup -------------------------------------------------------------

    def _open(self) -> None:
        container = av.open(self.path, mode="r")
        try:
            if not container.streams.video:
                raise ValueError(f"{self.path} has no video stream")
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
        except BaseException:
            container.close()
            raise
        self._container = container
        self._stream = stream

    def _build_index(self) -> None:
        pts_list: list[int] = []
        key_pts: list[int] = []
        for packet in self._container.demux(self._stream):
            if packet.size == 0:
                continue  # the flush packet at the end
            if packet.pts is None:
                raise ValueError(f"{self.path}: a video packet has no pts; frames cannot be indexed")
            if packet.is_discard:
                continue  # the decoder drops these; they are not frames of the video
            pts_list.append(packet.pts)
            if packet.is_keyframe:
                key_pts.append(packet.pts)
        if not pts_list:
            raise ValueError(f"{self.path} has no video frames")
        pts_list.sort()
        if len(set(pts_list)) != len(pts_list):
            raise ValueError(f"{self.path}: two video frames share a pts; frames cannot be indexed")
        self._pts: tuple[int, ...] = tuple(pts_list)
        self._index_of_pts: dict[int, int] = {p: i for i, p in enumerate(pts_list)}
        self._keyframes: tuple[int, ...] = tuple(sorted(self._index_of_pts[p] for p in key_pts))
        self._time_base: Fraction = self._stream.time_base

    def _frame_rate(self) -> Fraction:
        stream = self._stream
        for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
            if rate:
                return Fraction(rate)
        n = len(self._pts)
        if n > 1 and self._pts[-1] > self._pts[0]:
            return Fraction(n - 1) / ((self._pts[-1] - self._pts[0]) * self._time_base)
        raise ValueError(f"{self.path}: cannot tell the frame rate")

    # -- properties ----------------------------------------------------------

    @property
    def frame_count(self) -> int:
        return len(self._pts)

    @property
    def fps(self) -> float:
        """Frames per second (``rate`` as a float)."""
        return float(self._rate)

    @property
    def rate(self) -> Fraction:
        """Frames per second, exact (``Fraction(30000, 1001)`` for 29.97)."""
        return self._rate

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    @property
    def duration(self) -> float:
        """``frame_count / fps`` seconds."""
        return float(len(self._pts) / self._rate)

    @property
    def time_base(self) -> Fraction:
        return self._time_base

    @property
    def keyframes(self) -> tuple[int, ...]:
        """Indices of the keyframes, increasing."""
        return self._keyframes

    @property
    def closed(self) -> bool:
        return self._container is None

    def pts(self, index: int) -> int:
        """The pts (in ``time_base`` units) of frame ``index``."""
        return self._pts[self._check_index(index)]

    # -- decoding ------------------------------------------------------------

    def get(self, index: int) -> np.ndarray:
        """Frame ``index`` as a new ``(height, width, 3)`` ``uint8`` RGB array."""
        index = self._check_index(index)
        with self._lock:
            if self._container is None:
                raise DecoderClosedError(f"the decoder of {self.path} is closed")
            if self._pos == index and self._last is not None:
                frame = self._last
            else:
                frame = None
                if self._pos is not None and self._pos < index and self._pos >= self._keyframe_at_or_before(index) - self.forward_slack:
                    frame = self._decode_forward_to(index)
                if frame is None:
                    frame = self._seek_and_decode(index)
            rgb = frame.to_ndarray(format="rgb24")
        return np.ascontiguousarray(rgb)

    def _check_index(self, index: int) -> int:
        try:
            index = operator.index(index)
        except TypeError:
            raise TypeError(f"a frame index must be an integer, not {type(index).__name__}") from None
        n = len(self._pts)
        if not 0 <= index < n:
            raise IndexError(f"frame index {index} is out of range: {self.path} has {n} frames (0 to {n - 1})")
        return index

    def _keyframe_at_or_before(self, index: int) -> int:
        k = bisect.bisect_right(self._keyframes, index) - 1
        return self._keyframes[k] if k >= 0 else 0

    def _decode_iter(self) -> Iterator[av.VideoFrame]:
        # demux() ends with an empty packet whose decode drains the decoder.
        for packet in self._container.demux(self._stream):
            yield from packet.decode()

    def _decode_forward_to(self, index: int) -> Optional[av.VideoFrame]:
        """Decode on from the current position to frame ``index``.

        Returns ``None`` (and forgets the position) when the stream ends or
        passes the target without producing it.
        """
        target = self._pts[index]
        if self._frames is None:
            return None
        for frame in self._frames:
            self.decoded += 1
            pts = frame.pts
            if pts is None:
                continue
            self._pos = self._index_of_pts.get(pts)
            self._last = frame
            if pts == target:
                return frame
            if pts > target:
                break
        self._forget_position()
        return None

    def _seek_and_decode(self, index: int) -> av.VideoFrame:
        k = bisect.bisect_right(self._keyframes, index) - 1
        # The keyframe at or before the target; should the demuxer land after
        # the target, earlier keyframes, then the very start.
        starts = [self._keyframes[j] for j in range(k, max(k - 2, -1), -1)] + [None]
        for start in starts:
            self._seek(start)
            frame = self._decode_forward_to(index)
            if frame is not None:
                return frame
        raise RuntimeError(f"could not decode frame {index} of {self.path}")

    def _seek(self, keyframe: Optional[int]) -> None:
        self._forget_position()
        self.seeks += 1
        if keyframe is None:
            # Last resort: reopen, which is certain to start at the first packet.
            self._container.close()
            self._container = None
            self._open()
        else:
            self._container.seek(self._pts[keyframe], stream=self._stream, backward=True, any_frame=False)
        self._frames = self._decode_iter()

    def _forget_position(self) -> None:
        if self._frames is not None:
            self._frames.close()
        self._frames = None
        self._pos = None
        self._last = None

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._container is not None:
                self._forget_position()
                self._container.close()
                self._container = None

    def __enter__(self) -> "FrameDecoder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{self.frame_count} frames"
        return f"<FrameDecoder {self.path!r} {self.width}x{self.height} {state}>"


class DecoderPool:
    """The last ``max_open`` decoders used, keyed by path (LRU, thread-safe).

    A decoder is reopened when its file changed (another inode, size or
    mtime: a proxy rewritten by rename).  Evicted decoders are closed; a
    thread still holding one gets :class:`DecoderClosedError` and should ask
    the pool again (:func:`frame_jpeg` does).
    """

    def __init__(self, max_open: int = 8, *, opener: Callable[[str], FrameDecoder] = FrameDecoder) -> None:
        if max_open < 1:
            raise ValueError(f"a decoder pool needs room for at least one decoder, got max_open={max_open}")
        self.max_open = max_open
        self._opener = opener
        self._lock = threading.Lock()
        self._entries: "OrderedDict[str, tuple[tuple[int, int, int], FrameDecoder]]" = OrderedDict()

    @staticmethod
    def _signature(path: str) -> tuple[int, int, int]:
        st = os.stat(path)
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def get(self, path: PathLike) -> FrameDecoder:
        key = os.path.abspath(os.fspath(path))
        try:
            sig = self._signature(key)
        except FileNotFoundError:
            self._discard(key)
            raise
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == sig and not entry[1].closed:
                self._entries.move_to_end(key)
                return entry[1]
        # Opening reads the whole file's packets: not under the pool's lock.
        decoder = self._opener(key)
        stale: list[FrameDecoder] = []
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == sig and not entry[1].closed:
                stale.append(decoder)  # another thread opened it meanwhile
                decoder = entry[1]
                self._entries.move_to_end(key)
            else:
                if entry is not None:
                    stale.append(entry[1])
                self._entries[key] = (sig, decoder)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_open:
                    _, (_, old) = self._entries.popitem(last=False)
                    stale.append(old)
        for old in stale:
            old.close()
        return decoder

    def _discard(self, key: str) -> None:
        with self._lock:
            entry = self._entries.pop(key, None)
        if entry is not None:
            entry[1].close()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, (str, os.PathLike)):
            return False
        with self._lock:
            return os.path.abspath(os.fspath(path)) in self._entries

    def close(self) -> None:
        """Close every decoder (the pool stays usable)."""
        with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for _, decoder in entries:
            decoder.close()

    def __enter__(self) -> "DecoderPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def encode_jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    """JPEG bytes of an ``(height, width, 3)`` ``uint8`` RGB array."""
    if not isinstance(rgb, np.ndarray) or rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        what = f"{rgb.dtype} array of shape {rgb.shape}" if isinstance(rgb, np.ndarray) else type(rgb).__name__
        raise ValueError(f"expected an (height, width, 3) uint8 RGB array, got a {what}")
    if isinstance(quality, bool) or not isinstance(quality, int) or not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be a whole number from 1 to 100, got {quality!r}")
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb), "RGB").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class FrameCache:
    """JPEG bytes of frames on disk, at ``<root>/<key>/<index>.jpg``.

    ``key`` names one proxy (say the video id and the proxy's hash) and must
    be a plain file name.  Files are written to a hidden temporary name and
    renamed into place, so a reader never sees half a JPEG.
    """

    def __init__(self, root: PathLike) -> None:
        self.root = Path(root)

    def path(self, key: str, index: int) -> Path:
        if not isinstance(key, str) or not _KEY_RE.match(key) or ".." in key:
            raise ValueError(f"a frame cache key must be a plain name of letters, digits, '.', '_' or '-', got {key!r}")
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise ValueError(f"a frame index must be a non-negative integer, got {index!r}")
        return self.root / key / f"{index}.jpg"

    def get(self, key: str, index: int) -> Optional[bytes]:
        try:
            return self.path(key, index).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, key: str, index: int, data: bytes) -> Path:
        target = self.path(key, index)
        # No fsync: a cached frame lost in a crash is simply decoded again.
        with atomic_path(target) as tmp:
            tmp.write_bytes(data)
        return target


def frame_jpeg(
    pool: DecoderPool,
    cache: Optional[FrameCache],
    key: str,
    path: PathLike,
    index: int,
    *,
    quality: int = 90,
) -> bytes:
    """JPEG of frame ``index`` of the video at ``path``: from ``cache``, else decoded and cached."""
    if cache is not None:
        data = cache.get(key, index)
        if data is not None:
            return data
    try:
        rgb = pool.get(path).get(index)
    except DecoderClosedError:
        rgb = pool.get(path).get(index)  # evicted by another thread between get() and get(index)
    data = encode_jpeg(rgb, quality)
    if cache is not None:
        cache.put(key, index, data)
    return data


class ReadAhead:
    """Decodes and caches the frames just after one a client asked for, on one background thread.

    Stepping forward frame by frame is what annotators do most; with the next
    few frames already in the cache, each step is a file read instead of a
    decode plus a JPEG encode. Requests always win: the worker takes the
    decoder's lock per frame, so a client's own request waits at most one frame.
    """

    def __init__(self, pool: DecoderPool, cache: FrameCache, *, ahead: int = 6, quality: int = 90) -> None:
        self.pool = pool
        self.cache = cache
        self.ahead = ahead
        self.quality = quality
        self._lock = threading.Lock()
        self._wanted: Optional[tuple[str, str, int, int]] = None
        self._last: dict[str, int] = {}
        self._wake = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def after(self, key: str, path: PathLike, index: int, frame_count: int) -> None:
        """Note that `index` was just served. If the client is moving forward (its previous request was a few
        frames before), frames index+1 .. index+ahead are prepared; a random jump prepares nothing, so it
        does not compete with the client's next jump."""
        with self._lock:
            previous = self._last.get(key)
            self._last[key] = index
            if len(self._last) > 256:
                self._last.pop(next(iter(self._last)))
            if previous is None or not 0 < index - previous <= self.ahead + 2:
                return
            # Only the latest request matters: a client that jumped elsewhere no longer needs the old run.
            self._wanted = (key, os.fspath(path), index + 1, min(frame_count, index + 1 + self.ahead))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="frame-read-ahead", daemon=True)
                self._thread.start()
        self._wake.set()

    def _next(self) -> Optional[tuple[str, str, int]]:
        with self._lock:
            if self._wanted is None:
                return None
            key, path, start, stop = self._wanted
            if start >= stop:
                self._wanted = None
                return None
            self._wanted = (key, path, start + 1, stop)
            return key, path, start

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is None:
                with self._lock:
                    if self._wanted is None:
                        self._wake.clear()
                if not self._wake.wait(timeout=30):
                    with self._lock:
                        if self._wanted is None:
                            self._thread = None
                            return
                continue
            key, path, index = job
            if self.cache.path(key, index).exists():
                continue
            try:
                frame_jpeg(self.pool, self.cache, key, path, index, quality=self.quality)
            except (IndexError, OSError, ValueError):
                continue  # the request path reports such errors; read-ahead is best effort
