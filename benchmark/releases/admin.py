from django.contrib import admin

from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin
from benchmark.releases.models import Release, Submission

PROJECT_PATHS[Release] = "project__in"


@admin.register(Release)
class ReleaseAdmin(ProjectScopedAdmin):
    list_display = ["project", "version", "format", "state", "created_at", "frozen_at"]
    list_filter = ["format", "state"]


@admin.register(Submission)
class SubmissionAdmin(ProjectScopedAdmin):
    project_field = "release__project"
    list_display = ["model_name", "release", "state", "is_human_baseline", "created_at"]
    list_filter = ["state", "is_human_baseline"]
