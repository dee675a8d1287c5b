from django.core.management.base import BaseCommand, CommandError

from annotation.counting.services import start_stage1
from annotation.projects.errors import AppError
from annotation.projects.models import Project
from pipeline.jobs.llm import llm_status
from pipeline.jobs.models import JobState
from pipeline.jobs.services import run_job_here


class Command(BaseCommand):
    help = (
        "Stage 1: ask the project's LLM for candidate counting questions, one job per ready video on the llm "
        "queue (or here with --wait). Re-running makes no new provider call for videos already answered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("--video", type=int, action="append", dest="videos", metavar="ID", help="only these videos")
        parser.add_argument("--wait", action="store_true", help="run here and wait; non-zero exit if a video failed")

    def handle(self, *args, project, videos, wait, **options):
        target = Project.objects.filter(name=project).first()
        if target is None:
            raise CommandError(f"no project named {project!r}")
        status = llm_status(target)
        if not status.configured:
            raise CommandError(status.message)
        self.stdout.write(f"stage 1 with {status.message}")
        try:
            jobs, skipped = start_stage1(project=target, video_ids=videos, dispatch=not wait)
        except AppError as exc:
            raise CommandError(str(exc))
        for reason in skipped:
            self.stdout.write(f"skipped {reason}")
        failed = 0
        for job in jobs:
            if wait:
                job = run_job_here(job=job)
                if job.state == JobState.FAILED:
                    failed += 1
                    self.stdout.write(f"video {job.target_id} failed: {job.error}")
                else:
                    self.stdout.write(f"video {job.target_id} done")
            else:
                self.stdout.write(f"video {job.target_id} queued as job {job.pk}")
        if failed:
            raise CommandError(f"stage 1 failed for {failed} of {len(jobs)} video(s)")
