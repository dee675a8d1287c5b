"""`make run`: migrations, the demo project, the Celery workers and the web server, as one foreground process.

The children get the database and broker URLs of this process (the embedded
servers unless DATABASE_URL / REDIS_URL are set), run in their own process
groups, and are stopped by this process on Ctrl-C or SIGTERM; the embedded
servers stop when it exits (config/embedded.py). If a child dies, everything
stops and the command exits non-zero, naming it.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None


class Command(BaseCommand):
    help = "Start everything for local use: migrate, demo data, Celery workers (media/export, llm, gpu) and the web server."

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

        env = {
            **os.environ,
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
            "PYTHONUNBUFFERED": "1",
        }
        bin_dir = os.path.dirname(sys.executable)
        celery = [os.path.join(bin_dir, "celery"), "-A", "config", "worker", "--loglevel", "INFO", "--without-gossip"]
        children = [
            Child("worker-media", celery + ["-Q", "media,export", "-n", "media@%h", "-c", "2"]),
            Child("worker-llm", celery + ["-Q", "llm", "-n", "llm@%h", "-P", "threads", "-c", "8"]),
            Child("worker-gpu", celery + ["-Q", "gpu", "-n", "gpu@%h", "-P", "solo"]),
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
        failed = None
        try:
            for child in children:
                # Own process group: Ctrl-C reaches only this process, which stops the children in order.
                child.process = subprocess.Popen(child.argv, env=env, start_new_session=True)
            self.stdout.write(self.style.SUCCESS(f"\nCluebench is running at http://{host}:{port}/"))
            self.stdout.write(f"  API docs: http://{host}:{port}/api/docs/   admin: http://{host}:{port}/admin/")
            self.stdout.write("  demo logins are listed above; Ctrl-C stops everything\n")
            while not stopping:
                for child in children:
                    if child.process.poll() is not None:
                        failed = child
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop(children)
        if failed is not None:
            raise CommandError(f"{failed.name} exited with status {failed.process.returncode}; stopped everything")
        self.stdout.write("stopped")

    def _stop(self, children: list[Child]) -> None:
        running = [c for c in children if c.process is not None and c.process.poll() is None]
        # SIGTERM to the main process only: a Celery worker then finishes its current task (warm shutdown);
        # what is still running at the deadline is killed, and its task, acknowledged late, is delivered again.
        for child in running:
            child.process.terminate()
        deadline = time.monotonic() + 20
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{child.name} did not stop in time; killing it")
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()
