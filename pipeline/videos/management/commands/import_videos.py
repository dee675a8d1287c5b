from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotation.projects.models import Project, ProjectKind
from annotation.projects.services import create_project
from pipeline.jobs.services import run_job_here
from pipeline.videos.models import VideoStatus
from pipeline.videos.services import VIDEO_SUFFIXES, ingest_video


def video_files(paths: list[str]) -> list[Path]:
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"no such file or folder: {raw}")
    return found


class Command(BaseCommand):
    help = (
        "Add video files from this server's disk to a project (created, of kind counting, if missing). "
        "Prints `video <id> <status> <path>` per file. Processing runs on the media queue, or here with --wait "
        "(then the exit status is non-zero if any video failed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="project name")
        parser.add_argument("paths", nargs="+", metavar="PATH", help="video files or folders (searched recursively)")
        parser.add_argument("--wait", action="store_true", help="process the videos in this process and wait")

    def handle(self, *args, project, paths, wait, **options):
        files = video_files(paths)
        if not files:
            raise CommandError("no video files found in the given paths")
        target = Project.objects.filter(name=project).first() or create_project(name=project, kind=ProjectKind.COUNTING)
        failed = 0
        for path in files:
            with open(path, "rb") as source:
                ingested = ingest_video(project=target, source=source, filename=path.name, dispatch=not wait)
            video = ingested.video
            if not ingested.created:
                status = "duplicate"
            elif wait:
                run_job_here(job=ingested.job)
                video.refresh_from_db()
                status = video.status
            else:
                status = "queued"
            if video.status == VideoStatus.FAILED:
                failed += 1
            self.stdout.write(f"video {video.pk} {status} {path}")
            if video.status == VideoStatus.FAILED and video.error:
                self.stderr.write(f"  {path}: {video.error}")
        if wait and failed:
            raise CommandError(f"{failed} of {len(files)} video(s) failed")
