"""Grounded-SAM2 box proposals for R-AVST objects (plain Python: no Django).

    detector = GroundedSam2.load(dino_folder, sam2_folder, DetectConfig(device="cuda"))
    tracks = detector.detect(frames, ["guitar", "man"])   # frames: one per second (pipeline.avst.seconds)
    tracks[0].frames[3]   # [InstanceBox(x1, y1, x2, y2, score, instance), ...] of "guitar" at the 4th second; [] = not found
    detector.release()    # between tasks: frees the device memory the call cached

See :mod:`pipeline.detect.engine` for the method. :class:`GroundedSam2` is imported on first use, so that the
rest (configuration, errors) can be used without loading torch.
"""

from .errors import DetectError, WeightsMissing
from .types import DetectConfig, InstanceBox, ObjectTrack

__all__ = [
    "DetectConfig",
    "DetectError",
    "GroundedSam2",
    "InstanceBox",
    "ObjectTrack",
    "WeightsMissing",
]


def __getattr__(name: str):
    if name == "GroundedSam2":
        from .engine import GroundedSam2

        return GroundedSam2
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
