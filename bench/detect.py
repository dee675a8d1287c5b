"""Grounded-SAM2 engine speed (prints figures; passes or fails nothing).

    .venv/bin/python bench/detect.py [--frames 32] [--names 3] [--instances 3] [--threads N] [--full-on-cpu]

Runs pipeline.detect's GroundedSam2 (loaded through GroundedSam2.load from folders written to a temporary
directory) on synthetic 1280x720 frames: shapes moving over noise, one frame per second of a FRAMES-second event,
NAMES object names.

1. CPU, tiny random models (tests/detect_models.py): the engine's own cost around the models (720p frame
   preprocessing, masks upsampled to 720p, masks to boxes, windows).
2. Full-size random models (grounding-dino-tiny and sam2.1-hiera-tiny configs, transformers' defaults), on CUDA
   when torch sees a GPU, or on CPU with --full-on-cpu (slow: few frames).

Random weights score every query high, so each name would give hundreds of "instances"; the figures keep the
best INSTANCES detections per name (a realistic count), since SAM2's cost grows with the instances it tracks.
Figures: event seconds boxed per second (all names), and (frame x name) pairs per second. --threads sets
torch's CPU threads (default: torch's own choice, one per core).
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

import numpy as np  # noqa: E402
import torch  # noqa: E402

from pipeline.detect import DetectConfig, GroundedSam2  # noqa: E402
from tests.detect_models import save_dino, save_sam2, tiny_dino_config, tiny_sam2_config  # noqa: E402

NAMES = ["dog", "red car", "man", "guitar", "drum"]


def synthetic_frames(count: int, width: int = 1280, height: int = 720) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    frames = []
    for t in range(count):
        frame = rng.integers(0, 60, (height, width, 3), dtype=np.uint8)
        x = (80 + 37 * t) % (width - 300)
        frame[200:420, x : x + 260] = (200, 40, 40)
        frame[450:650, width - x - 200 : width - x] = (40, 180, 60)
        frames.append(frame)
    return frames


def keep_best(detector: GroundedSam2, instances: int) -> None:
    real = detector.grounding.detect

    def detect(frame, name, **kwargs):
        return real(frame, name, **kwargs)[:instances]

    detector.grounding.detect = detect


def run(label: str, dino_config, sam2_config, image_size, device: str, frames, names, instances: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        dino = save_dino(Path(tmp) / "grounding-dino", dino_config, image_size=image_size)
        sam2 = save_sam2(Path(tmp) / "sam2", sam2_config)
        detector = GroundedSam2.load(dino, sam2, DetectConfig(device=device))
        print(f"{label}: models written and loaded in {time.perf_counter() - started:.1f} s", flush=True)
    keep_best(detector, instances)
    detector.detect(frames[:2], names[:1])  # warm-up (allocator, kernels)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    tracks = detector.detect(frames, names)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    boxes = sum(len(b) for t in tracks for b in t.frames)
    print(f"{label}: {len(frames)} frames x {len(names)} names in {seconds:.2f} s: "
          f"{len(frames) / seconds:.2f} event seconds/s, {len(frames) * len(names) / seconds:.2f} frame-names/s "
          f"({boxes} boxes, window {detector.config.window})")
    if device.startswith("cuda"):
        print(f"{label}: peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")
    detector.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=32)
    parser.add_argument("--names", type=int, default=3)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--full-on-cpu", action="store_true", help="also run the full-size models on CPU")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    from transformers import GroundingDinoConfig, Sam2VideoConfig

    frames = synthetic_frames(args.frames)
    names = NAMES[: args.names]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads of {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, CUDA: {torch.cuda.is_available()}")
    run("cpu, tiny models", tiny_dino_config(), tiny_sam2_config(), (64, 96), "cpu", frames, names,
        args.instances)
    # Transformers' default configs are grounding-dino-tiny's and sam2.1-hiera-tiny's; the processor resizes to
    # the checkpoint's 800 / 1333 edges.
    full = (GroundingDinoConfig(), Sam2VideoConfig(), (800, 1333))
    if torch.cuda.is_available():
        run("cuda, full-size models", *full, "cuda", frames, names, args.instances)
    else:
        print("no GPU visible to torch: full-size figures on CUDA skipped")
    if args.full_on_cpu:
        run("cpu, full-size models", *full, "cpu", frames[:4], names[:1], args.instances)


if __name__ == "__main__":
    main()
