from django.contrib import admin

from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin
from pipeline.videos.models import Video

PROJECT_PATHS[Video] = "project__in"


@admin.register(Video)
class VideoAdmin(ProjectScopedAdmin):
    list_display = ["title", "project", "status", "duration", "fps", "has_audio"]
    list_filter = ["status", "project"]
    search_fields = ["title", "external_id", "sha256"]
    readonly_fields = ["sha256", "size_bytes", "duration", "fps", "frame_count", "width", "height", "proxy"]
