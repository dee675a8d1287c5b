import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import database_url_for_tests

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real Celery worker process on all four queues, on the test database and the tests' Redis database. Its
    detector loads the tiny models that tests/integration/test_avst_detection.py saves under the session's
    temporary folder (on the CPU, one torch thread)."""
    import redis
    from django.conf import settings

    from config.celery import app

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONUNBUFFERED": "1",
        "CLUEBENCH_DETECT_DINO_PATH": str(tmp_path_factory.getbasetemp() / "detect-models" / "grounding-dino-tiny"),
        "CLUEBENCH_DETECT_SAM2_PATH": str(tmp_path_factory.getbasetemp() / "detect-models" / "sam2.1-hiera-tiny"),
        "CLUEBENCH_DETECT_DEVICE": "cpu",
        "CLUEBENCH_DETECT_WINDOW": "2",
        "CLUEBENCH_DETECT_TORCH_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
    }
    celery = Path(sys.executable).with_name("celery")
    argv = [
        str(celery), "-A", "config", "worker", "-Q", "media,llm,gpu,export", "-P", "solo", "-n", "tests@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()[-3000:]}")
    yield process
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(predicate, *, timeout: float = 90, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
