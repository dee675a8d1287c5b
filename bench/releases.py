"""Release figures on this machine (prints them; passes or fails nothing).

    .venv/bin/python bench/releases.py

- importing the published R-AVST test split (1,070 videos, 1,638 QA pairs, 30,737 box lines) into a project,
  and exporting it again in R-AVST format (targets: 30 s and 10 s);
- exporting the metadata of a 1,027-question CG-AV-Counting release (about 5,845 clues; target 1 s), with its
  number of database queries.
Uses the embedded database of `make run` (var/), in throwaway projects that are deleted afterwards.
"""

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
PUBLISHED = Path(os.environ.get("CLUEBENCH_RAVST_FILE", ROOT / "tests" / "fixtures" / "r-avst" / "xml_test_QA.json"))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotation.projects.models import Project
    from benchmark.releases.exporters import export_cgav, export_ravst
    from benchmark.releases.importers import import_cgav, import_ravst
    from benchmark.releases.models import Release
    from score_cgav import make_truth

    call_command("migrate", verbosity=0)
    for name in ("bench-ravst", "bench-cgav"):
        Project.objects.filter(name=name).delete()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        try:
            start = time.perf_counter()
            report = import_ravst(project_name="bench-ravst", path=PUBLISHED)
            took = time.perf_counter() - start
            print(f"R-AVST import of the published split: {took:.2f} s ({report.details})")
            release = Release(project=report.project, version="0.0.0", format="r-avst")
            start = time.perf_counter()
            export_ravst(release, tmp)
            took = time.perf_counter() - start
            same = (tmp / "r-avst.json").read_bytes() == PUBLISHED.read_bytes()
            print(f"R-AVST export: {took:.2f} s (byte-identical to the published file: {same})")

            items = make_truth(random.Random(1))
            source = tmp / "cgav.json"
            source.write_text(json.dumps(items))
            report = import_cgav(project_name="bench-cgav", path=source)
            release = Release(project=report.project, version="0.0.0", format="cg-av-counting", metadata_only=True)
            out = tmp / "cgav-out"
            out.mkdir()
            best = None
            for _ in range(3):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    export_cgav(release, out)
                    took = time.perf_counter() - start
                best = took if best is None else min(best, took)
            print(f"CG-AV-Counting metadata export of {len(items)} questions ({report.details['clues']} clues): "
                  f"{best:.2f} s best of 3, {len(queries)} database queries")
        finally:
            for name in ("bench-ravst", "bench-cgav"):
                Project.objects.filter(name=name).delete()


if __name__ == "__main__":
    main()
