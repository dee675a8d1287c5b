"""Writes about videos: storing an uploaded or imported file (deduplicated by content) and queueing its processing."""

import hashlib
import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from annotation.projects.models import Project
from pipeline.jobs.services import enqueue_job
from pipeline.media.probe import container_extension
from pipeline.videos.models import Video, VideoStatus

VIDEO_SUFFIXES = {".mp4", ".mkv", ".webm", ".mov", ".avi", ".m4v", ".mpg", ".mpeg", ".ts", ".mts", ".wmv", ".flv"}
PROCESS_VIDEO = "media.process_video"


@dataclass(frozen=True)
class Ingested:
    video: Video
    created: bool  # False: the same content was already in the project
    job: object | None

    @property
    def waiting_for_broker(self) -> bool:
        """The file and its processing job are committed, but the job's message could not reach the broker (it is
        down): the sweeper sends it once the broker is back, and the processing starts then."""
        return (self.job is not None and self.job.via_broker and self.job.sent_at is None
                and not connection.in_atomic_block)


def _copy_hashing(source, destination: Path) -> tuple[str, int]:
    """Copy a readable binary stream to destination (atomically) while hashing it; never the whole file in memory."""
    digest = hashlib.sha256()
    size = 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=destination.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
                size += len(block)
        os.replace(tmp, destination)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def ingest_video(*, project: Project, source, filename: str, title: str = "", dispatch: bool = True,
                 into: Video | None = None, process: bool = True) -> Ingested:
    """Store a video file in the project (deduplicated by sha256) and queue its processing on the media queue.

    `source` is an open binary stream (an upload or a file on the server's disk); it is copied in chunks.
    `into`: a metadata-only row of the project (an imported video id) that gets the file, instead of a new row.
    `process` False stores the file without queueing its processing (e.g. a video that filtering removed).
    """
    incoming = Path(settings.MEDIA_ROOT) / "videos" / "original" / str(project.pk) / f".{uuid.uuid4().hex}.incoming"
    sha, size = _copy_hashing(source, incoming)
    # The stored name comes from what the bytes are (a probe of the container), never from the client's name.
    suffix = container_extension(incoming)
    existing = Video.objects.filter(project=project, sha256=sha).first()
    if existing is not None:
        incoming.unlink(missing_ok=True)
        return Ingested(existing, False, None)
    relative = Path("videos") / "original" / str(project.pk) / f"{sha}{suffix}"
    final = Path(settings.MEDIA_ROOT) / relative
    os.replace(incoming, final)
    job = None
    try:
        with transaction.atomic():
            if into is not None:
                video = Video.objects.select_for_update().get(pk=into.pk, project=project)
                video.file, video.sha256, video.size_bytes = str(relative), sha, size
                video.status = VideoStatus.UPLOADED if process else VideoStatus.METADATA
                video.save(update_fields=["file", "sha256", "size_bytes", "status", "updated_at"])
            else:
                video = Video.objects.create(
                    project=project,
                    title=(title or Path(filename).stem)[:255],
                    file=str(relative),
                    sha256=sha,
                    size_bytes=size,
                    status=VideoStatus.UPLOADED if process else VideoStatus.METADATA,
                )
            if process:
                job = enqueue_job(
                    kind=PROCESS_VIDEO, project=project, target=video, params={"video_id": video.pk}, dispatch=dispatch
                )
    except IntegrityError:
        # The same content arrived concurrently: keep the other row and its file (same name, same bytes).
        existing = Video.objects.filter(project=project, sha256=sha).first()
        if existing is None:
            raise
        return Ingested(existing, False, None)
    return Ingested(video, True, job)
