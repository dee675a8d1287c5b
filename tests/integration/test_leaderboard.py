"""Release pages: create and freeze a release, download it, submit predictions and see them on the leaderboard."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from annotation.projects.models import Membership, Project, Role
from benchmark.releases.models import Release, ReleaseState, Submission
from pipeline.jobs.services import run_job_here
from tests.integration.test_releases import CGAV_ITEMS

pytestmark = pytest.mark.django_db


@pytest.fixture
def inline_jobs(monkeypatch):
    """Jobs run as soon as their transaction commits, in this process (the Celery path is tested elsewhere)."""
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: run_job_here(job=job))


@pytest.fixture
def counting(team, tmp_path):
    source = tmp_path / "items.json"
    source.write_text(json.dumps(CGAV_ITEMS))
    call_command("import_cgav", "--project", "imported", str(source))
    project = Project.objects.get(name="imported")
    for user, role in ((team.manager, Role.MANAGER), (team.annotator, Role.ANNOTATOR)):
        Membership.objects.create(project=project, user=user, role=role)
    return project


def test_release_page_flow(client, team, counting, inline_jobs, django_capture_on_commit_callbacks):
    client.force_login(team.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("project-releases", args=[counting.pk]),
            {"version": "1.0.0", "format": "cg-av-counting", "metadata_only": "on"},
        )
    release = Release.objects.get(project=counting)
    assert response.status_code == 302 and response["Location"] == reverse("release", args=[release.pk])
    assert release.state == ReleaseState.FROZEN

    page = client.get(reverse("release", args=[release.pk])).content.decode()
    assert "Query modality" in page and "Counting target" in page and "No submissions yet." in page
    # The release's counts read as numbers with words, never as a raw structure.
    counts = release.manifest["counts"]
    assert f"<strong>{counts['questions']}</strong> questions" in page
    assert f"<strong>{counts['videos']}</strong> videos" in page
    assert "{&#x27;" not in page and "{'" not in page

    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(reverse("release-zip", args=[release.pk])).streaming_content)))
    names = archive.namelist()
    assert "imported-cg-av-counting-1.0.0/cg-av-counting.json" in names and "imported-cg-av-counting-1.0.0/manifest.json" in names
    assert json.loads(archive.read("imported-cg-av-counting-1.0.0/cg-av-counting.json"))[0]["answer"] == 3

    lines = "".join(json.dumps(r) + "\n" for r in [
        {"index": 0, "task_mode": "long_acc", "prediction": "3"},
        {"index": 1, "task_mode": "long_acc", "prediction": "2"},
        {"index": 2, "task_mode": "long_acc", "prediction": "five"},
    ])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("release", args=[release.pk]), {
            "model_name": "counter-7b", "predictions": SimpleUploadedFile("p.jsonl", lines.encode()),
        })
    submission = Submission.objects.get()
    assert submission.state == "scored", submission.error
    assert submission.metrics["long_acc/acc"] == pytest.approx(2 / 3)
    # The leaderboard shows VLMEvalKit's figures first: with no white-box line at all, its rating_func raises
    # KeyError: 'wcs' and it reports nothing, which the row says. The strict profile has the numbers.
    page = client.get(reverse("release", args=[release.pk])).content.decode()
    assert "counter-7b" in page and "0.6667" not in page and "KeyError: &#x27;wcs&#x27;" in page
    page = client.get(reverse("release", args=[release.pk]) + "?profile=strict").content.decode()
    assert "counter-7b" in page and "0.6667" in page
    detail = client.get(reverse("submission", args=[submission.pk])).content.decode()
    assert "Worst items" in detail and "five" in detail

    # A bad file is reported on the leaderboard with the line at fault.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("release", args=[release.pk]), {
            "model_name": "broken", "predictions": SimpleUploadedFile("p.jsonl", b"{not json\n"),
        })
    broken = Submission.objects.get(model_name="broken")
    assert broken.state == "failed" and ":1: not JSON" in broken.error

    # Annotators see the leaderboard but cannot submit or release.
    client.force_login(team.annotator)
    assert client.get(reverse("release", args=[release.pk])).status_code == 200
    assert client.post(reverse("release", args=[release.pk]), {"model_name": "x"}).status_code == 403
    assert client.post(reverse("project-releases", args=[counting.pk]), {"version": "2.0.0"}).status_code == 403
