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

import collections
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

#: At most this many bytes of packets are kept for the tail check.
MAX_TAIL_BYTES = 64 * 1024 * 1024

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
        if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise  # a storage problem, not a bad upload
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
    except av.error.FFmpegError as exc:  # anything the passes above did not expect
        raise ProbeError("corrupt video data (the file could not be read)") from exc
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
    vtb_f = float(vtb)  # floats in the per-packet loop: Fraction maths is slow
    atb_f = float(atb) if atb is not None else None

    if video.codec_context is None:  # no decoder for it
        raise ProbeError("unsupported video codec (this video's format cannot be decoded)")
    if audio is not None and audio.codec_context is None:
        raise ProbeError("unsupported audio codec (this video's sound track cannot be decoded)")
    video.codec_context.thread_type = "AUTO"

    # -- one demux pass ---------------------------------------------------------
    pts_list: list[int] = []
    tail = _TailBuffer(TAIL_SECONDS, MAX_TAIL_BYTES)  # packets of the last GOP(s)
    v_end: Optional[int] = None  # max(pts + duration) of good video packets
    v_start: Optional[int] = None
    a_end: Optional[float] = None  # seconds
    past_eof = False
    demux_error: Optional[BaseException] = None
    head_frame: Any = None
    head_packets = 0
    first_packet_time: Optional[float] = None
    zero_durations = 0

    streams = [video] + ([audio] if audio is not None else [])
    vidx = video.index
    try:
        for packet in container.demux(streams):
            p_pts = packet.pts
            if packet.stream_index != vidx:
                if p_pts is not None and atb_f is not None and not packet.is_corrupt:
                    end_s = (p_pts + (packet.duration or 0)) * atb_f
                    if a_end is None or end_s > a_end:
                        a_end = end_s
                continue
            ts = p_pts if p_pts is not None else packet.dts
            p_size = packet.size
            if p_size == 0 and ts is None:
                continue  # flush packet at the end
            p_pos = packet.pos
            at_eof = p_pos is not None and p_pos >= 0 and p_pos + p_size >= size_bytes
            if at_eof and p_pos + p_size > size_bytes:
                past_eof = True
            tail.add(packet, None if ts is None else ts * vtb_f)
            # Decode from the start until the first picture comes out.
            if head_frame is None and head_packets < MAX_HEAD_PACKETS:
                head_packets += 1
                try:
                    frames = packet.decode()
                    if frames:
                        head_frame = frames[0]
                except av.error.FFmpegError:
                    pass  # keep trying: a later keyframe may decode
            if ts is None or packet.is_discard:
                continue  # no timing / hidden by an edit list: never shown
            if at_eof and packet.is_corrupt:
                # A partial packet at the cut of a truncated file: not counted.
                past_eof = True
                continue
            pts_list.append(ts)
            if first_packet_time is None:
                first_packet_time = ts * vtb_f
            dur = packet.duration or 0
            if dur <= 0:
                zero_durations += 1
            end = ts + dur
            if v_end is None or end > v_end:
                v_end = end
            if v_start is None or ts < v_start:
                v_start = ts
    except (av.error.FFmpegError, OSError) as exc:
        demux_error = exc

    if head_frame is None and pts_list:
        try:  # short videos: the decoder may hold the first frame until flushed
            frames = video.codec_context.decode(None)
            if frames:
                head_frame = frames[0]
        except av.error.FFmpegError:
            pass

    frame_count = len(pts_list)
    pts = np.asarray(sorted(pts_list), dtype=np.int64)
    # Frame durations from consecutive timestamps.  The last one is left out
    # when there are enough: the final frame's timing is often an artefact
    # (a parser's guess in AVI, a rounded end in Matroska).
    deltas = np.diff(pts) if frame_count >= 2 else np.zeros(0, dtype=np.int64)
    if deltas.size >= 3:
        deltas = deltas[:-1]
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
    if header_frames > 0 and nominal and fmt_name == "avi":
        # AVI re-estimates a cut file's duration from what it finds, but its
        # header still counts every frame.  (Not MP4: there the count also
        # holds the frames an edit list hides.)
        by_frames = stream_start + header_frames / float(nominal)
        expected_video_end = max(expected_video_end or 0.0, by_frames)

    container_end = None
    if container.duration and container.duration > 0:
        cstart = (container.start_time or 0) / 1_000_000 if container.start_time else 0.0
        container_end = cstart + container.duration / 1_000_000

    reached_video = float(v_end * vtb) if v_end is not None else stream_start
    start_s = float(v_start * vtb) if v_start is not None else stream_start

    def tolerance(expected_span: float) -> float:
        return max(0.25, 3 * frame_seconds, 0.002 * expected_span)

    if frame_count == 0 and not past_eof and demux_error is None and header_frames == 0 and not tag_end:
        # No packets and nothing promised any (ffmpeg fills a stream's
        # duration in from the container's when it has no packets).
        raise ProbeError("video stream is empty (no frames)")

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
        # Coarse time bases (1 ms in Matroska) round frame durations to a
        # tick (33/34 ms at 30 fps): allow one tick when a frame lasts several.
        rounding = 1.0 if median_delta >= 4 else 0.0
        tol_ticks = max(VFR_TOLERANCE * median_delta, rounding) + 1e-9
        variable = bool(np.any(np.abs(deltas - median_delta) > tol_ticks))
    span_s = int(deltas.sum()) * tick if deltas.size else 0.0
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
    _check_tail(video, vtb, tail.packets(), stream_start)

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


class _TailBuffer:
    """Keeps the video packets from the last keyframe at or before the last
    ``seconds`` of the stream, so the end can be decoded without seeking
    (seeking is approximate in MPEG-TS and impossible in files without an
    index).  Bounded to ``max_bytes``: a longer GOP is given up on."""

    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.seconds = seconds
        self.max_bytes = max_bytes
        self.gops: collections.deque = collections.deque()  # [start_s, nbytes, packets]
        self.total = 0
        self.latest: Optional[float] = None

    def add(self, packet: Any, t: Optional[float]) -> None:
        if t is not None:
            self.latest = t if self.latest is None else max(self.latest, t)
        if packet.is_keyframe:
            self.gops.append([t, 0, []])
        elif not self.gops:
            return  # after giving up on an over-long GOP: wait for a keyframe
        gop = self.gops[-1]
        gop[2].append(packet)
        gop[1] += packet.size
        self.total += packet.size
        # The oldest GOP is not needed once the next one starts a full
        # tail before the latest packet (the latest time only grows).
        while (
            len(self.gops) >= 2
            and self.gops[1][0] is not None
            and self.latest is not None
            and self.gops[1][0] <= self.latest - self.seconds
        ):
            self.total -= self.gops.popleft()[1]
        while self.total > self.max_bytes and self.gops:
            self.total -= self.gops.popleft()[1]

    def packets(self) -> list:
        return [p for gop in self.gops for p in gop[2]]


def _check_tail(video: Any, vtb: Fraction, packets: list, stream_start: float) -> None:
    """Decode the buffered end of the video; raise ProbeError if it is garbage.

    Lenient with a damaged packet or two (decoders conceal those), strict
    with an end that yields no picture at all or fails more often than not.
    """
    packets = packets[:MAX_TAIL_PACKETS]
    if not packets:
        return  # GOP too long to buffer: the first-frame check must do
    cc = video.codec_context
    try:
        cc.flush_buffers()
    except av.error.FFmpegError:  # pragma: no cover - defensive
        pass
    decoded = failed = 0
    first_failed_at: Optional[float] = None
    for packet in packets:
        try:
            decoded += len(cc.decode(packet))
        except av.error.FFmpegError:
            failed += 1
            if first_failed_at is None:
                ts = packet.pts if packet.pts is not None else packet.dts
                first_failed_at = float(ts * vtb) if ts is not None else None
    try:
        decoded += len(cc.decode(None))
    except av.error.FFmpegError:
        failed += 1
    if decoded == 0 or failed * 2 > len(packets):
        ts = packets[0].pts if packets[0].pts is not None else packets[0].dts
        at = first_failed_at if first_failed_at is not None else (float(ts * vtb) if ts is not None else stream_start)
        raise ProbeError(f"corrupt video data at {max(0.0, at - stream_start):.1f} s")


#: File extensions by the demuxer FFmpeg recognises a file as (the first name of ``container.format.name``).
CONTAINER_EXTENSIONS = {
    "mov": ".mp4", "matroska": ".mkv", "avi": ".avi", "mpeg": ".mpg", "mpegts": ".ts", "flv": ".flv", "asf": ".wmv",
    "ogg": ".ogv", "mxf": ".mxf", "nut": ".nut", "3gp": ".3gp",
}


def container_extension(path: PathLike) -> str:
    """The extension a stored file gets from what its bytes are, never from its client's name: a known video
    container's (``.mp4``, ``.mkv``, ...), else ``.bin``. Reads the header only."""
    try:
        with av.open(os.fspath(path)) as container:
            name = container.format.name.split(",")[0]
            is_webm = name == "matroska" and "webm" in container.format.name and _is_webm(container)
    except (av.error.FFmpegError, OSError, ValueError):
        return ".bin"
    return ".webm" if is_webm else CONTAINER_EXTENSIONS.get(name, ".bin")


def _is_webm(container: Any) -> bool:
    codecs = {s.codec_context.name for s in container.streams if s.codec_context is not None}
    return bool(codecs) and codecs <= {"vp8", "vp9", "av1", "opus", "vorbis"}
