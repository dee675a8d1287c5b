"""Tests for pipeline.media.peaks: waveform peaks and spectrogram in one streaming pass.

A 6 s synthetic video with three beeps at known times and frequencies is
rendered once; the overview must show them where they are, coarser peak
levels must be exact reductions of the finest, and the streamed result
must equal a reference computed here from the whole decoded track at once
(which is what proves the carry buffers are right at chunk edges).
No Django needed; nothing here asserts on time.
"""

from __future__ import annotations

import json
import math
import os

import av
import numpy as np
import pytest

from pipeline.media.ffmpeg import run_ffmpeg
from pipeline.media.peaks import (
    DB_MAX,
    DB_MIN,
    DEFAULT_LEVELS,
    FRAMES_PER_COLUMN,
    N_FFT,
    SAMPLE_RATE,
    SPECTROGRAM_HOP,
    NoAudio,
    OverviewBuilder,
    compute_audio_overview,
    write_json_atomic,
)
from pipeline.media.synthetic import Beep, SyntheticSpec, render

DUR = 6.0
AMPLITUDE = 0.5
BEEPS = (Beep(1.00, 0.30, 1000.0), Beep(2.50, 0.20, 2000.0), Beep(4.20, 0.50, 500.0))
SPEC = SyntheticSpec(duration=DUR, width=320, height=180, fps=25, beeps=BEEPS, amplitude=AMPLITUDE)


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("peaks") / "beeps.mp4"
    render(SPEC, path)
    return path


@pytest.fixture(scope="module")
def overview(video):
    return compute_audio_overview(video)


def _in_beep(t0: float, t1: float, margin: float) -> bool:
    """Interval [t0, t1) lies inside one beep, at least ``margin`` from its edges."""
    return any(b.start + margin <= t0 and t1 <= b.end - margin for b in BEEPS)


def _clear_of_beeps(t0: float, t1: float, margin: float) -> bool:
    return all(t1 <= b.start - margin or t0 >= b.end + margin for b in BEEPS)


def _deinterleave(level: dict) -> tuple[np.ndarray, np.ndarray]:
    data = np.asarray(level["data"], dtype=np.float64)
    return data[0::2], data[1::2]


# -- peaks -----------------------------------------------------------------------


def test_duration_and_levels(overview):
    assert overview.sample_rate == SAMPLE_RATE
    assert overview.duration == pytest.approx(DUR, abs=1e-3)
    sizes = [level.samples_per_bucket for level in overview.levels]
    assert sizes == sorted(sizes), "finest level first"
    assert [SAMPLE_RATE / s for s in sizes] == list(DEFAULT_LEVELS)
    # From about a third of a video frame up to one second per bucket.
    assert overview.levels[0].buckets_per_second >= 90
    assert overview.levels[-1].buckets_per_second <= 1


def test_finest_envelope_is_silent_outside_beeps_and_full_inside(overview):
    finest = overview.to_peaks_json()["levels"][0]
    mins, maxs = _deinterleave(finest)
    bps = finest["buckets_per_second"]
    inside = outside = 0
    for k, (lo, hi) in enumerate(zip(mins, maxs)):
        t0, t1 = k / bps, (k + 1) / bps
        assert -1.0 <= lo <= hi <= 1.0
        if _in_beep(t0, t1, margin=0.01):
            inside += 1
            assert hi == pytest.approx(AMPLITUDE, abs=0.03), f"bucket at {t0:.2f} s"
            assert lo == pytest.approx(-AMPLITUDE, abs=0.03), f"bucket at {t0:.2f} s"
        elif _clear_of_beeps(t0, t1, margin=0.02):
            outside += 1
            assert max(abs(lo), abs(hi)) < 0.01, f"bucket at {t0:.2f} s"
    assert inside > 80 and outside > 400


def test_beep_count_and_times_recovered_from_peaks(overview):
    finest = overview.to_peaks_json()["levels"][0]
    mins, maxs = _deinterleave(finest)
    bps = finest["buckets_per_second"]
    loud = np.maximum(np.abs(mins), np.abs(maxs)) > AMPLITUDE / 2
    edges = np.diff(np.concatenate(([0], loud.astype(int), [0])))
    starts = np.nonzero(edges == 1)[0] / bps
    ends = np.nonzero(edges == -1)[0] / bps
    assert len(starts) == len(BEEPS)
    for beep, start, end in zip(BEEPS, starts, ends):
        assert start == pytest.approx(beep.start, abs=0.02)
        assert end == pytest.approx(beep.end, abs=0.02)


def test_coarser_levels_are_exact_reductions_of_the_finest(overview):
    doc = overview.to_peaks_json()
    finest = doc["levels"][0]
    fmins, fmaxs = _deinterleave(finest)
    for level in doc["levels"]:
        mins, maxs = _deinterleave(level)
        assert level["buckets"] == len(mins) == len(maxs)
        assert abs(level["buckets"] - math.ceil(doc["duration"] * level["buckets_per_second"])) <= 1
        assert level["samples_per_bucket"] * level["buckets_per_second"] == doc["sample_rate"]
        factor = level["samples_per_bucket"] // finest["samples_per_bucket"]
        assert factor * finest["samples_per_bucket"] == level["samples_per_bucket"]
        for k in range(len(mins)):
            chunk = slice(k * factor, (k + 1) * factor)
            assert mins[k] == fmins[chunk].min()
            assert maxs[k] == fmaxs[chunk].max()
        assert (len(mins) - 1) * factor < len(fmins) <= len(mins) * factor


# -- spectrogram -------------------------------------------------------------------


def test_spectrogram_is_loud_at_the_beep_bin_only_during_the_beep(overview):
    doc = overview.to_spectrogram_json()
    data = np.asarray(doc["data"], dtype=np.int64)
    hop, bins = doc["hop_seconds"], doc["bins"]
    assert data.shape == (doc["columns"], bins)
    assert doc["columns"] == math.ceil(doc["duration"] / hop - 1e-9)
    assert doc["frequency_max"] == SAMPLE_RATE / 2
    assert 0 <= data.min() and data.max() <= 255
    for beep in BEEPS:
        k = round(beep.frequency / (doc["frequency_max"] / bins))
        during = [j for j in range(len(data)) if beep.start + 0.02 <= j * hop and (j + 1) * hop <= beep.end - 0.02]
        quiet = [j for j in range(len(data)) if _clear_of_beeps(j * hop, (j + 1) * hop, margin=0.03)]
        assert len(during) >= 2 and len(quiet) > 50
        # A 0.5 sine is -6 dB: (100 - 6) / 100 * 255 = 240.
        assert data[during, k].min() >= 220
        assert data[quiet, k].max() <= 60
        assert data[during].argmax(axis=1).tolist() == [k] * len(during)


# -- streaming equals a whole-track reference ---------------------------------------


def _decode_whole_track(path) -> np.ndarray:
    """All of the audio at once, the way a non-streaming implementation would."""
    with av.open(os.fspath(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        parts = []
        for frame in container.decode(stream):
            assert frame.time == 0 or parts, "the synthetic audio starts at 0 s"
            parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
        parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
        end = round((stream.start_time + stream.duration) * stream.time_base * SAMPLE_RATE)
    return np.concatenate(parts)[:end]


def _reference_peaks(x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    n = math.ceil(len(x) / size)
    mins = np.array([x[k * size : (k + 1) * size].min() for k in range(n)])
    maxs = np.array([x[k * size : (k + 1) * size].max() for k in range(n)])
    return mins, maxs


def _reference_spectrogram(x: np.ndarray) -> np.ndarray:
    """Column j: mean power of windows centred at j*hop + (m + 1/2) * hop/frames, m < frames."""
    window = np.hanning(N_FFT + 1)[:-1]
    sub = SPECTROGRAM_HOP // FRAMES_PER_COLUMN
    padded = np.concatenate((np.zeros(N_FFT), x.astype(np.float64), np.zeros(SPECTROGRAM_HOP + N_FFT)))
    columns = []
    for j in range(math.ceil(len(x) / SPECTROGRAM_HOP)):
        power = np.zeros(N_FFT // 2)
        for m in range(FRAMES_PER_COLUMN):
            centre = j * SPECTROGRAM_HOP + m * sub + sub // 2
            frame = padded[N_FFT + centre - N_FFT // 2 : N_FFT + centre + N_FFT // 2]
            power += np.abs(np.fft.rfft(frame * window)[: N_FFT // 2]) ** 2
        power = power / FRAMES_PER_COLUMN * (2 / window.sum()) ** 2
        db = 10 * np.log10(np.maximum(power, 1e-30))
        columns.append(np.clip(np.rint((db - DB_MIN) / (DB_MAX - DB_MIN) * 255), 0, 255))
    return np.array(columns, dtype=np.int64)


def test_streaming_pass_equals_whole_track_reference(video, overview):
    x = _decode_whole_track(video)
    assert len(x) / SAMPLE_RATE == overview.duration
    finest = overview.levels[0]
    mins, maxs = _reference_peaks(x, finest.samples_per_bucket)
    np.testing.assert_array_equal(finest.mins, mins)
    np.testing.assert_array_equal(finest.maxs, maxs)

    ref = _reference_spectrogram(x)
    got = overview.spectrogram.astype(np.int64)
    assert got.shape == ref.shape
    # float32 against float64 arithmetic: at most a rounding step apart.
    assert np.abs(got - ref).max() <= 1
    assert (got == ref).mean() > 0.99


@pytest.mark.parametrize("length", [1, 159, 160, 161, 827, 828, 829, 16000, 48_123])
def test_chunk_sizes_do_not_change_the_result(length):
    rng = np.random.default_rng(length)
    t = np.arange(length) / SAMPLE_RATE
    x = (0.3 * np.sin(2 * np.pi * 700 * t) + 0.05 * rng.standard_normal(length)).astype(np.float32)

    whole = OverviewBuilder()
    whole.feed(x)
    expected = whole.finish()

    pieces = OverviewBuilder()
    sizes = [1, 7, 159, 160, 161, 799, 800, 801, 5000]
    i = k = 0
    while i < length:
        pieces.feed(x[i : i + sizes[k % len(sizes)]])
        i += sizes[k % len(sizes)]
        k += 1
    got = pieces.finish()

    assert got.duration == expected.duration == length / SAMPLE_RATE
    for a, b in zip(got.levels, expected.levels):
        np.testing.assert_array_equal(a.mins, b.mins)
        np.testing.assert_array_equal(a.maxs, b.maxs)
        assert len(a.mins) == math.ceil(length / a.samples_per_bucket)
    assert got.spectrogram.shape == (math.ceil(length / SPECTROGRAM_HOP), N_FFT // 2)
    assert np.abs(got.spectrogram.astype(int) - expected.spectrogram.astype(int)).max() <= 1
    ref = _reference_spectrogram(x)
    assert np.abs(got.spectrogram.astype(int) - ref).max() <= 1


def test_empty_signal_gives_empty_overview():
    result = OverviewBuilder().finish()
    assert result.duration == 0
    assert all(len(level.mins) == 0 for level in result.levels)
    assert result.spectrogram.shape == (0, N_FFT // 2)
    json.dumps(result.to_peaks_json())
    json.dumps(result.to_spectrogram_json())


# -- time axis -----------------------------------------------------------------------


def test_late_audio_start_is_kept_on_the_video_timeline(tmp_path):
    path = tmp_path / "late.mp4"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", "color=c=black:s=320x180:r=25:d=3",
            "-itsoffset", "1", "-f", "lavfi", "-i", "sine=f=1000:r=48000:d=1",
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
            "-f", "mp4", "-y", str(path),
        ],
        total_seconds=3,
    )
    result = compute_audio_overview(path)
    finest = result.levels[0]
    loud = np.nonzero(finest.maxs > 0.05)[0] / finest.buckets_per_second
    assert loud[0] == pytest.approx(1.0, abs=0.03)
    assert loud[-1] == pytest.approx(2.0, abs=0.03)
    assert result.duration == pytest.approx(2.0, abs=0.05)


# -- errors and options -------------------------------------------------------------


def test_video_without_audio_raises_no_audio(tmp_path):
    path = tmp_path / "silent.mp4"
    render(SyntheticSpec(duration=1.0, width=320, height=180, fps=25, audio=False), path)
    with pytest.raises(NoAudio, match="^video has no audio stream$") as info:
        compute_audio_overview(path)
    assert isinstance(info.value, ValueError)


def test_custom_levels(video):
    result = compute_audio_overview(video, levels=(10, 50, 2))
    assert [level.samples_per_bucket for level in result.levels] == [320, 1600, 8000]
    assert [level.buckets_per_second for level in result.levels] == [50, 10, 2]


@pytest.mark.parametrize("levels", [(), (100, 30), (100, 64), (0,), (-1,), (True,), ("100",)])
def test_bad_levels_are_refused(levels):
    with pytest.raises(ValueError):
        OverviewBuilder(levels=levels)


# -- JSON ----------------------------------------------------------------------------


def test_json_documents_are_serialisable_and_small(overview):
    peaks = overview.to_peaks_json()
    spectrogram = overview.to_spectrogram_json()
    peaks_text = json.dumps(peaks, separators=(",", ":"), allow_nan=False)
    spectrogram_text = json.dumps(spectrogram, separators=(",", ":"), allow_nan=False)
    assert peaks["version"] == spectrogram["version"] == 1
    assert set(peaks) == {"version", "duration", "sample_rate", "levels"}
    assert {"version", "hop_seconds", "frequency_max", "bins", "columns", "data"} <= set(spectrogram)
    for level in peaks["levels"]:
        assert all(isinstance(v, float) and v == round(v, 4) for v in level["data"])
    assert all(isinstance(v, int) for column in spectrogram["data"] for v in column)
    # 6 s: about 2 x 125 buckets a second of short numbers, and 20 x 128 bytes a second.
    assert len(peaks_text) < 20_000
    assert len(spectrogram_text) < 6 * 20 * 128 * 4


def test_write_json_atomic(tmp_path, overview):
    target = tmp_path / "sub" / "peaks.json"
    doc = overview.to_peaks_json()
    write_json_atomic(doc, target)
    text = target.read_text(encoding="utf-8")
    assert json.loads(text) == doc
    assert ", " not in text and ": " not in text
    assert os.listdir(target.parent) == ["peaks.json"]

    with pytest.raises(ValueError):
        write_json_atomic({"x": float("nan")}, target)
    assert json.loads(target.read_text(encoding="utf-8")) == doc
    assert os.listdir(target.parent) == ["peaks.json"]
