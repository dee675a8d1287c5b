"""Grounding DINO on one frame for one object name."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .geometry import Box, clamp_box


@dataclass(frozen=True)
class Detection:
    box: Box  # frame pixels, clamped to the frame
    score: float  # in [0, 1]


def text_prompt(name: str) -> str:
    """The prompt Grounding DINO expects: lower case, ending with a period (``"guitar."``)."""
    text = " ".join(name.split()).lower().rstrip(".")
    if not text:
        raise ValueError(f"an object name must hold a word, got {name!r}")
    return text + "."


class GroundingDino:
    def __init__(self, model, processor, device: torch.device, dtype: torch.dtype) -> None:
        self.model = model
        self.processor = processor
        self.device = device
        self.dtype = dtype

    @torch.inference_mode()
    def detect(self, frame: np.ndarray, name: str, *, box_threshold: float, text_threshold: float) -> list[Detection]:
        """Boxes of ``name`` on ``frame`` (``H x W x 3`` RGB) scoring above ``box_threshold``, best first. A box
        is kept only when some word of the name passes ``text_threshold`` (the phrase the text threshold picks is
        not empty or just the period), as Grounding DINO's own label filter does."""
        height, width = frame.shape[:2]
        inputs = self.processor(images=frame, text=text_prompt(name), return_tensors="pt").to(self.device)
        inputs["pixel_values"] = inputs["pixel_values"].to(self.dtype)
        outputs = self.model(**inputs)
        result = self.processor.post_process_grounded_object_detection(
            outputs, input_ids=inputs["input_ids"], threshold=box_threshold, text_threshold=text_threshold,
            target_sizes=[(height, width)],
        )[0]
        found = []
        for box, score, label in zip(result["boxes"].float().tolist(), result["scores"].float().tolist(),
                                     result["text_labels"]):
            clamped = clamp_box(box, width, height)
            if clamped is not None and label.strip(" ."):
                found.append(Detection(clamped, min(max(score, 0.0), 1.0)))
        return sorted(found, key=lambda d: -d.score)
