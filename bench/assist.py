"""Event clue proposals (pipeline/assist): quality and speed (prints figures; passes or fails nothing).

    .venv/bin/python bench/assist.py [--minutes 10] [--seed 1] [--snr 20] [--clap FOLDER]

Generated audio with known truth: beeps at random times, of random lengths (0.15-0.8 s) and pitches
(200-4000 Hz, log-uniform), at least 0.3 s apart, about one every 4 s, over pink noise at SNR dB (a beep's RMS
over the noise's). Prints

1. the engine on the samples: recall and precision at temporal IoU >= 0.5 (one-to-one matching), the mean IoU of
   the matches, and seconds of computing per minute of audio;
2. the whole path of the job: the same audio in an AAC track of an MP4 (as the proxy's), read with PyAV from a
   seek to the interval and detected, one call per 60 s interval: seconds per minute of video;
3. with --clap FOLDER (a CLAP model saved with save_pretrained; never fetched), CLAP scoring's added seconds per
   minute, on the candidates of (2), on CUDA when torch sees a GPU.

Key presses per event clue with proposals are counted by tests/browser/test_assist.py (3 presses for 3 clues).

Then, unless --events-only, the object figures of bench/assist_objects.py (whose options it takes): click-to-box,
tracking and object proposal latency with the tiny models on CPU, the same with full-size configs when torch sees
CUDA, and the two detector backends' agreement (vIoU) where --dino, --sam2 and --sam3 name real weights.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import av  # noqa: E402
import numpy as np  # noqa: E402

from pipeline.assist import events, synthetic as gen  # noqa: E402
from pipeline.assist.propose import propose_events  # noqa: E402

RATE = 16000


def write_mp4(samples: np.ndarray, path: Path, rate: int = 48000) -> None:
    """Mono float samples (at RATE) as an AAC track in an MP4, upsampled to the proxy's 48 kHz."""
    import librosa

    x = librosa.resample(samples.astype(np.float32), orig_sr=RATE, target_sr=rate)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        stream.bit_rate = 128000
        step = 1024 * 16
        for i in range(0, len(x), step):
            frame = av.AudioFrame.from_ndarray(x[None, i:i + step], format="flt", layout="mono")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def quality(found, truth) -> tuple[int, list[float]]:
    hits = events.match(found, truth)
    ious = [max((events.iou(f, t) for f in found), default=0.0) for t in truth]
    return hits, [v for v in ious if v >= 0.5]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--snr", type=float, default=20.0)
    parser.add_argument("--clap", type=Path, default=None)
    parser.add_argument("--events-only", action="store_true", help="skip the object figures")
    from bench import assist_objects

    assist_objects.add_arguments(parser)
    args = parser.parse_args()

    duration = args.minutes * 60
    tones = gen.random_tones(args.seed, duration, count=int(duration / 4))
    samples = gen.render_tones(tones, duration, sample_rate=RATE, snr_db=args.snr, seed=args.seed)
    truth = [(t.start, t.end) for t in tones]
    print(f"{len(truth)} beeps in {args.minutes:g} min of pink noise at {args.snr:g} dB SNR (seed {args.seed})")

    events.detect_events(samples[: RATE * 5], RATE)  # warm up (numba, FFT plans)
    started = time.perf_counter()
    found = [(e.start, e.end) for e in events.detect_events(samples, RATE)]
    elapsed = time.perf_counter() - started
    hits, ious = quality(found, truth)
    print(f"1. engine on samples:  recall {hits / len(truth):.3f}  precision {hits / max(len(found), 1):.3f}  "
          f"mean IoU {np.mean(ious):.3f}  {elapsed / args.minutes:.3f} s per minute of audio")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "audio.mp4"
        write_mp4(samples, path)
        started = time.perf_counter()
        found = []
        windows = []
        for start in np.arange(0.0, duration, 60.0):
            end = min(duration, start + 60.0)
            result = propose_events(path, start=float(start), end=float(end), duration=duration)
            windows.append((float(start), float(end), result))
            found += [(e.start, e.end) for e in result.events]
        elapsed = time.perf_counter() - started
        # An event cut by a window edge is two proposals; merge those touching at the edge for scoring.
        merged = []
        for f in sorted(found):
            if merged and abs(f[0] - merged[-1][1]) < 1e-6 and f[0] % 60.0 == 0.0:
                merged[-1] = (merged[-1][0], f[1])
            else:
                merged.append(f)
        hits, ious = quality(merged, truth)
        print(f"2. job path from MP4:  recall {hits / len(truth):.3f}  precision {hits / max(len(merged), 1):.3f}  "
              f"{elapsed / args.minutes:.3f} s per minute of video (60 s intervals, AAC decode included)")

        if args.clap is not None:
            import torch

            from pipeline.assist.clap import ClapScorer
            from pipeline.assist.propose import CONTEXT
            from pipeline.assist.audio import read_audio

            device = "cuda" if torch.cuda.is_available() else "cpu"
            scorer = ClapScorer.load(args.clap, device=device)
            clips = []
            for start, end, result in windows:
                for e in result.events:
                    clips.append(read_audio(path, e.start, e.end))
            scorer.similarities(clips[:2], RATE, "a beep")
            started = time.perf_counter()
            for i in range(0, len(clips), 32):
                scorer.similarities(clips[i:i + 32], RATE, "How many times does the beep sound?")
            if device == "cuda":
                torch.cuda.synchronize()
            elapsed = time.perf_counter() - started
            print(f"3. CLAP ({scorer.name}, {device}): {len(clips)} candidates, "
                  f"{elapsed / args.minutes:.3f} s per minute of video added (context {CONTEXT} s)")

    if not args.events_only:
        print("\nObjects: click-to-box, tracking, object proposals (bench/assist_objects.py)")
        assist_objects.run(args)


if __name__ == "__main__":
    main()
