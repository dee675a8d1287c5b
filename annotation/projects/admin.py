"""The Django admin, for managers: staff users see and change only the projects they manage.

``ProjectScopedAdmin`` is the base of every app's admin. Each app adds, for the models it owns that belong to a
project, the path from the model to its project to ``PROJECT_PATHS``, so that a foreign-key choice in any form
offers only rows of the projects the staff user manages.
"""

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from annotation.projects.models import Membership, Project
from annotation.projects.permissions import Capability
from annotation.projects.selectors import projects_for

#: Model -> the lookup from it to its project, ending in "__in".
PROJECT_PATHS = {Project: "pk__in"}
MANAGERS_GROUP = "Project managers"


def managers_group() -> Group:
    """The group of staff users who use the admin for the projects they manage: it holds the permissions on every
    model whose admin is project-scoped (each app's admin registers on ``ProjectScopedAdmin``)."""
    group, _ = Group.objects.get_or_create(name=MANAGERS_GROUP)
    scoped = [model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ProjectScopedAdmin)]
    types = ContentType.objects.get_for_models(*scoped).values()
    group.permissions.set(Permission.objects.filter(content_type__in=types))
    return group


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
