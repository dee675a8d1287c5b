from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    """Releases (frozen, versioned exports), submissions, scoring, the leaderboard and the human baseline."""

    name = "benchmark.releases"
    label = "releases"
    verbose_name = "Releases"

    def ready(self):
        from annotation.review import hooks
        from benchmark.releases import selectors, tasks  # noqa: F401 (registers the export job kinds)

        hooks.released_count.plug(selectors.released_count)
        hooks.baseline_releases.plug(selectors.baseline_releases)
