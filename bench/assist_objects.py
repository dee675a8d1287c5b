"""Object assistance: click-to-box, tracking, object proposals, and the two detector backends side by side
(prints figures; passes or fails nothing).

    .venv/bin/python bench/assist_objects.py [--frames 16] [--threads 1]
        [--dino FOLDER --sam2 FOLDER] [--sam3 FOLDER] [--names dog,man]

On synthetic 1280x720 frames (two coloured rectangles moving over noise, one frame per second):

1. CPU, tiny random models built from configs (tests/detect_models.py) through the production loaders: milliseconds
   per click-to-box (SAM 2, one frame), per tracked frame (one box followed both ways), and per frame of object
   proposals (Grounded-SAM2 detection + tracking + distinct instances). The tiny models' figures are the code's own
   cost around the models (preprocessing at 720p, masks upsampled to 720p, masks to boxes).
2. When torch sees CUDA: the same with full-size configs (transformers' defaults, random weights).
3. With real weights (--dino and --sam2 for Grounded-SAM2, --sam3 for SAM 3, local folders only): both backends on
   the same frames and names, and their agreement per name as vIoU (benchmark.metrics.ravst.viou, over the frames
   where either found the object, best-scoring box per frame), with each backend's seconds per frame. Without the
   folders this part says so and is skipped.

Key presses (counted by tests/browser/test_object_assist.py): a box from a click is 1 click once click-to-box is
on; an R-AVST event of n seconds is 1 click + t + (n - 1) Enter; an object proposal is one Enter (Tab to the first).
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

from benchmark.metrics.ravst import viou  # noqa: E402
from bench.detect import synthetic_frames  # noqa: E402
from pipeline.detect import DetectConfig, GroundedSam2  # noqa: E402
from pipeline.detect.distinct import distinct_instances  # noqa: E402
from pipeline.detect.interactive import Sam2Interactive  # noqa: E402
from tests.detect_models import save_dino, save_sam2  # noqa: E402


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def interactive_figures(sam: Sam2Interactive, frames: list[np.ndarray], label: str) -> None:
    sam.box_from_point(frames[0], (300.0, 300.0))  # warm up
    runs = []
    for frame in frames[:8]:
        start = time.perf_counter()
        sam.box_from_point(frame, (300.0, 300.0))
        runs.append(time.perf_counter() - start)
    print(f"  {label}: click-to-box            {ms(float(np.median(runs)))} per click (median of {len(runs)})")
    middle = len(frames) // 2
    start = time.perf_counter()
    followed = sam.track(frames, middle, (100.0, 200.0, 360.0, 420.0))
    took = time.perf_counter() - start
    found = sum(b is not None for b in followed)
    print(f"  {label}: tracking one box          {ms(took / max(1, len(frames) - 1))} per frame "
          f"({len(frames) - 1} frames, both ways; found on {found - 1})")


def proposal_figures(detector: GroundedSam2, frames: list[np.ndarray], label: str) -> None:
    numbered = [(25 * i, f) for i, f in enumerate(frames)]
    start = time.perf_counter()
    found = distinct_instances(numbered, "red box", detector)
    took = time.perf_counter() - start
    print(f"  {label}: object proposals          {ms(took / len(frames))} per frame "
          f"({len(frames)} frames, {len(found)} distinct instances)")


def best_boxes(track, seconds: list[float]) -> list[tuple[float, tuple]]:
    out = []
    for t, boxes in zip(seconds, track.frames):
        if boxes:
            best = max(boxes, key=lambda b: b.score)
            out.append((t, (best.x1, best.y1, best.x2, best.y2)))
    return out


def compare_backends(args, frames: list[np.ndarray]) -> None:
    print("\n3. Grounded-SAM2 and SAM 3 on the same frames (real weights)")
    if not (args.dino and args.sam2 and args.sam3):
        print("  skipped: give --dino, --sam2 and --sam3 (local folders of real weights) to compare the backends")
        return
    from pipeline.detect.sam3 import Sam3Detector

    names = [n.strip() for n in args.names.split(",") if n.strip()]
    seconds = [float(i) for i in range(len(frames))]
    config = DetectConfig(device=None)
    results = {}
    for label, load in (("grounded-sam2", lambda: GroundedSam2.load(args.dino, args.sam2, config)),
                        ("sam3", lambda: Sam3Detector.load(args.sam3, config))):
        detector = load()
        start = time.perf_counter()
        tracks = detector.detect(frames, names)
        took = time.perf_counter() - start
        detector.close()
        results[label] = tracks
        print(f"  {label:14s} {took / len(frames):6.3f} s per frame ({len(names)} names)")
    for i, name in enumerate(names):
        a = best_boxes(results["grounded-sam2"][i], seconds)
        b = best_boxes(results["sam3"][i], seconds)
        print(f"  {name:14s} vIoU {viou(a, b):.3f}  (seconds found: grounded-sam2 {len(a)}, sam3 {len(b)})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This script's options, which bench/assist.py takes too (it prints these figures after the event ones)."""
    parser.add_argument("--frames", type=int, default=16, help="synthetic 720p frames, one a second")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--dino", type=Path, help="Grounding DINO folder (real weights) for the comparison")
    parser.add_argument("--sam2", type=Path, help="SAM 2 video folder (real weights) for the comparison")
    parser.add_argument("--sam3", type=Path, help="SAM 3 video folder (real weights) for the comparison")
    parser.add_argument("--names", default="red box,green box", help="object names the comparison looks for")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    run(parser.parse_args())


def run(args: argparse.Namespace) -> None:
    torch.set_num_threads(args.threads)
    frames = synthetic_frames(args.frames)
    print(f"{len(frames)} frames of 1280x720, torch {torch.__version__}, {args.threads} CPU thread(s)")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("\n1. CPU, tiny random models")
        sam2 = save_sam2(folder / "sam2")
        dino = save_dino(folder / "dino")
        interactive_figures(Sam2Interactive.load(sam2, device="cpu", window=16), frames, "tiny")
        detector = GroundedSam2.load(dino, sam2, DetectConfig(box_threshold=0.0, text_threshold=0.0, device="cpu"))
        proposal_figures(detector, frames, "tiny")

        print("\n2. GPU, full-size configs (random weights)")
        if torch.cuda.is_available():
            from transformers import Sam2VideoConfig, Sam2VideoModel

            full = folder / "sam2-full"
            Sam2VideoModel(Sam2VideoConfig()).save_pretrained(full)
            from transformers.models.sam2_video.video_processing_sam2_video import Sam2VideoVideoProcessor

            Sam2VideoVideoProcessor(size={"height": 1024, "width": 1024}).save_pretrained(full)
            interactive_figures(Sam2Interactive.load(full, device="cuda", window=16), frames, "full")
        else:
            print("  skipped: torch sees no CUDA device")

    compare_backends(args, frames)


if __name__ == "__main__":
    main()
