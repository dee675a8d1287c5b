from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Quality control: the review queues (arbitration, audit, double annotation), sampling, decisions,
    agreement, per-annotator quality, the funnel and comments. It answers the hooks of counting and R-AVST about
    the questions and events it holds."""

    name = "annotation.review"
    label = "review"
    verbose_name = "Quality control"

    def ready(self):
        from annotation.review import plugs

        plugs.plug_in()
