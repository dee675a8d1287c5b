"""Writes about videos: storing an uploaded or imported file (deduplicated by content) and queueing its processing."""

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from annotation.projects import audit
from annotation.projects.errors import NotEditable
from annotation.projects.models import Project
from pipeline.jobs.models import ACTIVE_JOB_STATES, Job
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


def _references(video: Video) -> dict[str, int]:
    """What refers to the video (questions, candidates, events...), by the referring model's name: any model of
    the apps above points at a video through a foreign key, which Django lists without this app importing them."""
    found = {}
    for relation in Video._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:
            n = relation.related_model._default_manager.filter(**{relation.field.name: video}).count()
            if n:
                found[str(relation.related_model._meta.verbose_name_plural)] = n
    return found


def _busy_job(video: Video):
    return (Job.objects.filter(target_type=ContentType.objects.get_for_model(Video), target_id=video.pk,
                               state__in=ACTIVE_JOB_STATES).order_by("-id").first())


def delete_video(*, video: Video, user) -> None:
    """Delete a video that nothing refers to (a failed upload, an unused one) with its original and every file
    derived from it. A video with questions, candidates or events stays; so does one being processed."""
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        used = _references(video)
        if used:
            what = ", ".join(f"{n} {name}" for name, n in sorted(used.items()))
            raise NotEditable(f"{video.title} is in use ({what}); it cannot be deleted")
        job = _busy_job(video)
        if job is not None:
            raise NotEditable(f"{video.title} is being processed (job {job.pk}); cancel the job first")
        files = [Path(settings.MEDIA_ROOT) / video.file.name] if video.file.name else []
        folders = [derived_root_of(video.pk)] + sorted((Path(settings.MEDIA_ROOT) / "frames").glob(f"{video.pk}-*"))
        audit.record(project=video.project_id, actor=user, action="video.delete", target_type="video",
                     target_id=video.pk, before={"title": video.title, "status": video.status,
                                                 "sha256": video.sha256, "file": video.file.name}, after=None)
        video.delete()

        def remove_files():
            for path in files:
                path.unlink(missing_ok=True)
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)

        # The files go once the row is gone for good: a rolled-back delete keeps them.
        transaction.on_commit(remove_files)


def reprocess_video(*, video: Video, user, dispatch: bool = True):
    """Process a video's original again (after a failure, or a new version of the media code): a new job; the
    derived files of the old run are replaced when the new run succeeds."""
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video.pk)
        if not video.file.name or not (Path(settings.MEDIA_ROOT) / video.file.name).exists():
            raise NotEditable(f"{video.title} has no original file to process")
        job = _busy_job(video)
        if job is not None:
            raise NotEditable(f"{video.title} is being processed already (job {job.pk})")
        Video.objects.filter(pk=video.pk).update(status=VideoStatus.UPLOADED, error="")
        audit.record(project=video.project_id, actor=user, action="video.reprocess", target_type="video",
                     target_id=video.pk, before={"status": video.status, "error": video.error},
                     after={"status": VideoStatus.UPLOADED})
        return enqueue_job(kind=PROCESS_VIDEO, project=video.project, target=video, params={"video_id": video.pk},
                           dispatch=dispatch)


def derived_root_of(video_id: int) -> Path:
    """Where the files derived from a video live (the proxy, peaks, thumbnails of each processing run)."""
    return Path(settings.MEDIA_ROOT) / "videos" / str(video_id)
