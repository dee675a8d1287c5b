from django.apps import AppConfig


class CountingConfig(AppConfig):
    """CG-AV-Counting: stage 1 candidates (LLM and by hand), questions and clues, the workspace document, submit
    and pooling."""

    name = "annotation.counting"
    label = "counting"
    verbose_name = "CG-AV-Counting"

    def ready(self):
        from annotation.counting import selectors, tasks  # noqa: F401 (registers stage 1's job kind)
        from annotation.projects import hooks
        from pipeline.jobs import hooks as job_hooks

        hooks.summary_sections.plug(selectors.summary_sections)
        job_hooks.hidden_jobs.plug(selectors.hidden_jobs)
