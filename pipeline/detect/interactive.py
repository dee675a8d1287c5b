"""A person's prompts to SAM 2: one click gives a box, one box is followed through the frames around it.

    sam = Sam2Interactive.load(sam2_folder)
    sam.box_from_point(frame, (412.0, 230.5))        # InstanceBox(x1, y1, x2, y2, score) of the clicked object, or None
    sam.track(frames, 3, (400.0, 200.0, 480.0, 300.0))  # one box (or None) per frame; frames[3] keeps the given box

The same SAM 2 video model folder as the R-AVST box stage (``CLUEBENCH_DETECT_SAM2_PATH``). Tracking runs forward
from the prompted frame to the end and backward from it to the first frame (on the reversed frames), so a box drawn
in the middle of an event fills both sides. Frames are processed in windows of at most ``window`` frames per
direction; each following window is prompted with the last box found, so memory stays bounded on long runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .errors import DetectError
from .geometry import Box, clamp_box, mask_boxes
from .tracking import Sam2Tracker
from .types import InstanceBox
from .weights import fingerprint, load_sam2, resolve_device

Point = tuple[float, float]


class Sam2Interactive:
    model_name = "sam2"

    def __init__(self, tracker: Sam2Tracker, model_version: str, window: int = 16) -> None:
        self.tracker: Sam2Tracker | None = tracker
        self.model_version = model_version
        self.window = window

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, dtype: str = "float32",
             window: int = 16) -> Sam2Interactive:
        """The SAM 2 video model from its local folder; :class:`WeightsMissing` when the folder is not usable."""
        resolved = resolve_device(device)
        torch_dtype = getattr(torch, dtype)
        model, video_processor = load_sam2(path, resolved, torch_dtype)
        return cls(Sam2Tracker(model, video_processor, resolved, torch_dtype), f"{fingerprint(path)} {dtype}",
                   window)

    def _ready(self) -> Sam2Tracker:
        if self.tracker is None:
            raise DetectError("the model was closed; load it again")
        return self.tracker

    @torch.inference_mode()
    def box_from_point(self, frame: np.ndarray, point: Point) -> InstanceBox | None:
        """The box of the object under ``point`` (frame pixels) on ``frame`` (``H x W x 3`` uint8 RGB): the
        bounding box of SAM 2's mask for one positive click, with SAM 2's object score (the sigmoid of its
        object-score logit, in [0, 1]); None when the mask is empty."""
        from transformers.models.sam2_video.modeling_sam2_video import Sam2VideoInferenceSession

        tracker = self._ready()
        _check_frame(frame)
        height, width = frame.shape[:2]
        x, y = (float(v) for v in point)
        if not (0 <= x <= width - 1 and 0 <= y <= height - 1):
            raise ValueError(f"the point ({x:g}, {y:g}) lies outside the {width}x{height} frame")
        pixels = tracker.preprocess([frame])
        session = Sam2VideoInferenceSession(
            video=pixels, video_height=height, video_width=width, inference_device=tracker.device,
            inference_state_device=tracker.device, video_storage_device=tracker.device, dtype=tracker.dtype,
        )
        coords = torch.tensor([[[[x * tracker.size[1] / width, y * tracker.size[0] / height]]]], dtype=torch.float32)
        labels = torch.tensor([[[1]]], dtype=torch.int32)
        session.add_point_inputs(session.obj_id_to_idx(0), 0, {"point_coords": coords, "point_labels": labels})
        session.obj_with_new_inputs = [0]
        output = tracker.model(inference_session=session, frame_idx=0)
        logits = F.interpolate(output.pred_masks.float(), size=(height, width), mode="bilinear", align_corners=False)
        (box,) = mask_boxes(logits[:, 0] > 0)
        box = None if box is None else clamp_box(box, width, height)
        if box is None:
            return None
        score = 1.0
        if output.object_score_logits is not None:
            score = float(torch.sigmoid(output.object_score_logits.float().flatten()[0]))
        return InstanceBox(*box, score)

    def track(self, frames: Sequence[np.ndarray], start: int, box: Box) -> list[Box | None]:
        """``box`` given on ``frames[start]``, followed to both ends: one box per frame (None where the object's
        mask is empty); ``result[start]`` is ``box`` itself."""
        tracker = self._ready()
        for frame in frames:
            _check_frame(frame)
        if len({f.shape for f in frames}) > 1:
            raise ValueError("frames must all have one size")
        size = frames[0].shape[:2] if frames else (0, 0)

        def step(indices: list[int], prompt: Box) -> list[Box | None]:
            pixels = tracker.preprocess([frames[i] for i in indices])
            return [found[0] for found in tracker.track(pixels, size, [prompt])]

        return follow_both_ways(frames, start, box, self.window, step)

    def close(self) -> None:
        self.tracker = None
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def follow_both_ways(frames: Sequence[np.ndarray], start: int, box: Box, window: int,
                     step: Callable[[list[int], Box], list[Box | None]]) -> list[Box | None]:
    """The windowed two-way tracking both trackers share: ``box`` on ``frames[start]``, followed forward to the last
    frame and backward to the first, ``window`` frames at a time (at least 2). ``step(indices, prompt)`` follows
    ``prompt`` (a box on ``frames[indices[0]]``) through ``frames[indices]`` and answers one box or None per index;
    each next window is prompted with the last box found, and a direction stops where the object is lost."""
    if not 0 <= start < len(frames):
        raise ValueError(f"the prompted frame {start} is not one of the {len(frames)} frames")
    height, width = frames[0].shape[:2]
    given = clamp_box(box, width, height)
    if given is None:
        raise ValueError(f"the box {tuple(box)} has no area inside the {width}x{height} frame")
    result: list[Box | None] = [None] * len(frames)
    result[start] = given
    span = max(2, window)
    for order in (list(range(start, len(frames))), list(range(start, -1, -1))):
        prompt, at = given, 0
        while at < len(order) - 1:
            indices = order[at : at + span]
            for i, found in zip(indices[1:], step(indices, prompt)[1:]):
                result[i] = None if found is None else clamp_box(found, width, height)
            last = result[indices[-1]]
            if last is None:
                break  # lost: nothing to prompt the next window with
            prompt, at = last, at + len(indices) - 1
    return result


def _check_frame(frame: np.ndarray) -> None:
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] != 3:
        raise ValueError(f"a frame must be an H x W x 3 uint8 RGB array, got {getattr(frame, 'shape', frame)!r}")
