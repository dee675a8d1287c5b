"""The media tasks of a video (media queue). Each is thin: load the row, call the engines under pipeline/media, write
the result in one transaction."""

import hashlib
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pipeline.jobs.base import TRANSIENT_ERRORS, JobFailure, LeaseLost, describe_error, ensure_lease, job_task
from pipeline.media import peaks, probe, proxy, synthetic, thumbnails
from pipeline.media.ffmpeg import FFmpegError
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import derived_root_of


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _abandoned(job, reason: str) -> None:
    """A cancelled or given-up processing job: a video that was not ready says why it never became so (a ready one
    keeps its proxy); retrying the job processes it again."""
    video_id = job.params.get("video_id")
    Video.objects.filter(pk=video_id).exclude(status=VideoStatus.READY).exclude(status=VideoStatus.METADATA).update(
        status=VideoStatus.FAILED, error=f"processing stopped: {reason}"
    )


@job_task(kind="media.synthesize_video", label="Generate and process synthetic video", queue="media",
          abandoned=_abandoned)
def synthesize_video(job, progress, *, video_id: int, spec: dict):
    """Render a synthetic audio-visual video with a known number of beeps and shapes into a Video's file,
    then process it like an upload."""
    spec = synthetic.SyntheticSpec.from_dict(spec)
    spec.validate()
    video = Video.objects.get(pk=video_id)
    relative = Path("videos/original") / f"synthetic-{video.project_id}-{video.pk}.mp4"
    out = Path(settings.MEDIA_ROOT) / relative
    out.parent.mkdir(parents=True, exist_ok=True)
    # Rendered under a name of this attempt, then moved in place while the job is still held.
    rendering = out.with_name(f".{job.pk}-{job.attempts}-{out.name}")
    steps = 1000
    try:
        synthetic.render(spec, rendering, on_progress=lambda fraction: progress(int(fraction * 0.3 * steps), steps))
        sha = _sha256(rendering)
        with transaction.atomic():
            ensure_lease(job)
            os.replace(rendering, out)
    finally:
        rendering.unlink(missing_ok=True)
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video_id)
        video.file.name = str(relative)
        video.sha256 = sha
        video.size_bytes = out.stat().st_size
        video.meta = {**video.meta, "synthetic": {"spec": spec.to_dict(), "truth": synthetic.truth(spec)}}
        video.save()
    _process(job, lambda done, total: progress(int(0.3 * steps + 0.7 * steps * done / total), steps), video_id)


class MediaFailed(JobFailure):
    """The video cannot be processed; the message is for a person (it is shown on the video and the job)."""


def derived_root(video: Video) -> Path:
    return derived_root_of(video.pk)


def frame_cache_key(video: Video) -> str:
    """Frames are cached per proxy: each processing run writes its outputs under a folder named after its job and
    attempt, so decoders and cached frames of an earlier proxy are never mistaken for the new one."""
    return f"{video.pk}-{Path(video.proxy.name).parent.name}"


def _discard_derived(video: Video) -> None:
    shutil.rmtree(derived_root(video), ignore_errors=True)
    for cached in (Path(settings.MEDIA_ROOT) / "frames").glob(f"{video.pk}-*"):
        shutil.rmtree(cached, ignore_errors=True)


def _fail(video_id: int, message: str) -> None:
    Video.objects.filter(pk=video_id).update(
        status=VideoStatus.FAILED, error=message, proxy="", audio="", peaks="", spectrogram="", thumbnails="",
        thumbnails_index={},
    )


@job_task(kind="media.process_video", label="Process video (probe, 720p proxy, peaks, thumbnails)", queue="media",
          abandoned=_abandoned)
def process_video(job, progress, *, video_id: int):
    """Probe the original, transcode the 720p CFR proxy, then the audio track, waveform peaks, spectrogram and
    thumbnail strip. Safe to run again: every output is rebuilt and replaced atomically."""
    _process(job, progress, video_id)


def _process(job, progress, video_id: int) -> None:
    video = Video.objects.get(pk=video_id)
    if not video.file:
        raise MediaFailed("the video has no file to process")
    source = Path(settings.MEDIA_ROOT) / video.file.name
    was_ready = video.status == VideoStatus.READY
    if not was_ready:
        Video.objects.filter(pk=video_id).update(status=VideoStatus.PROCESSING, error="")
    # Each run writes under its own folder: a ready video keeps serving its current proxy until this one is done,
    # and a run given up on (its worker stopped answering) can never write into the folder of the run after it.
    out = derived_root(video) / f"{job.pk}-{job.attempts}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    steps = 1000
    try:
        try:
            source_probe = probe.probe(source)
        except FileNotFoundError:
            raise MediaFailed(f"the original file is missing: {video.file.name}")
        except probe.ProbeError as exc:
            raise MediaFailed(str(exc))
        plan = proxy.plan_proxy(source_probe)
        try:
            proxy.transcode_proxy(
                source, out / "proxy.mp4", plan, duration=source_probe.duration,
                on_progress=lambda f: progress(int(f * 0.85 * steps), steps),
            )
        except FFmpegError as exc:
            raise MediaFailed(f"transcoding failed: {exc}")
        proxy_probe = probe.probe(out / "proxy.mp4")
        fields = {
            "proxy": str((out / "proxy.mp4").relative_to(settings.MEDIA_ROOT)),
            "duration": proxy_probe.duration,
            "fps": proxy_probe.fps,
            "variable_frame_rate": source_probe.variable_frame_rate,
            "frame_count": proxy_probe.frame_count,
            "width": proxy_probe.width,
            "height": proxy_probe.height,
            "rotation": source_probe.rotation,
            "has_audio": proxy_probe.has_audio,
            "audio_channels": source_probe.audio_channels,
            "sample_rate": source_probe.sample_rate,
            "source_probe": source_probe.to_dict(),
        }
        if proxy_probe.has_audio:
            proxy.extract_audio(out / "proxy.mp4", out / "audio.m4a")
            # From the audio track alone: reading it skips the hundreds of MB of interleaved video.
            overview = peaks.compute_audio_overview(out / "audio.m4a")
            peaks.write_json_atomic(overview.to_peaks_json(), out / "peaks.json", gzip_copy=True)
            peaks.write_json_atomic(overview.to_spectrogram_json(), out / "spectrogram.json", gzip_copy=True)
            for name, filename in (("audio", "audio.m4a"), ("peaks", "peaks.json"), ("spectrogram", "spectrogram.json")):
                fields[name] = str((out / filename).relative_to(settings.MEDIA_ROOT))
        progress(int(0.95 * steps), steps)
        fields["thumbnails_index"] = thumbnails.thumbnail_strip(out / "proxy.mp4", out / "thumbnails.jpg")
        fields["thumbnails"] = str((out / "thumbnails.jpg").relative_to(settings.MEDIA_ROOT))
    except LeaseLost:
        shutil.rmtree(out, ignore_errors=True)
        raise  # the job is another run's now: leave the video to it
    except Exception as exc:
        shutil.rmtree(out, ignore_errors=True)
        if was_ready:
            raise  # the video keeps its working proxy; the job shows what went wrong
        last_attempt = job.attempts > process_video.max_retries
        if isinstance(exc, TRANSIENT_ERRORS) and not last_attempt:
            Video.objects.filter(pk=video_id).update(status=VideoStatus.UPLOADED)
        else:
            message = str(exc) if isinstance(exc, MediaFailed) else f"processing failed: {describe_error(exc)}"
            _discard_derived(video)
            _fail(video_id, message)
        raise
    try:
        with transaction.atomic():
            ensure_lease(job)
            Video.objects.filter(pk=video_id).update(status=VideoStatus.READY, error="", **fields)
    except LeaseLost:
        shutil.rmtree(out, ignore_errors=True)
        raise
    # Now that the new outputs are live, older runs' folders and cached frames can go.
    for older in derived_root(video).iterdir():
        if older.name != out.name:
            shutil.rmtree(older, ignore_errors=True)
    for cached in (Path(settings.MEDIA_ROOT) / "frames").glob(f"{video.pk}-*"):
        if cached.name != f"{video.pk}-{out.name}":
            shutil.rmtree(cached, ignore_errors=True)
