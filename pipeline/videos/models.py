"""The Video row: the uploaded original, what was probed from it, and the proxy and media derived from it.

Times are seconds on the proxy's timeline; frame indices refer to the proxy.
"""

from django.db import models
from django.db.models import Q

from annotation.projects.models import Project


class VideoStatus(models.TextChoices):
    METADATA = "metadata", "Metadata only (no file)"
    UPLOADED = "uploaded", "Uploaded, waiting for processing"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Video(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(max_length=255)
    # The id the source dataset uses (UnAV-100 video id, CG-AV-Counting video name).
    external_id = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to="videos/original/", max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    variable_frame_rate = models.BooleanField(default=False)
    frame_count = models.PositiveIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    rotation = models.IntegerField(default=0)
    has_audio = models.BooleanField(null=True, blank=True)
    audio_channels = models.PositiveSmallIntegerField(null=True, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    # Derived from the original by the media job; every time and frame index in the app refers to the proxy,
    # and fps, frame_count, width and height above describe the proxy once the video is ready.
    proxy = models.FileField(upload_to="videos/proxy/", max_length=500, blank=True)
    audio = models.FileField(max_length=500, blank=True)
    peaks = models.FileField(max_length=500, blank=True)
    spectrogram = models.FileField(max_length=500, blank=True)
    thumbnails = models.FileField(max_length=500, blank=True)
    thumbnails_index = models.JSONField(default=dict, blank=True)
    # What the original file is (codec, size, rotation, rates), as probed.
    source_probe = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)
    error = models.TextField(blank=True)
    # Known facts about the content, e.g. the truth of a synthetic demo video.
    meta = models.JSONField(default=dict, blank=True)
    # R-AVST filtering (pipeline.avst.filtering): the duration group, and the rule that removed the video
    # (empty while it is kept) with the reason in words.
    filter_group = models.CharField(max_length=16, blank=True)
    filter_rule = models.CharField(max_length=32, blank=True)
    filter_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "annotation_video"
        ordering = ["project", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], condition=~Q(sha256=""), name="video_unique_content_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "external_id"], condition=~Q(external_id=""), name="video_unique_external_id"
            ),
            models.CheckConstraint(condition=Q(status__in=VideoStatus.values), name="video_status_valid"),
            models.CheckConstraint(condition=Q(duration__isnull=True) | Q(duration__gt=0), name="video_duration_pos"),
            models.CheckConstraint(condition=Q(fps__isnull=True) | Q(fps__gt=0), name="video_fps_pos"),
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__regex=r"^[0-9a-f]{64}$"), name="video_sha256_hex"
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.FAILED) | ~Q(error=""), name="video_failed_has_error"
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.READY)
                | (~Q(proxy="") & Q(fps__isnull=False, frame_count__isnull=False, has_audio__isnull=False)),
                name="video_ready_has_proxy",
            ),
        ]

    def __str__(self) -> str:
        return self.title
