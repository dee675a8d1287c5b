"""A screenshot of every page, for each demo role, at 1280x720 and 1920x1080, to look at them all at once.

    .venv/bin/python bench/screenshots.py [--url http://127.0.0.1:8000] [--out var/screenshots] [--role ROLE ...]

Drives Debian's Chromium with Playwright against a running Cluebench (`make run`), logged in as each demo account
(passwords from var/demo-logins.json, or CLUEBENCH_DEMO_PASSWORD). The pages are found from the demo projects:
their home, videos, stage 1, workspace, review, agreement, quality, funnel, releases, R-AVST pages, jobs, LLM
spend, the admin and the API docs. Writes PNG files named ROLE-WIDTHxHEIGHT-PAGE.png and prints each with the
HTTP status and any console error. Passes or fails nothing.
"""

import argparse
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SIZES = [(1280, 720), (1920, 1080)]
ROLES = ["annotator", "reviewer", "manager"]


def pages() -> list[tuple[str, str]]:
    """(name, path) of every page, found from the demo projects' rows."""
    import django

    django.setup()
    from annotation.avst.models import Event
    from annotation.counting.models import Question
    from annotation.projects.models import Project
    from annotation.review.models import ReviewItem
    from benchmark.releases.models import Release, Submission
    from pipeline.videos.models import Video

    found = [("home", "/"), ("jobs", "/jobs/"), ("api-docs", "/api/docs/"), ("admin", "/admin/")]
    for project in Project.objects.filter(name__in=["demo", "demo-avst"]).order_by("name"):
        p = f"/projects/{project.pk}"
        tag = project.name
        found += [(f"{tag}-home", f"{p}/"), (f"{tag}-videos", f"{p}/videos/"), (f"{tag}-jobs", f"{p}/jobs/"),
                  (f"{tag}-review", f"{p}/review/"), (f"{tag}-agreement", f"{p}/agreement/"),
                  (f"{tag}-quality", f"{p}/quality/"), (f"{tag}-quality-me", f"{p}/quality/me/"),
                  (f"{tag}-funnel", f"{p}/funnel/"), (f"{tag}-releases", f"{p}/releases/"), (f"{tag}-llm", f"{p}/llm/")]
        if project.kind == "counting":
            found += [(f"{tag}-stage1", f"{p}/stage1/"), (f"{tag}-questions", f"{p}/questions/")]
        else:
            found += [(f"{tag}-avst", f"{p}/avst/"), (f"{tag}-filtering", f"{p}/avst/filtering/"),
                      (f"{tag}-qa", f"{p}/avst/qa/")]
        video = Video.objects.filter(project=project).order_by("id").first()
        if video is not None:
            found.append((f"{tag}-video", f"/videos/{video.pk}/"))
            found.append((f"{tag}-video-stage1", f"/videos/{video.pk}/stage1/") if project.kind == "counting"
                         else (f"{tag}-avst-video", f"/avst/videos/{video.pk}/"))
        question = Question.objects.filter(video__project=project).order_by("id").first()
        if question is not None:
            found += [(f"{tag}-workspace", f"/questions/{question.pk}/workspace/"),
                      (f"{tag}-history", f"/questions/{question.pk}/history/")]
        event = Event.objects.filter(video__project=project).order_by("id").first()
        if event is not None:
            found += [(f"{tag}-event-review", f"/events/{event.pk}/review/"),
                      (f"{tag}-event-history", f"/events/{event.pk}/history/")]
        item = ReviewItem.objects.filter(project=project).order_by("id").first()
        if item is not None:
            found.append((f"{tag}-review-item", f"/review/{item.pk}/"))
        release = Release.objects.filter(project=project).order_by("-id").first()
        if release is not None:
            found.append((f"{tag}-release", f"/releases/{release.pk}/"))
            submission = Submission.objects.filter(release=release).order_by("-id").first()
            if submission is not None:
                found.append((f"{tag}-submission", f"/submissions/{submission.pk}/"))
    return found


def passwords() -> dict[str, str]:
    fixed = os.environ.get("CLUEBENCH_DEMO_PASSWORD")
    if fixed:
        return {role: fixed for role in ROLES}
    saved = json.loads((ROOT / "var" / "demo-logins.json").read_text())
    return {role: saved[f"demo-{role}"] for role in ROLES}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("CLUEBENCH_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--role", action="append", choices=ROLES)
    parser.add_argument("--only", help="a regular expression: only the pages whose name matches")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CLUEBENCH_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("Debian's chromium is needed: apt-get install chromium")
    args.out.mkdir(parents=True, exist_ok=True)
    logins = passwords()
    targets = [(n, p) for n, p in pages() if not args.only or re.search(args.only, n)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for role in args.role or ROLES:
            for width, height in SIZES:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(args.url + "/accounts/login/")
                page.fill("input[name=username]", f"demo-{role}")
                page.fill("input[name=password]", logins[role])
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                for name, path in targets:
                    errors.clear()
                    response = page.goto(args.url + path)
                    page.wait_for_load_state("networkidle")
                    file = args.out / f"{role}-{width}x{height}-{name}.png"
                    page.screenshot(path=str(file))
                    status = response.status if response is not None else "-"
                    print(f"{file.name:<60} {status}  {'; '.join(errors)[:200]}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
