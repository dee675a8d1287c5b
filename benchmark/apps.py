from django.apps import AppConfig


class BenchmarkHistoryConfig(AppConfig):
    """The migrations of the 'benchmark' app from before the house was split into one app per domain. Its last
    migration hands its tables to the domain apps (releases) without touching them, so a database made by the old
    migrations moves forward with every row. It holds no code and no models."""

    name = "benchmark"
    verbose_name = "benchmark (migration history)"
