"""An ffmpeg started by run_ffmpeg dies with the process that started it, even when that process is killed alone
(`kill -9` of its pid, not of its group), as a Celery pool process may be."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")

# Real time (-re) and progress once an hour: ffmpeg runs for an hour and writes nothing to its parent's (closed) pipe
# meanwhile, so only the kernel's parent-death signal can stop it.
ENDLESS = (
    "from pipeline.media.ffmpeg import run_ffmpeg\n"
    "run_ffmpeg(['-stats_period', '3600', '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '3600',\n"
    "            '-f', 'null', '-'])\n"
)


def wait_for(predicate, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"condition not met within {timeout} s")


def test_ffmpeg_dies_with_its_parent():
    parent = subprocess.Popen([sys.executable, "-c", ENDLESS], cwd=ROOT, start_new_session=True)
    ffmpeg = None
    try:
        [ffmpeg] = wait_for(lambda: [c for c in psutil.Process(parent.pid).children() if "ffmpeg" in c.name()])

        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)

        wait_for(lambda: not ffmpeg.is_running() or ffmpeg.status() == psutil.STATUS_ZOMBIE)
    finally:
        parent.kill()
        parent.wait()
        if ffmpeg is not None and ffmpeg.is_running():
            ffmpeg.kill()
