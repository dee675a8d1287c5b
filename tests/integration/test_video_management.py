"""Managers delete a video nothing refers to (a failed upload, an unused one) with its files, and process a
video's original again; a video in use, or being processed, stays."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting.models import Question
from annotation.projects.models import AuditEntry
from pipeline.jobs.models import Job
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import derived_root_of

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def failed(team):
    original = Path(settings.MEDIA_ROOT) / "videos" / "original" / str(team.project.pk) / ("f" * 64 + ".bin")
    original.parent.mkdir(parents=True, exist_ok=True)
    original.write_bytes(b"not a video")
    video = Video.objects.create(project=team.project, title="broken upload", status=VideoStatus.FAILED,
                                 error="no video stream", file=str(original.relative_to(settings.MEDIA_ROOT)))
    derived = derived_root_of(video.pk) / "1"
    derived.mkdir(parents=True, exist_ok=True)
    (derived / "proxy.mp4").write_bytes(b"x")
    frames = Path(settings.MEDIA_ROOT) / "frames" / f"{video.pk}-1"
    frames.mkdir(parents=True, exist_ok=True)
    return video, original, derived.parent, frames


def test_a_manager_deletes_a_failed_video_with_its_files(team, failed, django_capture_on_commit_callbacks):
    video, original, derived, frames = failed
    assert api(team.annotator).delete(reverse("video-detail", args=[video.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api(team.manager).delete(reverse("video-detail", args=[video.pk]))
    assert response.status_code == 204
    assert not Video.objects.filter(pk=video.pk).exists()
    assert not original.exists() and not derived.exists() and not frames.exists()
    entry = AuditEntry.objects.get(action="video.delete", target_id=video.pk)
    assert entry.actor == team.manager and entry.before["title"] == "broken upload"


def test_a_video_in_use_or_being_processed_stays(team, failed):
    video, original, _, _ = failed
    Question.objects.create(video=video, text="How many?", category="event", modality="A")
    refused = api(team.manager).delete(reverse("video-detail", args=[video.pk]))
    assert refused.status_code == 409 and "in use (1 questions)" in refused.data["detail"]
    Question.objects.all().delete()
    Job.objects.create(kind="media.process_video", queue="media", project=team.project, target=video)
    busy = api(team.manager).delete(reverse("video-detail", args=[video.pk]))
    assert busy.status_code == 409 and "being processed" in busy.data["detail"]
    assert Video.objects.filter(pk=video.pk).exists() and original.exists()


def test_reprocess_queues_a_new_job(team, failed, monkeypatch):
    sent = []
    monkeypatch.setattr("pipeline.jobs.services._send", sent.append)
    video, _, _, _ = failed
    response = api(team.manager).post(reverse("video-reprocess", args=[video.pk]))
    assert response.status_code == 202 and response.data["kind"] == "media.process_video"
    video.refresh_from_db()
    assert video.status == VideoStatus.UPLOADED and video.error == ""
    again = api(team.manager).post(reverse("video-reprocess", args=[video.pk]))
    assert again.status_code == 409 and "already" in again.data["detail"]


def test_the_videos_page_offers_both_to_managers_only(team, failed, client):
    video, _, _, _ = failed
    client.force_login(team.annotator)
    page = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    assert reverse("video-delete-page", args=[video.pk]) not in page
    assert client.post(reverse("video-delete-page", args=[video.pk])).status_code == 403
    client.force_login(team.manager)
    page = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    assert reverse("video-delete-page", args=[video.pk]) in page and reverse("video-reprocess-page", args=[video.pk]) in page
    done = client.post(reverse("video-delete-page", args=[video.pk]), follow=True)
    assert "Deleted broken upload" in done.content.decode() and not Video.objects.filter(pk=video.pk).exists()


def test_delete_is_offered_only_for_videos_nothing_refers_to(team, failed, client):
    video, _, _, _ = failed
    used = Video.objects.create(project=team.project, title="used", sha256="f" * 64)
    Question.objects.create(video=used, text="How many?", category="event", modality="A")
    client.force_login(team.manager)
    page = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    assert reverse("video-delete-page", args=[video.pk]) in page
    assert reverse("video-delete-page", args=[used.pk]) not in page
    row = page.split(f'data-video-id="{used.pk}"', 1)[1].split("</tr>", 1)[0]
    assert ">in use<" in row
    # Being processed: not offered either (the service would refuse until the job is cancelled).
    Job.objects.create(kind="media.process_video", queue="media", project=team.project, target=video)
    page = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    assert reverse("video-delete-page", args=[video.pk]) not in page


def test_reprocess_from_the_videos_page_comes_back_to_it(team, failed, client, monkeypatch):
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: None)
    video, _, _, _ = failed
    client.force_login(team.manager)
    page = client.get(reverse("project-videos", args=[team.project.pk])).content.decode()
    # The page's button posts to the page's own route (not the API's, which answers JSON).
    assert reverse("video-reprocess-page", args=[video.pk]) in page
    assert reverse("video-reprocess", args=[video.pk]) not in page
    done = client.post(reverse("video-reprocess-page", args=[video.pk]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("project-videos", args=[team.project.pk])
    assert "processing again" in done.content.decode()


def test_no_two_routes_share_a_name():
    """A shared name makes {% url %} and reverse() pick one of them silently (a page's form posted to the API)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: dict[str, int] = {}

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                key = namespace + p.name
                names[key] = names.get(key, 0) + 1

    walk(get_resolver().url_patterns)
    assert {name: n for name, n in names.items() if n > 1} == {}
