from django.contrib import admin

from annotation.avst.models import AVObject, BoxProposal, Event, QAPair
from annotation.projects.admin import PROJECT_PATHS, ProjectScopedAdmin

PROJECT_PATHS[Event] = "video__project__in"
PROJECT_PATHS[QAPair] = "video__project__in"
PROJECT_PATHS[AVObject] = "event__video__project__in"


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
