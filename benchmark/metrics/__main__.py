"""``python -m benchmark.metrics``: score a predictions file with no Django, no database and no Redis.

    python -m benchmark.metrics --format cg-av-counting --truth cg-av-counting.json --predictions preds.jsonl \\
        [--profile vlmevalkit|av-reasoner|lmms-eval|strict|all] [--out scores.json]

Without ``--profile`` it prints the ``strict`` metrics as one JSON object (what ``manage.py evaluate`` always
printed); with one, ``{"profile", "pin", "metrics", "published", "errors"}``, or for ``all`` one such object
per profile and the items on which they disagree.  ``--out`` also writes the per-item scores.  Exit status 1
with the reason on stderr when a file cannot be read.  From Python: :func:`benchmark.metrics.evaluate.evaluate`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.metrics.evaluate import FORMATS, PROFILES, ScoringError, dumps, evaluate, evaluate_all


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=(
        "Score a JSON Lines predictions file against a release's truth file with the public evaluators' rules."))
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--truth", required=True, type=Path)
    parser.add_argument("--predictions", required=True, type=Path)
    names = sorted({p for ps in PROFILES.values() for p in ps})
    parser.add_argument("--profile", choices=[*names, "all"],
                        help="whose numbers: " + "; ".join(f"{f}: {', '.join(p)}" for f, p in PROFILES.items()))
    parser.add_argument("--word-vectors", help="R-AVST avst-zero: a word2vec file (else $CLUEBENCH_AVST_WORD_VECTORS, "
                                               "else the offline all-MiniLM-L6-v2 model)")
    parser.add_argument("--out", type=Path, help="write the metrics and per-item scores as JSON here")
    return parser


def run(args: argparse.Namespace, out=sys.stdout) -> None:
    common = dict(format=args.format, truth_path=args.truth, predictions_path=args.predictions,
                  word_vectors=args.word_vectors)
    if args.profile == "all":
        result = evaluate_all(**common)
        shown = {"profiles": result["profiles"], "disagreements": len(result["disagreements"])}
    else:
        result = evaluate(**common, profile=args.profile or "strict")
        shown = result["metrics"] if args.profile is None else {k: v for k, v in result.items() if k != "items"}
    out.write(dumps(shown) + "\n")
    if args.out is not None:
        args.out.write_text(dumps(result) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = build_parser(prog)
    args = parser.parse_args(argv)
    try:
        run(args)
    except ScoringError as exc:
        print(f"CommandError: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
