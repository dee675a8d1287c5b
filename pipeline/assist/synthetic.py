"""Generated audio with known sound events (beeps over pink noise), for the unit tests and bench/assist.py."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tone:
    start: float
    duration: float
    frequency: float

    @property
    def end(self) -> float:
        return self.start + self.duration


def pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS pink (1/f power) noise."""
    white = rng.standard_normal(n)
    spectrum = np.fft.rfft(white)
    f = np.arange(len(spectrum), dtype=float)
    f[0] = 1.0
    pink = np.fft.irfft(spectrum / np.sqrt(f), n)
    return (pink / np.sqrt(np.mean(pink**2))).astype(np.float32)


def random_tones(seed: int, duration: float, *, count: int | None = None, min_len: float = 0.15,
                 max_len: float = 0.8, min_gap: float = 0.3, fmin: float = 200.0, fmax: float = 4000.0) -> list[Tone]:
    """Non-overlapping tones at random times, lengths and pitches (log-uniform), at least ``min_gap`` apart."""
    rng = random.Random(seed)
    count = count if count is not None else max(1, int(duration / 4))
    tones: list[Tone] = []
    attempts = 0
    while len(tones) < count and attempts < count * 200:
        attempts += 1
        length = rng.uniform(min_len, max_len)
        start = rng.uniform(0.2, duration - length - 0.2)
        if any(start < t.end + min_gap and t.start < start + length + min_gap for t in tones):
            continue
        freq = float(np.exp(rng.uniform(np.log(fmin), np.log(fmax))))
        tones.append(Tone(round(start, 3), round(length, 3), round(freq, 1)))
    return sorted(tones, key=lambda t: t.start)


def render_tones(tones: list[Tone], duration: float, *, sample_rate: int = 16000, snr_db: float = 20.0,
                 seed: int = 0, noise_rms: float = 0.02) -> np.ndarray:
    """The tones (5 ms ramps) over pink noise; ``snr_db`` is a tone's RMS over the noise's RMS."""
    rng = np.random.default_rng(seed)
    n = int(round(duration * sample_rate))
    x = pink_noise(n, rng) * noise_rms
    amplitude = noise_rms * 10 ** (snr_db / 20) * np.sqrt(2)
    ramp = int(0.005 * sample_rate)
    for tone in tones:
        a, b = int(round(tone.start * sample_rate)), int(round(tone.end * sample_rate))
        t = np.arange(b - a) / sample_rate
        env = np.ones(b - a)
        env[:ramp] = np.linspace(0, 1, ramp)
        env[-ramp:] = np.linspace(1, 0, ramp)
        x[a:b] += (amplitude * env * np.sin(2 * np.pi * tone.frequency * t)).astype(np.float32)
    return x
