"""Tests for pipeline.media.frames and pipeline.media.thumbnails.

Two small proxies (640x360 with moving squares, so that every frame
differs: 25 fps for 10 s and 30000/1001 fps for 8 s) are made the way
proxies are (H.264 yuv420p, constant frame rate, a keyframe every second,
+faststart).  Frames from :class:`FrameDecoder` must be bit-identical to a
decode from the start with PyAV and to decord, what the public evaluators
read with.  No Django needed.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import threading
import time
from fractions import Fraction
from pathlib import Path

import av
import decord
import numpy as np
import pytest
from PIL import Image

from pipeline.media.ffmpeg import run_ffmpeg
from pipeline.media.frames import (
    DecoderClosedError,
    DecoderPool,
    FrameCache,
    FrameDecoder,
    ReadAhead,
    encode_jpeg,
    frame_jpeg,
)
from pipeline.media.synthetic import demo_spec, render
from pipeline.media.thumbnails import MAX_COLUMNS, MAX_THUMBNAILS, thumbnail_strip

W, H = 640, 360
PROXIES = {
    # name: (fps of the rendered source, -r of the proxy, duration, seed)
    "25fps": (25, "25", 10.0, 3),
    "ntsc": (30, "30000/1001", 8.0, 5),
}
RATES = {"25fps": Fraction(25), "ntsc": Fraction(30000, 1001)}


def make_proxy(src: Path, out: Path, rate: str) -> None:
    run_ffmpeg(
        [
            "-i", str(src),
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
            "-r", rate, "-fps_mode", "cfr",
            "-force_key_frames", "expr:gte(t,n_forced*1)", "-sc_threshold", "0",
            "-c:a", "aac", "-movflags", "+faststart",
            "-y", str(out),
        ]
    )


class Proxy:
    """A proxy file and its frames decoded from the start (the reference)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self.pts: list[int] = []
        self.keyframes: list[int] = []
        self._frames: list[av.VideoFrame] = []
        with av.open(str(path)) as container:
            self.time_base = Fraction(container.streams.video[0].time_base)
            for i, frame in enumerate(container.decode(video=0)):
                self.pts.append(frame.pts)
                if frame.key_frame:
                    self.keyframes.append(i)
                self._frames.append(frame)
        self.frame_count = len(self.pts)
        self._decord = decord.VideoReader(str(path))

    def sequential(self, i: int) -> np.ndarray:
        """Frame ``i`` of a decode from the start."""
        return self._frames[i].to_ndarray(format="rgb24")

    def decord(self, i: int) -> np.ndarray:
        return self._decord[i].asnumpy()


@pytest.fixture(scope="module")
def proxies(tmp_path_factory) -> dict[str, Proxy]:
    folder = tmp_path_factory.mktemp("proxies")
    out = {}
    for name, (fps, rate, duration, seed) in PROXIES.items():
        src = folder / f"{name}.src.mp4"
        render(demo_spec(seed, duration, width=W, height=H, fps=fps), src)
        make_proxy(src, folder / f"{name}.mp4", rate)
        out[name] = Proxy(name, folder / f"{name}.mp4")
    return out


@pytest.fixture(params=sorted(PROXIES))
def proxy(request, proxies) -> Proxy:
    return proxies[request.param]


def interesting_indices(p: Proxy, seed: int = 1) -> list[int]:
    """A seeded sample, every keyframe and its neighbours, the first and the last frame."""
    n = p.frame_count
    picked = set(random.Random(seed).sample(range(n), 25))
    for k in p.keyframes:
        picked.update(i for i in (k - 1, k, k + 1) if 0 <= i < n)
    picked.update((0, n - 1))
    out = sorted(picked)
    random.Random(seed).shuffle(out)
    return out


# -- FrameDecoder ------------------------------------------------------------------


def test_index_matches_a_decode_from_the_start(proxy):
    with FrameDecoder(proxy.path) as d:
        assert d.frame_count == proxy.frame_count == len(decord.VideoReader(str(proxy.path)))
        assert [d.pts(i) for i in range(d.frame_count)] == proxy.pts
        assert list(d.keyframes) == proxy.keyframes
        assert d.rate == RATES[proxy.name]
        assert d.fps == pytest.approx(float(RATES[proxy.name]))
        assert (d.width, d.height) == (W, H)
        # one keyframe per second
        assert d.keyframes[:3] == (0, round(d.rate), 2 * round(d.rate))


def test_get_is_bit_identical_to_sequential_decode_and_decord(proxy):
    indices = interesting_indices(proxy)
    with FrameDecoder(proxy.path) as d:
        for i in indices:
            got = d.get(i)
            assert got.shape == (H, W, 3) and got.dtype == np.uint8
            assert np.array_equal(got, proxy.sequential(i)), f"frame {i} differs from a decode from the start"
            assert np.array_equal(got, proxy.decord(i)), f"frame {i} differs from decord"
        assert d.seeks <= len(indices)


def test_stepping_forward_decodes_one_frame_per_step_without_seeking(proxy):
    with FrameDecoder(proxy.path) as d:
        start = proxy.keyframes[1] - 5  # the 40 steps cross a keyframe
        d.get(start)
        seeks, decoded = d.seeks, d.decoded
        for i in range(start + 1, start + 41):
            assert np.array_equal(d.get(i), proxy.decord(i)), f"frame {i}"
            assert d.decoded == decoded + (i - start)
        assert d.seeks == seeks
        # asking again for the current frame costs nothing either
        assert np.array_equal(d.get(start + 40), proxy.decord(start + 40))
        assert (d.seeks, d.decoded) == (seeks, decoded + 40)


def test_short_jump_forward_within_a_gop_does_not_seek(proxy):
    with FrameDecoder(proxy.path) as d:
        d.get(proxy.keyframes[2] + 1)
        seeks = d.seeks
        d.get(proxy.keyframes[2] + 7)
        assert d.seeks == seeks


def test_stepping_backwards(proxy):
    with FrameDecoder(proxy.path) as d:
        start = proxy.keyframes[2] + 3
        for i in range(start, start - 30, -1):
            assert np.array_equal(d.get(i), proxy.sequential(i)), f"frame {i}"


def test_out_of_range_index_raises_index_error(proxy):
    with FrameDecoder(proxy.path) as d:
        n = d.frame_count
        with pytest.raises(IndexError, match=rf"frame index -1 is out of range.*{n} frames"):
            d.get(-1)
        with pytest.raises(IndexError, match=rf"frame index {n} is out of range"):
            d.get(n)
        with pytest.raises(TypeError):
            d.get(1.5)
        assert np.array_equal(d.get(n - 1), proxy.decord(n - 1))


def test_two_threads_share_one_decoder(proxies):
    p = proxies["25fps"]
    indices = interesting_indices(p, seed=2)[:30]
    expected = {i: p.decord(i) for i in indices}
    errors: list[str] = []
    with FrameDecoder(p.path) as d:

        def hammer(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(60):
                i = rng.choice(indices)
                if not np.array_equal(d.get(i), expected[i]):
                    errors.append(f"thread {seed}: frame {i}")

        threads = [threading.Thread(target=hammer, args=(s,)) for s in (1, 2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


def test_closed_decoder_refuses_to_decode(proxies):
    d = FrameDecoder(proxies["25fps"].path)
    d.close()
    d.close()
    assert d.closed
    with pytest.raises(DecoderClosedError):
        d.get(0)


def test_a_file_without_video_is_refused(tmp_path):
    audio = tmp_path / "audio.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=d=0.5", "-c:a", "aac", "-y", str(audio)])
    with pytest.raises(ValueError, match="no video stream"):
        FrameDecoder(audio)


# -- DecoderPool ----------------------------------------------------------------------


def test_pool_reuses_evicts_and_closes(proxies, tmp_path):
    paths = []
    for k in range(3):
        paths.append(tmp_path / f"v{k}.mp4")
        shutil.copyfile(proxies["25fps"].path, paths[-1])
    with DecoderPool(max_open=2) as pool:
        a = pool.get(paths[0])
        assert pool.get(str(paths[0])) is a
        b = pool.get(paths[1])
        pool.get(paths[0])  # a is now the most recently used
        c = pool.get(paths[2])
        assert b.closed and not a.closed and not c.closed
        assert len(pool) == 2 and paths[0] in pool and paths[1] not in pool
        b2 = pool.get(paths[1])
        assert b2 is not b and a.closed  # a was the least recently used then
        assert np.array_equal(b2.get(3), proxies["25fps"].decord(3))

        # a proxy rewritten in place (by rename) is reopened
        replacement = tmp_path / "new.mp4"
        shutil.copyfile(proxies["ntsc"].path, replacement)
        os.replace(replacement, paths[1])
        b3 = pool.get(paths[1])
        assert b3 is not b2 and b2.closed and b3.frame_count == proxies["ntsc"].frame_count
    assert b3.closed and c.closed and len(pool) == 0


def test_pool_get_of_a_missing_file_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        DecoderPool().get(tmp_path / "missing.mp4")


# -- JPEG and FrameCache --------------------------------------------------------------


def test_encode_jpeg(proxies):
    rgb = proxies["25fps"].decord(10)
    data = encode_jpeg(rgb, quality=90)
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as im:
        assert im.format == "JPEG" and im.size == (W, H)
        back = np.asarray(im.convert("RGB"), dtype=np.int16)
    assert np.abs(back - rgb).mean() < 3
    assert len(encode_jpeg(rgb, quality=30)) < len(data)
    with pytest.raises(ValueError):
        encode_jpeg(rgb[:, :, 0])
    with pytest.raises(ValueError):
        encode_jpeg(rgb.astype(np.float32))
    with pytest.raises(ValueError):
        encode_jpeg(rgb, quality=0)


def test_frame_cache_round_trip_and_atomic_files(tmp_path, monkeypatch):
    cache = FrameCache(tmp_path / "frames")
    assert cache.get("video-1.abc", 7) is None
    path = cache.put("video-1.abc", 7, b"jpeg bytes")
    assert path == tmp_path / "frames" / "video-1.abc" / "7.jpg"
    assert cache.get("video-1.abc", 7) == b"jpeg bytes"
    cache.put("video-1.abc", 7, b"newer")
    assert cache.get("video-1.abc", 7) == b"newer"
    assert sorted(os.listdir(path.parent)) == ["7.jpg"]  # no temporary files left

    # a write that fails half-way leaves neither a partial JPEG nor a temporary file
    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        cache.put("video-1.abc", 8, b"lost")
    monkeypatch.undo()
    assert cache.get("video-1.abc", 8) is None
    assert sorted(os.listdir(path.parent)) == ["7.jpg"]

    for bad_key in ("../x", "a/b", "", ".hidden", "..", "a..b"):
        with pytest.raises(ValueError):
            cache.put(bad_key, 1, b"x")
    for bad_index in (-1, 1.0, True):
        with pytest.raises(ValueError):
            cache.get("video", bad_index)


def test_frame_jpeg_decodes_once_then_serves_the_cache(proxies, tmp_path):
    p = proxies["ntsc"]
    cache = FrameCache(tmp_path / "frames")
    with DecoderPool() as pool:
        data = frame_jpeg(pool, cache, "ntsc", p.path, 42)
        decoder = pool.get(p.path)
        decoded = decoder.decoded
        assert frame_jpeg(pool, cache, "ntsc", p.path, 42) == data
        assert decoder.decoded == decoded
        assert cache.get("ntsc", 42) == data
        with Image.open(cache.path("ntsc", 42)) as im:
            back = np.asarray(im.convert("RGB"), dtype=np.int16)
        assert np.abs(back - p.decord(42)).mean() < 3
        # without a cache it still works
        assert frame_jpeg(pool, None, "ntsc", p.path, 42) == data


def test_read_ahead_prepares_the_next_frames(proxies, tmp_path):
    p = proxies["25fps"]
    cache = FrameCache(tmp_path / "frames")
    with DecoderPool() as pool:
        frame_count = pool.get(p.path).frame_count
        read_ahead = ReadAhead(pool, cache, ahead=5)
        # A random jump prepares nothing ...
        read_ahead.after("25fps", p.path, 70, frame_count)
        read_ahead.after("25fps", p.path, 19, frame_count)
        time.sleep(0.5)
        assert not (tmp_path / "frames").exists()
        # ... stepping forward prepares the next frames.
        read_ahead.after("25fps", p.path, 20, frame_count)
        deadline = time.monotonic() + 30
        while not all(cache.path("25fps", i).exists() for i in range(21, 26)):
            assert time.monotonic() < deadline, "read-ahead did not fill the cache"
            time.sleep(0.02)
        assert not cache.path("25fps", 26).exists()
        for i in (21, 25):
            with Image.open(cache.path("25fps", i)) as im:
                back = np.asarray(im.convert("RGB"), dtype=np.int16)
            assert np.abs(back - p.decord(i)).mean() < 3
        # Near the end it stops at the last frame.
        read_ahead.after("25fps", p.path, frame_count - 3, frame_count)
        read_ahead.after("25fps", p.path, frame_count - 2, frame_count)
        deadline = time.monotonic() + 30
        while not cache.path("25fps", frame_count - 1).exists():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.2)
        assert not cache.path("25fps", frame_count).exists()


# -- thumbnails ---------------------------------------------------------------------


def check_strip(p: Proxy, out: Path, index: dict) -> None:
    n = len(index["times"])
    tw, th, columns, rows = index["thumb_width"], index["thumb_height"], index["columns"], index["rows"]
    assert (tw, th) == (160, 90)
    assert 1 <= n <= MAX_THUMBNAILS and len(index["frame_indices"]) == n
    assert columns == min(n, MAX_COLUMNS) and rows == -(-n // columns)
    duration = p.frame_count / RATES[p.name]
    times, frames = index["times"], index["frame_indices"]
    assert times[0] == 0 and frames[0] == 0
    assert all(a < b for a, b in zip(times, times[1:]))
    assert all(0 <= t < duration for t in times)
    assert times == [float((p.pts[i] - p.pts[0]) * p.time_base) for i in frames]
    assert sorted(os.listdir(out.parent)) == [out.name]  # written atomically: no temporary file left
    with Image.open(out) as im:
        assert im.format == "JPEG" and im.size == (columns * tw, rows * th)
        sprite = np.asarray(im.convert("RGB"), dtype=np.int16)
    refs = [
        np.asarray(Image.fromarray(p.sequential(i)).resize((tw, th), Image.Resampling.BOX), dtype=np.int16)
        for i in frames
    ]
    for k in range(n):
        r, c = divmod(k, columns)
        tile = sprite[r * th : (r + 1) * th, c * tw : (c + 1) * tw]
        assert np.abs(tile - refs[k]).mean() < 4, f"tile {k} does not look like frame {frames[k]}"


@pytest.mark.parametrize(
    "name, kwargs, expected_count",
    [
        ("25fps", {}, 1),  # one per 10 s by default
        ("25fps", {"count": 10}, 10),  # one per keyframe
        ("25fps", {"count": 40}, 40),  # denser than the keyframes: exact frames
        ("ntsc", {"every_seconds": 2.5}, 4),
        ("ntsc", {"every_seconds": 0.01}, MAX_THUMBNAILS),  # capped
        ("ntsc", {"count": 23}, 23),
    ],
)
def test_thumbnail_strip(proxies, tmp_path, name, kwargs, expected_count):
    p = proxies[name]
    out = tmp_path / "strip" / "thumbs.jpg"
    index = thumbnail_strip(p.path, out, **kwargs)
    assert len(index["times"]) == expected_count
    check_strip(p, out, index)


def test_thumbnail_tiles_show_their_own_frames(proxies, tmp_path):
    p = proxies["25fps"]
    out = tmp_path / "thumbs.jpg"
    index = thumbnail_strip(p.path, out, every_seconds=1, thumb_height=90)
    assert index["frame_indices"] == p.keyframes  # keyframes only
    with Image.open(out) as im:
        sprite = np.asarray(im.convert("RGB"), dtype=np.int16)
    tw, th, columns = index["thumb_width"], index["thumb_height"], index["columns"]
    refs = [
        np.asarray(Image.fromarray(p.sequential(i)).resize((tw, th), Image.Resampling.BOX), dtype=np.int16)
        for i in index["frame_indices"]
    ]
    for k in range(len(refs)):
        r, c = divmod(k, columns)
        tile = sprite[r * th : (r + 1) * th, c * tw : (c + 1) * tw]
        own = np.abs(tile - refs[k]).mean()
        assert own < 4, f"tile {k}"
        for j, ref in enumerate(refs):
            if np.abs(ref - refs[k]).mean() > 0.2:  # frames that differ (some show only the background)
                assert np.abs(tile - ref).mean() > own, f"tile {k} looks more like frame {index['frame_indices'][j]}"


def test_thumbnail_strip_rejects_bad_arguments(proxies, tmp_path):
    p = proxies["25fps"]
    out = tmp_path / "t.jpg"
    with pytest.raises(ValueError, match="not both"):
        thumbnail_strip(p.path, out, count=3, every_seconds=2)
    for kwargs in ({"count": 0}, {"count": MAX_THUMBNAILS + 1}, {"every_seconds": 0}, {"thumb_height": 0}, {"quality": 0}):
        with pytest.raises(ValueError):
            thumbnail_strip(p.path, out, **kwargs)
    assert not out.exists()
