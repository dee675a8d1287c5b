from django.apps import AppConfig


class PipelineHistoryConfig(AppConfig):
    """The migrations of the 'pipeline' app from before the house was split into one app per domain. Its last
    migration hands its tables to the domain apps (jobs) without touching them, so a database made by the old
    migrations moves forward with every row. It holds no code and no models."""

    name = "pipeline"
    verbose_name = "pipeline (migration history)"
