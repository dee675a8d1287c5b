"""The sampled seconds of an event: once per second inside it, as the R-AVST answers write them, with the proxy
frame of each when the video is processed."""

from __future__ import annotations

from dataclasses import dataclass

from annotation.avst.models import Event
from pipeline.avst.seconds import sample_seconds
from pipeline.videos.models import Video, VideoStatus


@dataclass(frozen=True)
class Second:
    t: float
    frame_index: int | None


def sampled_seconds(event: Event, video: Video) -> list[Second]:
    """The event's once-per-second sample times (as the R-AVST answers write them) and their proxy frames."""
    frames = video.status == VideoStatus.READY and video.fps and video.frame_count
    return [
        Second(t, index if frames else None)
        for t, index in sample_seconds(event.start, event.end, fps=video.fps if frames else None,
                                       frame_count=video.frame_count if frames else None, duration=video.duration)
    ]
