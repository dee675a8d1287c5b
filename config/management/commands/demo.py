import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.demo import DEMO_AVST_SECONDS, ensure_demo_avst_project, ensure_demo_project, ensure_demo_users
from pipeline.jobs.models import JobState
from pipeline.jobs.services import run_job_here


class Command(BaseCommand):
    help = (
        "Create the demo project (if there is none): demo-annotator, demo-reviewer and demo-manager accounts and "
        "synthetic videos with known beeps and shapes, generated on the media queue (or here with --wait)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--videos", type=int, default=3, help="number of synthetic videos (default 3)")
        parser.add_argument(
            "--seconds", type=float, default=settings.CLUEBENCH_DEMO_VIDEO_SECONDS, help="length of each video"
        )
        parser.add_argument("--avst-videos", type=int, default=2,
                            help="synthetic videos of the R-AVST demo project (default 2)")
        parser.add_argument("--wait", action="store_true", help="generate the videos in this process, not on workers")
        parser.add_argument(
            "--password", default=None, help="password for the demo accounts (default: $CLUEBENCH_DEMO_PASSWORD or random)"
        )

    def handle(self, *args, videos, seconds, avst_videos, wait, password, **options):
        if videos < 0 or avst_videos < 0 or seconds < 2:
            raise CommandError("--videos and --avst-videos must be >= 0 and --seconds >= 2")
        logins = ensure_demo_users(password or os.environ.get("CLUEBENCH_DEMO_PASSWORD") or None)
        project, jobs = ensure_demo_project(videos=videos, seconds=seconds, dispatch=not wait)
        avst_project, avst_jobs = ensure_demo_avst_project(
            videos=avst_videos, seconds=min(seconds, DEMO_AVST_SECONDS), dispatch=not wait)
        jobs = jobs + avst_jobs
        if wait:
            for job in jobs:
                self.stdout.write(f"generating {job.target_label} ...")
                job = run_job_here(job=job)
                if job.state != JobState.SUCCEEDED:
                    raise CommandError(f"job {job.pk} ({job.target_label}) failed: {job.error}")
        else:
            for job in jobs:
                self.stdout.write(f"queued job {job.pk}: generate {job.target_label} on the media queue")
        self.stdout.write(f"demo projects: {project.name} (id {project.pk}), {avst_project.name} (id {avst_project.pk})")
        for login in logins:
            self.stdout.write(f"  {login.role:<9} {login.username} / {login.password}")
