"""Tests for pipeline.media.clips: reference clips cut from a 720p proxy.

Two small proxies-like sources (640x360, 8 s, H.264 + AAC, a keyframe every
second) are rendered once per ffmpeg build (Debian's, and the one the
``imageio-ffmpeg`` wheel ships): one at 25 fps and one at exactly 30000/1001 fps.
Clips are cut in-process with PyAV, so they must come out the same whichever
build made the sources and whichever is installed.
A big square slides 400 px/s, so neighbouring frames differ clearly.  Each
clip is decoded again (PyAV; decord, what the evaluators read with, for the
frame count) and compared with the source frames at the indices the rule
``first = floor(start * fps)``, ``stop = ceil(end * fps)`` gives.
No Django needed.
"""

from __future__ import annotations

import math
import os
import shutil
from fractions import Fraction
from pathlib import Path

import av
import decord
import imageio_ffmpeg
import numpy as np
import pytest

from pipeline.media.clips import ClipFrames, ClipTimeout, clip_frames, clip_name, cut_clip
from pipeline.media.ffmpeg import ENV_VAR, run_ffmpeg
from pipeline.media.synthetic import Beep, Shape, SyntheticSpec, render

DURATION = 8.0
BEEPS = (Beep(1.0, 0.3), Beep(3.0, 0.3, 660.0), Beep(5.5, 0.3))


def _render_source(folder: Path, render_fps: int, rate: str, name: str) -> Path:
    spec = SyntheticSpec(
        duration=DURATION,
        width=640,
        height=360,
        fps=render_fps,
        beeps=BEEPS,
        shapes=(
            Shape("red", 200, 0.0, DURATION, y=40, x0=0, speed=400.0),
            Shape("yellow", 80, 0.0, DURATION, y=260, x0=300, speed=-150.0),
        ),
    )
    raw = folder / f"raw_{name}.mp4"
    render(spec, raw)
    out = folder / f"{name}.mp4"
    gop = str(math.ceil(float(Fraction(rate))))
    # Re-encode as a proxy would be: exact rate (frames re-timed, none dropped), a keyframe every second.
    run_ffmpeg([
        "-i", str(raw),
        "-vf", f"setpts=N/({rate})/TB", "-r", rate, "-fps_mode", "cfr",
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p",
        "-g", gop, "-sc_threshold", "0", "-force_key_frames", "expr:gte(t,n_forced*1)",
        "-c:a", "aac", "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", "-y", str(out),
    ])
    return out


#: The ffmpeg builds the sources are made with (and that are installed while clips are cut).
FFMPEG_BUILDS = {"debian": lambda: shutil.which("ffmpeg"), "imageio-ffmpeg": imageio_ffmpeg.get_ffmpeg_exe}


@pytest.fixture(scope="module", params=sorted(FFMPEG_BUILDS))
def ffmpeg_build(request):
    binary = FFMPEG_BUILDS[request.param]()
    if binary is None:
        pytest.fail("Debian's ffmpeg is needed (apt-get install ffmpeg; .ci/run installs it)")
    saved = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = binary
    yield request.param
    if saved is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = saved


@pytest.fixture(scope="module")
def sources(tmp_path_factory, ffmpeg_build):
    folder = tmp_path_factory.mktemp(f"clip_sources_{ffmpeg_build}")
    return {
        "25": (_render_source(folder, 25, "25", "src25"), 25.0),
        "29.97": (_render_source(folder, 30, "30000/1001", "src2997"), 30000 / 1001),
    }


def _decode(path: Path, wanted: set[int] | None = None) -> dict[int, np.ndarray]:
    out = {}
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if wanted is None or i in wanted:
                out[i] = frame.to_ndarray(format="rgb24").astype(np.int16)
    return out


def _frame_count(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def _audio(path: Path) -> tuple[np.ndarray, int] | None:
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        rate = container.streams.audio[0].rate
        # AAC decodes to planar float: one row per channel.
        mono = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)])
    return mono, rate


# -- the frame rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, end, fps, first, stop",
    [
        (0.0, 2.0, 25, 0, 50),
        (1.23, 4.56, 25, 30, 114),  # 30.75 -> 30, 114.0 -> 114
        (0.28, 0.6, 25, 7, 15),  # 0.28 * 25 = 7.000000000000001 snaps to 7; 0.6 * 25 = 15
        (0.04, 0.12, 25, 1, 3),  # 0.12 * 25 = 3.0000000000000004: stop stays 3
        (2.0, 3.0, 30000 / 1001, 59, 90),  # 59.94 -> 59, 89.91 -> 90
        (0.28, 0.6, 30000 / 1001, 8, 18),
        (10.01, 10.02, 30000 / 1001, 300, 301),  # shorter than a frame: the frame shown then
        (12.0, 61.5, 29.97, 359, 1844),  # 359.64 -> 359, 1843.155 -> 1844
    ],
)
def test_clip_frames_rule(start, end, fps, first, stop):
    frames = clip_frames(start, end, fps)
    assert frames == ClipFrames(first, stop)
    assert frames.count == stop - first
    # The first frame is the one the evaluators take for `start`.
    assert frames.first == int(start * fps) or abs(start * fps - round(start * fps)) < 1e-6


def test_clip_frames_caps_at_frame_count_and_rejects_bad_intervals():
    assert clip_frames(6.5, 9.0, 25, frame_count=200) == ClipFrames(162, 200)
    with pytest.raises(ValueError, match="no frame"):
        clip_frames(8.0, 9.0, 25, frame_count=200)
    with pytest.raises(ValueError, match="after start"):
        clip_frames(3.0, 3.0, 25)
    with pytest.raises(ValueError, match="negative"):
        clip_frames(-0.5, 3.0, 25)
    with pytest.raises(ValueError, match="fps"):
        clip_frames(0.0, 3.0, 0)
    with pytest.raises(ValueError, match="finite"):
        clip_frames(float("nan"), 3.0, 25)


def test_cutting_needs_no_ffmpeg_program(sources, tmp_path, monkeypatch):
    # The frames a clip holds do not depend on the installed ffmpeg: the cut runs on PyAV's own libraries.
    src, fps = sources["25"]
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-such-ffmpeg"))
    monkeypatch.setenv("PATH", str(tmp_path))
    dst = tmp_path / "clip.mp4"
    cut_clip(src, dst, start=1.0, end=2.0, fps=fps)
    assert _frame_count(dst) == 25


def test_a_clip_past_its_time_limit_leaves_nothing(sources, tmp_path):
    src, fps = sources["25"]
    dst = tmp_path / "slow.mp4"
    with pytest.raises(ClipTimeout):
        cut_clip(src, dst, start=0.0, end=8.0, fps=fps, timeout=0.0)
    assert not dst.exists() and list(tmp_path.iterdir()) == []


# -- cutting ----------------------------------------------------------------------------------


CASES = [
    ("25", 0.0, 2.0),  # from the very start, no seek
    ("25", 1.23, 4.56),  # between frames, seeks
    ("25", 6.5, 9.0),  # runs past the end: capped
    ("29.97", 2.0, 3.0),
    ("29.97", 0.28, 0.6),
    ("29.97", 4.1, 7.3),
]


@pytest.mark.parametrize("which, start, end", CASES)
def test_cut_clip_frames_duration_and_audio(sources, tmp_path, which, start, end):
    src, fps = sources[which]
    dst = tmp_path / "ref" / clip_name("src.mp4", start, end)
    cut_clip(src, dst, start=start, end=end, fps=fps)

    total = _frame_count(src)
    expected = clip_frames(start, end, fps, frame_count=total)
    assert expected.first == int(start * fps)

    # Frame count, as PyAV and as decord (what the evaluators use) see it.
    assert _frame_count(dst) == expected.count
    assert len(decord.VideoReader(str(dst))) == expected.count

    # First, middle and last frames are the source frames at the expected indices:
    # close to them (re-encoded) and closer than to their neighbours.
    picks = [0, expected.count // 2, expected.count - 1]
    clip = _decode(dst, set(picks))
    wanted = {expected.first + j + d for j in picks for d in (-1, 0, 1)}
    source = _decode(src, {i for i in wanted if 0 <= i < total})
    for j in picks:
        i = expected.first + j
        diffs = {k: float(np.abs(clip[j] - source[k]).mean()) for k in (i - 1, i, i + 1) if k in source}
        assert diffs[i] < 1.0, (j, i, diffs)  # measured ~0.02; neighbours ~3
        assert min(diffs, key=diffs.get) == i, (j, i, diffs)

    # Duration: exactly the frames' (within one frame), and 0-2 frames more than end - start.
    frame = 1 / fps
    with av.open(str(dst)) as container:
        video = container.streams.video[0]
        assert video.average_rate == Fraction(fps).limit_denominator(1001)
        container_duration = container.duration / 1_000_000
        video_duration = float(video.duration * video.time_base)
    assert abs(video_duration - expected.count * frame) < frame
    assert abs(container_duration - expected.count * frame) < frame
    if expected == clip_frames(start, end, fps):  # not capped at the end of the video
        assert -1e-9 <= expected.count * frame - (end - start) < 2 * frame

    # Audio present, as long as the picture (within one frame).
    samples, rate = _audio(dst)
    audio_end = min(expected.stop * frame, DURATION)  # the source audio is 8 s long
    assert abs(len(samples) / rate - (audio_end - expected.first * frame)) < frame


def test_cut_clip_audio_stays_in_sync(sources, tmp_path):
    src, fps = sources["25"]
    dst = tmp_path / "sync.mp4"
    cut_clip(src, dst, start=2.33, end=6.9, fps=fps)  # first frame 58, clip time 0 = 2.32 s
    samples, rate = _audio(dst)
    loud = np.flatnonzero(np.abs(samples) > 0.05)
    onsets = [loud[0]] + [loud[k] for k in range(1, len(loud)) if loud[k] - loud[k - 1] > rate // 10]
    got = [x / rate for x in onsets]
    expected = [b.start - 58 / 25 for b in BEEPS if 2.32 <= b.start < 6.9]
    assert len(got) == len(expected) == 2
    for g, e in zip(got, expected):
        assert abs(g - e) < 0.01, (got, expected)


def test_cut_clip_without_audio(tmp_path):
    src = tmp_path / "silent.mp4"
    render(SyntheticSpec(duration=3.0, width=320, height=180, fps=25, audio=False,
                         shapes=(Shape("red", 60, 0.0, 3.0, y=10, x0=0, speed=200.0),)), src)
    dst = tmp_path / "clip.mp4"
    cut_clip(src, dst, start=1.1, end=2.0, fps=25)
    assert _frame_count(dst) == clip_frames(1.1, 2.0, 25).count == 23
    with av.open(str(dst)) as container:
        assert not container.streams.audio


def test_cut_clip_is_atomic(sources, tmp_path):
    src, fps = sources["25"]
    dst = tmp_path / "out" / "clip.mp4"
    with pytest.raises(ValueError, match="no frame"):
        cut_clip(src, dst, start=8.5, end=9.0, fps=fps)
    assert not dst.exists()
    dst.parent.mkdir(exist_ok=True)
    dst.write_bytes(b"old")
    cut_clip(src, dst, start=0.5, end=1.0, fps=fps)
    assert dst.read_bytes()[:4] != b"old" and _frame_count(dst) == 13
    assert sorted(p.name for p in dst.parent.iterdir()) == ["clip.mp4"]  # no temporary file left


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "video, start, end, name",
    [
        ("abc123.mp4", 12.0, 61.5, "abc123_12.00_61.50.mp4"),
        ("abc123.mp4", 12, 61.499, "abc123_12.00_61.50.mp4"),  # "%.2f" rounds
        ("abc123.mp4", 0.0, 61.494, "abc123_0.00_61.49.mp4"),
        ("abc123.mp4", 0.125, 2.675, "abc123_0.12_2.67.mp4"),  # exactly what Python's "%.2f" gives
        ("cg_videos_720p/x.y.mp4", 5.0, 40.0, "x.y_5.00_40.00.mp4"),  # directory dropped, inner dot kept
        ("UPPER.MP4", 1.005, 2.0, "UPPER_1.00_2.00.mp4"),
        ("clip.mov", 1.0, 2.0, "clip_1.00_2.00.mp4"),
    ],
)
def test_clip_name(video, start, end, name):
    assert clip_name(video, start, end) == name
    assert clip_name(video, start, end) == "%s_%.2f_%.2f.mp4" % (name.rsplit("_", 2)[0], start, end)


def test_clip_name_rejects_bad_input():
    for bad in ("", "   ", ".mp4"):
        with pytest.raises(ValueError):
            clip_name(bad, 0.0, 1.0)
    with pytest.raises(ValueError):
        clip_name("a.mp4", float("inf"), 1.0)
