"""What leaves the building: frozen releases and scored submissions."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotation.projects.models import Project


class ReleaseFormat(models.TextChoices):
    CG_AV_COUNTING = "cg-av-counting", "CG-AV-Counting"
    R_AVST = "r-avst", "R-AVST"
    HF_PARQUET = "hf-parquet", "Hugging Face Parquet"


class ReleaseState(models.TextChoices):
    PENDING = "pending", "Waiting for export"
    EXPORTING = "exporting", "Exporting"
    FROZEN = "frozen", "Frozen"
    FAILED = "failed", "Failed"


class Release(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="releases")
    version = models.CharField(max_length=32)
    format = models.CharField(max_length=32, choices=ReleaseFormat.choices)
    selection = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=ReleaseState.choices, default=ReleaseState.PENDING)
    manifest = models.JSONField(null=True, blank=True)
    # Folder of the exported files, relative to MEDIA_ROOT.
    path = models.CharField(max_length=500, blank=True)
    metadata_only = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "benchmark_release"
        ordering = ["project", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version", "format"], name="release_unique_version"),
            models.CheckConstraint(
                condition=Q(version__regex=r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$"),
                name="release_version_semver",
            ),
            models.CheckConstraint(condition=Q(format__in=ReleaseFormat.values), name="release_format_valid"),
            models.CheckConstraint(condition=Q(state__in=ReleaseState.values), name="release_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=ReleaseState.FROZEN) | (Q(manifest__isnull=False) & Q(frozen_at__isnull=False)),
                name="release_frozen_has_manifest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.version} ({self.format})"


class ReleaseFile(models.Model):
    """One file of a release as exported; with the release frozen, the database refuses any change to these rows."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="files")
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()

    class Meta:
        db_table = "benchmark_releasefile"
        ordering = ["release", "path"]
        constraints = [
            models.UniqueConstraint(fields=["release", "path"], name="releasefile_unique_path"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="releasefile_sha256_hex"),
        ]


class SubmissionState(models.TextChoices):
    PENDING = "pending", "Waiting for scoring"
    SCORED = "scored", "Scored"
    FAILED = "failed", "Failed"


class Submission(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="submissions")
    model_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="submissions/", max_length=500, blank=True)
    is_human_baseline = models.BooleanField(default=False)
    # The truth indices the submission is scored on; null: all of them. Only a human baseline covers part of a
    # release (the questions that were annotated twice).
    scored_indices = models.JSONField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=SubmissionState.choices, default=SubmissionState.PENDING)
    metrics = models.JSONField(null=True, blank=True)
    # Every scoring profile of the format: {profile: {"metrics", "published", "errors", "pin"}}; `metrics` above
    # is the "strict" profile's. Null for submissions scored before profiles existed.
    profile_metrics = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "benchmark_submission"
        ordering = ["release", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(model_name=""), name="submission_model_named"),
            models.CheckConstraint(condition=Q(state__in=SubmissionState.values), name="submission_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=SubmissionState.SCORED) | Q(metrics__isnull=False), name="submission_scored_has_metrics"
            ),
            models.CheckConstraint(
                condition=Q(scored_indices__isnull=True) | Q(is_human_baseline=True), name="submission_subset_is_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_name} on {self.release}"
