from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects, members and roles, permissions, project settings, the audit log, the error vocabulary and the
    project-scoped bases (viewset, versioned document, admin, page) every other app builds on."""

    name = "annotation.projects"
    label = "projects"
    verbose_name = "Projects"
