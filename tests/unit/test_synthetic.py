"""Tests for pipeline.media.synthetic and pipeline.media.ffmpeg.

Small videos (320x180, 3 s, 25 fps) are rendered with ffmpeg and decoded
again with PyAV to check that what is in the file matches the known truth.
No Django needed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import av
import numpy as np
import pytest

from pipeline.media.ffmpeg import (
    ENV_VAR,
    FFmpegError,
    FFmpegNotFound,
    FFmpegTimeout,
    ffmpeg_binary,
    run_ffmpeg,
)
from pipeline.media.synthetic import (
    Beep,
    Shape,
    SyntheticSpec,
    color_rgb,
    demo_spec,
    render,
    shape_x,
    truth,
    visible_shapes,
)

W, H, FPS, DUR = 320, 180, 25, 3.0

SPEC = SyntheticSpec(
    duration=DUR,
    width=W,
    height=H,
    fps=FPS,
    beeps=(
        Beep(0.50, 0.20, 880.0),
        Beep(1.30, 0.15, 1000.0),
        Beep(2.20, 0.30, 660.0),
    ),
    shapes=(
        # Each shape has its own horizontal lane so none can overlap.
        Shape("red", 30, 0.0, 3.0, y=10, x0=20, speed=40.0),
        Shape("green", 24, 2.0, 3.0, y=45, x0=150, speed=-25.0),
        Shape("red", 30, 1.0, 2.5, y=75, x0=200, speed=-30.0),
        Shape("blue", 40, 0.5, 1.5, y=125, x0=100, speed=0.0),
    ),
)

# Frame times well away from any appear/disappear time.
CHECK_TIMES = (0.2, 1.2, 2.8)


# -- helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "spec.mp4"
    render(SPEC, out)
    return out


def decode_audio(path: Path) -> tuple[np.ndarray, int, float]:
    """Mono float samples, sample rate, time of the first sample."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        chunks, first = [], None
        for frame in container.decode(stream):
            if first is None:
                first = float(frame.time or 0.0)
            chunks.append(frame.to_ndarray()[0])  # AAC decodes to planar float: row 0 = channel 0
        return np.concatenate(chunks).astype(np.float64), stream.rate, first or 0.0


def beep_starts(samples: np.ndarray, rate: int, t0: float, window: float = 0.02) -> list[float]:
    """Start times of the loud parts: RMS over ``window`` s, rising edges."""
    n = int(rate * window)
    usable = len(samples) // n * n
    rms = np.sqrt(np.mean(samples[:usable].reshape(-1, n) ** 2, axis=1))
    loud = rms > 0.05
    edges = np.flatnonzero(loud[1:] & ~loud[:-1]) + 1
    if loud[0]:
        edges = np.concatenate([[0], edges])
    return [t0 + float(i) * window for i in edges]


def frame_at(path: Path, t: float) -> np.ndarray:
    """RGB frame (H, W, 3) whose timestamp is closest to ``t``."""
    best, best_dt = None, None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            dt = abs(float(frame.time) - t)
            if best_dt is None or dt < best_dt:
                best, best_dt = frame.to_ndarray(format="rgb24"), dt
            if float(frame.time) > t + 1.0:
                break
    assert best is not None and best_dt < 0.5 / FPS
    return best


def color_mask(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 70) -> np.ndarray:
    diff = np.abs(img.astype(np.int16) - np.array(rgb, dtype=np.int16))
    return diff.max(axis=2) <= tol


def count_regions(mask: np.ndarray, min_area: int = 40) -> int:
    """Number of 4-connected regions of at least ``min_area`` pixels."""
    seen = np.zeros_like(mask, dtype=bool)
    h, w = mask.shape
    regions = 0
    for y0, x0 in zip(*np.nonzero(mask)):
        if seen[y0, x0]:
            continue
        stack, area = [(y0, x0)], 0
        seen[y0, x0] = True
        while stack:
            y, x = stack.pop()
            area += 1
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                    seen[ny, nx] = True
                    stack.append((ny, nx))
        if area >= min_area:
            regions += 1
    return regions


# -- rendered video --------------------------------------------------------------


def test_rendered_streams_match_spec(rendered: Path):
    with av.open(str(rendered)) as container:
        assert container.format.name.startswith("mov")
        v = container.streams.video[0]
        assert v.codec_context.name == "h264"
        assert (v.codec_context.width, v.codec_context.height) == (W, H)
        assert v.codec_context.pix_fmt == "yuv420p"
        assert v.average_rate == FPS
        assert abs(float(v.duration * v.time_base) - DUR) <= 1 / FPS
        assert abs(container.duration / av.time_base - DUR) <= 1 / FPS
        n_frames = sum(1 for _ in container.decode(video=0))
    assert abs(n_frames - DUR * FPS) <= 1

    with av.open(str(rendered)) as container:
        assert len(container.streams.audio) == 1
        a = container.streams.audio[0]
        assert a.codec_context.name == "aac"
        assert a.rate == SPEC.sample_rate
        assert abs(float(a.duration * a.time_base) - DUR) <= 1 / FPS


def test_beeps_recovered_from_audio(rendered: Path):
    samples, rate, t0 = decode_audio(rendered)
    assert abs(len(samples) / rate - DUR) <= 1 / FPS
    starts = beep_starts(samples, rate, t0)
    expected = [b["start"] for b in truth(SPEC)["beeps"]]
    assert len(starts) == len(SPEC.beeps) == truth(SPEC)["beep_count"]
    for got, want in zip(starts, expected):
        assert abs(got - want) <= 0.05, (starts, expected)


def test_audio_is_silent_between_beeps(rendered: Path):
    samples, rate, t0 = decode_audio(rendered)
    # Middle of each gap, away from AAC's smearing around the beep edges.
    for a, b in [(0.0, 0.5), (0.7, 1.3), (1.45, 2.2), (2.5, 3.0)]:
        lo, hi = int((a + 0.08 - t0) * rate), int((b - 0.08 - t0) * rate)
        assert np.abs(samples[lo:hi]).max() < 0.01, (a, b)
    # ...and clearly loud inside a beep (amplitude 0.5 sine: RMS ~0.35).
    lo, hi = int((2.25 - t0) * rate), int((2.45 - t0) * rate)
    assert 0.25 < np.sqrt(np.mean(samples[lo:hi] ** 2)) < 0.45


@pytest.mark.parametrize("t", CHECK_TIMES)
def test_visible_shapes_match_truth(rendered: Path, t: float):
    img = frame_at(rendered, t)
    bg = color_rgb(SPEC.background)
    shown = set(visible_shapes(SPEC, t))
    assert shown  # every check time shows something
    for i, shape in enumerate(SPEC.shapes, 1):
        cx = int(shape_x(shape, t, W) + shape.size / 2)
        cy = shape.y + shape.size // 2
        pixel = img[cy, cx].astype(int)
        want = color_rgb(shape.color) if i in shown else bg
        assert np.abs(pixel - np.array(want)).max() <= 60, (i, t, pixel, want)

    expected_by_color: dict[str, int] = {}
    for i in shown:
        c = SPEC.shapes[i - 1].color
        expected_by_color[c] = expected_by_color.get(c, 0) + 1
    for color in ("red", "green", "blue"):
        assert count_regions(color_mask(img, color_rgb(color))) == expected_by_color.get(color, 0), (color, t)


def test_render_without_audio_has_no_audio_stream(tmp_path: Path):
    spec = dataclasses.replace(
        SPEC, duration=1.0, beeps=(), audio=False, shapes=(dataclasses.replace(SPEC.shapes[0], end=1.0),)
    )
    out = tmp_path / "silent.mp4"
    render(spec, out)
    with av.open(str(out)) as container:
        assert len(container.streams.audio) == 0
        assert len(container.streams.video) == 1
        assert abs(container.duration / av.time_base - 1.0) <= 1 / FPS
    assert truth(spec)["has_audio"] is False
    assert truth(spec)["beep_count"] == 0


def test_render_reports_progress_and_leaves_no_temp_files(tmp_path: Path):
    calls: list[float] = []
    out = tmp_path / "sub" / "p.mp4"
    render(dataclasses.replace(SPEC, duration=1.0, beeps=SPEC.beeps[:1], shapes=()), out, on_progress=calls.append)
    assert out.is_file() and out.stat().st_size > 0
    assert calls and calls[-1] == 1.0 and calls.count(1.0) == 1
    assert calls == sorted(calls) and all(0.0 <= c <= 1.0 for c in calls)
    assert [p.name for p in out.parent.iterdir()] == ["p.mp4"]


def test_render_failure_removes_temp_file_and_keeps_no_output(tmp_path: Path):
    def boom(fraction: float) -> None:
        if fraction >= 1.0:
            raise RuntimeError("stop here")

    out = tmp_path / "never.mp4"
    with pytest.raises(RuntimeError, match="stop here"):
        render(dataclasses.replace(SPEC, duration=0.5, beeps=(), shapes=()), out, on_progress=boom)
    assert list(tmp_path.iterdir()) == []


def test_render_rejects_invalid_spec_before_running_ffmpeg(tmp_path: Path):
    with pytest.raises(ValueError, match="even"):
        render(dataclasses.replace(SPEC, width=321), tmp_path / "bad.mp4")
    assert list(tmp_path.iterdir()) == []


# -- spec, truth, validation ------------------------------------------------------


def test_truth_lists_known_answers():
    t = truth(SPEC)
    assert t["beep_count"] == 3
    assert [(b["start"], round(b["end"], 6)) for b in t["beeps"]] == [(0.5, 0.7), (1.3, 1.45), (2.2, 2.5)]
    assert t["shape_count"] == 4
    assert t["shapes_by_color"] == {"blue": 1, "green": 1, "red": 2}
    assert [(s["color"], s["start"], s["end"]) for s in t["shapes"]] == [
        ("red", 0.0, 3.0),
        ("green", 2.0, 3.0),
        ("red", 1.0, 2.5),
        ("blue", 0.5, 1.5),
    ]
    json.dumps(t)  # JSON-safe
    assert visible_shapes(SPEC, 1.2) == [1, 3, 4]
    assert visible_shapes(SPEC, 2.8) == [1, 2]


def test_truth_sorts_beeps_by_start():
    spec = dataclasses.replace(SPEC, beeps=(Beep(2.0, 0.1), Beep(0.5, 0.1)))
    assert [b["start"] for b in truth(spec)["beeps"]] == [0.5, 2.0]


def test_shape_position_wraps_inside_frame():
    s = Shape("red", 30, 0.0, 3.0, y=0, x0=280, speed=40.0)
    assert shape_x(s, 0.0, W) == 280
    assert shape_x(s, 0.25, W) == 0  # 290 would stick out: wraps over 290 px
    left = Shape("red", 30, 0.0, 3.0, y=0, x0=10, speed=-40.0)
    assert shape_x(left, 0.5, W) == 280  # -10 mod 290
    for t in np.linspace(0, 10, 101):
        assert 0 <= shape_x(s, float(t), W) <= W - s.size


def test_to_dict_from_dict_round_trip():
    data = SPEC.to_dict()
    restored = SyntheticSpec.from_dict(json.loads(json.dumps(data)))
    assert restored == SPEC
    assert isinstance(restored.beeps, tuple) and isinstance(restored.shapes[0], Shape)
    # Whole-number floats from JSON (e.g. 3 instead of 3.0) are accepted.
    data["duration"] = 3
    assert SyntheticSpec.from_dict(data) == SPEC


@pytest.mark.parametrize(
    "data, message",
    [
        ({"width": 320}, "missing the required field 'duration'"),
        ({"duration": 3, "colour": "red"}, "unknown spec field"),
        ({"duration": 3, "width": 320.5}, "whole number"),
        ({"duration": "3"}, "must be a number"),
        ({"duration": 3, "beeps": [{"start": 1}]}, "beep 1: beep is missing the required field 'duration'"),
        ({"duration": 3, "shapes": [{"color": "red"}]}, "shape 1: shape is missing"),
    ],
)
def test_from_dict_rejects_bad_data(data, message):
    with pytest.raises(ValueError, match=message):
        SyntheticSpec.from_dict(data)


def _spec(**changes) -> SyntheticSpec:
    return dataclasses.replace(SPEC, **changes)


@pytest.mark.parametrize(
    "spec, message",
    [
        (_spec(duration=0), "duration must be a positive"),
        (_spec(duration=-1.0), "duration must be a positive"),
        (_spec(duration=float("nan")), "duration must be a positive"),
        (_spec(width=321), "width must be even"),
        (_spec(height=181), "height must be even"),
        (_spec(width=0), "width must be a whole number"),
        (_spec(fps=0), "fps must be a whole number from 1 to 120"),
        (_spec(fps=121), "fps must be a whole number from 1 to 120"),
        (_spec(fps=25.5), "fps must be a whole number"),
        (_spec(background="mauve-ish"), "background: unknown colour"),
        (_spec(audio=False), "3 beep\\(s\\) but audio is switched off"),
        (_spec(beeps=(Beep(0.5, 0.2), Beep(1.0, 0.2), Beep(2.9, 0.3))),
         r"beep 3 \(2.9-3.2 s\) lies outside the 3.0 s video"),
        (_spec(beeps=(Beep(-0.1, 0.2),)), r"beep 1 \(-0.1-0.1 s\) lies outside"),
        (_spec(beeps=(Beep(1.0, 0.5), Beep(1.2, 0.2))), "beeps 1 and 2 overlap"),
        (_spec(beeps=(Beep(2.0, 0.2), Beep(0.5, 0.2), Beep(0.6, 0.2))), "beeps 2 and 3 overlap"),
        (_spec(beeps=(Beep(1.0, 0.0),)), "beep 1 has a non-positive duration"),
        (_spec(beeps=(Beep(1.0, 0.2, 30000.0),)), "beep 1 frequency"),
        (_spec(shapes=(Shape("red", 10, 0, 1), Shape("red", 400, 0, 1))), "shape 2 is larger than the frame"),
        (_spec(shapes=(Shape("red", 200, 0, 1),)), "shape 1 is larger than the frame"),
        (_spec(shapes=(Shape("red", 0, 0, 1),)), "shape 1 size must be a positive"),
        (_spec(shapes=(Shape("purple-ish", 10, 0, 1),)), "shape 1: unknown colour"),
        (_spec(shapes=(Shape("red", 10, 2.0, 1.0),)), r"shape 1 ends \(1.0 s\) before it starts"),
        (_spec(shapes=(Shape("red", 10, 1.0, 4.0),)), r"shape 1 \(1.0-4.0 s\) lies outside the 3.0 s video"),
        (_spec(shapes=(Shape("red", 30, 0, 1, y=160),)), "shape 1 y=160 puts it outside the frame"),
        (_spec(shapes=(Shape("red", 30, 0, 1, x0=300),)), "shape 1 x0=300 puts it outside the frame"),
        (_spec(amplitude=1.5), "amplitude"),
    ],
)
def test_validate_rejects_bad_specs(spec: SyntheticSpec, message: str):
    with pytest.raises(ValueError, match=message):
        spec.validate()


def test_validate_accepts_good_spec_and_hex_colours():
    assert SPEC.validate() is SPEC
    spec = _spec(background="#000000", shapes=(Shape("0xFF8800", 20, 0, 1),))
    assert spec.validate() is spec
    assert color_rgb("0xFF8800") == (255, 136, 0)


@pytest.mark.parametrize("seed", [0, 1, 2, 42, 1234])
def test_demo_spec_is_deterministic_and_valid(seed: int):
    a = demo_spec(seed, 30.0)
    b = demo_spec(seed, 30.0)
    assert a == b and a.to_dict() == b.to_dict()
    assert a.validate() is a
    t = truth(a)
    assert 3 <= t["beep_count"] <= 6
    assert 2 <= t["shape_count"] <= 5
    assert len(t["shapes_by_color"]) >= 2
    for prev, nxt in zip(t["beeps"], t["beeps"][1:]):
        assert nxt["start"] - prev["end"] >= 0.6 - 1e-9
    starts = [s["start"] for s in t["shapes"]]
    assert len(set(starts)) > 1  # shapes appear at different times
    assert all(s["end"] > s["start"] for s in t["shapes"])
    # Shapes sit in separate lanes: vertical extents never overlap.
    rows = sorted((s.y, s.y + s.size) for s in a.shapes)
    assert all(r0[1] <= r1[0] for r0, r1 in zip(rows, rows[1:]))


def test_demo_spec_differs_between_seeds_and_fits_small_frames():
    assert demo_spec(1, 20.0) != demo_spec(2, 20.0)
    small = demo_spec(3, 2.0, width=W, height=H, fps=FPS)
    assert small.validate() is small
    assert (small.width, small.height, small.fps) == (W, H, FPS)
    assert 1 <= len(small.beeps) <= 2
    with pytest.raises(ValueError, match="at least 2 s"):
        demo_spec(1, 1.0)


# -- ffmpeg wrapper ----------------------------------------------------------------


def test_ffmpeg_binary_respects_environment(monkeypatch, tmp_path: Path):
    real = ffmpeg_binary()
    assert os.path.isfile(real) and os.access(real, os.X_OK)
    monkeypatch.setenv(ENV_VAR, real)
    assert ffmpeg_binary() == real
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-ffmpeg"))
    with pytest.raises(FFmpegNotFound, match=ENV_VAR):
        ffmpeg_binary()


def test_run_ffmpeg_raises_with_stderr_for_bad_arguments():
    with pytest.raises(FFmpegError) as info:
        run_ffmpeg(["-f", "lavfi", "-i", "nosuchfilter_xyz", "-f", "null", "-"])
    err = info.value
    assert err.returncode not in (0, None)
    assert "nosuchfilter_xyz" in str(err)
    assert err.stderr and len(str(err)) < 2200


def test_run_ffmpeg_rejects_shell_strings():
    with pytest.raises(TypeError):
        run_ffmpeg("-version")  # type: ignore[arg-type]


def test_run_ffmpeg_progress_is_monotonic_and_ends_at_one():
    calls: list[float] = []
    # -re reads in real time, so ~1.5 s of progress reports arrive.
    run_ffmpeg(
        ["-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=1.5", "-f", "null", "-"],
        total_seconds=1.5,
        on_progress=calls.append,
    )
    assert len(calls) >= 2, calls
    assert calls[-1] == 1.0 and calls.count(1.0) == 1
    assert all(0.0 < c <= 1.0 for c in calls)
    assert all(a < b for a, b in zip(calls, calls[1:]))


def test_run_ffmpeg_timeout_kills_process():
    t0 = time.monotonic()
    with pytest.raises(FFmpegTimeout, match="longer than 0.5 s"):
        run_ffmpeg(
            ["-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=60", "-f", "null", "-"],
            timeout=0.5,
        )
    assert time.monotonic() - t0 < 10


def test_run_ffmpeg_callback_exception_stops_ffmpeg_and_propagates():
    class Stop(Exception):
        pass

    def cb(fraction: float) -> None:
        raise Stop(fraction)

    t0 = time.monotonic()
    with pytest.raises(Stop) as info:
        run_ffmpeg(
            ["-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=60", "-f", "null", "-"],
            total_seconds=60,
            on_progress=cb,
        )
    assert 0 < info.value.args[0] < 1
    assert time.monotonic() - t0 < 10
