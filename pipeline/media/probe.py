"""Inspect an uploaded video with PyAV and reject files that cannot be used.

:func:`probe` opens a file with :func:`av.open`, makes one demux pass over
its video (and first audio) packets and decodes only the first frame and
the last second of video.  That is enough to

* count the frames exactly (one per demuxed video packet, not estimated),
* tell a constant from a variable frame rate (from the packet timestamps),
* notice a file cut short (an interrupted upload or recording),
* notice a file whose video data cannot be decoded,

in a few seconds even for an hour of video (reading packets does not decode
them).  Problems are raised as :class:`ProbeError`, whose message is meant
for the person who uploaded the file ("file truncated at 63%").

Conventions of :class:`ProbeResult`:

* ``width`` / ``height`` are the display size *before* rotation (the coded
  size with a non-square sample aspect ratio applied to the width);
  ``rotation`` is the display-matrix rotation in degrees counter-clockwise as
  ffmpeg/ffprobe report it ("rotation of 90.00 degrees"; PyAV's
  ``VideoFrame.rotation``), normalised to 0, 90, 180 or 270.  A legacy
  ``rotate`` tag (clockwise) is used when there is no display matrix.
  For 90 and 270 the picture is shown ``height`` wide and ``width`` tall.
* ``duration`` is the container's duration (what players show) when the
  container knows it, otherwise the span of the video packets.
* ``fps`` is the exact nominal rate (e.g. 29.97002997...) for a constant
  frame rate and ``frame_count / video span`` for a variable one.

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Optional, Union

import av
import av.error
import numpy as np

__all__ = ["ProbeError", "ProbeResult", "probe", "VFR_TOLERANCE"]

#: A frame duration more than this fraction away from the median one
#: (and more than one timestamp tick) makes the stream variable frame rate.
VFR_TOLERANCE = 0.01

#: How much of the end of the video is decoded to check it (seconds).
TAIL_SECONDS = 1.0

#: At most this many packets are decoded for the tail check (bounds the
#: work for files with very long GOPs; the first of them is a keyframe).
MAX_TAIL_PACKETS = 600

#: At most this many packets are fed to the decoder to get the first frame.
MAX_HEAD_PACKETS = 300

#: Container formats that hold a still image, not a video.
_IMAGE_FORMATS = re.compile(r"(^image2$|_pipe$|^apng$|^webp$)")

#: Nominal rates a constant measured rate is snapped to (0.05% tolerance).
_COMMON_RATES = tuple(
    Fraction(x)
    for x in (
        Fraction(24000, 1001), 24, 25, Fraction(30000, 1001), 30, 48, 50,
        Fraction(60000, 1001), 60, 72, 90, 100, Fraction(120000, 1001), 120,
        15, 12, 10, 8, 5,
    )
)

PathLike = Union[str, "os.PathLike[str]"]


class ProbeError(ValueError):
    """The file cannot be used as a video; the message is for a person."""


@dataclass(frozen=True)
class ProbeResult:
    duration: float
    fps: float
    variable_frame_rate: bool
    frame_count: int
    width: int
    height: int
    rotation: int
    video_codec: str
    has_audio: bool
    audio_channels: Optional[int]
    sample_rate: Optional[int]
    audio_codec: Optional[str]
    size_bytes: int

    @property
    def display_width(self) -> int:
        """Width as shown, after rotation."""
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int:
        """Height as shown, after rotation."""
        return self.width if self.rotation in (90, 270) else self.height

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- helpers ---------------------------------------------------------------------


def _normalise_rotation(degrees: float) -> int:
    """Nearest multiple of 90 in 0..270."""
    if degrees is None or not math.isfinite(degrees):
        return 0
    return int(round(degrees / 90.0)) % 4 * 90


def _parse_hms(value: Any) -> Optional[float]:
    """Seconds from a Matroska ``DURATION`` tag like ``00:01:02.500000000``."""
    if not isinstance(value, str):
        return None
    m = re.match(r"^\s*(\d+):(\d{1,2}):(\d{1,2}(?:\.\d*)?)\s*$", value)
    if not m:
        return None
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))


def _tag(metadata: Any, name: str) -> Optional[str]:
    try:
        for key, value in dict(metadata or {}).items():
            if str(key).lower() == name:
                return value
    except Exception:  # pragma: no cover - defensive
        return None
    return None


def _fraction(x: Any) -> Optional[Fraction]:
    try:
        if x is None:
            return None
        f = Fraction(x)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return f if f > 0 else None


def _pick_video_stream(container: Any) -> Optional[Any]:
    attached = av.stream.Disposition.attached_pic
    for s in container.streams.video:
        try:
            if s.disposition & attached:
                continue
        except Exception:  # pragma: no cover - defensive
            pass
        return s
    return None


def _mp4_index_missing(path: str) -> bool:
    """True for an ISO-BMFF file (MP4/MOV) cut before its 'moov' box.

    Walks the top-level boxes: a file that starts like an MP4 but has no
    'moov' box and whose last box runs past the end of the file was cut off.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            pos = 0
            seen_ftyp_or_mdat = False
            for _ in range(10000):
                if pos + 8 > size:
                    return seen_ftyp_or_mdat and pos < size
                fh.seek(pos)
                head = fh.read(16)
                box_size = int.from_bytes(head[0:4], "big")
                box_type = head[4:8]
                if not re.match(rb"^[a-zA-Z0-9 _\-\xa9]{4}$", box_type):
                    return False
                if box_type == b"moov":
                    return False
                if box_type in (b"ftyp", b"mdat", b"wide", b"free", b"skip"):
                    seen_ftyp_or_mdat = True
                elif pos == 0:
                    return False
                if box_size == 1:
                    if len(head) < 16:
                        return seen_ftyp_or_mdat
                    box_size = int.from_bytes(head[8:16], "big")
                elif box_size == 0:  # box runs to the end of the file
                    return seen_ftyp_or_mdat
                if box_size < 8:
                    return False
                if pos + box_size > size:
                    return seen_ftyp_or_mdat
                pos += box_size
            return False
    except OSError:
        return False


def _seconds(ts: Optional[int], tb: Fraction) -> Optional[float]:
    return None if ts is None else float(ts * tb)


# -- the probe -------------------------------------------------------------------


def probe(path: PathLike) -> ProbeResult:
    """Inspect the video at ``path``.

    Raises :class:`ProbeError` (a ``ValueError``) when the file is not a
    usable video, with a message for a person, and ``FileNotFoundError`` /
    ``OSError`` when it cannot be read at all.
    """
    path = os.fspath(path)
    size_bytes = os.stat(path).st_size  # FileNotFoundError propagates
    if size_bytes == 0:
        raise ProbeError("not a video file (the file is empty)")

    try:
        container = av.open(path, mode="r", metadata_errors="replace")
    except av.error.FFmpegError as exc:
        if _mp4_index_missing(path):
            raise ProbeError(
                "file truncated: the MP4/MOV index ('moov' box) is missing, so the "
                "upload or recording was probably cut off before it finished"
            ) from exc
        raise ProbeError(
            "not a video file (could not be opened as a media container)"
        ) from exc
    except (UnicodeDecodeError, ValueError) as exc:  # pragma: no cover - defensive
        raise ProbeError(
            "not a video file (could not be opened as a media container)"
        ) from exc

    try:
        return _probe_open(container, path, size_bytes)
    finally:
        container.close()


def _probe_open(container: Any, path: str, size_bytes: int) -> ProbeResult:
    fmt_name = getattr(container.format, "name", "") or ""
    video = _pick_video_stream(container)
    audio = container.streams.audio[0] if container.streams.audio else None
    if video is None:
        if audio is not None:
            raise ProbeError("no video stream (the file contains only audio)")
        raise ProbeError(
            "not a video file (could not be opened as a media container: "
            "it contains no audio or video streams)"
        )
    if _IMAGE_FORMATS.search(fmt_name):
        raise ProbeError("not a video file (it is a still image)")

    vtb = Fraction(video.time_base) if video.time_base else Fraction(1, 90000)
    atb = Fraction(audio.time_base) if audio is not None and audio.time_base else None

    video.codec_context.thread_type = "AUTO"

    # -- one demux pass ---------------------------------------------------------
    pts_list: list[int] = []
    key_pts: list[int] = []  # keyframe timestamps (for the tail check)
    v_end: Optional[int] = None  # max(pts + duration) of good video packets
    v_start: Optional[int] = None
    a_end: Optional[float] = None  # seconds
    past_eof = False
    demux_error: Optional[BaseException] = None
    head_frame: Any = None
    head_error: Optional[BaseException] = None
    head_packets = 0
    first_packet_time: Optional[float] = None
    zero_durations = 0

    streams = [video] + ([audio] if audio is not None else [])
    try:
        for packet in container.demux(streams):
            if packet.size == 0 and packet.pts is None and packet.dts is None:
                continue  # flush packet at the end
            if packet.stream_index != video.index:
                if packet.pts is not None and atb is not None and not packet.is_corrupt:
                    end = float((packet.pts + (packet.duration or 0)) * atb)
                    a_end = end if a_end is None else max(a_end, end)
                continue
            if packet.pos is not None and packet.pos >= 0 and packet.pos + packet.size > size_bytes:
                past_eof = True
            # Decode from the start until the first picture comes out.
            if head_frame is None and head_packets < MAX_HEAD_PACKETS:
                head_packets += 1
                try:
                    frames = packet.decode()
                    if frames:
                        head_frame = frames[0]
                except av.error.FFmpegError as exc:
                    head_error = exc  # keep trying: a later keyframe may decode
            if packet.is_discard:
                continue  # hidden by an edit list: never shown
            ts = packet.pts if packet.pts is not None else packet.dts
            if ts is None:
                continue
            if packet.is_corrupt:
                # A partial packet at the cut of a truncated file: not counted.
                past_eof = past_eof or packet.pos is None or packet.pos + packet.size >= size_bytes
                continue
            pts_list.append(ts)
            if first_packet_time is None:
                first_packet_time = float(ts * vtb)
            if packet.is_keyframe:
                key_pts.append(ts)
            dur = packet.duration or 0
            if dur <= 0:
                zero_durations += 1
            end = ts + dur
            v_end = end if v_end is None else max(v_end, end)
            v_start = ts if v_start is None else min(v_start, ts)
    except (av.error.FFmpegError, OSError) as exc:
        demux_error = exc

    if head_frame is None and pts_list:
        try:  # short videos: the decoder may hold the first frame until flushed
            frames = video.codec_context.decode(None)
            if frames:
                head_frame = frames[0]
        except av.error.FFmpegError as exc:
            head_error = exc

    frame_count = len(pts_list)
    pts = np.asarray(sorted(pts_list), dtype=np.int64)
    deltas = np.diff(pts) if frame_count >= 2 else np.zeros(0, dtype=np.int64)
    median_delta = float(np.median(deltas)) if deltas.size else 0.0

    # Packets without a duration (some MKV/WebM): the last one lasts a median frame.
    if frame_count and zero_durations and median_delta > 0:
        v_end = max(v_end or 0, int(pts[-1] + round(median_delta)))

    nominal = (
        _fraction(video.average_rate)
        or _fraction(getattr(video, "guessed_rate", None))
        or _fraction(video.base_rate)
    )
    frame_seconds = (
        median_delta * float(vtb) if median_delta > 0 else (1.0 / float(nominal) if nominal else 1 / 30)
    )

    # -- truncation --------------------------------------------------------------
    expected_video_end = None  # seconds, absolute
    stream_start = _seconds(video.start_time, vtb)
    if stream_start is None:
        stream_start = float(v_start * vtb) if v_start is not None else 0.0
    if video.duration and video.duration > 0:
        expected_video_end = stream_start + float(video.duration * vtb)
    tag_end = _parse_hms(_tag(video.metadata, "duration"))
    if tag_end and tag_end > 0:
        expected_video_end = max(expected_video_end or 0.0, tag_end)
    header_frames = int(video.frames or 0)
    if header_frames > 0 and nominal:
        by_frames = stream_start + header_frames / float(nominal)
        expected_video_end = max(expected_video_end or 0.0, by_frames)

    container_end = None
    if container.duration and container.duration > 0:
        cstart = (container.start_time or 0) / 1_000_000 if container.start_time else 0.0
        container_end = cstart + container.duration / 1_000_000

    reached_video = float(v_end * vtb) if v_end is not None else stream_start
    start_s = float(v_start * vtb) if v_start is not None else stream_start

    def tolerance(expected_span: float) -> float:
        return max(1.0, 3 * frame_seconds, 0.002 * expected_span)

    truncated_pct: Optional[int] = None
    if expected_video_end is not None:
        span = expected_video_end - start_s
        if span > 0 and expected_video_end - reached_video > tolerance(span):
            truncated_pct = int(math.floor(100 * max(0.0, reached_video - start_s) / span))
    if truncated_pct is None and expected_video_end is None and container_end is not None:
        reached_any = max(reached_video, a_end or 0.0)
        span = container_end - start_s
        if span > 0 and container_end - reached_any > tolerance(span):
            truncated_pct = int(math.floor(100 * max(0.0, reached_video - start_s) / span))
    if truncated_pct is None and (past_eof or demux_error is not None):
        # The data stops (or breaks) although the headers promised more.
        target = expected_video_end or container_end
        if target and target - start_s > 0:
            pct = int(math.floor(100 * max(0.0, reached_video - start_s) / (target - start_s)))
            if pct < 100 or past_eof:
                truncated_pct = min(pct, 99)
        elif past_eof:
            truncated_pct = 0
    if truncated_pct is not None:
        raise ProbeError(f"file truncated at {max(0, min(99, truncated_pct))}%")

    if demux_error is not None:
        at = reached_video - (stream_start or 0.0)
        raise ProbeError(f"corrupt video data at {max(0.0, at):.1f} s")

    if frame_count == 0:
        raise ProbeError("video stream is empty (no frames)")

    # -- frame rate --------------------------------------------------------------
    tick = float(vtb)
    variable = False
    if deltas.size:
        tol_ticks = max(VFR_TOLERANCE * median_delta, 1.0) + 1e-9
        variable = bool(np.any(np.abs(deltas - median_delta) > tol_ticks))
    span_s = (int(pts[-1]) - int(pts[0])) * tick
    video_span = max(0.0, reached_video - start_s)
    if variable:
        fps = frame_count / video_span if video_span > 0 else float(nominal or 30)
    else:
        measured = (deltas.size / span_s) if span_s > 0 else None
        fps_frac: Optional[Fraction] = None
        if measured is None:
            fps_frac = nominal
        else:
            for cand in (nominal, _fraction(getattr(video, "guessed_rate", None)), _fraction(video.base_rate)):
                if cand and abs(float(cand) - measured) <= 0.005 * measured:
                    fps_frac = cand
                    break
            if fps_frac is None:
                for cand in _COMMON_RATES:
                    if abs(float(cand) - measured) <= 0.0005 * measured:
                        fps_frac = cand
                        break
        fps = float(fps_frac) if fps_frac else float(measured or 30.0)
        # Rates like 2997/100 or 29.970029 are the NTSC 30000/1001.
        near = Fraction(fps).limit_denominator(1001)
        if abs(float(near) - fps) < 1e-4 * fps:
            fps = float(near)

    # -- geometry, rotation --------------------------------------------------------
    cc = video.codec_context
    width = int(cc.width or (head_frame.width if head_frame is not None else 0))
    height = int(cc.height or (head_frame.height if head_frame is not None else 0))
    if width <= 0 or height <= 0:
        raise ProbeError("corrupt video data at 0.0 s (the picture size is unknown)")
    sar = _fraction(video.sample_aspect_ratio) or _fraction(cc.sample_aspect_ratio)
    if sar and sar != 1 and Fraction(1, 4) <= sar <= 4:
        width = int(round(width * sar))

    rotation = 0
    if head_frame is not None:
        try:
            rotation = _normalise_rotation(float(head_frame.rotation))
        except Exception:  # pragma: no cover - defensive
            rotation = 0
    if rotation == 0:
        tag = _tag(video.metadata, "rotate")
        try:
            if tag is not None:
                rotation = _normalise_rotation(-float(tag))  # the tag is clockwise
        except ValueError:
            pass

    # -- can the video data be decoded? ----------------------------------------------
    if head_frame is None:
        raise ProbeError(f"corrupt video data at {max(0.0, first_packet_time - stream_start if first_packet_time is not None else 0.0):.1f} s")
    _check_tail(container, video, vtb, key_pts, reached_video, stream_start)

    # -- duration and audio -----------------------------------------------------------
    if container.duration and container.duration > 0:
        duration = container.duration / 1_000_000
    else:
        duration = max(video_span, (a_end or 0.0) - start_s)
    duration = float(duration)

    audio_channels = sample_rate = None
    audio_codec = None
    if audio is not None:
        acc = audio.codec_context
        try:
            audio_channels = int(acc.channels) or None
        except Exception:  # pragma: no cover - defensive
            audio_channels = None
        sample_rate = int(acc.sample_rate or 0) or None
        audio_codec = acc.name or None

    return ProbeResult(
        duration=round(duration, 6),
        fps=float(fps),
        variable_frame_rate=variable,
        frame_count=frame_count,
        width=width,
        height=height,
        rotation=rotation,
        video_codec=str(cc.name or ""),
        has_audio=audio is not None,
        audio_channels=audio_channels,
        sample_rate=sample_rate,
        audio_codec=audio_codec,
        size_bytes=size_bytes,
    )


def _check_tail(
    container: Any,
    video: Any,
    vtb: Fraction,
    key_pts: list[int],
    reached_video: float,
    stream_start: float,
) -> None:
    """Decode the last ~second of video; raise ProbeError if it is garbage."""
    target = max(stream_start, reached_video - TAIL_SECONDS)
    target_ts = int(target / float(vtb))
    keys_before = [k for k in key_pts if k <= target_ts]
    seek_ts = keys_before[-1] if keys_before else (key_pts[0] if key_pts else target_ts)
    try:
        container.seek(int(seek_ts), stream=video, backward=True, any_frame=False)
    except av.error.FFmpegError:
        return  # not seekable (some AVI/raw streams): the head check must do
    decoded = 0
    failed_at: Optional[float] = None
    n = 0
    last_time = target
    try:
        for packet in container.demux(video):
            if packet.pts is not None:
                last_time = float(packet.pts * vtb)
            n += 1
            try:
                decoded += len(packet.decode())
            except av.error.FFmpegError:
                failed_at = last_time
                break
            if n >= MAX_TAIL_PACKETS:
                break
    except av.error.FFmpegError:
        failed_at = last_time
    if failed_at is None and decoded == 0 and n > 0:
        failed_at = target
    if failed_at is not None:
        raise ProbeError(f"corrupt video data at {max(0.0, failed_at - stream_start):.1f} s")
