from django.apps import AppConfig


class AnnotationHistoryConfig(AppConfig):
    """The migrations of the 'annotation' app from before the house was split into one app per domain. Its last
    migration hands its tables to the domain apps (projects, counting, avst, review and videos) without touching them, so a database made by the old
    migrations moves forward with every row. It holds no code and no models."""

    name = "annotation"
    verbose_name = "annotation (migration history)"
