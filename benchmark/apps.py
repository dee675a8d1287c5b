from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "benchmark"
    verbose_name = "Benchmark"

    def ready(self):
        # Registers the export job kind in every process.
        from benchmark import tasks  # noqa: F401
