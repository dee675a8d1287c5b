"""The release page's profile switch in Chromium, and the submission page's side-by-side profiles."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from annotation.projects.models import Membership, Project, Role
from config.demo import ensure_demo_users
from pipeline.jobs.services import run_job_here
from tests.integration.test_releases import CGAV_ITEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "profiles-test-password"


def test_profile_switch_on_the_leaderboard(page, live_server, tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: run_job_here(job=job))
    ensure_demo_users(PASSWORD)
    source = tmp_path / "items.json"
    source.write_text(json.dumps(CGAV_ITEMS))
    call_command("import_cgav", "--project", "counting", str(source))
    project = Project.objects.get(name="counting")
    Membership.objects.create(project=project, user=get_user_model().objects.get(username="demo-manager"),
                              role=Role.MANAGER)
    n = len(CGAV_ITEMS)
    rows = [{"index": i, "task_mode": "long_acc", "prediction": "None" if i == 1 else str(item["answer"])}
            for i, item in enumerate(CGAV_ITEMS)]
    rows += [{"index": i, "task_mode": "clue_acc", "prediction": "not json"} for i in range(n)]
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows))

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/releases/")
    page.fill("input[name=version]", "1.0.0")
    page.check("input[name=metadata_only]")
    page.click("text=Create release")
    page.wait_for_selector("#release-state")
    page.fill("input[name=model_name]", "counter-7b")
    page.set_input_files("input[name=predictions]", str(predictions))
    page.click("text=Submit for scoring")
    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    row.wait_for()

    # VLMEvalKit first: "None" comes back from its xlsx as NaN, so long acc is over the other items only
    assert page.locator("table.leaderboard").get_attribute("data-profile") == "vlmevalkit"
    assert "9cc14cd04de7296e674c4859ecc6de63319dc4a7" in page.locator("#profile-pin").inner_text()
    long_acc = row.locator("td.n").first
    assert long_acc.inner_text() == "1.0000"
    page.select_option("#profile-switch", "strict")
    page.wait_for_url("**profile=strict**")
    assert page.locator("table.leaderboard").get_attribute("data-profile") == "strict"
    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    assert row.locator("td.n").first.inner_text() == f"{(n - 1) / n:.4f}"
    page.select_option("#profile-switch", "lmms-eval")
    page.wait_for_url("**profile=lmms-eval**")
    assert page.locator("#profile-switch").input_value() == "lmms-eval"

    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    row.get_by_role("link", name="counter-7b").click()
    page.wait_for_selector("table.profiles")
    headers = page.locator("table.profiles thead th").all_inner_texts()
    assert headers == ["Metric", "vlmevalkit", "av-reasoner", "lmms-eval", "strict"]
    item = page.locator("table.disagreements tr[data-item='1-long_acc']")
    assert "None" in item.inner_text() and "NA strings" in item.inner_text()
