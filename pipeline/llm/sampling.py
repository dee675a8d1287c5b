"""Frames for models that take no video, and the media part of the cache key.

Frames are picked by index (see DESIGN.md, "Index, not float time"): the video is cut into ``budget``
equal segments and the frame at the middle of each is decoded exactly with :class:`FrameDecoder`. The
timestamp a model is told is the frame's own time, ``index / fps``.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Union

import numpy as np
from PIL import Image

from pipeline.media.frames import FrameDecoder, encode_jpeg

from .types import SampledFrame

__all__ = ["SAMPLING_VERSION", "frame_indices", "media_fingerprint", "sample_frames"]

#: Goes into :func:`media_fingerprint`: bump it when the way frames are picked or encoded changes, so
#: cached answers made from the old frames are not reused.
SAMPLING_VERSION = 1


def frame_indices(frame_count: int, fps: float, *, budget: int) -> list[int]:
    """The indices of at most ``budget`` frames, at the middle of equal segments (increasing, no repeats)."""
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise ValueError(f"the frame budget must be a whole number of at least 1, got {budget!r}")
    if frame_count < 1 or not fps > 0:
        raise ValueError(f"cannot sample frames from {frame_count} frames at {fps} fps")
    duration = frame_count / fps
    indices: list[int] = []
    for k in range(budget):
        t = (k + 0.5) * duration / budget
        index = min(int(t * fps), frame_count - 1)
        if not indices or index != indices[-1]:
            indices.append(index)
    return indices


def sample_frames(
    proxy_path: Union[str, os.PathLike],
    *,
    budget: int,
    max_side: int = 512,
    quality: int = 80,
) -> tuple[SampledFrame, ...]:
    """``budget`` frames spread evenly over the video, as JPEGs whose longer side is at most ``max_side``.

    Frames are only ever made smaller. A video with fewer frames than ``budget`` gives each frame once.
    """
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 16:
        raise ValueError(f"max_side must be a whole number of pixels, at least 16, got {max_side!r}")
    with FrameDecoder(proxy_path) as decoder:
        fps = decoder.fps
        frames = []
        for index in frame_indices(decoder.frame_count, fps, budget=budget):
            rgb = _fit(decoder.get(index), max_side)
            frames.append(SampledFrame(timestamp=round(index / fps, 3), frame_index=index, jpeg=encode_jpeg(rgb, quality)))
    return tuple(frames)


def _fit(rgb: np.ndarray, max_side: int) -> np.ndarray:
    height, width = rgb.shape[:2]
    longer = max(height, width)
    if longer <= max_side:
        return rgb
    scale = max_side / longer
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(rgb, "RGB").resize(size, Image.Resampling.LANCZOS))


def media_fingerprint(proxy_sha256: str, *, budget: int, max_side: int, with_audio: bool, native_video: bool) -> str:
    """sha256 hex naming what a model is shown of one proxy: the proxy and how it is sampled.

    The cache key uses this instead of the JPEG bytes, which need not be byte-identical across library
    versions.
    """
    if not isinstance(proxy_sha256, str) or len(proxy_sha256) != 64:
        raise ValueError(f"expected the proxy's sha256 as 64 hex digits, got {proxy_sha256!r}")
    description = {
        "proxy_sha256": proxy_sha256.lower(),
        "sampling_version": SAMPLING_VERSION,
        "native_video": bool(native_video),
        # A model given the video itself sees no sampled frames, so their parameters do not matter.
        "budget": None if native_video else int(budget),
        "max_side": None if native_video else int(max_side),
        "with_audio": bool(with_audio),
    }
    canonical = json.dumps(description, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
