from django.apps import AppConfig


class VideosConfig(AppConfig):
    """The Video row, ingest, the media processing tasks, and Range and exact-frame serving."""

    name = "pipeline.videos"
    label = "videos"
    verbose_name = "Videos"

    def ready(self):
        from annotation.projects import hooks
        from pipeline.videos import selectors, tasks  # noqa: F401 (registers the media job kinds in every process)

        hooks.summary_sections.plug(selectors.summary_sections)
