from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Job rows and the task base every Celery task uses, rate limits, and the LLM call log."""

    name = "pipeline.jobs"
    label = "jobs"
    verbose_name = "Jobs"
