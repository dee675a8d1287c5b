"""The detector's configuration and results (plain dataclasses, no torch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

#: dtypes the models may run in, by the names settings use.
DTYPES = ("float32", "bfloat16", "float16")


@dataclass(frozen=True)
class DetectConfig:
    """How boxes are proposed.

    ``box_threshold`` / ``text_threshold``: Grounding DINO's BOX_THRESHOLD / TEXT_THRESHOLD (0.4 / 0.3 in the
    R-AVST paper). ``window``: at most this many frames are on the device at once; each window is detected afresh
    (see :mod:`pipeline.detect.engine`). ``device``: ``"cuda"``, ``"cuda:1"``, ``"cpu"``, or ``None`` for CUDA when
    torch sees a GPU. ``dtype``: one of :data:`DTYPES`.
    """

    box_threshold: float = 0.4
    text_threshold: float = 0.3
    window: int = 16
    device: str | None = None
    dtype: str = "float32"

    def __post_init__(self) -> None:
        for name in ("box_threshold", "text_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1], got {value!r}")
        if isinstance(self.window, bool) or not isinstance(self.window, int) or self.window < 1:
            raise ValueError(f"window must be a whole number of frames, at least 1, got {self.window!r}")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}")


class InstanceBox(NamedTuple):
    """One instance at one frame, in the frame's pixels: ``x1 < x2``, ``y1 < y2``, inside ``[0, W-1] x [0, H-1]``
    (``x2``/``y2`` are the last covered column/row, as the published R-AVST boxes write them). ``score`` is the
    detection score of the instance (for Grounded-SAM2, that of the detection it was tracked from), in [0, 1].
    ``instance`` names the tracked object within one ``detect`` call: the same number at every frame the tracker
    followed it through, distinct numbers for distinct objects (a new window's detections get new numbers; -1:
    not tracked)."""

    x1: float
    y1: float
    x2: float
    y2: float
    score: float
    instance: int = -1


@dataclass
class ObjectTrack:
    """The boxes of one object name: ``frames[i]`` lists the instances found at frame ``i`` (empty: not found
    at that second)."""

    name: str
    frames: list[list[InstanceBox]] = field(default_factory=list)
