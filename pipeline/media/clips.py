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
keyframes hides frames behind an MP4 edit list, which decord ignores).  One
ffmpeg run: a fast input seek (``-ss`` before ``-i``, without accurate-seek
trimming) to at least :data:`SEEK_MARGIN` seconds before the first frame, with
``-copyts`` so that the decoded frames keep the source's own timestamps; then
``trim`` on those timestamps with boundaries half a frame before ``first`` and
before ``stop`` (so float rounding can never pick a neighbouring frame) and
``atrim`` on the exact seconds ``first / fps`` .. ``stop / fps``; both streams
are then shifted to start at 0.  Output like the proxies: H.264 (libx264,
``veryfast``, CRF :data:`CRF`, high profile, yuv420p), a keyframe every second,
AAC 128k, ``+faststart``, no metadata.  Written to a temporary file and renamed
into place on success (:func:`pipeline.media.files.atomic_path`).

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePath
from typing import Optional, Union

from .ffmpeg import run_ffmpeg
from .files import atomic_path

__all__ = [
    "CRF",
    "SEEK_MARGIN",
    "ClipFrames",
    "clip_frames",
    "clip_name",
    "clip_ffmpeg_args",
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


def _num(x: float) -> str:
    """Plain decimal for ffmpeg options (microsecond precision, no exponent)."""
    s = f"{x:.9f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


@dataclass(frozen=True)
class _Source:
    frame_count: Optional[int]
    video_start: float  # seconds, presentation time of frame 0
    has_audio: bool


def _inspect(src: PathLike) -> _Source:
    import av  # local: only the cutting needs it

    with av.open(os.fspath(src)) as container:
        if not container.streams.video:
            raise ValueError(f"{os.fspath(src)} has no video stream")
        stream = container.streams.video[0]
        frames = int(stream.frames or 0) or None
        start = 0.0
        if stream.start_time is not None and stream.time_base is not None:
            start = float(stream.start_time * stream.time_base)
        return _Source(frame_count=frames, video_start=start, has_audio=bool(container.streams.audio))


def clip_ffmpeg_args(
    src: PathLike,
    out: PathLike,
    frames: ClipFrames,
    fps: float,
    *,
    has_audio: bool = True,
    video_start: float = 0.0,
) -> list[str]:
    """The ffmpeg arguments (after :data:`~pipeline.media.ffmpeg.BASE_ARGS`) that cut ``frames``.

    ``video_start`` is the presentation time of the source's frame 0 (0 for
    the proxies).
    """
    rate = _rate(fps)
    period = 1 / rate
    t0 = video_start + float(frames.first * period)  # first frame, exact
    t1 = video_start + float(frames.stop * period)  # after the last frame
    v_lo = video_start + float((frames.first - Fraction(1, 2)) * period)  # half a frame before
    v_hi = video_start + float((frames.stop - Fraction(1, 2)) * period)
    seek = t0 - SEEK_MARGIN
    gop = max(1, math.ceil(float(rate) - 1e-9))

    args: list[str] = []
    if seek > 0:
        args += ["-noaccurate_seek", "-ss", _num(seek)]
    args += ["-copyts", "-i", os.fspath(src), "-map", "0:V:0"]
    if has_audio:
        args += ["-map", "0:a:0"]
    vtrim = f"trim=start={_num(v_lo)}:end={_num(v_hi)}" if frames.first > 0 else f"trim=end={_num(v_hi)}"
    args += [
        "-vf", f"{vtrim},setpts=PTS-STARTPTS,format=yuv420p",
        "-fps_mode", "passthrough",
        "-c:v", "libx264",
        "-preset", "veryfast",
        "-crf", str(CRF),
        "-profile:v", "high",
        "-pix_fmt", "yuv420p",
        "-g", str(gop),
        "-sc_threshold", "0",
        "-force_key_frames", "expr:gte(t,n_forced*1)",
    ]
    if has_audio:
        args += [
            "-af", f"atrim=start={_num(t0)}:end={_num(t1)},asetpts=PTS-STARTPTS",
            "-c:a", "aac",
            "-b:a", "128k",
        ]
    else:
        args += ["-an"]
    args += [
        "-sn", "-dn",
        "-map_metadata", "-1",
        "-map_chapters", "-1",
        "-movflags", "+faststart",
        "-f", "mp4",
        "-y", os.fspath(out),
    ]
    return args


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
    ``ValueError`` for an interval outside the video and
    :class:`~pipeline.media.ffmpeg.FFmpegError` if ffmpeg fails (``dst`` is
    then left as it was).
    """
    source = _inspect(src_720p)
    frames = clip_frames(start, end, fps, frame_count=source.frame_count)
    with atomic_path(dst, suffix=".mp4") as tmp:
        run_ffmpeg(
            clip_ffmpeg_args(
                src_720p, tmp, frames, fps, has_audio=source.has_audio, video_start=source.video_start
            ),
            total_seconds=frames.count / float(_rate(fps)),
            timeout=timeout,
        )
