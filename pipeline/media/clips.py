"""Reference clips: the part of a 720p video that a counting question is about.

A CG-AV-Counting release ships, beside each full 720p video, one clip per
question cut at the question's reference interval (``ref_videos/`` in
``/work/shared/formats/cg-av-counting/FORMAT.md``).  :func:`cut_clip` writes
such a clip and :func:`clip_name` gives its file name.

Which frames a clip holds
-------------------------
Frame ``i`` of the source (a constant-frame-rate proxy, frame ``i`` presented
at ``i / fps``) is *shown* during ``[i / fps, (i + 1) / fps)``; the frame the
evaluators take for a time ``t`` is ``int(t * fps)``.  The clip of the interval
``[start, end)`` holds exactly the frames shown during it, that is every frame
``int(t * fps)`` for ``start <= t < end``::

    first = floor(start * fps)          # the frame shown at `start`
    stop  = ceil(end * fps)             # exclusive
    frame count = stop - first

so clip frame ``j`` is source frame ``first + j`` and the clip's first frame is
the source frame ``int(start * fps)``.  Products ``start * fps`` within 1e-6
of a whole number are taken as that whole number first (``0.28 * 25`` is
``7.000000000000001`` in floats: a boundary on the frame grid stays on it).
``stop`` is capped at the source's frame count when that is known.

The clip's time 0 is the presentation time of frame ``first`` (up to one frame
before ``start``), and its audio is the source audio of exactly
``[first / fps, stop / fps)``, so picture and sound stay in sync.  The clip
lasts ``(stop - first) / fps``: between 0 and 2 frames longer than
``end - start``.

How it is cut
-------------
Re-encoded, never stream-copied (DESIGN.md, Media: a copy that starts between
keyframes hides frames behind an MP4 edit list, which decord ignores), and in
this process with PyAV, whose FFmpeg libraries are pinned by its wheel: which
frames a clip holds must not depend on the ``ffmpeg`` program installed (the
``trim`` filter of the build in the ``imageio-ffmpeg`` wheel dropped a clip's
last frame where Debian's ffmpeg 5.1 kept it).  The decoder seeks to the
keyframe at least :data:`SEEK_MARGIN` seconds before the first frame and
decodes forward; each decoded frame's index is its presentation time on the
frame grid, ``round((pts - start) * fps)``, and exactly the frames ``first`` ..
``stop - 1`` are encoded, numbered from 0.  The audio is cut by sample:
exactly the samples of ``[first / fps, stop / fps)``.  Output like the proxies:
H.264 (libx264, ``veryfast``, CRF :data:`CRF`, high profile, yuv420p), a
keyframe every second and no scene-cut keyframes, AAC 128k, ``+faststart``.
Written to a temporary file and renamed into place on success
(:func:`pipeline.media.files.atomic_path`).

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath
from typing import Optional, Union

import av
import numpy as np

from .files import atomic_path

__all__ = [
    "CRF",
    "SEEK_MARGIN",
    "ClipFrames",
    "clip_frames",
    "clip_name",
    "ClipTimeout",
    "cut_clip",
]

PathLike = Union[str, "os.PathLike[str]"]

#: x264 constant rate factor of the clips (proxies use 23; clips are short).
CRF = 20

#: The input seek lands at least this many seconds before the clip's first
#: frame (then on the keyframe before that), so the AAC decoder has warmed up.
SEEK_MARGIN = 1.0

#: ``start * fps`` this close to a whole number counts as that number.
_GRID_EPS = 1e-6

#: Largest denominator of a frame rate (keeps 30000/1001 exact).
_MAX_RATE_DENOMINATOR = 1001


def _rate(fps: float) -> Fraction:
    if isinstance(fps, bool) or not isinstance(fps, (int, float, Fraction)) or not math.isfinite(fps) or fps <= 0:
        raise ValueError(f"fps must be a positive number, got {fps!r}")
    return Fraction(fps).limit_denominator(_MAX_RATE_DENOMINATOR)


def _snap(x: float) -> float:
    n = round(x)
    return float(n) if abs(x - n) < _GRID_EPS else x


@dataclass(frozen=True)
class ClipFrames:
    """Source frames ``first`` .. ``stop - 1`` (see the module docstring)."""

    first: int
    stop: int

    @property
    def count(self) -> int:
        return self.stop - self.first


def clip_frames(start: float, end: float, fps: float, *, frame_count: Optional[int] = None) -> ClipFrames:
    """The source frames of the clip ``[start, end)`` at ``fps``.

    ``first = floor(start * fps)``, ``stop = ceil(end * fps)`` (after snapping
    products within 1e-6 of a whole number), ``stop`` capped at
    ``frame_count`` when given.  Raises ``ValueError`` for a negative start,
    ``end <= start``, or an interval that holds no frame of the source.
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    if start < 0:
        raise ValueError(f"start must not be negative, got {start!r}")
    if end <= start:
        raise ValueError(f"end ({end!r}) must be after start ({start!r})")
    rate = float(_rate(fps))
    first = math.floor(_snap(start * rate))
    stop = math.ceil(_snap(end * rate))
    if frame_count is not None:
        if frame_count <= 0:
            raise ValueError(f"frame_count must be positive, got {frame_count!r}")
        stop = min(stop, frame_count)
    if stop <= first:
        raise ValueError(
            f"the interval {start!r}-{end!r} s holds no frame of the video"
            + (f" ({frame_count} frames at {rate:g} fps)" if frame_count is not None else "")
        )
    return ClipFrames(first=first, stop=stop)


def clip_name(video_file_name: str, start: float, end: float) -> str:
    """``<stem>_<start>_<end>.mp4``, the name of a clip in ``ref_videos/``.

    ``<stem>`` is the video's file name without its directory and without a
    final ``.mp4`` (any other extension is removed too); ``start`` and ``end``
    are formatted like the public tools do, with Python's ``"%.2f"`` (so
    ``12.0 -> "12.00"``, ``61.499 -> "61.50"``, ``61.494 -> "61.49"``).  Pass
    the interval exactly as written in the release's JSON.
    """
    if not isinstance(video_file_name, str) or not video_file_name.strip():
        raise ValueError(f"video file name must be a non-empty string, got {video_file_name!r}")
    base = PurePath(video_file_name).name
    stem = base[:-4] if base.lower().endswith(".mp4") else os.path.splitext(base)[0]
    if not stem:
        raise ValueError(f"video file name {video_file_name!r} has no stem")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    return "%s_%.2f_%.2f.mp4" % (stem, start, end)


@dataclass(frozen=True)
class _Source:
    frame_count: Optional[int]
    video_start: float  # seconds, presentation time of frame 0
    has_audio: bool


def _inspect(src: PathLike) -> _Source:
    with av.open(os.fspath(src)) as container:
        if not container.streams.video:
            raise ValueError(f"{os.fspath(src)} has no video stream")
        stream = container.streams.video[0]
        frames = int(stream.frames or 0) or None
        start = 0.0
        if stream.start_time is not None and stream.time_base is not None:
            start = float(stream.start_time * stream.time_base)
        return _Source(frame_count=frames, video_start=start, has_audio=bool(container.streams.audio))


class ClipTimeout(TimeoutError):
    """Cutting the clip took longer than its time limit."""


def cut_clip(
    src_720p: PathLike,
    dst: PathLike,
    *,
    start: float,
    end: float,
    fps: float,
    timeout: Optional[float] = None,
) -> None:
    """Write the clip ``[start, end)`` seconds of ``src_720p`` (a constant-rate proxy at ``fps``) to ``dst``.

    The clip holds the source frames :func:`clip_frames` gives (first frame =
    source frame ``int(start * fps)``) re-encoded, and the matching audio
    (none if the source has none).  ``dst`` is written atomically.  Raises
    ``ValueError`` for an interval outside the video or a source that ends
    before the clip's frames, and :class:`ClipTimeout` past ``timeout`` seconds
    (``dst`` is then left as it was).
    """
    source = _inspect(src_720p)
    frames = clip_frames(start, end, fps, frame_count=source.frame_count)
    deadline = None if timeout is None else time.monotonic() + timeout
    with atomic_path(dst, suffix=".mp4") as tmp:
        _ClipWriter(src_720p, tmp, frames, _rate(fps), source, deadline).run()


class _ClipWriter:
    """One clip: the source demuxed once from the seek point, its frames and samples in the clip's range encoded."""

    def __init__(self, src: PathLike, out: PathLike, frames: ClipFrames, rate: Fraction, source: _Source,
                 deadline: Optional[float]):
        self.src, self.out, self.frames, self.rate, self.source = src, out, frames, rate, source
        self.deadline = deadline
        period = 1 / rate
        self.t0 = source.video_start + float(frames.first * period)  # the first frame's time
        self.t1 = source.video_start + float(frames.stop * period)  # just after the last frame
        self.written = 0

    def _check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ClipTimeout(f"cutting the clip of frames {self.frames.first}-{self.frames.stop - 1} timed out")

    def _index(self, frame, stream) -> int:
        return round((float(frame.pts * stream.time_base) - self.source.video_start) * self.rate)

    def run(self) -> None:
        gop = max(1, math.ceil(float(self.rate) - 1e-9))
        with av.open(os.fspath(self.src)) as inp, av.open(
            os.fspath(self.out), "w", format="mp4", options={"movflags": "+faststart"}
        ) as out:
            vin = inp.streams.video[0]
            vin.thread_type = "AUTO"
            vout = out.add_stream("libx264", rate=self.rate, options={
                "crf": str(CRF), "preset": "veryfast", "profile": "high",
                "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0",
            })
            vout.width, vout.height = vin.codec_context.width, vin.codec_context.height
            vout.pix_fmt = "yuv420p"
            vout.codec_context.time_base = 1 / self.rate
            audio = _AudioCut(inp, out, self.t0, self.t1) if self.source.has_audio else None
            seek = self.t0 - SEEK_MARGIN
            if seek > 0:
                inp.seek(int(seek / vin.time_base), stream=vin, backward=True)
            streams = [vin] + ([audio.stream] if audio is not None else [])
            video_done = False
            # At the end of the file, demux gives each stream an empty packet whose decode drains the decoder.
            for packet in inp.demux(*streams):
                self._check_time()
                if packet.stream is vin:
                    if not video_done:
                        video_done = self._video(packet, vin, vout, out)
                elif audio is not None:
                    audio.packet(packet)
                if video_done and (audio is None or audio.done):
                    break
            if self.written != self.frames.count:
                raise ValueError(f"the source has frames {self.frames.first}-{self.frames.first + self.written - 1} "
                                 f"of {self.frames.first}-{self.frames.stop - 1}")
            for packet in vout.encode(None):
                out.mux(packet)
            if audio is not None:
                audio.finish()

    def _take(self, frame, stream, vout, out) -> bool:
        """Encode `frame` if it is one of the clip's; True once past the clip."""
        index = self._index(frame, stream)
        if index < self.frames.first:
            return False
        if index >= self.frames.stop:
            return True
        picture = frame.reformat(format="yuv420p")
        picture.pts, picture.time_base = self.written, 1 / self.rate
        self.written += 1
        for packet in vout.encode(picture):
            out.mux(packet)
        return False

    def _video(self, packet, stream, vout, out) -> bool:
        for frame in packet.decode():
            if self._take(frame, stream, vout, out):
                return True
        return False


class _AudioCut:
    """The source audio's samples of ``[t0, t1)``, counted from the first decoded frame's time, as AAC."""

    def __init__(self, inp, out, t0: float, t1: float):
        self.stream = inp.streams.audio[0]
        self.rate = self.stream.rate
        layout = self.stream.layout.name
        self.out = out
        self.encoder = out.add_stream("aac", rate=self.rate, layout=layout)
        self.encoder.bit_rate = 128_000
        self.resampler = av.AudioResampler(format="fltp", layout=layout, rate=self.rate)
        self.fifo = av.AudioFifo()
        self.t0, self.t1 = t0, t1
        self.position: Optional[int] = None  # sample index (source time * rate) of the next decoded sample
        self.pts = 0
        self.done = False

    def packet(self, packet) -> None:
        if self.done:
            return
        for frame in packet.decode():
            if self.position is None:
                self.position = round(float(frame.pts * frame.time_base) * self.rate)
            for converted in self.resampler.resample(frame):
                self._keep(converted)

    def _keep(self, frame) -> None:
        first, n = self.position, frame.samples
        self.position += n
        begin, end = round(self.t0 * self.rate), round(self.t1 * self.rate)
        lo, hi = max(0, begin - first), min(n, end - first)
        self.done = first + n >= end
        if hi <= lo:
            return
        samples = frame.to_ndarray()[:, lo:hi]
        part = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples), format="fltp", layout=frame.layout.name)
        part.sample_rate = self.rate
        self.fifo.write(part)
        self._encode(self.encoder.codec_context.frame_size)

    def _encode(self, size: int) -> None:
        while self.fifo.samples >= size > 0:
            self._mux(self.fifo.read(size))

    def _mux(self, frame) -> None:
        frame.pts, frame.time_base = self.pts, Fraction(1, self.rate)
        self.pts += frame.samples
        for packet in self.encoder.encode(frame):
            self.out.mux(packet)

    def finish(self) -> None:
        for frame in self.resampler.resample(None):
            self._keep(frame)
        rest = self.fifo.read()
        if rest is not None and rest.samples:
            self._mux(rest)
        for packet in self.encoder.encode(None):
            self.out.mux(packet)
