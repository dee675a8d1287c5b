"""The Django admin, for managers: staff users see and change only the projects they manage.

``ProjectScopedAdmin`` is the base of every app's admin. Each app adds, for the models it owns that belong to a
project, the path from the model to its project to ``PROJECT_PATHS``, so that a foreign-key choice in any form
offers only rows of the projects the staff user manages.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
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
        if not request.user.is_superuser:
            kwargs["queryset"] = scoped_choices(db_field.related_model, self.managed_projects(request),
                                                kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        # A filter on a related row lists only the rows this manager's lists hold (not every project or user).
        return [(name, admin.RelatedOnlyFieldListFilter) if self._is_relation(name) else name
                for name in super().get_list_filter(request)]

    def _is_relation(self, name) -> bool:
        if not isinstance(name, str) or "__" in name:
            return False
        field = next((f for f in self.model._meta.get_fields() if f.name == name), None)
        return field is not None and field.is_relation


def scoped_choices(model, managed, queryset=None):
    """The rows of `model` a manager of the `managed` projects may pick in a form: those of their projects, and
    for users, the members of their projects (never every account of the site)."""
    if model is get_user_model():
        return model.objects.filter(memberships__project__in=managed).distinct()
    path = PROJECT_PATHS.get(model)
    if path is not None:
        return model.objects.filter(**{path: managed})
    return queryset


class MembershipForm(forms.ModelForm):
    """A membership is made by username, within the project: a manager never picks from the site's accounts, and
    a membership's user does not change (remove it and add another)."""

    username = forms.CharField(max_length=150, help_text="The account's username.")

    class Meta:
        model = Membership
        fields = ["username", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["username"].initial = self.instance.user.get_username()
            self.fields["username"].disabled = True

    def clean_username(self):
        if self.instance.pk is not None:
            return self.instance.user.get_username()
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(f"no active account is named {username!r}")
        self.instance.user = user
        return username

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project") or (self.instance.project if self.instance.project_id else None)
        user = self.instance.user if self.instance.user_id else None
        if self.instance.pk is None and project is not None and user is not None:
            if Membership.objects.filter(project=project, user=user).exists():
                raise forms.ValidationError(f"{user.get_username()} is already a member of {project.name}")
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 1


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

    def get_form(self, request, obj=None, **kwargs):
        if request.user.is_superuser:
            return super().get_form(request, obj, **kwargs)
        form = type("ScopedMembershipForm", (MembershipForm,), {"Meta": type("Meta", (), {
            "model": Membership, "fields": ["project", "username", "role"]})})
        form.base_fields["project"].queryset = self.managed_projects(request)
        if obj is not None:
            form.base_fields["project"].disabled = True
        return form
