from django.contrib import admin

from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin
from benchmark.releases.models import Release, ReleaseState, Submission

PROJECT_PATHS[Release] = "project__in"


@admin.register(Release)
class ReleaseAdmin(ProjectScopedAdmin):
    """A frozen release is read only here, as in the database: its files, manifest and numbers never change."""

    list_display = ["project", "version", "format", "state", "created_at", "frozen_at"]
    list_filter = ["format", "state"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.state == ReleaseState.FROZEN:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.state == ReleaseState.FROZEN:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Submission)
class SubmissionAdmin(ProjectScopedAdmin):
    project_field = "release__project"
    list_display = ["model_name", "release", "state", "is_human_baseline", "created_at"]
    list_filter = ["state", "is_human_baseline"]
