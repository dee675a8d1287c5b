from django.utils import timezone
from rest_framework import serializers

from annotation.projects.permissions import Capability
from annotation.projects.selectors import can
from pipeline.jobs.base import kind_label
from pipeline.jobs.models import Job, LLMCall


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True, default=None)
    can_retry = serializers.SerializerMethodField(help_text="not running on a live worker, and not succeeded")
    can_cancel = serializers.SerializerMethodField(help_text="queued, retrying, or running on a worker that is gone")
    can_manage = serializers.SerializerMethodField(help_text="the requesting user may retry or cancel it (a manager)")

    class Meta:
        model = Job
        fields = [
            "id", "kind", "kind_label", "queue", "state", "target_label", "project", "project_name",
            "progress_done", "progress_total", "error", "result", "attempts", "created_at", "started_at",
            "finished_at",
            "updated_at", "worker", "lease_expires_at", "sent_at", "can_retry", "can_cancel", "can_manage",
        ]
        read_only_fields = fields

    def get_kind_label(self, job) -> str:
        return kind_label(job.kind)

    def get_can_retry(self, job) -> bool:
        return job.can_retry(timezone.now())

    def get_can_cancel(self, job) -> bool:
        return job.can_cancel(timezone.now())

    def get_can_manage(self, job) -> bool:
        request = self.context.get("request")
        if request is None:
            return False
        if job.project_id is None:
            return request.user.is_superuser
        # One role lookup per project for a whole page of jobs.
        known = self.context.setdefault("can_manage", {})
        if job.project_id not in known:
            known[job.project_id] = can(user=request.user, project=job.project, capability=Capability.MANAGE)
        return known[job.project_id]


class LLMCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = LLMCall
        fields = [
            "id", "project", "provider", "model", "prompt_version", "input_hash", "request", "response", "outcome",
            "error", "tokens_in", "tokens_out", "latency_ms", "cost_usd", "created_at",
        ]
        read_only_fields = fields
