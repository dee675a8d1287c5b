"""What machines do: every long task is a Job row the UI can show; every LLM call is logged."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from annotation.projects.models import Project


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    RETRYING = "retrying", "Waiting to retry"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_JOB_STATES = (JobState.QUEUED, JobState.RUNNING, JobState.RETRYING)
FINISHED_JOB_STATES = (JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED)
#: States in which a worker holds the job: running it, or keeping its retry message until it is due.
LEASED_JOB_STATES = (JobState.RUNNING, JobState.RETRYING)


class Job(models.Model):
    kind = models.CharField(max_length=64)
    queue = models.CharField(max_length=16)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Kept as text so the row still reads well after its target is deleted.
    target_label = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    # What the task returned when it succeeded (a dict: counts, or the answer a person waits for, such as the box
    # of a click).
    result = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The id of the job's current Celery message: a message with any other id is stale (the job was sent again,
    # retried or cancelled since) and is dropped by the worker that receives it.
    task_id = models.CharField(max_length=64, blank=True)
    # False: run by the process that queued it (run_job_here), so the sweeper never sends it to the broker.
    via_broker = models.BooleanField(default=True)
    # When the current message reached the broker; empty while it has not (broker down, or the sender died
    # between the commit and the send): the sweeper sends it then.
    sent_at = models.DateTimeField(null=True, blank=True)
    # host:pid of the process running the job, and until when its lease holds: the worker renews it while it
    # runs; once it lapses (or if a running job has none) the worker is taken as gone and the sweeper queues the
    # job again.
    worker = models.CharField(max_length=255, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pipeline_job"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="job_state_idx"),
            models.Index(fields=["target_type", "target_id"], name="job_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=JobState.values), name="job_state_valid"),
            models.CheckConstraint(
                condition=Q(progress_total=0) | Q(progress_done__lte=F("progress_total")), name="job_progress_bounded"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=FINISHED_JOB_STATES) | Q(finished_at__isnull=False),
                name="job_finished_dated",
            ),
            models.CheckConstraint(condition=~Q(state=JobState.FAILED) | ~Q(error=""), name="job_failed_has_error"),
            models.CheckConstraint(condition=~Q(kind=""), name="job_kind_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_JOB_STATES

    def on_live_worker(self, now) -> bool:
        """Running under a lease its worker still renews (services decide on the database's clock)."""
        return self.state == JobState.RUNNING and self.lease_expires_at is not None and self.lease_expires_at >= now

    def can_retry(self, now) -> bool:
        return self.state != JobState.SUCCEEDED and not self.on_live_worker(now)

    def can_cancel(self, now) -> bool:
        return self.state in ACTIVE_JOB_STATES and not self.on_live_worker(now)


class LLMOutcome(models.TextChoices):
    OK = "ok", "Valid answer"
    INVALID = "invalid", "Invalid answer"
    ERROR = "error", "Provider error"


class LLMCall(models.Model):
    """One provider call, logged without the API key; (provider, model, prompt version, input hash) is the cache key."""

    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="llm_calls"
    )
    provider = models.CharField(max_length=32)
    model = models.CharField(max_length=100)
    prompt_version = models.CharField(max_length=50)
    input_hash = models.CharField(max_length=64)
    request = models.JSONField(default=dict)
    response = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=LLMOutcome.choices)
    error = models.TextField(blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "pipeline_llmcall"
        verbose_name = "LLM call"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["provider", "model", "prompt_version", "input_hash"], name="llmcall_cache_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=LLMOutcome.values), name="llmcall_outcome_valid"),
            models.CheckConstraint(condition=Q(input_hash__regex=r"^[0-9a-f]{64}$"), name="llmcall_hash_hex"),
            models.CheckConstraint(condition=Q(cost_usd__gte=0), name="llmcall_cost_nonneg"),
            models.CheckConstraint(condition=Q(outcome="ok") | ~Q(error=""), name="llmcall_failure_has_reason"),
        ]
