"""Candidate sound events in an interval of audio: onsets and offsets against an adaptive noise floor.

The audio's mel spectrogram (librosa) is compared with a noise floor that follows the recording: per mel band, a
low percentile of each half second, smoothed by a running median over a few seconds, so that a steady hum, a
slowly rising crowd or pink noise raise the floor and a short sound stands out of it. Two activations are read
against the floor, frame by frame (10 ms): the broadband excess (all bands' power over the floor's, in dB: a
knock, a voice, a bark) and the tonal excess (the strongest band, less a margin for the spread of a single band:
a beep, a whistle, a bird). A candidate starts where either rises over ``on_db`` and lasts while it stays over
``off_db`` (hysteresis); candidates closer than ``merge_gap`` are joined, shorter than ``min_duration`` dropped.
Each has a score in [0, 1], rising with its peak excess over the floor.

Plain Python: no Django. Times are seconds; ``offset`` puts sample 0 on the video's timeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import librosa
import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

ENGINE = "acoustic-onsets"
ENGINE_VERSION = "1"


@dataclass(frozen=True)
class EventParams:
    """The detector's settings; the defaults are tuned on beeps over pink noise (bench/assist.py)."""

    hop: float = 0.01  # seconds between frames
    window: float = 0.032  # seconds of one analysis window
    n_mels: int = 40
    fmin: float = 80.0
    floor_block: float = 0.5  # seconds over which one floor value is taken
    floor_percentile: float = 20.0
    floor_span: float = 5.0  # seconds of the running median over blocks
    on_db: float = 8.0  # excess over the floor that starts an event
    off_db: float = 3.5  # excess below which it ends
    tonal_margin_db: float = 10.0  # the strongest band's excess counts this much less (one band's spread is wide)
    smooth: float = 0.03  # seconds of smoothing of the activations
    merge_gap: float = 0.06  # seconds: closer candidates are one event
    min_duration: float = 0.06  # seconds: shorter ones are dropped
    score_mid_db: float = 9.0  # peak excess with score 0.5
    score_slope_db: float = 2.5

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class SoundEvent:
    start: float
    end: float
    score: float
    peak_db: float = field(default=0.0, compare=False)

    @property
    def duration(self) -> float:
        return self.end - self.start


def activation(samples: np.ndarray, sample_rate: int, params: EventParams = EventParams()) -> tuple[np.ndarray, float]:
    """The excess over the adaptive noise floor (dB) per frame, and the frame hop in seconds."""
    hop = max(1, int(round(params.hop * sample_rate)))
    n_fft = 1 << max(6, int(math.ceil(math.log2(params.window * sample_rate))))
    x = np.asarray(samples, dtype=np.float32)
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    power = np.abs(librosa.stft(x, n_fft=n_fft, hop_length=hop, window="hann", center=True)) ** 2
    fmax = sample_rate / 2
    mel = librosa.feature.melspectrogram(S=power, sr=sample_rate, n_mels=params.n_mels, fmin=params.fmin, fmax=fmax,
                                         htk=True, norm=None)
    mel = np.maximum(mel, 1e-12)
    frames = mel.shape[1]
    smooth = max(1, int(round(params.smooth / params.hop)))
    if smooth > 1:
        mel = uniform_filter1d(mel, smooth, axis=1, mode="nearest")
    floor = _noise_floor(mel, params)
    tonal = 10 * np.log10(mel / floor).max(axis=0) - params.tonal_margin_db
    broad = 10 * np.log10(mel.sum(axis=0) / floor.sum(axis=0))
    return np.maximum(tonal, broad)[:frames], hop / sample_rate


def _noise_floor(mel: np.ndarray, params: EventParams) -> np.ndarray:
    bands, frames = mel.shape
    block = max(1, int(round(params.floor_block / params.hop)))
    blocks = max(1, frames // block)
    usable = mel[:, : blocks * block].reshape(bands, blocks, block) if frames >= block else mel[:, :, None]
    per_block = np.percentile(usable, params.floor_percentile, axis=2)
    span = max(1, int(round(params.floor_span / params.floor_block)))
    if span > 1 and per_block.shape[1] > 1:
        per_block = median_filter(per_block, size=(1, min(span, per_block.shape[1]) | 1), mode="nearest")
    centres = (np.arange(per_block.shape[1]) + 0.5) * block
    out = np.empty_like(mel)
    for b in range(bands):
        out[b] = np.interp(np.arange(frames), centres, per_block[b])
    return np.maximum(out, 1e-12)


def detect_events(samples: np.ndarray, sample_rate: int, *, offset: float = 0.0, start: float | None = None,
                  end: float | None = None, params: EventParams = EventParams()) -> list[SoundEvent]:
    """Candidate events of ``samples`` (sample 0 at ``offset`` seconds), clipped to ``[start, end]`` when given."""
    act, hop = activation(samples, sample_rate, params)
    events = []
    for i, j in _runs(act, params.on_db, params.off_db):
        events.append([offset + i * hop, offset + j * hop, float(act[i:j].max())])
    merged: list[list[float]] = []
    for ev in events:
        if merged and ev[0] - merged[-1][1] < params.merge_gap:
            merged[-1][1] = ev[1]
            merged[-1][2] = max(merged[-1][2], ev[2])
        else:
            merged.append(ev)
    lo = offset if start is None else start
    hi = offset + len(samples) / sample_rate if end is None else end
    out = []
    for s, e, peak in merged:
        s, e = max(s, lo), min(e, hi)
        if e - s < params.min_duration:
            continue
        score = 1.0 / (1.0 + math.exp(-(peak - params.score_mid_db) / params.score_slope_db))
        # Milliseconds, rounded inward at the bounds: an event clipped to an interval that ends at the video's end
        # (4.0106 s, say) must not end after it (4.011 s), or no clue could be made of it.
        s = max(round(s, 3), math.ceil(lo * 1000 - 1e-6) / 1000)
        e = min(round(e, 3), math.floor(hi * 1000 + 1e-6) / 1000)
        if e <= s:
            continue
        out.append(SoundEvent(start=s, end=e, score=round(score, 4), peak_db=round(peak, 2)))
    return out


def _runs(act: np.ndarray, on: float, off: float) -> list[tuple[int, int]]:
    """Hysteresis: runs of frames over ``off`` that reach ``on`` somewhere, as [first, last + 1) frame indices."""
    above = act > off
    if not above.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], above.astype(np.int8), [0]])))
    runs = []
    for i, j in zip(edges[::2], edges[1::2]):
        if act[i:j].max() >= on:
            runs.append((int(i), int(j)))
    return runs


def iou(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Temporal intersection over union of two intervals."""
    inter = max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def match(found: list[tuple[float, float]], truth: list[tuple[float, float]], *, threshold: float = 0.5) -> int:
    """How many of ``truth`` are matched one-to-one by ``found`` at temporal IoU >= threshold (greedy by IoU)."""
    pairs = sorted(((iou(f, t), i, j) for i, f in enumerate(found) for j, t in enumerate(truth)), reverse=True)
    used_f, used_t, hits = set(), set(), 0
    for value, i, j in pairs:
        if value < threshold:
            break
        if i in used_f or j in used_t:
            continue
        used_f.add(i)
        used_t.add(j)
        hits += 1
    return hits
