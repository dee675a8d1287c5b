"""`manage.py evaluate` and `python -m benchmark.metrics` score files with no database, no Redis and no Django:
run as subprocesses with DATABASE_URL and REDIS_URL pointing at closed ports (any attempt to start or reach the
servers would fail), and with the embedded servers' data folder moved somewhere empty."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_releases import CGAV_ITEMS

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


@pytest.fixture
def files(tmp_path):
    truth = tmp_path / "cg-av-counting.json"
    truth.write_text(json.dumps(CGAV_ITEMS))
    preds = tmp_path / "preds.jsonl"
    preds.write_text("".join(json.dumps(r) + "\n" for r in [
        {"index": 0, "task_mode": "long_acc", "prediction": "3"},
        {"index": 1, "task_mode": "long_acc", "prediction": "None"},
        {"index": 0, "task_mode": "clue_acc", "prediction": "[[12.0, 13.0]]"},
    ]))
    return truth, preds


def run(args, tmp_path):
    port = closed_port()
    env = {**os.environ, "DATABASE_URL": f"postgres://nobody:nothing@127.0.0.1:{port}/none",
           "REDIS_URL": f"redis://127.0.0.1:{port}/0", "CLUEBENCH_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("entry", [["manage.py", "evaluate"], ["-m", "benchmark.metrics"]])
def test_scores_without_any_server(entry, files, tmp_path):
    truth, preds = files
    proc = run([*entry, "--format", "cg-av-counting", "--truth", str(truth), "--predictions", str(preds),
                "--profile", "all"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out["profiles"]) == {"vlmevalkit", "av-reasoner", "lmms-eval", "strict"}
    # "None" is read back as NaN by VLMEvalKit's xlsx round trip and left out; strict counts it as 0
    assert out["profiles"]["vlmevalkit"]["metrics"]["long_acc/acc"] == 1.0
    assert out["profiles"]["strict"]["metrics"]["long_acc/acc"] == 1 / len(CGAV_ITEMS)
    assert out["disagreements"] > 0
    assert not (tmp_path / "var").exists()  # nothing of the embedded servers was started


def test_errors_go_to_stderr_with_status_1(files, tmp_path):
    truth, _ = files
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    proc = run(["manage.py", "evaluate", "--format", "cg-av-counting", "--truth", str(truth), "--predictions",
                str(bad)], tmp_path)
    assert proc.returncode == 1 and "bad.jsonl:1" in proc.stderr and proc.stdout == ""


def test_control_a_django_command_reads_the_settings(tmp_path):
    """The control: in the same environment a command that sets Django up creates the var folder (and with no
    DATABASE_URL would start the embedded servers there), so the check above would see it."""
    run(["manage.py", "check"], tmp_path)
    assert (tmp_path / "var").exists()
