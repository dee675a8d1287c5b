from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site as a whole: the demo projects and the `serve` command that runs web, workers and embedded servers."""

    name = "config"
    label = "site"
    verbose_name = "Site"
