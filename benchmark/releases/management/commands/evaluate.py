from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from benchmark.releases.scoring import FORMATS, ScoringError, dumps, evaluate


class Command(BaseCommand):
    help = (
        "Score a JSON Lines predictions file against a release's truth file with the public evaluators' rules; "
        "prints the metrics as one JSON object (--out also writes them, with per-item scores)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("--truth", required=True, type=Path)
        parser.add_argument("--predictions", required=True, type=Path)
        parser.add_argument("--out", type=Path, help="write the metrics and per-item scores as JSON here")

    def handle(self, *args, format, truth, predictions, out, **options):
        try:
            result = evaluate(format=format, truth_path=truth, predictions_path=predictions)
        except ScoringError as exc:
            raise CommandError(str(exc))
        self.stdout.write(dumps(result["metrics"]))
        if out is not None:
            out.write_text(dumps(result) + "\n", encoding="utf-8")
