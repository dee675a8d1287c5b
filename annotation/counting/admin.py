from django.contrib import admin

from annotation.counting.models import CandidateQuestion, Clue, Question
from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin

PROJECT_PATHS[CandidateQuestion] = "video__project__in"
PROJECT_PATHS[Question] = "video__project__in"


@admin.register(CandidateQuestion)
class CandidateQuestionAdmin(ProjectScopedAdmin):
    project_field = "video__project"
    list_display = ["text", "video", "category", "modality", "state", "source"]
    list_filter = ["state", "category", "modality", "source"]


class ClueInline(admin.TabularInline):
    model = Clue
    extra = 0


@admin.register(Question)
class QuestionAdmin(ProjectScopedAdmin):
    project_field = "video__project"
    list_display = ["text", "video", "category", "modality", "drafted_answer", "state", "version"]
    list_filter = ["state", "category", "modality"]
    readonly_fields = ["version"]
    inlines = [ClueInline]
