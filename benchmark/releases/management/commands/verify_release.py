from django.core.management.base import BaseCommand, CommandError

from benchmark.releases.manifest import verify


class Command(BaseCommand):
    help = "Check a release folder against its manifest.json: every file present and unchanged, nothing extra."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        problems = verify(folder)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} problem(s): the release in {folder} does not match its manifest")
        self.stdout.write(f"{folder}: intact")
