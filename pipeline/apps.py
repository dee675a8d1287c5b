from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "pipeline"
    verbose_name = "Pipeline"

    def ready(self):
        # Registers the job kinds, so enqueue_job knows them in every process, not only in workers.
        from pipeline import tasks  # noqa: F401
