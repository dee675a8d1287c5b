"""A manager creates a release in Chromium and submits predictions; the leaderboard shows the scores."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotation.projects.models import Membership, Project, Role
from config.demo import ensure_demo_users
from pipeline.jobs.services import run_job_here
from tests.integration.test_releases import CGAV_ITEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "release-test-password"


def test_manager_creates_a_release_and_submits_predictions(page, live_server, tmp_path, monkeypatch):
    # Jobs run where they are queued (the Celery path is tested in tests/integration/test_worker.py).
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: run_job_here(job=job))
    ensure_demo_users(PASSWORD)
    source = tmp_path / "items.json"
    source.write_text(json.dumps(CGAV_ITEMS))
    call_command("import_cgav", "--project", "counting", str(source))
    project = Project.objects.get(name="counting")
    Membership.objects.create(project=project, user=get_user_model().objects.get(username="demo-manager"),
                              role=Role.MANAGER)
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in [
        {"index": 0, "task_mode": "long_acc", "prediction": "3"},
        {"index": 1, "task_mode": "long_acc", "prediction": "2"},
        {"index": 2, "task_mode": "long_acc", "prediction": "4"},
        # a white-box row too: the leaderboard shows VLMEvalKit's figures first, which need one (else KeyError)
        {"index": 0, "task_mode": "clue_acc", "prediction": "no clues"},
    ]))

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/releases/")
    page.fill("input[name=version]", "1.0.0")
    page.check("input[name=metadata_only]")
    page.click("text=Create release")
    page.wait_for_selector("#release-state")
    assert page.locator("#release-state").inner_text().startswith("Frozen")
    assert page.locator("figure.chart").count() == 4
    assert "3 questions" in page.locator("#release-counts").inner_text()

    page.fill("input[name=model_name]", "counter-7b")
    page.set_input_files("input[name=predictions]", str(predictions))
    page.click("text=Submit for scoring")
    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    row.wait_for()
    assert "0.6667" in row.inner_text()  # long acc: 2 of 3 exact
    row.get_by_role("link", name="counter-7b").click()
    page.wait_for_selector("text=Worst items")
