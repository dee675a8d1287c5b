"""Media figures on this machine (prints them; passes or fails nothing).

    .venv/bin/python bench/media.py [--minutes 15] [--transcode-seconds 60] [--samples 200]

1. Generates (once, cached under var/bench/) a MINUTES-long 1280x720 30 fps video with audio, encoded the way
   proxies are (H.264 yuv420p, keyframe every second, AAC, faststart), so it can be served as a proxy as is.
2. Transcode speed: the real proxy pipeline (probe + transcode_proxy) on the first TRANSCODE_SECONDS of it,
   as a multiple of real time.
3. Frame fetches through GET /api/v1/videos/{id}/frames/{index}.jpg (Django test client, embedded Postgres):
   random indices with a cold JPEG cache, stepping forward one frame at a time, and cached frames; next to
   decord's VideoReader[idx] and a bare PyAV FrameDecoder on the same file.
4. Waveform peaks + spectrogram of the whole video: time and peak memory.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


def line(name, values):
    print(f"  {name:<44} p50 {pct(values, 50):7.1f} ms   p95 {pct(values, 95):7.1f} ms   (n={len(values)})")


def generate(path: Path, minutes: float) -> None:
    from pipeline.media.ffmpeg import run_ffmpeg

    seconds = minutes * 60
    print(f"generating {minutes:g} min 1280x720 30 fps test video (once) ...", flush=True)
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:beep_factor=4:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", "30",
            "-keyint_min", "30", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-movflags", "+faststart", "-shortest", "-y", str(path),
        ],
        total_seconds=seconds,
    )


def transcode_speed(source: Path, seconds: float) -> None:
    from pipeline.media import probe, proxy
    from pipeline.media.ffmpeg import run_ffmpeg

    with tempfile.TemporaryDirectory() as tmp:
        excerpt = Path(tmp) / "excerpt.mp4"
        run_ffmpeg(["-i", str(source), "-t", str(seconds), "-c", "copy", "-y", str(excerpt)])
        start = time.perf_counter()
        info = probe.probe(excerpt)
        proxy.transcode_proxy(excerpt, Path(tmp) / "proxy.mp4", proxy.plan_proxy(info), duration=info.duration)
        took = time.perf_counter() - start
    print(f"proxy transcode of {info.duration:.0f} s of 1280x720 30 fps: {took:.1f} s = {info.duration / took:.2f}x real time")


def frame_figures(source: Path, samples: int) -> None:
    import django

    django.setup()
    import decord
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from annotation.projects.models import Project
    from pipeline.videos.models import Video, VideoStatus
    from pipeline.media import probe
    from pipeline.media.frames import FrameDecoder

    info = probe.probe(source)
    relative = Path("videos/bench/proxy.mp4")
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.link(source, target) if source.stat().st_dev == target.parent.stat().st_dev else shutil.copy(source, target)
    user, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    project, _ = Project.objects.get_or_create(name="bench-media", defaults={"kind": "counting"})
    Video.objects.filter(project=project).delete()
    video = Video.objects.create(
        project=project, title="bench", status=VideoStatus.READY, proxy=str(relative), fps=info.fps,
        frame_count=info.frame_count, duration=info.duration, width=info.width, height=info.height,
        has_audio=info.has_audio,
    )
    cache_root = Path(settings.MEDIA_ROOT) / "frames"
    for stale in cache_root.glob(f"{video.pk}-*"):
        shutil.rmtree(stale)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = f"/api/v1/videos/{video.pk}/frames/{{}}.jpg"
    rng = random.Random(7)
    n = info.frame_count
    try:
        assert client.get(url.format(0)).status_code == 200  # opens the decoder once (its index is built here), like a warm web worker
        random_indices = rng.sample(range(1, n), samples)
        cold = []
        for index in random_indices:
            time.sleep(0.02)
            start = time.perf_counter()
            response = client.get(url.format(index))
            cold.append(time.perf_counter() - start)
            assert response.status_code == 200
        begin = rng.randrange(n - samples - 1)
        client.get(url.format(begin))
        step = []
        for index in range(begin + 1, begin + 1 + samples):
            time.sleep(0.04)  # a person stepping with a key press is far slower than this
            start = time.perf_counter()
            client.get(url.format(index))
            step.append(time.perf_counter() - start)
        time.sleep(1)  # let the read-ahead of the last steps finish
        cached = []
        for index in random_indices[:samples]:
            start = time.perf_counter()
            client.get(url.format(index))
            cached.append(time.perf_counter() - start)

        reader = decord.VideoReader(str(source))
        reader[0]
        decord_times = []
        for index in random_indices:
            start = time.perf_counter()
            reader[index].asnumpy()
            decord_times.append(time.perf_counter() - start)
        decoder = FrameDecoder(source)
        decoder.get(0)
        pyav = []
        for index in random_indices:
            start = time.perf_counter()
            decoder.get(index)
            pyav.append(time.perf_counter() - start)
        decoder.close()
    finally:
        video.delete()
        project.delete()
        for stale in cache_root.glob(f"{video.pk}-*"):
            shutil.rmtree(stale)
    print(f"frames of the {info.duration / 60:.0f} min {info.width}x{info.height} {info.fps:g} fps video ({n} frames):")
    line("endpoint, random, cold JPEG cache", cold)
    line("endpoint, stepping forward 1 frame", step)
    line("endpoint, cached frame", cached)
    line("decord VideoReader[idx], random (reference)", decord_times)
    line("PyAV FrameDecoder.get, random (no JPEG)", pyav)


def audio_figures(source: Path) -> None:
    """As the processing job does it: the proxy's audio track is copied out, then analysed."""
    from pipeline.media.peaks import compute_audio_overview, write_json_atomic
    from pipeline.media.proxy import extract_audio

    folder = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    extract_audio(source, folder / "audio.m4a")
    extracted = time.perf_counter() - start
    tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    overview = compute_audio_overview(folder / "audio.m4a")
    took = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    write_json_atomic(overview.to_peaks_json(), folder / "peaks.json", gzip_copy=True)
    write_json_atomic(overview.to_spectrogram_json(), folder / "spectrogram.json", gzip_copy=True)
    written = time.perf_counter() - start
    sizes = {p.name: p.stat().st_size / 2**20 for p in folder.glob("*.json*")}
    shutil.rmtree(folder)
    print(
        f"audio of {overview.duration / 60:.0f} min: track copied out in {extracted:.2f} s; "
        f"peaks + spectrogram computed in {took:.2f} s (Python peak {peak / 2**20:.0f} MiB, max RSS grew "
        f"{max(0, rss_after - rss_before) / 1024:.0f} MiB); JSON + gzip written in {written:.2f} s"
    )
    print("  sizes (MiB): " + ", ".join(f"{name} {size:.2f}" for name, size in sorted(sizes.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--transcode-seconds", type=float, default=60)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"video-{args.minutes:g}min-720p30.mp4"
    if not source.exists():
        generate(source, args.minutes)
    print(f"machine: {os.cpu_count()} cores; source {source} ({source.stat().st_size / 2**20:.0f} MiB)")
    audio_figures(source)
    frame_figures(source, args.samples)
    transcode_speed(source, args.transcode_seconds)


if __name__ == "__main__":
    main()
