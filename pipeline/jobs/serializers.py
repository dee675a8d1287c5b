from django.utils import timezone
from rest_framework import serializers

from pipeline.jobs.base import kind_label
from pipeline.jobs.models import Job, LLMCall


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)
    can_retry = serializers.SerializerMethodField(help_text="not running on a live worker, and not succeeded")
    can_cancel = serializers.SerializerMethodField(help_text="queued, retrying, or running on a worker that is gone")

    class Meta:
        model = Job
        fields = [
            "id", "kind", "kind_label", "queue", "state", "target_label", "project", "project_name",
            "progress_done", "progress_total", "error", "attempts", "created_at", "started_at", "finished_at",
            "updated_at", "worker", "lease_expires_at", "sent_at", "can_retry", "can_cancel",
        ]
        read_only_fields = fields

    def get_kind_label(self, job) -> str:
        return kind_label(job.kind)

    def get_can_retry(self, job) -> bool:
        return job.can_retry(timezone.now())

    def get_can_cancel(self, job) -> bool:
        return job.can_cancel(timezone.now())


class LLMCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = LLMCall
        fields = [
            "id", "project", "provider", "model", "prompt_version", "input_hash", "request", "response", "outcome",
            "error", "tokens_in", "tokens_out", "latency_ms", "cost_usd", "created_at",
        ]
        read_only_fields = fields
