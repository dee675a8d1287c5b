"""`make run`: migrations, the demo project, the Celery workers, the beat that sends the job sweeper, and the web
server, as one foreground process.

The children get the database and broker URLs of this process (the embedded
servers unless DATABASE_URL / REDIS_URL are set), run in their own process
groups, and are stopped by this process on Ctrl-C or SIGTERM; the embedded
servers stop when it exits (config/embedded.py). A child that dies is
restarted, after a pause that doubles with each quick crash (up to a minute),
and what is left of its process group is killed first; the others keep running.
The jobs of a worker that died are queued again by the sweeper once their
leases lapse.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

#: A child that ran this long before dying was healthy: its next restart waits the shortest pause again.
HEALTHY_SECONDS = 60.0
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    crashes: int = 0
    restart_at: float | None = None


class Command(BaseCommand):
    help = ("Start everything for local use: migrate, demo data, Celery workers (media/export, llm, gpu), "
            "the Celery beat and the web server.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CLUEBENCH_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CLUEBENCH_PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not create the demo project")
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("CLUEBENCH_WEB_WORKERS", "2")), help="gunicorn workers"
        )

    def handle(self, *args, host, port, no_demo, web_workers, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database migrated")
        if not no_demo:
            call_command("demo", stdout=self.stdout)

        self.env = {
            **os.environ,
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            "PYTHONUNBUFFERED": "1",
        }
        bin_dir = os.path.dirname(sys.executable)
        celery = [os.path.join(bin_dir, "celery"), "-A", "config"]
        worker = celery + ["worker", "--loglevel", "INFO", "--without-gossip"]
        children = [
            Child("worker-media", worker + ["-Q", "media,export", "-n", "media@%h", "-c", "2"]),
            Child("worker-llm", worker + ["-Q", "llm", "-n", "llm@%h", "-P", "threads", "-c", "8"]),
            Child("worker-gpu", worker + ["-Q", "gpu", "-n", "gpu@%h", "-P", "solo"]),
            # The sweep is the only periodic task, so beat keeps its schedule in memory: no file to share or lock.
            Child("beat", celery + ["beat", "--loglevel", "INFO", "--scheduler", "celery.beat:Scheduler"]),
            Child(
                "web",
                [
                    os.path.join(bin_dir, "gunicorn"), "config.wsgi", "--bind", f"{host}:{port}",
                    "--workers", str(web_workers), "--threads", "4", "--timeout", "120",
                    "--access-logfile", "-", "--graceful-timeout", "5",
                ],
            ),
        ]

        stopping = False

        def request_stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        try:
            for child in children:
                self._start(child)
            self.stdout.write(self.style.SUCCESS(f"\nCluebench is running at http://{host}:{port}/"))
            self.stdout.write(f"  API docs: http://{host}:{port}/api/docs/   admin: http://{host}:{port}/admin/")
            self.stdout.write("  demo logins are listed above; Ctrl-C stops everything\n")
            while not stopping:
                now = time.monotonic()
                for child in children:
                    if stopping:
                        break
                    if child.process is None:
                        if now >= child.restart_at:
                            self._start(child)
                    elif child.process.poll() is not None:
                        self._schedule_restart(child, now)
                time.sleep(0.2)
        finally:
            self._stop(children)
        self.stdout.write("stopped")

    def _start(self, child: Child) -> None:
        # Own process group: Ctrl-C reaches only this process, which stops the children in order.
        child.process = subprocess.Popen(child.argv, env=self.env, start_new_session=True)
        child.started_at = time.monotonic()
        child.restart_at = None

    def _schedule_restart(self, child: Child, now: float) -> None:
        status = child.process.returncode
        # A worker killed alone leaves its pool processes in its group: they go too, so nothing runs twice.
        self._kill_group(child.process.pid)
        child.process = None
        child.crashes = 1 if now - child.started_at >= HEALTHY_SECONDS else child.crashes + 1
        pause = min(LONGEST_PAUSE, FIRST_PAUSE * 2 ** (child.crashes - 1))
        child.restart_at = now + pause
        self.stderr.write(f"{child.name} exited with status {status}; restarting it in {pause:.0f} s")

    @staticmethod
    def _kill_group(pgid: int) -> None:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def _stop(self, children: list[Child]) -> None:
        running = [c for c in children if c.process is not None and c.process.poll() is None]
        # SIGTERM to the main process only: a Celery worker then finishes its current task (warm shutdown);
        # what is still running at the deadline is killed, and its job is queued again by the sweeper.
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + 20
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{child.name} did not stop in time; killing it")
                self._kill_group(child.process.pid)
                child.process.wait()
        # Whatever a child left in its group (a pool process, an ffmpeg) goes with it.
        for child in children:
            if child.process is not None:
                self._kill_group(child.process.pid)
