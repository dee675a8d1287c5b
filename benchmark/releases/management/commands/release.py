import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotation.projects.models import Project
from benchmark.releases.errors import ReleaseError
from benchmark.releases.models import ReleaseFormat, ReleaseState
from benchmark.releases.services import create_release, release_dir
from pipeline.jobs.services import run_job_here


class Command(BaseCommand):
    help = (
        "Create a release of a project, export it here and freeze it, then copy its files to --out. "
        "Exporting the same selection again gives byte-identical files."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the release here; it replaces Django's own --version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True)
        parser.add_argument("--version", required=True, help="semantic version, e.g. 1.0.0")
        parser.add_argument("--format", required=True, choices=ReleaseFormat.values)
        parser.add_argument("--out", required=True, help="folder to copy the release to (created)")
        parser.add_argument("--metadata-only", action="store_true", help="the JSON without the videos and clips")
        parser.add_argument("--split", default="", help="R-AVST: only QA pairs of this split")

    def handle(self, *args, project, version, format, out, metadata_only, split, **options):
        target = Project.objects.filter(name=project).first()
        if target is None:
            raise CommandError(f"no project named {project!r}")
        out = Path(out)
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} exists and is not empty")
        try:
            release, job = create_release(
                project=target, version=version, format=format, metadata_only=metadata_only,
                selection={"split": split} if split else {}, dispatch=False,
            )
        except ReleaseError as exc:
            raise CommandError(str(exc))
        job = run_job_here(job=job)
        release.refresh_from_db()
        if release.state != ReleaseState.FROZEN:
            raise CommandError(f"export failed: {release.error or job.error}")
        shutil.copytree(release_dir(release), out, dirs_exist_ok=True)
        for path in out.rglob("*"):
            if path.is_file():
                path.chmod(0o644)
        counts = release.manifest.get("counts", {})
        self.stdout.write(f"release {target.name} {version} ({format}) frozen and written to {out}: {counts}")
