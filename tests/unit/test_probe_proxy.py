"""Tests for pipeline.media.probe and pipeline.media.proxy.

Small inputs (320x180 / 640x360, 2-4 s) are rendered with
:func:`pipeline.media.synthetic.render` or ffmpeg, probed, and transcoded to
proxies that are decoded again with PyAV to check what is really in them.
No database: these tests do not use the ``db`` fixture.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from pipeline.media.ffmpeg import FFmpegError, run_ffmpeg
from pipeline.media.probe import ProbeError, ProbeResult, probe
from pipeline.media.proxy import (
    PROXY_HEIGHT,
    ProxyPlan,
    extract_audio,
    plan_proxy,
    proxy_ffmpeg_args,
    transcode_proxy,
)
from pipeline.media.synthetic import Beep, Shape, SyntheticSpec, render

KNOWN_MESSAGES = re.compile(
    r"^(not a video file|no video stream|file truncated|video stream is empty|corrupt video data at \d+\.\d s)"
)


def ff(*args: str) -> None:
    run_ffmpeg([*map(str, args)])


# -- fixtures (rendered once per module) ------------------------------------------------


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def src_av(media) -> Path:
    """640x360, 30 fps, 2 s, with beeps (mono 48 kHz AAC), faststart MP4."""
    spec = SyntheticSpec(
        duration=2.0,
        width=640,
        height=360,
        fps=30,
        beeps=(Beep(0.3, 0.2), Beep(1.2, 0.2, 660.0)),
        shapes=(Shape("red", 60, 0.0, 2.0, y=20, x0=10, speed=100.0),),
    )
    out = media / "av.mp4"
    render(spec, out)
    return out


@pytest.fixture(scope="module")
def src_silent(media) -> Path:
    """320x180, 25 fps, 2 s, no audio track; a red square in the top-left corner."""
    spec = SyntheticSpec(
        duration=2.0,
        width=320,
        height=180,
        fps=25,
        audio=False,
        shapes=(Shape("red", 40, 0.0, 2.0, y=0, x0=0, speed=0.0),),
    )
    out = media / "silent.mp4"
    render(spec, out)
    return out


@pytest.fixture(scope="module")
def src_rotated(media, src_silent) -> Path:
    out = media / "rotated.mp4"
    ff("-i", src_silent, "-c", "copy", "-metadata:s:v", "rotate=90", "-y", out)
    return out


@pytest.fixture(scope="module")
def src_vfr(media) -> Path:
    """MKV, 1 s at 30 fps then 2 s at 10 fps: 50 frames over 3.0 s."""
    out = media / "vfr.mkv"
    ff(
        "-f", "lavfi", "-i", f"testsrc2=s=320x180:r=30:d={50 / 30:.6f}",
        "-vf", "setpts='if(lt(N,30),N/30,1+(N-30)/10)/TB'",
        "-fps_mode", "vfr", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-y", out,
    )
    return out


@pytest.fixture(scope="module")
def src_ntsc(media) -> Path:
    """29.97 fps (30000/1001), 2.5 s, with a stereo 44.1 kHz track."""
    out = media / "ntsc.mp4"
    ff(
        "-f", "lavfi", "-i", "testsrc2=s=320x180:r=30000/1001:d=2.5",
        "-f", "lavfi", "-i", "sine=f=440:d=2.5:r=44100",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "2", "-shortest", "-y", out,
    )
    return out


@pytest.fixture(scope="module")
def proxy_av(media, src_av):
    info = probe(src_av)
    plan = plan_proxy(info)
    out = media / "proxies" / "av.mp4"
    progress: list[float] = []
    t0 = time.monotonic()
    transcode_proxy(src_av, out, plan, duration=info.duration, on_progress=progress.append)
    return {"path": out, "plan": plan, "info": info, "progress": progress, "seconds": time.monotonic() - t0}


def make_proxy(media: Path, src: Path, name: str):
    info = probe(src)
    plan = plan_proxy(info)
    out = media / "proxies" / name
    transcode_proxy(src, out, plan, duration=info.duration)
    return out, plan, info


def decode_all(path: Path):
    """([(pts, key_frame), ...], time_base) of the first video stream, decoded."""
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        tb = v.time_base
        frames = [(f.pts, f.key_frame) for f in c.decode(v)]
        return frames, tb


def video_info(path: Path) -> dict:
    with av.open(str(path)) as c:
        v = c.streams.video[0]
        first = next(c.decode(v))
        return {
            "codec": v.codec_context.name,
            "pix_fmt": v.codec_context.pix_fmt,
            "profile": v.codec_context.profile,
            "width": first.width,
            "height": first.height,
            "rotation": first.rotation,
            "average_rate": v.average_rate,
            "audio": [(a.codec_context.name, a.codec_context.sample_rate, a.codec_context.channels) for a in c.streams.audio],
            "rgb": first.to_ndarray(format="rgb24"),
        }


def assert_cfr_with_keyframes(path: Path, fps: Fraction, expected_frames: int) -> list:
    frames, tb = decode_all(path)
    pts = [p for p, _ in frames]
    deltas = {b - a for a, b in zip(pts, pts[1:])}
    assert len(deltas) == 1, f"not constant frame rate: pts deltas {sorted(deltas)}"
    assert Fraction(deltas.pop()) * tb == 1 / fps
    assert abs(len(frames) - expected_frames) <= 1, (len(frames), expected_frames)
    keys = [i for i, (_, k) in enumerate(frames) if k]
    # A keyframe on the first frame at or after every whole second, no others.
    want = sorted({math.ceil(n * fps - 1e-9) for n in range(0, len(frames)) if math.ceil(n * fps - 1e-9) < len(frames)})
    assert keys == want
    return frames


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if ".tmp" in p.name]


# -- probe: good inputs -------------------------------------------------------------------


def test_probe_synthetic_mp4(src_av):
    r = probe(src_av)
    assert isinstance(r, ProbeResult)
    assert r.fps == 30.0 and not r.variable_frame_rate
    assert r.frame_count == 60
    assert abs(r.duration - 2.0) < 0.05
    assert (r.width, r.height, r.rotation) == (640, 360, 0)
    assert r.video_codec == "h264"
    assert r.has_audio and r.audio_codec == "aac" and r.audio_channels == 1 and r.sample_rate == 48000
    assert r.size_bytes == os.path.getsize(src_av)
    d = r.to_dict()
    assert set(d) == {
        "duration", "fps", "variable_frame_rate", "frame_count", "width", "height", "rotation",
        "video_codec", "has_audio", "audio_channels", "sample_rate", "audio_codec", "size_bytes",
    }
    assert json.loads(json.dumps(d)) == d
    with pytest.raises(Exception):
        r.fps = 25.0  # frozen


@pytest.mark.parametrize("ext,vcodec", [("mkv", "copy"), ("mov", "copy"), ("avi", "copy"), ("webm", "libvpx")])
def test_probe_other_containers(media, src_silent, ext, vcodec):
    out = media / f"silent_remux.{ext}"
    args = ["-i", src_silent, "-c:v", vcodec]
    if vcodec == "libvpx":
        args += ["-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"]
    ff(*args, "-y", out)
    r = probe(out)
    assert r.frame_count == 50
    assert r.fps == 25.0
    assert not r.variable_frame_rate  # MKV/WebM's 1 ms time base rounds 40 ms exactly; 33/34 ms below
    assert (r.width, r.height) == (320, 180)
    assert not r.has_audio
    assert abs(r.duration - 2.0) < 0.1


@pytest.mark.parametrize("ext", ["mp4", "mkv"])
def test_probe_ntsc_rate_is_exact(media, src_ntsc, ext):
    path = src_ntsc
    if ext != "mp4":
        path = media / f"ntsc.{ext}"
        ff("-i", src_ntsc, "-c", "copy", "-y", path)
    r = probe(path)
    assert not r.variable_frame_rate  # 33/34 ms in Matroska is rounding, not VFR
    assert r.fps == pytest.approx(30000 / 1001, abs=1e-9)
    assert r.frame_count == 75
    assert r.audio_channels == 2 and r.sample_rate == 44100
    assert plan_proxy(r).rate == Fraction(30000, 1001)


def test_probe_vfr(src_vfr):
    r = probe(src_vfr)
    assert r.variable_frame_rate
    assert r.frame_count == 50
    # The last frame starts at 2.9 s; Matroska gives it the nominal 1/30 s.
    assert 2.9 < r.duration <= 3.0
    assert r.fps == pytest.approx(50 / r.duration, rel=0.01)  # the average rate
    assert not r.has_audio and r.audio_channels is None and r.sample_rate is None and r.audio_codec is None


def test_probe_audio_less(src_silent):
    r = probe(src_silent)
    assert not r.has_audio
    assert r.audio_channels is None and r.sample_rate is None and r.audio_codec is None
    assert r.frame_count == 50 and r.fps == 25.0


def test_probe_rotated(src_rotated):
    r = probe(src_rotated)
    assert r.rotation in (90, 270)
    assert (r.width, r.height) == (320, 180)  # before rotation
    plan = plan_proxy(r)
    assert (plan.width, plan.height) == (404, 720)  # 720 * 180/320 = 405 -> even


def test_probe_hour_long_video_takes_seconds(media, src_silent):
    """One hour (90,000 frames) by stream copy: probing reads packets, decodes ~1 s."""
    out = media / "hour.mp4"
    ff("-stream_loop", "1799", "-i", src_silent, "-c", "copy", "-y", out)
    t0 = time.monotonic()
    r = probe(out)
    elapsed = time.monotonic() - t0
    assert r.frame_count == 1800 * 50
    assert r.duration == pytest.approx(3600.0, abs=0.5)
    assert not r.variable_frame_rate
    assert elapsed < 15, f"probe of an hour took {elapsed:.1f} s"


# -- probe: bad inputs ------------------------------------------------------------------------


def test_not_a_video(media):
    text = media / "notes.mp4"
    text.write_text("This is just some text that somebody renamed to .mp4\n" * 20)
    with pytest.raises(ProbeError) as exc:
        probe(text)
    assert str(exc.value) == "not a video file (could not be opened as a media container)"

    empty = media / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ProbeError, match=r"^not a video file"):
        probe(empty)

    with pytest.raises(FileNotFoundError):
        probe(media / "missing.mp4")


def test_audio_only(media):
    out = media / "audio.m4a"
    ff("-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-y", out)
    with pytest.raises(ProbeError, match=r"^no video stream"):
        probe(out)


def test_empty_video_stream(media):
    out = media / "novideo.mkv"
    ff(
        "-f", "lavfi", "-i", "sine=d=1", "-f", "lavfi", "-i", "testsrc2=s=64x64:d=1",
        "-map", "0", "-map", "1", "-c:a", "aac", "-c:v", "libx264", "-frames:v", "0", "-y", out,
    )
    with pytest.raises(ProbeError, match=r"^video stream is empty \(no frames\)$"):
        probe(out)


@pytest.fixture(scope="module")
def src_4s(media) -> Path:
    spec = SyntheticSpec(
        duration=4.0, width=640, height=360, fps=25,
        beeps=(Beep(1.0, 0.3),),
        shapes=(Shape("blue", 50, 0.0, 4.0, y=100, x0=0, speed=150.0),),
    )
    out = media / "four.mp4"
    render(spec, out)  # +faststart: the index comes first
    return out


def cut(src: Path, dst: Path, fraction: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def real_percentage(src: Path, kept_bytes: int) -> float:
    """How far into the video the complete video packets within ``kept_bytes`` reach (%)."""
    with av.open(str(src)) as c:
        v = c.streams.video[0]
        start = v.start_time or 0
        ends, reach = [], start
        for p in c.demux(v):
            if p.size and p.pts is not None:
                ends.append(p.pts + p.duration)
                if p.pos + p.size <= kept_bytes:
                    reach = max(reach, p.pts + p.duration)
        return 100.0 * (reach - start) / (max(ends) - start)


def test_truncated_faststart_mp4(media, src_4s):
    data = src_4s.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")
    cut_file = cut(src_4s, media / "cut_fast.mp4", 0.63)
    with pytest.raises(ProbeError) as exc:
        probe(cut_file)
    m = re.fullmatch(r"file truncated at (\d+)%", str(exc.value))
    assert m, str(exc.value)
    real = real_percentage(src_4s, cut_file.stat().st_size)
    assert 5 < real < 95
    assert abs(int(m.group(1)) - real) <= 10, (m.group(1), real)


def test_truncated_mp4_without_faststart(media, src_4s):
    slow = media / "slow.mp4"
    ff("-i", src_4s, "-c", "copy", "-y", slow)  # moov written at the end
    data = slow.read_bytes()
    assert data.find(b"mdat") < data.find(b"moov")
    assert probe(slow).frame_count == 100
    with pytest.raises(ProbeError) as exc:
        probe(cut(slow, media / "cut_slow.mp4", 0.63))
    assert "truncated" in str(exc.value) and "moov" in str(exc.value)


def test_truncated_mkv(media, src_4s):
    mkv = media / "four.mkv"
    ff("-i", src_4s, "-c", "copy", "-y", mkv)
    assert probe(mkv).frame_count == 100
    cut_file = cut(mkv, media / "cut.mkv", 0.5)
    with pytest.raises(ProbeError) as exc:
        probe(cut_file)
    m = re.fullmatch(r"file truncated at (\d+)%", str(exc.value))
    assert m, str(exc.value)
    real = real_percentage(mkv, cut_file.stat().st_size)
    assert 5 < real < 95
    assert abs(int(m.group(1)) - real) <= 10, (m.group(1), real)


@pytest.mark.parametrize("ext", ["mp4", "mkv"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_in_the_middle(media, src_4s, ext, seed):
    src = src_4s
    if ext == "mkv":
        src = media / "four_c.mkv"
        if not src.exists():
            ff("-i", src_4s, "-c", "copy", "-y", src)
    data = bytearray(src.read_bytes())
    rng = random.Random(seed)
    lo, hi = int(len(data) * 0.45), int(len(data) * 0.55)
    data[lo:hi] = rng.randbytes(hi - lo)
    bad = media / f"corrupt_{seed}.{ext}"
    bad.write_bytes(bytes(data))
    try:
        r = probe(bad)
    except ProbeError as exc:
        assert KNOWN_MESSAGES.match(str(exc)), str(exc)
    else:
        assert 0 < r.frame_count <= 100
        assert r.width == 640 and r.height == 360


def test_garbage_video_data(media, src_4s):
    """Container index intact, all video/audio payload replaced by random bytes."""
    data = bytearray(src_4s.read_bytes())
    start = data.find(b"mdat") + 4
    data[start:] = random.Random(7).randbytes(len(data) - start)
    bad = media / "garbage.mp4"
    bad.write_bytes(bytes(data))
    with pytest.raises(ProbeError, match=r"^corrupt video data at \d+\.\d s$"):
        probe(bad)


# -- plan -------------------------------------------------------------------------------------


def fake_probe(**kw) -> ProbeResult:
    base = dict(
        duration=10.0, fps=30.0, variable_frame_rate=False, frame_count=300, width=1920, height=1080,
        rotation=0, video_codec="h264", has_audio=True, audio_channels=2, sample_rate=48000,
        audio_codec="aac", size_bytes=1,
    )
    base.update(kw)
    return ProbeResult(**base)


@pytest.mark.parametrize(
    "kw,want",
    [
        (dict(), (30.0, 1280, 720)),
        (dict(fps=30000 / 1001), (30000 / 1001, 1280, 720)),
        (dict(fps=24000 / 1001, width=640, height=480), (24000 / 1001, 960, 720)),  # 4:3, upscaled
        (dict(width=320, height=180, fps=25.0), (25.0, 1280, 720)),  # upscaled to 720
        (dict(rotation=90), (30.0, 404, 720)),
        (dict(rotation=270, width=1280, height=720), (30.0, 404, 720)),
        (dict(rotation=180, width=1280, height=720), (30.0, 1280, 720)),
        (dict(width=2560, height=1080), (30.0, 1706, 720)),  # 21:9 -> 1706.67 -> nearest even
        (dict(variable_frame_rate=True, fps=16.7), (24.0, 1280, 720)),
        (dict(variable_frame_rate=True, fps=27.4), (25.0, 1280, 720)),
        (dict(variable_frame_rate=True, fps=29.3), (30.0, 1280, 720)),
        (dict(variable_frame_rate=True, fps=47.0), (50.0, 1280, 720)),
        (dict(variable_frame_rate=True, fps=90.0), (60.0, 1280, 720)),
    ],
)
def test_plan_proxy(kw, want):
    plan = plan_proxy(fake_probe(**kw))
    assert (plan.fps, plan.width, plan.height) == pytest.approx(want, abs=1e-9)
    assert plan.width % 2 == 0 and plan.height == PROXY_HEIGHT
    assert plan.has_audio


def test_plan_rate_and_args():
    plan = plan_proxy(fake_probe(fps=30000 / 1001, has_audio=False))
    assert isinstance(plan.fps, float)
    assert plan.rate == Fraction(30000, 1001)
    args = proxy_ffmpeg_args("in.mov", "out.mp4", plan)
    joined = " ".join(args)
    assert "-r 30000/1001" in joined and "-fps_mode cfr" in joined
    assert "-force_key_frames expr:gte(t,n_forced*1)" in joined and "-sc_threshold 0" in joined
    assert "-g 30" in joined and "-an" in args and "-c:a" not in args
    assert "+faststart" in args and "libx264" in args and "high" in args
    with pytest.raises(ValueError):
        proxy_ffmpeg_args("in", "out", ProxyPlan(fps=25.0, width=641, height=720, has_audio=False))


# -- proxies ------------------------------------------------------------------------------------


def test_proxy_of_video_with_audio(proxy_av):
    path, plan = proxy_av["path"], proxy_av["plan"]
    assert (plan.fps, plan.width, plan.height, plan.has_audio) == (30.0, 1280, 720, True)
    info = video_info(path)
    assert (info["codec"], info["pix_fmt"]) == ("h264", "yuv420p")
    assert info["profile"] == "High"
    assert (info["width"], info["height"], info["rotation"]) == (1280, 720, 0)
    assert info["average_rate"] == 30
    assert info["audio"] == [("aac", 48000, 2)]
    assert_cfr_with_keyframes(path, Fraction(30), 60)
    data = path.read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat"), "moov must come first (+faststart)"
    assert no_temp_files(path.parent)
    # The proxy probes as a clean CFR video of the same length.
    again = probe(path)
    assert again.frame_count == 60 and not again.variable_frame_rate
    assert again.duration == pytest.approx(proxy_av["info"].duration, abs=0.1)


def test_proxy_progress(proxy_av):
    progress = proxy_av["progress"]
    assert progress and progress[-1] == 1.0
    assert progress.count(1.0) == 1
    assert all(0.0 <= p <= 1.0 for p in progress)
    assert progress == sorted(progress)


def test_extract_audio(media, proxy_av):
    dst = media / "audio" / "av.m4a"
    extract_audio(proxy_av["path"], dst)
    with av.open(str(dst)) as c:
        assert not c.streams.video
        (a,) = c.streams.audio
        assert a.codec_context.name == "aac" and a.codec_context.sample_rate == 48000
        assert c.duration / 1e6 == pytest.approx(2.0, abs=0.1)
    with av.open(str(proxy_av["path"])) as c:
        want = [bytes(p) for p in c.demux(c.streams.audio[0]) if p.size]
    with av.open(str(dst)) as c:
        got = [bytes(p) for p in c.demux(c.streams.audio[0]) if p.size]
    assert got == want  # stream copy: the very same AAC packets
    assert no_temp_files(dst.parent)


def test_proxy_without_audio(media, src_silent):
    out, plan, _ = make_proxy(media, src_silent, "silent.mp4")
    assert not plan.has_audio and plan.fps == 25.0
    info = video_info(out)
    assert info["audio"] == []
    assert (info["width"], info["height"]) == (1280, 720)  # upscaled from 320x180
    assert_cfr_with_keyframes(out, Fraction(25), 50)
    with pytest.raises(ValueError, match="no audio"):
        extract_audio(out, media / "none.m4a")
    assert not (media / "none.m4a").exists()


def test_proxy_of_vfr_input_is_cfr(media, src_vfr):
    out, plan, info = make_proxy(media, src_vfr, "vfr.mp4")
    assert plan.fps == 24.0  # nearest standard rate to the 16.7 fps average
    frames = assert_cfr_with_keyframes(out, Fraction(24), round(info.duration * 24))
    # One output frame for every 1/24 s tick before the end of the last frame.
    assert len(frames) == math.ceil(info.duration * 24)


def test_proxy_of_ntsc_input(media, src_ntsc):
    out, plan, _ = make_proxy(media, src_ntsc, "ntsc.mp4")
    assert plan.rate == Fraction(30000, 1001)
    info = video_info(out)
    assert info["average_rate"] == Fraction(30000, 1001)
    assert info["audio"] == [("aac", 48000, 2)]
    frames = assert_cfr_with_keyframes(out, Fraction(30000, 1001), 75)
    assert [i for i, (_, k) in enumerate(frames) if k] == [0, 30, 60]


def test_proxy_of_rotated_input(media, src_rotated):
    out, plan, info = make_proxy(media, src_rotated, "rotated.mp4")
    v = video_info(out)
    assert (v["width"], v["height"]) == (plan.width, plan.height) == (404, 720)
    assert v["rotation"] == 0  # the pixels are turned, no display matrix is left
    # The red square sat in the top-left corner of the stored 320x180 frame;
    # after a quarter turn it is in a corner of the portrait frame, not the top-left.
    rgb = v["rgb"].astype(int)
    red = (rgb[..., 0] > 180) & (rgb[..., 1] < 80) & (rgb[..., 2] < 80)
    ys, xs = np.nonzero(red)
    assert red.sum() > 1000
    cy, cx = ys.mean(), xs.mean()
    corner = ("top" if cy < 360 else "bottom", "left" if cx < 202 else "right")
    expected = {90: ("bottom", "left"), 270: ("top", "right")}[info.rotation]
    assert corner == expected
    assert_cfr_with_keyframes(out, Fraction(25), 50)


def test_failed_transcode_leaves_nothing(media):
    folder = media / "failing"
    folder.mkdir()
    src = folder / "not_video.mp4"
    src.write_text("nope\n" * 100)
    dst = folder / "proxy.mp4"
    plan = ProxyPlan(fps=25.0, width=1280, height=720, has_audio=True)
    with pytest.raises(FFmpegError):
        transcode_proxy(src, dst, plan, duration=2.0)
    assert not dst.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["not_video.mp4"]

    dst.write_bytes(b"old proxy")  # an existing proxy is left alone on failure
    with pytest.raises(FFmpegError):
        transcode_proxy(src, dst, plan, duration=2.0, on_progress=lambda f: None)
    assert dst.read_bytes() == b"old proxy"
    assert sorted(p.name for p in folder.iterdir()) == ["not_video.mp4", "proxy.mp4"]
