"""``evaluate`` through Django (call_command, tests). From the shell, manage.py hands the command to
``python -m benchmark.metrics`` before Django starts; both take the same arguments."""

from django.core.management.base import BaseCommand, CommandError

from benchmark.metrics.__main__ import build_parser, run
from benchmark.metrics.evaluate import ScoringError


class Command(BaseCommand):
    help = (
        "Score a JSON Lines predictions file against a release's truth file with the public evaluators' rules "
        "(--profile chooses whose); prints the metrics as one JSON object (--out also writes per-item scores)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        for action in build_parser()._actions:
            if action.dest != "help":
                parser._add_action(action)
        return parser

    def handle(self, *args, **options):
        from argparse import Namespace

        ns = Namespace(**{k: options.get(k) for k in ("format", "truth", "predictions", "profile",
                                                       "word_vectors", "out")})
        try:
            run(ns, out=self.stdout)
        except ScoringError as exc:
            raise CommandError(str(exc))
