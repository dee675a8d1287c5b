"""The browser proxy of a video: H.264 + AAC MP4, 720p, CFR, a keyframe a second.

Every uploaded video is transcoded once (see DESIGN.md, Media) to a proxy
that headless Chromium plays and seeks reliably and on which frame ``i`` is
exactly at ``i / fps``:

* :func:`plan_proxy` decides the proxy's frame rate and size from a
  :class:`~pipeline.media.probe.ProbeResult`;
* :func:`transcode_proxy` runs ffmpeg once to write it;
* :func:`extract_audio` copies the proxy's audio track into an ``.m4a`` for
  the waveform player.

Outputs are written to a hidden temporary file next to the destination and
renamed into place only when ffmpeg succeeded, so a destination path never
holds a half-written file; the temporary file is removed on any failure.

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Optional, Union

from .ffmpeg import run_ffmpeg
from .files import atomic_path
from .probe import ProbeResult

__all__ = [
    "PROXY_HEIGHT",
    "VFR_TARGET_RATES",
    "ProxyPlan",
    "plan_proxy",
    "proxy_ffmpeg_args",
    "transcode_proxy",
    "extract_audio",
]

#: Height of every proxy in pixels.  Smaller inputs are *upscaled* to it, so
#: that all proxies (and the frames and boxes drawn on them) share one scale.
PROXY_HEIGHT = 720

#: A variable-frame-rate input is resampled to the nearest of these rates.
VFR_TARGET_RATES = (24, 25, 30, 50, 60)

#: Largest denominator of a proxy frame rate (keeps 30000/1001 exact).
MAX_RATE_DENOMINATOR = 1001

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class ProxyPlan:
    """What the proxy of one video will be.

    ``width`` x ``height`` is the size after rotation (both even);
    ``fps`` is the constant frame rate (see :attr:`rate` for the exact one).
    """

    fps: float
    width: int
    height: int
    has_audio: bool

    @property
    def rate(self) -> Fraction:
        """The exact frame rate (``30000/1001`` for 29.97 fps)."""
        return rate_fraction(self.fps)

    @property
    def keyframe_interval(self) -> int:
        """GOP length in frames (one second, rounded up)."""
        return max(1, math.ceil(float(self.rate) - 1e-9))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def rate_fraction(fps: float) -> Fraction:
    """``fps`` as the simple fraction ffmpeg gets (29.97002997 -> 30000/1001)."""
    if not fps or not math.isfinite(fps) or fps <= 0:
        raise ValueError(f"frame rate must be a positive number, got {fps!r}")
    return Fraction(fps).limit_denominator(MAX_RATE_DENOMINATOR)


def _even(x: float) -> int:
    return max(2, int(round(x / 2.0)) * 2)


def plan_proxy(probe: ProbeResult) -> ProxyPlan:
    """The proxy for a probed video.

    * Frame rate: the source's own rate when it is constant (29.97 stays
      exactly 30000/1001); a variable-frame-rate source is resampled to the
      nearest of :data:`VFR_TARGET_RATES` to its average rate.
    * Size: :data:`PROXY_HEIGHT` pixels high (smaller sources are upscaled),
      the width the even number nearest to ``720 * aspect`` where the aspect
      is the displayed one, after rotation (90/270 degrees swap width and
      height; ffmpeg turns the pixels when transcoding).
    """
    if probe.variable_frame_rate:
        fps = float(min(VFR_TARGET_RATES, key=lambda r: (abs(r - probe.fps), r)))
    else:
        fps = float(rate_fraction(probe.fps))
    w, h = probe.width, probe.height
    if probe.rotation in (90, 270):
        w, h = h, w
    if w <= 0 or h <= 0:
        raise ValueError(f"cannot plan a proxy for a {w}x{h} video")
    return ProxyPlan(
        fps=fps,
        width=_even(PROXY_HEIGHT * w / h),
        height=PROXY_HEIGHT,
        has_audio=bool(probe.has_audio),
    )


def _run_to(dst: PathLike, suffix: str, build: Callable[[Path], list[str]], **run_kwargs: Any) -> None:
    with atomic_path(dst, suffix=suffix) as tmp:
        run_ffmpeg(build(tmp), **run_kwargs)


def proxy_ffmpeg_args(src: PathLike, out: PathLike, plan: ProxyPlan) -> list[str]:
    """The ffmpeg arguments (after the common ones) that write the proxy."""
    rate = plan.rate
    rate_s = f"{rate.numerator}/{rate.denominator}"
    if plan.width % 2 or plan.height % 2:
        raise ValueError(f"proxy size must be even, got {plan.width}x{plan.height}")
    args = [
        "-i", os.fspath(src),
        "-map", "0:V:0",  # first real video stream (not cover art)
    ]
    if plan.has_audio:
        args += ["-map", "0:a:0"]
    args += [
        "-vf", f"scale={plan.width}:{plan.height}:flags=bicubic,setsar=1,format=yuv420p",
        "-fps_mode", "cfr",
        "-r", rate_s,
        "-c:v", "libx264",
        "-preset", "veryfast",
        "-crf", "23",
        "-profile:v", "high",
        "-pix_fmt", "yuv420p",
        "-g", str(plan.keyframe_interval),
        "-sc_threshold", "0",
        "-force_key_frames", "expr:gte(t,n_forced*1)",
    ]
    if plan.has_audio:
        args += [
            # Fill timestamp gaps with silence / drop overlaps so the audio
            # stays in sync with the (now constant-rate) video.
            "-af", "aresample=async=1:first_pts=0",
            "-c:a", "aac",
            "-b:a", "128k",
            "-ar", "48000",
            "-ac", "2",
        ]
    else:
        args += ["-an"]
    args += [
        "-sn", "-dn",
        "-map_metadata", "-1",
        "-map_chapters", "-1",
        # The pixels are rotated (ffmpeg autorotates); no display matrix left.
        "-metadata:s:v:0", "rotate=0",
        "-movflags", "+faststart",
        "-f", "mp4",
        "-y", os.fspath(out),
    ]
    return args


def transcode_proxy(
    src: PathLike,
    dst: PathLike,
    plan: ProxyPlan,
    *,
    duration: float,
    on_progress: Optional[Callable[[float], None]] = None,
    timeout: Optional[float] = None,
) -> None:
    """Write the proxy of ``src`` described by ``plan`` to ``dst`` (MP4).

    One ffmpeg run; ``on_progress`` gets fractions 0..1 computed from
    ffmpeg's ``-progress`` output against ``duration`` (seconds, normally
    ``ProbeResult.duration``), never decreasing, ending with exactly 1.0.
    Raises :class:`~pipeline.media.ffmpeg.FFmpegError` when ffmpeg fails;
    ``dst`` is then left as it was and no temporary file remains.
    """
    _run_to(
        dst,
        ".mp4",
        lambda tmp: proxy_ffmpeg_args(src, tmp, plan),
        total_seconds=duration,
        on_progress=on_progress,
        timeout=timeout,
    )


def extract_audio(
    proxy_path: PathLike,
    dst: PathLike,
    *,
    timeout: Optional[float] = None,
) -> None:
    """Copy the proxy's audio track (AAC, no re-encoding) into an ``.m4a``.

    Raises ``ValueError`` if the proxy has no audio track and
    :class:`~pipeline.media.ffmpeg.FFmpegError` if ffmpeg fails; ``dst`` is
    written only on success (temporary file + rename).
    """
    import av  # local: only needed here

    try:
        with av.open(os.fspath(proxy_path)) as container:
            has_audio = bool(container.streams.audio)
    except av.error.FFmpegError as exc:
        raise ValueError(f"cannot read the proxy {os.fspath(proxy_path)!r}: {exc}") from exc
    if not has_audio:
        raise ValueError("the proxy has no audio track")

    def build(tmp: Path) -> list[str]:
        return [
            "-i", os.fspath(proxy_path),
            "-map", "0:a:0",
            "-vn", "-sn", "-dn",
            "-c:a", "copy",
            "-map_metadata", "-1",
            "-movflags", "+faststart",
            "-f", "ipod",
            "-y", os.fspath(tmp),
        ]

    _run_to(dst, ".m4a", build, timeout=timeout)
