"""The pages work under their content security policy: loaded in a context that does not bypass it, the islands
render and the video plays its frames, and Chromium reports no violation."""

import pytest
from django.contrib.auth import get_user_model

from annotation.counting.models import Question
from annotation.projects.models import Membership, Role
from config.demo import ensure_demo_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "csp-test-password"


def test_the_workspace_and_the_jobs_page_run_under_the_policy(browser, live_server, ready_video):
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-annotator")
    Membership.objects.get_or_create(project=ready_video.project, user=user, defaults={"role": Role.ANNOTATOR})
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="object", modality="V")
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # the policy applies here
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    try:
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", "demo-annotator")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        response = page.goto(f"{live_server.url}/questions/{question.pk}/workspace/")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        # The island rendered (React ran) and the exact frame is drawn on the canvas once the video is paused.
        page.get_by_label("Drafted count").wait_for()
        page.keyboard.press(".")
        page.get_by_test_id("box-canvas").wait_for()
        page.goto(f"{live_server.url}/jobs/")
        page.locator("#jobs-root table, #jobs-root .empty, #jobs-root p").first.wait_for()
        page.goto(f"{live_server.url}/api/docs/")
        page.locator(".swagger-ui").first.wait_for()
    finally:
        context.close()
    assert violations == []
