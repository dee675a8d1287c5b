from django.apps import AppConfig


class AvstConfig(AppConfig):
    """R-AVST: UnAV-100 import and filtering, events, objects and boxes, the machine stages (audibility, boxes),
    the event review document and the QA pairs generated from accepted events."""

    name = "annotation.avst"
    label = "avst"
    verbose_name = "R-AVST"

    def ready(self):
        from annotation.avst import selectors, tasks  # noqa: F401 (registers the machine stages' job kinds)
        from annotation.projects import hooks

        hooks.summary_sections.plug(selectors.summary_sections)
