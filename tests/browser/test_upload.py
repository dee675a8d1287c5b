"""A manager uploads a video in the browser: progress is shown, the file lands deduplicated, processing is queued."""

import pytest
from django.utils import timezone

from config.demo import ensure_demo_project, ensure_demo_users
from pipeline.jobs.models import Job
from pipeline.media import synthetic
from pipeline.videos.models import Video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "upload-test-password"


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    path = tmp_path_factory.mktemp("upload") / "my clip.mp4"
    synthetic.render(synthetic.demo_spec(seed=4, duration=3.0, width=320, height=180), path)
    return path


def test_manager_uploads_a_video_and_a_duplicate(page, live_server, clip, monkeypatch):
    sent = []

    def delivered(job):
        # The broker took the message (the test keeps it instead of running it).
        sent.append(job)
        job.sent_at = timezone.now()
        return True

    monkeypatch.setattr("pipeline.jobs.services._send", delivered)
    ensure_demo_users(PASSWORD)
    project, _ = ensure_demo_project(videos=0, seconds=10, dispatch=False)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/videos/")

    page.set_input_files("#upload-files", str(clip))
    page.wait_for_selector("#upload-list li.upload-ok")
    assert "my clip.mp4: uploaded; processing queued" in page.locator("#upload-list li").first.inner_text()
    assert page.locator("#upload-list progress").first.evaluate("el => el.value") == 1
    video = Video.objects.get(project=project)
    assert video.title == "my clip" and video.size_bytes == clip.stat().st_size
    assert [job.kind for job in sent] == ["media.process_video"]
    assert Job.objects.filter(target_id=video.pk).count() == 1

    page.set_input_files("#upload-files", str(clip))
    page.wait_for_selector("#upload-list li:nth-child(2).upload-ok")
    assert "already in the project" in page.locator("#upload-list li").nth(1).inner_text()
    assert Video.objects.filter(project=project).count() == 1

    page.click("text=Show the new videos")
    page.wait_for_selector("table.videos tr[data-video-id]")
    assert "my clip" in page.locator("table.videos").inner_text()


def test_annotator_sees_no_upload_form(page, live_server):
    ensure_demo_users(PASSWORD)
    project, _ = ensure_demo_project(videos=0, seconds=10, dispatch=False)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-annotator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.pk}/videos/")
    assert page.locator("h1").inner_text().startswith("Videos of")
    assert page.locator("#upload-files").count() == 0
