from django.contrib import admin

from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin
from annotation.review.models import ReviewItem

PROJECT_PATHS[ReviewItem] = "project__in"


@admin.register(ReviewItem)
class ReviewItemAdmin(ProjectScopedAdmin):
    list_display = ["queue", "project", "state", "claimed_by", "decision"]
    list_filter = ["queue", "state"]
