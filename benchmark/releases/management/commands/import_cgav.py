from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmark.releases.importers import ImportFailed, import_cgav


class Command(BaseCommand):
    help = "Import a CG-AV-Counting release file (cg-av-counting.json) into a project (created, kind counting)."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("file")

    def handle(self, *args, project, file, **options):
        try:
            report = import_cgav(project_name=project, path=Path(file))
        except (ImportFailed, OSError) as exc:
            raise CommandError(str(exc))
        details = ", ".join(f"{n} {k}" for k, n in report.details.items())
        self.stdout.write(f"imported into {report.project.name}: {details} ({report.videos_created} new videos)")
