"""Load on a running Cluebench (the gunicorn server `make run` starts): logged-in annotators working at once.

    .venv/bin/python bench/load.py [--url http://127.0.0.1:8000] [--annotators 50] [--seconds 60] [--ramp]

Each simulated annotator logs in (logins spread over the first ten seconds), then, until the time is up, saves
its question's whole document every 5 s (the workspace's autosave: the version it read, a changed text and a
few clues; a 409 reloads and goes on), fetches two exact frames a second (random indices of a processed video,
so the server decodes many of them), and loads its workspace page every minute. The script prints p50 and p95
per request type and the error counts. With --ramp it runs growing crowds (10, 20, 30, 40, 50, 60, 80, 100, 150, 200) and
prints the largest for which the p95 of a save stays under 150 ms. The client runs on the same machine as the
server, as a browser's would not: the figures include it. Nothing here passes or fails.

Setup, done here through Django on the same database as the server (the embedded one under var/ unless
DATABASE_URL is set): a project `load-test` with N annotator accounts (`load-000`...), one question each, and a
copy of the row of a processed video (run `make run` once first so that the demo videos are processed).
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SAVE_EVERY = 5.0
FRAMES_PER_SECOND = 2
PAGE_EVERY = 60.0
SAVE_TARGET_MS = 150


def setup(annotators: int) -> tuple[list[tuple[str, int]], str, int, int]:
    """Accounts (username, question id) for the crowd, their shared password, the video's id and frame count."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from annotation.counting.models import Question
    from annotation.projects.models import Membership, Project, ProjectKind, Role
    from pipeline.videos.models import Video, VideoStatus

    source = Video.objects.filter(status=VideoStatus.READY).exclude(proxy="").order_by("id").first()
    if source is None:
        sys.exit("no processed video: run `make run` once (the demo videos are processed on its media worker)")
    project, _ = Project.objects.get_or_create(name="load-test", defaults={"kind": ProjectKind.COUNTING})
    video = Video.objects.filter(project=project).first()
    if video is None:
        fields = {f.name: getattr(source, f.name) for f in Video._meta.fields if f.name not in ("id", "project")}
        video = Video.objects.create(**{**fields, "project": project, "title": "load-test video"})
    password = secrets.token_urlsafe(16)
    User = get_user_model()
    crowd = []
    for n in range(annotators):
        user, _ = User.objects.get_or_create(username=f"load-{n:03d}")
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(project=project, user=user, defaults={"role": Role.ANNOTATOR})
        question = Question.objects.filter(video=video, annotator=user).first() or Question.objects.create(
            video=video, annotator=user, text="How many beeps?", category="event", modality="A")
        Question.objects.filter(pk=question.pk).update(claimed_by=None, claimed_at=None)
        crowd.append((user.username, question.pk))
    return crowd, password, video.pk, video.frame_count or 1


class Annotator(threading.Thread):
    def __init__(self, url, username, password, question, video, frames, until, results, lock, login_delay):
        super().__init__(daemon=True)
        self.url, self.username, self.password = url, username, password
        self.question, self.video, self.frames = question, video, frames
        self.until, self.results, self.lock, self.login_delay = until, results, lock, login_delay
        self.session = requests.Session()
        self.rng = random.Random(username)

    def timed(self, kind, method, path, **kwargs):
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.url + path, timeout=30, **kwargs)
            status = response.status_code
        except requests.RequestException:
            response, status = None, "error"
        elapsed = time.perf_counter() - started
        with self.lock:
            self.results[kind].append((elapsed, status))
        return response

    def login(self) -> bool:
        self.session.get(self.url + "/accounts/login/", timeout=30)
        response = self.timed("login", "POST", "/accounts/login/", allow_redirects=False, data={
            "username": self.username, "password": self.password,
            "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")})
        return response is not None and response.status_code == 302

    def run(self):
        time.sleep(self.login_delay)
        if not self.login():
            return
        csrf = {"X-CSRFToken": self.session.cookies.get("csrftoken", "")}
        doc_path = f"/api/v1/question-docs/{self.question}/"
        doc = self.timed("document", "GET", doc_path).json()
        next_save = time.monotonic() + self.rng.uniform(0, SAVE_EVERY)
        next_page = time.monotonic() + self.rng.uniform(0, PAGE_EVERY)
        edits = 0
        while time.monotonic() < self.until:
            now = time.monotonic()
            if now >= next_save:
                edits += 1
                body = {**doc, "text": f"How many beeps? (edit {edits})", "drafted_answer": edits % 7,
                        "ref_start": 0.5, "ref_end": 9.0,
                        "clues": [{"kind": "event", "start": 1.0 + i, "end": 1.4 + i} for i in range(edits % 5)]}
                response = self.timed("save", "PUT", doc_path, json=body, headers=csrf)
                if response is not None and response.status_code == 200:
                    doc = response.json()
                elif response is not None and response.status_code == 409:
                    doc = response.json().get("current") or doc
                next_save += SAVE_EVERY
            if now >= next_page:
                self.timed("page", "GET", f"/questions/{self.question}/workspace/")
                next_page += PAGE_EVERY
            self.timed("frame", "GET", f"/api/v1/videos/{self.video}/frames/{self.rng.randrange(self.frames)}.jpg")
            time.sleep(max(0.0, 1 / FRAMES_PER_SECOND - 0.005))


def run_crowd(url, crowd, password, video, frames, seconds) -> dict:
    results, lock = defaultdict(list), threading.Lock()
    until = time.monotonic() + seconds
    threads = [Annotator(url, name, password, question, video, frames, until, results, lock,
                         login_delay=random.uniform(0, min(10.0, seconds / 4)))
               for name, question in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] * 1000


def report(n: int, results: dict) -> float:
    print(f"\n{n} annotators:")
    save_p95 = float("inf")
    for kind in ("login", "document", "save", "frame", "page"):
        rows = results.get(kind, [])
        if not rows:
            continue
        times = [t for t, _ in rows]
        failed = sum(1 for _, status in rows if status == "error" or int(status) >= 500)
        refused = sum(1 for _, status in rows if status != "error" and 400 <= int(status) < 500)
        print(f"  {kind:<9} n={len(rows):6d}  p50 {pct(times, 50):7.1f} ms  p95 {pct(times, 95):7.1f} ms  "
              f"mean {statistics.fmean(times) * 1000:7.1f} ms  4xx {refused}  5xx/errors {failed}")
        if kind == "save":
            save_p95 = pct(times, 95)
    return save_p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("CLUEBENCH_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--ramp", action="store_true", help="find the largest crowd with a save p95 under 150 ms")
    args = parser.parse_args()
    try:
        requests.get(args.url + "/accounts/login/", timeout=5)
    except requests.RequestException:
        sys.exit(f"no server at {args.url}: start it with `make run` first")
    sizes = [10, 20, 30, 40, 50, 60, 80, 100, 150, 200] if args.ramp else [args.annotators]
    crowd, password, video, frames = setup(max(sizes))
    best = None
    for n in sizes:
        p95 = report(n, run_crowd(args.url, crowd[:n], password, video, frames, args.seconds))
        if p95 < SAVE_TARGET_MS:
            best = n
        elif args.ramp:
            break
    if args.ramp:
        print(f"\nlargest crowd with a save p95 under {SAVE_TARGET_MS} ms: {best if best else 'none of those tried'}")


if __name__ == "__main__":
    main()
