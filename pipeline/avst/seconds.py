"""The once-per-second sample times of an R-AVST event, and their frames on the proxy.

The published answers write box lines at ``T = round(start, 1)``, then ``T + 1.0``, ``T + 2.0``, ... (one decimal).
We sample while ``T`` is inside the event (``T < end``) and, when the video's length is known, inside the video.
The published test split is not uniform here (some objects stop early or skip seconds, where its authors' tracker
lost them or the downloaded video was shorter), so this is the rule its complete answers follow, not a rule that
reproduces every line of it. Kept free of torch so the web process can use it.
"""

from __future__ import annotations


def sample_times(start: float, end: float, *, duration: float | None = None) -> list[float]:
    """``[round(start, 1) + k]`` for k = 0, 1, ... while inside ``[start, end)`` (and before ``duration``),
    each rounded to one decimal as the answer strings write it; at least the first second of a non-empty event."""
    first = round(float(start), 1)
    limit = float(end) if duration is None else min(float(end), float(duration))
    times = []
    k = 0
    while True:
        t = round(first + k, 1)
        if t >= limit and times:
            break
        times.append(t)
        if t >= limit:
            break
        k += 1
    return times


def sample_seconds(
    start: float, end: float, *, fps: float | None, frame_count: int | None, duration: float | None = None
) -> list[tuple[float, int | None]]:
    """Each sample time with its proxy frame ``int(T * fps)`` (clamped to the last frame), or None without a proxy.

    ``T`` has one decimal, and its float product with the rate can land just below the integer it equals
    (2.3 * 10 = 22.999999999999996): a tiny epsilon keeps that time on its own frame (23), not the one before.
    """
    times = sample_times(start, end, duration=duration)
    if not fps or not frame_count:
        return [(t, None) for t in times]
    return [(t, min(int(t * fps + 1e-9), frame_count - 1)) for t in times]
