"""What the detector raises; messages are written for the person who has to fix the setup."""

from __future__ import annotations


class DetectError(RuntimeError):
    """Detection could not run (bad setup, out of GPU memory, a closed detector)."""


class WeightsMissing(DetectError):
    """A model folder is missing, incomplete or does not hold the expected model."""
