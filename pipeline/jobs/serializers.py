from rest_framework import serializers

from pipeline.jobs.base import kind_label
from pipeline.jobs.models import Job, LLMCall


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)

    class Meta:
        model = Job
        fields = [
            "id", "kind", "kind_label", "queue", "state", "target_label", "project", "project_name",
            "progress_done", "progress_total", "error", "attempts", "created_at", "started_at", "finished_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_kind_label(self, job) -> str:
        return kind_label(job.kind)


class LLMCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = LLMCall
        fields = [
            "id", "project", "provider", "model", "prompt_version", "input_hash", "request", "response", "outcome",
            "error", "tokens_in", "tokens_out", "latency_ms", "cost_usd", "created_at",
        ]
        read_only_fields = fields
