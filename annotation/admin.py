"""The Django admin, for managers: staff users see and change only the projects they manage."""

from django.contrib import admin

from annotation.models import (
    AVObject,
    BoxProposal,
    CandidateQuestion,
    Clue,
    Event,
    Membership,
    Project,
    QAPair,
    Question,
    ReviewItem,
    Video,
)
from annotation.permissions import Capability
from annotation.selectors import projects_for


PROJECT_PATHS = {
    Project: "pk__in",
    Video: "project__in",
    CandidateQuestion: "video__project__in",
    Question: "video__project__in",
    Event: "video__project__in",
    QAPair: "video__project__in",
    AVObject: "event__video__project__in",
    ReviewItem: "project__in",
}


class ProjectScopedAdmin(admin.ModelAdmin):
    """Limits every list, form and foreign-key choice to the projects the staff user manages."""

    project_field = "project"

    def managed_projects(self, request):
        return projects_for(user=request.user, capability=Capability.MANAGE)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.project_field}__in": self.managed_projects(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = PROJECT_PATHS.get(db_field.related_model)
        if path is not None and not request.user.is_superuser:
            # Every choice that belongs to a project is limited to the projects this manager manages.
            kwargs["queryset"] = db_field.related_model.objects.filter(**{path: self.managed_projects(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(ProjectScopedAdmin):
    project_field = "pk"
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        # A new project has no manager yet: only administrators create projects.
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(ProjectScopedAdmin):
    list_display = ["project", "user", "role"]
    list_filter = ["role", "project"]
    autocomplete_fields = ["user"]


@admin.register(Video)
class VideoAdmin(ProjectScopedAdmin):
    list_display = ["title", "project", "status", "duration", "fps", "has_audio"]
    list_filter = ["status", "project"]
    search_fields = ["title", "external_id", "sha256"]
    readonly_fields = ["sha256", "size_bytes", "duration", "fps", "frame_count", "width", "height", "proxy"]


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


@admin.register(Event)
class EventAdmin(ProjectScopedAdmin):
    project_field = "video__project"
    list_display = ["label", "video", "start", "end"]


@admin.register(AVObject)
class AVObjectAdmin(ProjectScopedAdmin):
    project_field = "event__video__project"
    list_display = ["name", "event", "audibility", "state", "source"]
    list_filter = ["audibility", "state", "source"]


@admin.register(BoxProposal)
class BoxProposalAdmin(ProjectScopedAdmin):
    project_field = "avobject__event__video__project"
    list_display = ["avobject", "timestamp", "frame_index", "instance", "score", "state"]
    list_filter = ["state", "source"]


@admin.register(QAPair)
class QAPairAdmin(ProjectScopedAdmin):
    project_field = "video__project"
    list_display = ["question", "task", "video", "state", "split"]
    list_filter = ["task", "state", "split"]


@admin.register(ReviewItem)
class ReviewItemAdmin(ProjectScopedAdmin):
    list_display = ["queue", "project", "state", "claimed_by", "decision"]
    list_filter = ["queue", "state"]
