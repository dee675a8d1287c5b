"""`make run`'s supervisor: serves pages and the built frontend, runs workers, and Ctrl-C leaves no process behind."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from tests.conftest import database_url_for_tests

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode(errors="replace")


def test_serve_runs_everything_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "CLUEBENCH_WEB_WORKERS": "1",
    }
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--no-demo", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/accounts/login/")
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "the web server did not answer in time"
                time.sleep(0.5)
        assert status == 200 and "Log in" in body

        children = psutil.Process(process.pid).children(recursive=True)
        names = " ".join(" ".join(c.cmdline()) for c in children)
        assert names.count("celery") >= 3 and "gunicorn" in names

        # The built frontend is served by the app itself (WhiteNoise).
        manifest = (ROOT / "frontend" / "dist" / "manifest.json").read_text()
        asset = re.search(r'"file": "([^"]+\.js)"', manifest).group(1)
        status, body = get(f"http://127.0.0.1:{port}/static/{asset}")
        assert status == 200 and len(body) > 1000
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert process.returncode == 0, output[-3000:]
    assert f"running at http://127.0.0.1:{port}/" in output
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
