"""A question's clues as the CG-AV-Counting format writes them (``clue`` of an item): intervals for events, boxes
at a time for objects, boxes grouped by cluster for attributes. Releases write them; double annotation scores a
second pass against its first with them."""

from annotation.counting.models import Category, Question
from pipeline.videos.models import Video


def _timestamp(clue, video: Video) -> float:
    # The mid-frame time of the annotated frame: int(t * fps) gives the frame back whatever the rounding.
    if clue.frame_index is not None and video.fps:
        return (clue.frame_index + 0.5) / video.fps
    return clue.timestamp


def _box_entry(clue, video: Video) -> dict:
    return {"timestamp": _timestamp(clue, video), "bbox": [clue.x1, clue.y1, clue.x2, clue.y2]}


def clue_list(question: Question) -> list:
    clues = sorted(question.clues.all(), key=lambda c: c.pk)
    if question.category == Category.EVENT:
        return [{"start": c.start, "end": c.end} for c in clues]
    if question.category == Category.OBJECT:
        return [_box_entry(c, question.video) for c in clues]
    clusters: dict[str, list] = {}
    for c in clues:
        clusters.setdefault(c.cluster, []).append(_box_entry(c, question.video))
    return list(clusters.values())
