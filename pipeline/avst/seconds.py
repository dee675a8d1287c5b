"""The once-per-second sample times of an R-AVST event, and their frames on the proxy.

The times are those of :func:`sample_times` (``start + k`` while before ``end``, the rule the published answers
follow, and the seconds :mod:`benchmark.formats.ravst_qa` asks about); a box line writes its time rounded to one decimal, and that rounded time is what a
box row stores. The frame is the proxy frame shown at the exact time. Kept free of torch so that the web process
can use it.
"""

from __future__ import annotations

import math


def sample_times(start: float, end: float) -> list[float]:
    """The seconds at which the objects of an event ``[start, end)`` are boxed: ``start + k`` while before ``end``."""
    check_bounds(start, end)
    times: list[float] = []
    while start + len(times) < end:
        times.append(start + len(times))
    return times


def check_bounds(start: float, end: float) -> None:
    """ValueError unless ``0 <= start < end``, both finite numbers."""
    if not (finite(start) and finite(end)) or start < 0 or start >= end:
        raise ValueError(f"an event needs 0 <= start < end, got [{start!r}, {end!r}]")


def finite(value: object) -> bool:
    """A finite int or float (a bool is not a number here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def sample_seconds(
    start: float, end: float, *, fps: float | None, frame_count: int | None, duration: float | None = None
) -> list[tuple[float, int | None]]:
    """``(T, frame)`` per sampled second: ``T`` rounded to one decimal as the answers write it, ``frame`` the proxy
    frame ``int(t * fps)`` of the exact time (clamped to the last frame), or None without a proxy. Seconds at or
    after ``duration`` (a video shorter than its annotation) are left out, except the first."""
    times = sample_times(float(start), float(end))
    if duration is not None:
        times = times[:1] + [t for t in times[1:] if t < duration]
    if not fps or not frame_count:
        return [(round(t, 1), None) for t in times]
    return [(round(t, 1), min(frame_at(t, fps), frame_count - 1)) for t in times]


def frame_at(t: float, fps: float) -> int:
    """The frame shown at ``t``: ``int(t * fps)``, except that a product a hair below a whole number is that number
    (``4.1 * 30`` is 122.99999999999999 in floats, and frame 123 is the one shown from 4.1 s on)."""
    product = t * fps
    nearest = round(product)
    return int(nearest) if abs(product - nearest) < 1e-6 else int(product)
