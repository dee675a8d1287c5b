"""How long the embedded PostgreSQL and Redis take to come up: the first time (initdb) and every later time.

Run: .venv/bin/python bench/embedded_startup.py [--rounds 5]
Prints figures; it passes or fails nothing.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = (
    "import sys, time; from pathlib import Path; t=time.perf_counter();"
    "from config.embedded import services_for_process;"
    "services_for_process(Path(sys.argv[1]), postgres=True, redis=True);"
    "print(time.perf_counter()-t)"
)


def one(var_dir: Path) -> tuple[float, float]:
    """(seconds to have both servers answering, seconds for the whole process including the stop at exit)"""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET, str(var_dir)], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1]), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp) / "var"
        cold_up, cold_total = one(var_dir)
        warm = [one(var_dir) for _ in range(args.rounds)]
    print(f"first start (initdb + start): up in {cold_up:.2f} s, process with stop {cold_total:.2f} s")
    ups = [w[0] for w in warm]
    totals = [w[1] for w in warm]
    print(
        f"later starts over {args.rounds} rounds: up in median {statistics.median(ups):.2f} s "
        f"(max {max(ups):.2f} s), process with stop median {statistics.median(totals):.2f} s"
    )


if __name__ == "__main__":
    main()
