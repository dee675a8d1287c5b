"""A real Chromium, driven by Playwright, against the live app."""

import pytest
from django.utils import timezone

from config.demo import DEMO_PROJECT, ensure_demo_project, ensure_demo_users
from pipeline.jobs.models import Job, JobState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password"


@pytest.fixture
def demo():
    ensure_demo_users(PASSWORD)
    project, _ = ensure_demo_project(videos=0, seconds=10, dispatch=False)
    return project


def log_in(page, live_server, username, password):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_demo_annotator_logs_in_and_sees_the_demo_project(page, live_server, demo):
    log_in(page, live_server, "demo-annotator", PASSWORD)

    link = page.get_by_role("link", name=DEMO_PROJECT, exact=True)
    link.click()
    page.wait_for_url(f"**/projects/{demo.pk}/")
    assert page.locator("h1").inner_text().startswith(DEMO_PROJECT)
    assert "You are annotator of this project." in page.locator("p.role").inner_text()
    assert page.locator(".stage[data-stage=questions]").is_visible()
    assert page.locator(".stage[data-stage=candidates] .total").inner_text() == "0"


def test_wrong_password_is_refused(page, live_server, demo):
    log_in(page, live_server, "demo-annotator", "not-the-password")
    assert "did not match" in page.locator("p.error").inner_text()
    assert "/accounts/login/" in page.url


def test_jobs_page_shows_progress_and_errors_live(page, live_server, demo):
    running = Job.objects.create(
        kind="media.synthesize_video", queue="media", project=demo, target_label="video one",
        state=JobState.RUNNING, progress_done=25, progress_total=100, attempts=1, started_at=timezone.now(),
    )
    Job.objects.create(
        kind="media.synthesize_video", queue="media", project=demo, target_label="video two",
        state=JobState.FAILED, error="ValueError: beep 3 lies outside the video", attempts=1,
        finished_at=timezone.now(),
    )
    log_in(page, live_server, "demo-manager", PASSWORD)
    page.goto(live_server.url + "/jobs/")

    row = page.locator(f"tr[data-job-id='{running.pk}']")
    assert row.locator("progress").get_attribute("value") == "25"
    assert "beep 3 lies outside the video" in page.locator(".job-error").inner_text()

    # The React island polls the API: progress made by a worker shows without a reload.
    Job.objects.filter(pk=running.pk).update(progress_done=80)
    page.wait_for_function(
        f"document.querySelector(\"tr[data-job-id='{running.pk}'] progress\").getAttribute('value') === '80'"
    )
