"""The embedded PostgreSQL and Redis: started on demand, shared by concurrent processes, stopped by the last one
to leave (also when an earlier holder was killed), and their data kept for the next start."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys, json, psycopg, redis, dj_database_url
    from pathlib import Path
    from config.embedded import services_for_process
    urls = services_for_process(Path(sys.argv[1]), postgres=True, redis=True)
    db = dj_database_url.parse(urls.database_url)
    r = redis.Redis.from_url(urls.redis_url)
    with psycopg.connect(host=db["HOST"], user=db["USER"], dbname=db["NAME"], autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS notes (body text)")
        if sys.argv[2] == "write":
            conn.execute("INSERT INTO notes VALUES ('kept')")
            r.set("note", "kept")
        rows = [row[0] for row in conn.execute("SELECT body FROM notes")]
    print(json.dumps({"rows": rows, "redis": (r.get("note") or b"").decode(), "urls": [urls.database_url, urls.redis_url]}))
    sys.stdout.flush()
    if sys.argv[2] == "hold":
        sys.stdin.read()
    """
)


def start(var_dir: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(var_dir), mode],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run(var_dir: Path, mode: str) -> dict:
    process = start(var_dir, mode)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out)


def servers_running(var_dir: Path) -> tuple[bool, bool]:
    postgres = (var_dir / "postgres" / "postmaster.pid").exists()
    try:
        os.kill(int((var_dir / "redis" / "redis.pid").read_text()), 0)
        redis_alive = True
    except (FileNotFoundError, ValueError, ProcessLookupError):
        redis_alive = False
    return postgres, redis_alive


@pytest.fixture
def var_dir(tmp_path):
    path = tmp_path / "var"
    yield path
    if any(servers_running(path)):  # a failed test must not leave servers behind
        run(path, "read")


def test_last_holder_stops_the_servers_and_data_is_kept(var_dir):
    first = run(var_dir, "write")
    assert first["rows"] == ["kept"] and first["redis"] == "kept"
    assert first["urls"][1].startswith("redis://127.0.0.1:")
    assert servers_running(var_dir) == (False, False)

    again = run(var_dir, "read")
    assert again["rows"] == ["kept"] and again["redis"] == "kept"
    assert servers_running(var_dir) == (False, False)


def test_servers_stay_while_another_process_holds_them(var_dir):
    holder = start(var_dir, "hold")
    assert json.loads(holder.stdout.readline())["rows"] == []
    run(var_dir, "write")
    assert servers_running(var_dir) == (True, True)

    holder.communicate(input="", timeout=60)
    assert holder.returncode == 0
    assert servers_running(var_dir) == (False, False)


def test_a_killed_holder_does_not_keep_the_servers_forever(var_dir):
    holder = start(var_dir, "hold")
    holder.stdout.readline()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert servers_running(var_dir) == (True, True)

    run(var_dir, "read")
    assert servers_running(var_dir) == (False, False)
    assert json.loads((var_dir / "embedded-holders.json").read_text()) == {"postgres": [], "redis": []}
