"""A manager creates a release in Chromium and submits predictions; the leaderboard shows the scores. The
release page's charts (the releases island, Chart.js) are drawn from the same figures as its tables."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotation.projects.models import Membership, Project, Role
from benchmark.releases.models import Release, Submission
from config.demo import ensure_demo_users
from pipeline.jobs.services import run_job_here
from tests.integration.test_releases import CGAV_ITEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "release-test-password"

#: Pixels of the bars' colour (#2255aa) on a canvas: proof that Chart.js drew bars there.
BAR_PIXELS = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - 0x22) < 10 && Math.abs(data[i + 1] - 0x55) < 10 && Math.abs(data[i + 2] - 0xaa) < 10
        && data[i + 3] > 200) n++;
  }
  return n;
}"""


def thousands(n: int) -> str:
    return f"{n:,}"


def assert_statistics_charted(page):
    """Each statistic's canvas is drawn, sized, and named with exactly its table's rows."""
    figures = page.locator("figure.chart")
    assert figures.count() == 5
    for i in range(figures.count()):
        figure = figures.nth(i)
        canvas = figure.locator("canvas[role=img][data-drawn]")
        canvas.wait_for()
        box = canvas.bounding_box()
        assert box["width"] > 100 and box["height"] > 50, box
        assert canvas.evaluate(BAR_PIXELS) > 0
        rows = [(r.locator("td").nth(0).inner_text(), r.locator("td").nth(1).inner_text())
                for r in figure.locator("table.counts tbody tr").all()]
        total = sum(int(n.replace(",", "")) for _, n in rows)
        title = figure.locator(".chart-title").inner_text()
        label = canvas.get_attribute("aria-label")
        assert label.startswith(f"{title}, {thousands(total)} ")
        # The bars in the table's order, each with its count and share: "V: 1 (33.3%)".
        drawn = re.findall(r"(?:\. |; )([^:;]+): ([\d,]+) \((\d+\.\d)%\)", label)
        assert [(name, count) for name, count, _ in drawn] == rows
        for (_, count, percent) in drawn:
            assert float(percent) == pytest.approx(100 * int(count.replace(",", "")) / total, abs=0.05)
        # The table stays in the page for screen readers, out of sight once the chart stands for it.
        assert "charted" in figure.get_attribute("class")
        hidden = figure.locator("table.counts").evaluate("t => [getComputedStyle(t).position, getComputedStyle(t).clip]")
        assert hidden == ["absolute", "rect(0px, 0px, 0px, 0px)"]


def assert_page_not_widened(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, (width, viewport)


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
    assert "3 questions" in page.locator("#release-counts").inner_text()
    assert_statistics_charted(page)
    label = page.locator("figure.chart", has_text="Query modality").locator("canvas").get_attribute("aria-label")
    assert label == ("Query modality, 3 questions. V: 1 (33.3%); A: 1 (33.3%); V2A: 0 (0.0%); A2V: 0 (0.0%); "
                     "AV: 1 (33.3%).")
    # No leaderboard chart before a model is scored: the table says there is none.
    assert page.locator("[data-chart=leaderboard] canvas").count() == 0
    assert "No submissions yet." in page.locator("table.leaderboard").inner_text()

    page.fill("input[name=model_name]", "counter-7b")
    page.set_input_files("input[name=predictions]", str(predictions))
    page.click("text=Submit for scoring")
    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    row.wait_for()
    assert "0.6667" in row.inner_text()  # long acc: 2 of 3 exact

    # The leaderboard as a bar chart of the same figure, as a percentage with one decimal.
    chart = page.locator("[data-chart=leaderboard] canvas[role=img][data-drawn]")
    chart.wait_for()
    assert chart.bounding_box()["height"] > 50 and chart.evaluate(BAR_PIXELS) > 0
    assert chart.get_attribute("aria-label") == (
        "Leaderboard by Long acc, scored as vlmevalkit (higher is better). counter-7b: 66.7%.")
    # Switched to an error, the chart writes the table's figure with two decimals, smallest first.
    columns = page.locator("table.leaderboard thead th").all_inner_texts()
    mae = row.locator("td").nth([c.replace("\n", " ") for c in columns].index("Long MAE")).inner_text()
    page.get_by_label("Chart by").select_option(label="Long MAE")
    expect(chart).to_have_attribute(
        "aria-label", f"Leaderboard by Long MAE, scored as vlmevalkit (lower is better). counter-7b: {float(mae):.2f}.")
    assert chart.evaluate(BAR_PIXELS) > 0

    # A failed submission with a long error of server words: it neither widens the page nor shows a server path.
    page.fill("input[name=model_name]", "broken")
    page.set_input_files("input[name=predictions]", {"name": "p.jsonl", "mimeType": "text/plain",
                                                     "buffer": b"{not json\n"})
    page.click("text=Submit for scoring")
    page.locator("table.leaderboard tr", has_text="broken").wait_for()
    broken = Submission.objects.get(model_name="broken")
    media = str(settings.MEDIA_ROOT)
    Submission.objects.filter(pk=broken.pk).update(
        error=f"scoring failed: OSError: cannot read {media}/submissions/{broken.pk}/predictions.jsonl " + "x" * 500)
    for width, height in ((1280, 720), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        page.locator("[data-chart=leaderboard] canvas[data-drawn]").wait_for()
        assert_page_not_widened(page)
        html = page.content()
        assert media not in html and str(settings.BASE_DIR) not in html
        assert "predictions.jsonl" in page.locator("table.leaderboard tr", has_text="broken").inner_text()
    assert "Not charted: broken (failed)." in page.locator("[data-chart=leaderboard]").inner_text()

    row = page.locator("table.leaderboard tr", has_text="counter-7b")
    row.get_by_role("link", name="counter-7b").click()
    page.wait_for_selector("text=Worst items")


def test_release_page_charts_and_profile_switch_run_under_the_policy(browser, live_server, tmp_path, monkeypatch):
    """Loaded in a context that does not bypass the content security policy: the charts are drawn, choosing a
    scoring profile shows it (no inline handler), and Chromium reports no violation."""
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: run_job_here(job=job))
    ensure_demo_users(PASSWORD)
    source = tmp_path / "items.json"
    source.write_text(json.dumps(CGAV_ITEMS))
    call_command("import_cgav", "--project", "counting", str(source))
    project = Project.objects.get(name="counting")
    Membership.objects.create(project=project, user=get_user_model().objects.get(username="demo-annotator"),
                              role=Role.ANNOTATOR)
    call_command("release", "--project", "counting", "--version", "1.0.0", "--format", "cg-av-counting",
                 "--metadata-only", "--out", str(tmp_path / "out"))
    release = Release.objects.get(project=project)
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
        page.goto(f"{live_server.url}/releases/{release.pk}/")
        page.locator("figure.chart.charted canvas[data-drawn]").nth(4).wait_for()
        assert page.locator("figure.chart canvas").count() == 5
        assert page.locator("#profile-show").is_hidden()
        page.select_option("#profile-switch", "strict")
        page.wait_for_url("**profile=strict**")
        assert page.locator("table.leaderboard").get_attribute("data-profile") == "strict"
    finally:
        context.close()
    assert violations == []
