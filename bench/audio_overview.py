"""Time and memory of compute_audio_overview (waveform peaks + spectrogram) on a long 720p video.

Run: .venv/bin/python bench/audio_overview.py [--minutes 15] [--rounds 3] [--cache-dir var/bench]

The first run generates the video (30 fps H.264 testsrc2, 1280x720 unless --size, + stereo
48 kHz AAC, like a proxy) with ffmpeg into the cache folder; later runs reuse
it. Each round runs in a fresh Python process so that its peak RSS is its
own: the figure printed is the rise of the process's high-water mark over
what it had after importing PyAV and numpy. One more round measures the
Python-level allocations with tracemalloc (slower, so it is not timed).
Prints figures; it passes or fails nothing.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.media.ffmpeg import run_ffmpeg  # noqa: E402

ROUND = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
import av, numpy
from pipeline.media.peaks import compute_audio_overview
traced = sys.argv[3] == "traced"
before = resource.getrusage(resource.RUSAGE_SELF)
base = before.ru_maxrss
if traced:
    tracemalloc.start()
start = time.perf_counter()
overview = compute_audio_overview(sys.argv[2])
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
traced_peak = tracemalloc.get_traced_memory()[1] if traced else None
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
peaks = json.dumps(overview.to_peaks_json(), separators=(",", ":"))
spectrogram = json.dumps(overview.to_spectrogram_json(), separators=(",", ":"))
json_seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds,
    "cpu_seconds": cpu,
    "json_seconds": json_seconds,
    "base_rss_kib": base,
    "rss_rise_kib": peak - base,
    "traced_peak_bytes": traced_peak,
    "duration": overview.duration,
    "levels": [[level.samples_per_bucket, len(level.mins)] for level in overview.levels],
    "spectrogram_shape": list(overview.spectrogram.shape),
    "peaks_json_bytes": len(peaks),
    "spectrogram_json_bytes": len(spectrogram),
}))
"""


def ensure_video(path: Path, minutes: float, size: str) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    seconds = minutes * 60
    tmp = path.with_name(f".{path.name}.tmp.mp4")
    print(f"generating {path} ({minutes:g} min, takes a while) ...", flush=True)
    start = time.perf_counter()
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"testsrc2=s={size}:r=30:d={seconds:g}",
            "-f", "lavfi", "-i", f"sine=frequency=440:beep_factor=4:sample_rate=48000:duration={seconds:g}",
            "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-movflags", "+faststart", "-f", "mp4", "-y", str(tmp),
        ],
        total_seconds=seconds,
    )
    tmp.replace(path)
    print(f"generated in {time.perf_counter() - start:.0f} s, {path.stat().st_size / 2**20:.0f} MiB", flush=True)


def one(video: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", ROUND, str(ROOT), str(video), mode],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size", default="1280x720", help="video frame size (the proxies are 720p)")
    parser.add_argument("--cache-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args()

    video = args.cache_dir / f"audio_overview_{args.minutes:g}min_{args.size}_30fps.mp4"
    ensure_video(video, args.minutes, args.size)
    runs = [one(video, "plain") for _ in range(args.rounds)]
    traced = one(video, "traced")
    last = runs[-1]
    seconds = [r["seconds"] for r in runs]
    cpu = [r["cpu_seconds"] for r in runs]
    mib = 2**20

    print(f"video: {video} ({video.stat().st_size / mib:.0f} MiB, audio {last['duration']:.1f} s)")
    print(
        f"compute_audio_overview: median {statistics.median(seconds):.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}, {len(seconds)} fresh processes); "
        f"CPU (user + sys) median {statistics.median(cpu):.2f} s"
    )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(
        f"peak RSS rise: {max(r['rss_rise_kib'] for r in runs) / 1024:.1f} MiB "
        f"(over {last['base_rss_kib'] / 1024:.0f} MiB after imports); "
        f"tracemalloc peak: {traced['traced_peak_bytes'] / mib:.1f} MiB"
    )
    print(f"to JSON (both documents): {last['json_seconds']:.2f} s")
    print("levels (samples per bucket, buckets): " + ", ".join(f"{n}:{count}" for n, count in last["levels"]))
    print(f"spectrogram: {last['spectrogram_shape'][0]} columns x {last['spectrogram_shape'][1]} bins")
    print(
        f"JSON sizes: peaks {last['peaks_json_bytes'] / mib:.2f} MiB, "
        f"spectrogram {last['spectrogram_json_bytes'] / mib:.2f} MiB"
    )


if __name__ == "__main__":
    main()
