"""Pure helpers: frame windows, masks to boxes, boxes clamped to a frame."""

from __future__ import annotations

import torch

#: ``(x1, y1, x2, y2)`` in a frame's pixels.
Box = tuple[float, float, float, float]


def windows(count: int, size: int) -> list[range]:
    """Consecutive ranges of at most ``size`` frame indices covering ``range(count)``."""
    if size < 1:
        raise ValueError(f"a window holds at least one frame, got {size}")
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def mask_boxes(masks: torch.Tensor) -> list[Box | None]:
    """The bounding box of each boolean mask of ``masks`` (``N x H x W``), ``None`` for an empty mask or one only
    a pixel thick (no box of positive size). ``x2``/``y2`` are the last covered column/row, as the published
    R-AVST boxes write them (1279.0 on a 1280-wide frame)."""
    if masks.dim() != 3:
        raise ValueError(f"masks must be N x H x W, got shape {tuple(masks.shape)}")
    rows = masks.any(dim=2)  # N x H: which rows hold a pixel of the mask
    cols = masks.any(dim=1)  # N x W
    boxes: list[Box | None] = []
    for row, col in zip(rows.cpu(), cols.cpu()):
        ys = torch.nonzero(row).flatten()
        xs = torch.nonzero(col).flatten()
        if len(xs) == 0 or xs[-1] == xs[0] or ys[-1] == ys[0]:
            boxes.append(None)
            continue
        boxes.append((float(xs[0]), float(ys[0]), float(xs[-1]), float(ys[-1])))
    return boxes


def clamp_box(box: Box, width: int, height: int) -> Box | None:
    """``box`` cut to the frame's pixels ``[0, width-1] x [0, height-1]``; ``None`` when nothing of positive size
    is left."""
    x1, y1, x2, y2 = (float(v) for v in box)
    x1, x2 = max(0.0, x1), min(float(width - 1), x2)
    y1, y2 = max(0.0, y1), min(float(height - 1), y2)
    if x2 <= x1 or y2 <= y1:
        return None
    return (x1, y1, x2, y2)
