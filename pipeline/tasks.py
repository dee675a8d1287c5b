"""Celery tasks. Each is thin: load rows, call an engine under pipeline/, write the result in one transaction."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from annotation.models import Video
from pipeline.jobs import job_task
from pipeline.media import synthetic


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@job_task(kind="media.synthesize_video", label="Generate synthetic video", queue="media")
def synthesize_video(job, progress, *, video_id: int, spec: dict):
    """Render a synthetic audio-visual video with a known number of beeps and shapes into a Video's file."""
    spec = synthetic.SyntheticSpec.from_dict(spec)
    spec.validate()
    video = Video.objects.get(pk=video_id)
    relative = Path("videos/original") / f"synthetic-{video.project_id}-{video.pk}.mp4"
    out = Path(settings.MEDIA_ROOT) / relative
    out.parent.mkdir(parents=True, exist_ok=True)
    steps = 1000
    synthetic.render(spec, out, on_progress=lambda fraction: progress(int(fraction * steps), steps))
    sha = _sha256(out)
    with transaction.atomic():
        video = Video.objects.select_for_update().get(pk=video_id)
        video.file.name = str(relative)
        video.sha256 = sha
        video.size_bytes = out.stat().st_size
        video.meta = {**video.meta, "synthetic": {"spec": spec.to_dict(), "truth": synthetic.truth(spec)}}
        video.save()
