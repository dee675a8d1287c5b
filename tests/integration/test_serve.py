"""`make run`'s supervisor: serves pages and the built frontend, runs workers and the beat, restarts a child that
dies (`kill -9` of a worker's process group) while the rest keeps running, and Ctrl-C leaves no process behind. Its
workers use a Redis of the test's own, so they never take another test run's messages."""

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

from tests.conftest import database_url_for_tests
from tests.integration.conftest import wait_for
from tests.integration.fault_injection import RedisServer

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode(errors="replace")


def children_of(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def media_worker(pid: int) -> psutil.Process | None:
    for child in psutil.Process(pid).children():
        try:
            if "media@%h" in child.cmdline():
                return child
        except psutil.NoSuchProcess:
            pass
    return None


def test_serve_runs_everything_restarts_a_dead_child_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = free_port()
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": redis_server.url,
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

        children = children_of(process.pid)
        names = " ".join(" ".join(c.cmdline()) for c in children)
        assert names.count(" worker ") >= 3 and " beat " in names and "gunicorn" in names

        # The built frontend is served by the app itself (WhiteNoise).
        manifest = (ROOT / "frontend" / "dist" / "manifest.json").read_text()
        asset = re.search(r'"file": "([^"]+\.js)"', manifest).group(1)
        status, body = get(f"http://127.0.0.1:{port}/static/{asset}")
        assert status == 200 and len(body) > 1000

        # A worker dies with its whole process group: it comes back, and the rest never stopped.
        dead = wait_for(lambda: media_worker(process.pid), timeout=30)
        os.killpg(dead.pid, signal.SIGKILL)
        reborn = wait_for(lambda: (w := media_worker(process.pid)) is not None and w.pid != dead.pid and w, timeout=60)
        assert process.poll() is None
        assert get(f"http://127.0.0.1:{port}/accounts/login/")[0] == 200
        assert reborn.is_running()
        children += children_of(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        log.close()
        redis_server.stop()
    output = (tmp_path / "serve.log").read_text()
    assert process.returncode == 0, output[-3000:]
    assert f"running at http://127.0.0.1:{port}/" in output
    assert "worker-media exited with status -9; restarting it in 1 s" in output
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
