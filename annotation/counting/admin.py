from django.contrib import admin

from annotation.counting.models import CandidateQuestion, Clue, ClueProposal, Question
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
    # The machine proposal a clue was accepted from is its provenance: shown, never re-pointed here.
    readonly_fields = ["proposal"]


class ClueProposalInline(admin.TabularInline):
    """The machine's clue proposals, as they were decided in the workspace (model output: read only here)."""

    model = ClueProposal
    extra = 0
    fields = ["kind", "start", "end", "score", "model", "model_version", "state", "decided_by", "decided_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(ProjectScopedAdmin):
    project_field = "video__project"
    list_display = ["text", "video", "category", "modality", "drafted_answer", "state", "version"]
    list_filter = ["state", "category", "modality"]
    readonly_fields = ["version"]
    inlines = [ClueInline, ClueProposalInline]
