"""An interval of a video's audio as mono float32 samples, decoded with PyAV from a keyframe-seek near its start
(never the whole file)."""

from __future__ import annotations

import math
import os
from typing import Union

import av
import numpy as np

SAMPLE_RATE = 16000


class NoAudio(ValueError):
    """The file has no audio stream."""


def read_audio(path: Union[str, os.PathLike], start: float, end: float, *, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Mono samples at ``sample_rate`` of ``[start, end)`` seconds of ``path``'s audio; sample 0 is at ``start``.
    Silence fills what the file does not cover."""
    if not (math.isfinite(start) and math.isfinite(end)) or end <= start or start < 0:
        raise ValueError(f"bad interval {start}-{end}")
    first = int(round(start * sample_rate))
    total = int(round(end * sample_rate)) - first
    out = np.zeros(total, dtype=np.float32)
    with av.open(os.fspath(path)) as container:
        stream = container.streams.best("audio")
        if stream is None:
            raise NoAudio("the video has no audio stream")
        if start > 1.0:
            container.seek(int((start - 1.0) / stream.time_base), stream=stream, backward=True, any_frame=False)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
        position = None  # sample index (on the timeline) of the next resampled sample
        done = False
        for packet in container.demux(stream):
            for frame in packet.decode():
                if position is None:
                    position = int(round((frame.time or 0.0) * sample_rate))
                for chunk in resampler.resample(frame):
                    position = _place(out, chunk.to_ndarray().reshape(-1), position, first)
                if position - first >= total:
                    done = True
                    break
            if done:
                break
        if not done and position is not None:
            for chunk in resampler.resample(None):
                position = _place(out, chunk.to_ndarray().reshape(-1), position, first)
    return out


def _place(out: np.ndarray, chunk: np.ndarray, position: int, first: int) -> int:
    """Copy ``chunk`` (starting at timeline sample ``position``) into ``out`` (starting at ``first``)."""
    lo = position - first
    a, b = max(lo, 0), min(lo + len(chunk), len(out))
    if b > a:
        out[a:b] = chunk[a - lo:b - lo]
    return position + len(chunk)
