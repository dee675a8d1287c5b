from django.contrib import admin

from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin
from pipeline.jobs.models import Job, LLMCall

PROJECT_PATHS[Job] = "project__in"
PROJECT_PATHS[LLMCall] = "project__in"


@admin.register(Job)
class JobAdmin(ProjectScopedAdmin):
    list_display = ["id", "kind", "project", "target_label", "state", "progress_done", "progress_total", "attempts"]
    list_filter = ["state", "kind", "queue"]
    readonly_fields = [f.name for f in Job._meta.fields if f.name not in {"target_type"}] + ["target_type"]

    def has_add_permission(self, request):
        return False


@admin.register(LLMCall)
class LLMCallAdmin(ProjectScopedAdmin):
    list_display = ["created_at", "provider", "model", "prompt_version", "outcome", "tokens_in", "tokens_out", "cost_usd"]
    list_filter = ["provider", "model", "outcome"]
    readonly_fields = [f.name for f in LLMCall._meta.fields]

    def has_add_permission(self, request):
        return False
