"""SAM 3 engine speed (prints figures; passes or fails nothing).

    .venv/bin/python bench/detect_sam3.py [--frames 16] [--names 3] [--instances 3] [--clicks 10] [--threads N]
                                          [--full-on-cpu]

Runs pipeline.detect.sam3 on synthetic 1280x720 frames (shapes moving over noise, one frame per second of a
FRAMES-second event, NAMES object names):

1. CPU, tiny random models (tests/sam3_models.py), loaded through Sam3Detector.load / Sam3Interactive.load from
   folders written to a temporary directory: the engine's own cost around the models (720p frames resized to the
   model's input, masks upsampled to 720p, masks to boxes, windows).
2. Full-size random SAM 3 (transformers' default Sam3VideoConfig: ViT-L at 1008 pixels, as facebook/sam3), on CUDA
   when torch sees a GPU, or on CPU with --full-on-cpu (slow: few frames). It is built in place on the device
   rather than written to a folder and loaded (3.4 GB of random weights); the tokenizer is the tiny one.

Random weights score every query alike, so SAM 3's thresholds are set to 0 and only the best INSTANCES detections
per name and frame are kept: a realistic count, since the tracker's cost grows with the instances it follows.
Figures: detect's milliseconds per frame and per (frame x name); box_from_point's milliseconds per click; track's
milliseconds per frame followed (a box in the middle of the frames, followed both ways).
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

from bench.detect import NAMES, synthetic_frames  # noqa: E402
from pipeline.detect import DetectConfig  # noqa: E402
from pipeline.detect.sam3 import FrameInput, Sam3Detector, Sam3Interactive, Sam3Tracker  # noqa: E402
from tests.sam3_models import save_sam3, tokenizer  # noqa: E402

def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def timed(device: torch.device, call):
    sync(device)
    started = time.perf_counter()
    result = call()
    sync(device)
    return result, time.perf_counter() - started


def follow_few(detector: Sam3Detector, instances: int) -> None:
    """Every detection counts (random scores are all alike), but only the best INSTANCES per name and frame reach
    the tracker."""
    model = detector.model
    model.score_threshold_detection = model.new_det_thresh = 0.0
    model.det_nms_thresh = 0.0  # a no-op without the hub kernel (as here), but it would compare 200 x 200 masks
    real = model.run_detection

    def run_detection(inference_session, vision_embeds):
        found = real(inference_session=inference_session, vision_embeds=vision_embeds)
        best = {}
        for prompt_id, out in found.items():
            order = out["scores"].argsort(descending=True)[:instances]
            best[prompt_id] = {key: value[order] for key, value in out.items()}
        return best

    model.run_detection = run_detection


def measure(label: str, detector: Sam3Detector, interactive: Sam3Interactive, frames, names, instances: int,
            clicks: int) -> None:
    device = detector.device
    follow_few(detector, instances)
    detector.detect(frames[:2], names[:1])  # warm-up (allocator, kernels)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    tracks, seconds = timed(device, lambda: detector.detect(frames, names))
    boxes = sum(len(b) for t in tracks for b in t.frames)
    print(f"{label}: detect {len(frames)} frames x {len(names)} names in {seconds:.2f} s: "
          f"{1000 * seconds / len(frames):.0f} ms/frame, {1000 * seconds / (len(frames) * len(names)):.0f} "
          f"ms/frame-name ({boxes} boxes, window {detector.config.window})", flush=True)
    if device.type == "cuda":
        print(f"{label}: detect's peak GPU memory {torch.cuda.max_memory_allocated() / 2**30:.2f} GiB")
    detector.close()

    height, width = frames[0].shape[:2]
    interactive.box_from_point(frames[0], (width / 2, height / 2))  # warm-up
    rng = np.random.default_rng(1)
    points = [(float(rng.uniform(0, width - 1)), float(rng.uniform(0, height - 1))) for _ in range(clicks)]
    latencies = []
    for i, point in enumerate(points):
        _, seconds = timed(device, lambda: interactive.box_from_point(frames[i % len(frames)], point))
        latencies.append(seconds)
    print(f"{label}: box_from_point p50 {1000 * np.median(latencies):.0f} ms, max {1000 * max(latencies):.0f} ms "
          f"({clicks} clicks)", flush=True)
    box = (width * 0.3, height * 0.3, width * 0.6, height * 0.7)
    start = len(frames) // 2
    found, seconds = timed(device, lambda: interactive.track(frames, start, box))
    print(f"{label}: track {len(frames)} frames (from frame {start}, both ways, windows of {interactive.window}) in "
          f"{seconds:.2f} s: {1000 * seconds / max(1, len(frames) - 1):.0f} ms/frame followed "
          f"({sum(b is not None for b in found)} boxes)", flush=True)
    interactive.close()


def tiny(frames, names, instances: int, clicks: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        folder = save_sam3(Path(tmp) / "sam3")
        detector = Sam3Detector.load(folder, DetectConfig(device="cpu"))
        interactive = Sam3Interactive.load(folder, device="cpu")
        print(f"cpu, tiny models: written and loaded in {time.perf_counter() - started:.1f} s", flush=True)
    measure("cpu, tiny models", detector, interactive, frames, names, instances, clicks)


def full(device: str, frames, names, instances: int, clicks: int) -> None:
    from transformers import Sam3TrackerVideoModel, Sam3VideoConfig, Sam3VideoModel

    resolved = torch.device(device)
    label = f"{resolved.type}, full-size model"
    started = time.perf_counter()
    config = Sam3VideoConfig()
    with resolved:
        model = Sam3VideoModel(config).eval()
        tracker = Sam3TrackerVideoModel(config.tracker_config).eval()
    inputs = FrameInput(model.config.image_size, (0.5,) * 3, (0.5,) * 3, 1 / 255, resolved, torch.float32)
    params = sum(p.numel() for p in model.parameters())
    print(f"{label}: {params / 1e6:.0f} M parameters built in {time.perf_counter() - started:.1f} s", flush=True)
    detector = Sam3Detector(model, tokenizer(), inputs, DetectConfig(device=device), "random")
    interactive = Sam3Interactive(Sam3Tracker(tracker, inputs), "random")
    measure(label, detector, interactive, frames, names, instances, clicks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=16)
    parser.add_argument("--names", type=int, default=3)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--clicks", type=int, default=10)
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--full-on-cpu", action="store_true", help="also run the full-size model on CPU")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    frames = synthetic_frames(args.frames)
    names = NAMES[: args.names]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads of {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}, CUDA: {torch.cuda.is_available()}")
    tiny(frames, names, args.instances, args.clicks)
    if torch.cuda.is_available():
        full("cuda", frames, names, args.instances, args.clicks)
    else:
        print("no GPU visible to torch: full-size figures on CUDA skipped")
    if args.full_on_cpu:
        full("cpu", frames[:3], names[:1], args.instances, min(args.clicks, 2))


if __name__ == "__main__":
    main()
