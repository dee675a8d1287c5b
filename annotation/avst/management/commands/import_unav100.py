from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotation.avst.ingest import AvstImportError, import_unav100


class Command(BaseCommand):
    help = (
        "Import UnAV-100 annotations (videos and their events) into an R-AVST project (created if missing), apply the "
        "project's filtering, and queue processing for the kept videos whose files are in --videos."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("annotations", help="the UnAV-100 annotation JSON file")
        parser.add_argument("--videos", help="a folder holding the video files, named <video id>.<ext>")

    def handle(self, *args, project, annotations, videos, **options):
        try:
            report = import_unav100(project_name=project, annotations=Path(annotations),
                                    videos_dir=Path(videos) if videos else None)
        except (AvstImportError, OSError) as exc:
            raise CommandError(str(exc))
        removed = ", ".join(f"{n} {rule}" for rule, n in report.removed.items()) or "none"
        self.stdout.write(
            f"imported into {report.project.name}: {report.videos_created} new videos "
            f"({report.videos_existing} already there), {report.events_created} events; "
            f"kept {report.kept}, removed: {removed}"
        )
        if videos:
            self.stdout.write(f"files: {report.files_found} found, {report.files_missing} missing (kept as metadata); "
                              f"{len(report.jobs)} queued for processing")
