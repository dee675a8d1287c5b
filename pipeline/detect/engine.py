"""Grounded-SAM2 box proposals: Grounding DINO finds an object by name, SAM2 video follows it.

For each window of at most ``config.window`` consecutive frames and each name: Grounding DINO runs on the
window's frames in order until one gives detections (the frames before it get no box); SAM2 video then follows
every detected instance from that frame to the end of the window, and each instance's mask gives its box at each
frame (an empty mask gives none). The next window starts afresh with a new detection, as Grounded-SAM2's
continuous-id demo does; so propagation never crosses a window boundary and at most one window of frames is on
the device at a time, whatever the event's length.

A box's score is the Grounding DINO score of the detection its instance was tracked from, at every frame of the
window: SAM2 gives no comparable per-frame confidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch

from .errors import DetectError
from .geometry import windows
from .grounding import Detection, GroundingDino
from .tracking import Sam2Tracker
from .types import DetectConfig, InstanceBox, ObjectTrack
from .weights import fingerprint, load_dino, load_sam2, resolve_device

Progress = Callable[[int, int], None]

# torch.cuda.OutOfMemoryError is an alias of torch.OutOfMemoryError in recent torch; both are named in case not.
_OUT_OF_MEMORY = (torch.OutOfMemoryError, torch.cuda.OutOfMemoryError)


class GroundedSam2:
    """Both models, loaded once (a GPU worker keeps one instance for its life)."""

    model_name = "grounding-dino+sam2"

    def __init__(self, grounding: GroundingDino, tracker: Sam2Tracker, config: DetectConfig, model_version: str):
        self.grounding: GroundingDino | None = grounding
        self.tracker: Sam2Tracker | None = tracker
        self.config = config
        self.device = grounding.device
        self.model_version = model_version

    @classmethod
    def load(cls, dino_path: str | Path, sam2_path: str | Path, config: DetectConfig | None = None) -> GroundedSam2:
        """Load both models from their local folders; :class:`WeightsMissing` when a folder is not usable."""
        config = config or DetectConfig()
        device = resolve_device(config.device)
        dtype = getattr(torch, config.dtype)
        dino, processor = load_dino(dino_path, device, dtype)
        sam2, video_processor = load_sam2(sam2_path, device, dtype)
        version = (f"{fingerprint(dino_path)}+{fingerprint(sam2_path)} box={config.box_threshold:g} "
                   f"text={config.text_threshold:g} window={config.window} {config.dtype}")
        return cls(GroundingDino(dino, processor, device, dtype), Sam2Tracker(sam2, video_processor, device, dtype),
                   config, version)

    def detect(self, frames: Sequence[np.ndarray], names: Sequence[str],
               progress: Progress | None = None) -> list[ObjectTrack]:
        """One :class:`ObjectTrack` per name, in order, with one list of boxes per frame. ``frames`` are the
        event's frames (``H x W x 3`` uint8 RGB, all the same size), one per sampled second."""
        if self.grounding is None or self.tracker is None:
            raise DetectError("the detector was closed; load it again")
        _check_frames(frames)
        try:
            return self._detect(frames, names, progress)
        except _OUT_OF_MEMORY:
            pass
        # Outside the except block the traceback, and the window's tensors it holds, are gone: now they can be freed.
        self.release()
        raise DetectError(
            f"out of GPU memory on {self.device} with windows of {self.config.window} frames; set "
            f"CLUEBENCH_DETECT_WINDOW lower (or use a GPU with more memory)"
        )

    def _detect(self, frames: Sequence[np.ndarray], names: Sequence[str],
                progress: Progress | None) -> list[ObjectTrack]:
        tracks = [ObjectTrack(name, [[] for _ in frames]) for name in names]
        total, done = len(frames) * len(tracks), 0
        frame_size = frames[0].shape[:2] if frames else (0, 0)
        next_instance = [0] * len(tracks)  # per name: the number the next detection's instance gets
        for window in windows(len(frames), self.config.window):
            pixels = None  # the window's SAM2 input, made once for all names, and only when something was found
            for t, track in enumerate(tracks):
                first, found = self._first_detection(frames, window, track.name)
                if found:
                    if pixels is None:
                        pixels = self.tracker.preprocess([frames[i] for i in window])
                    masks = self.tracker.track(pixels[first - window.start :], frame_size, [d.box for d in found])
                    base = next_instance[t]
                    next_instance[t] += len(found)
                    for offset, boxes in enumerate(masks):
                        track.frames[first + offset].extend(
                            InstanceBox(*box, detection.score, base + i)
                            for i, (detection, box) in enumerate(zip(found, boxes)) if box is not None
                        )
                done += len(window)
                if progress is not None:
                    progress(done, total)
        return tracks

    def _first_detection(self, frames: Sequence[np.ndarray], window: range, name: str) -> tuple[int, list[Detection]]:
        for index in window:
            found = self.grounding.detect(frames[index], name, box_threshold=self.config.box_threshold,
                                          text_threshold=self.config.text_threshold)
            if found:
                return index, found
        return window.stop, []

    def release(self) -> None:
        """Give back the device memory cached by the last call (the models stay loaded): call between tasks."""
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def close(self) -> None:
        """Drop both models for good and free their device memory."""
        self.grounding = self.tracker = None
        self.release()

    def __enter__(self) -> GroundedSam2:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _check_frames(frames: Sequence[np.ndarray]) -> None:
    shapes = set()
    for frame in frames:
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError(f"frames must be H x W x 3 uint8 RGB arrays, got {getattr(frame, 'shape', frame)!r}")
        shapes.add(frame.shape)
    if len(shapes) > 1:
        raise ValueError(f"frames must all have one size, got {sorted(shapes)}")
