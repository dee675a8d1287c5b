"""Ingest, processing and serving of videos through the app: real ffmpeg, real files, real HTTP semantics."""

import io
import shutil
from pathlib import Path

import av
import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from PIL import Image
from rest_framework.test import APIClient

from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.services import ingest_video

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ingest(project, path: Path) -> Video:
    with open(path, "rb") as fh:
        result = ingest_video(project=project, source=fh, filename=path.name, dispatch=False)
    run_job_here(job=result.job)
    result.video.refresh_from_db()
    return result.video


def test_processing_makes_a_720p_proxy_peaks_and_thumbnails(team, sources):
    video = ingest(team.project, sources / "beeps.mp4")

    assert video.status == VideoStatus.READY, video.error
    assert (video.width, video.height) == (1280, 720)
    assert video.fps == pytest.approx(25.0) and video.frame_count == 100
    assert video.duration == pytest.approx(4.0, abs=0.05)
    assert video.has_audio and video.audio_channels is not None
    assert video.source_probe["width"] == 640
    with av.open(str(Path(settings.MEDIA_ROOT) / video.proxy.name)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        assert container.streams.audio[0].codec_context.name == "aac"
    job = Job.objects.get(target_id=video.pk, kind="media.process_video")
    assert job.state == JobState.SUCCEEDED and job.progress_done == job.progress_total > 0

    data = client_for(team.annotator).get(f"/api/v1/videos/{video.pk}/").data
    for key in ("proxy_url", "audio_url", "peaks_url", "spectrogram_url", "thumbnails_url"):
        assert data[key] and data[key].startswith(f"/api/v1/videos/{video.pk}/")
    assert data["frame_url_template"] == f"/api/v1/videos/{video.pk}/frames/{{index}}.jpg"
    assert data["thumbnails_index"]["times"]

    peaks = client_for(team.annotator).get(data["peaks_url"])
    assert peaks.status_code == 200 and peaks["Content-Type"] == "application/json"


def test_video_without_audio_is_accepted_and_marked(team, sources):
    video = ingest(team.project, sources / "silent.mp4")
    assert video.status == VideoStatus.READY
    assert video.has_audio is False
    assert not video.peaks and not video.audio
    data = client_for(team.annotator).get(f"/api/v1/videos/{video.pk}/").data
    assert data["peaks_url"] is None and data["proxy_url"]
    response = client_for(team.annotator).get(f"/api/v1/videos/{video.pk}/peaks.json")
    assert response.status_code == 404


@pytest.mark.parametrize("name,message", [("notes.mp4", "not a video"), ("truncated.mp4", "truncated at")])
def test_bad_files_fail_with_a_clear_error_and_leave_nothing(team, sources, name, message):
    video = ingest(team.project, sources / name)
    assert video.status == VideoStatus.FAILED
    assert message in video.error
    assert not video.proxy and not video.peaks and not video.thumbnails
    assert not (Path(settings.MEDIA_ROOT) / "videos" / str(video.pk)).exists()
    job = Job.objects.get(target_id=video.pk, kind="media.process_video")
    assert job.state == JobState.FAILED and message in job.error


def test_truncated_file_reports_how_far_it_goes(team, sources):
    video = ingest(team.project, sources / "truncated.mp4")
    percent = int(video.error.split("truncated at ")[1].split("%")[0])
    assert 50 <= percent <= 75


def test_upload_through_the_api_and_duplicates(team, sources):
    manager = client_for(team.manager)
    with open(sources / "silent.mp4", "rb") as fh:
        first = manager.post("/api/v1/videos/", {"project": team.project.pk, "file": fh}, format="multipart")
    assert first.status_code == 201, first.content
    assert first.data["duplicate"] is False and first.data["status"] == "uploaded"
    with open(sources / "silent.mp4", "rb") as fh:
        again = manager.post("/api/v1/videos/", {"project": team.project.pk, "file": fh, "title": "copy"}, format="multipart")
    assert again.status_code == 200 and again.data["duplicate"] is True and again.data["id"] == first.data["id"]
    assert Video.objects.filter(project=team.project).count() == 1
    # The same file is welcome in another project.
    video = Video.objects.get(pk=first.data["id"])
    assert Path(settings.MEDIA_ROOT, video.file.name).read_bytes() == (sources / "silent.mp4").read_bytes()

    with open(sources / "silent.mp4", "rb") as fh:
        refused = client_for(team.annotator).post("/api/v1/videos/", {"project": team.project.pk, "file": fh}, format="multipart")
    assert refused.status_code == 403
    with open(sources / "silent.mp4", "rb") as fh:
        hidden = client_for(team.manager).post(
            "/api/v1/videos/", {"project": team.other_project.pk, "file": fh}, format="multipart"
        )
    assert hidden.status_code == 404


def test_import_videos_command(team, sources, tmp_path, capsys):
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(sources / "silent.mp4", folder / "a.mp4")
    shutil.copy(sources / "notes.mp4", folder / "b.mp4")
    with pytest.raises(CommandError, match="1 of 2 video"):
        call_command("import_videos", "--project", "fresh", str(folder), "--wait")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert out[0].startswith("video ") and out[0].endswith(" ready " + str(folder / "a.mp4"))
    assert out[1].endswith(" failed " + str(folder / "b.mp4"))

    call_command("import_videos", "--project", "fresh", str(folder / "a.mp4"))
    assert capsys.readouterr().out.split()[2] == "duplicate"
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_videos", "--project", "fresh", str(tmp_path / "missing.mp4"))


@pytest.fixture
def served(team, sources):
    """A ready video whose proxy is an existing MP4 (processing is tested above; here only serving)."""
    relative = Path("videos/served/proxy.mp4")
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(sources / "beeps.mp4", target)
    video = Video.objects.create(
        project=team.project, title="served", status=VideoStatus.READY, proxy=str(relative), fps=25.0,
        frame_count=100, duration=4.0, width=640, height=360, has_audio=True,
    )
    return video, target.read_bytes()


@pytest.mark.parametrize(
    "header,status,first,last",
    [
        (None, 200, 0, None),
        ("bytes=0-99", 206, 0, 99),
        ("bytes=100-", 206, 100, None),
        ("bytes=-500", 206, -500, None),
        ("bytes=10-10", 206, 10, 10),
        ("bytes=0-999999999", 206, 0, None),
        ("bytes=0-1,5-6", 200, 0, None),
        ("bytes=abc", 200, 0, None),
        ("items=0-5", 200, 0, None),
        ("bytes=50-10", 200, 0, None),
    ],
)
def test_proxy_range_requests(team, served, header, status, first, last):
    video, body = served
    size = len(body)
    client = client_for(team.annotator)
    extra = {"HTTP_RANGE": header} if header else {}
    response = client.get(f"/api/v1/videos/{video.pk}/proxy.mp4", **extra)
    assert response.status_code == status
    assert response["Accept-Ranges"] == "bytes"
    content = b"".join(response.streaming_content)
    start = first if first >= 0 else size + first
    end = (last if last is not None else size - 1)
    assert content == body[start : end + 1]
    assert int(response["Content-Length"]) == len(content)
    if status == 206:
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}"


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(team, served, header):
    video, body = served
    response = client_for(team.annotator).get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(body)}"


def test_revalidation_gets_304(team, served):
    video, _ = served
    client = client_for(team.annotator)
    first = client.get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_RANGE="bytes=0-9")
    again = client.get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_player_style_sequence_of_ranges(team, served):
    """A player reads the head, jumps to the middle, then reads on: each answer is exactly the bytes asked for."""
    video, body = served
    client = client_for(team.annotator)
    rng = np.random.default_rng(3)
    for _ in range(20):
        start = int(rng.integers(0, len(body) - 1))
        end = min(len(body) - 1, start + int(rng.integers(0, 65536)))
        response = client.get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_RANGE=f"bytes={start}-{end}")
        assert response.status_code == 206
        assert b"".join(response.streaming_content) == body[start : end + 1]


def test_frame_endpoint_returns_the_exact_frame(team, served):
    import decord

    video, _ = served
    client = client_for(team.annotator)
    reader = decord.VideoReader(str(Path(settings.MEDIA_ROOT) / video.proxy.name))
    for index in (0, 37, 99, 38):
        response = client.get(f"/api/v1/videos/{video.pk}/frames/{index}.jpg")
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        decoded = np.asarray(Image.open(io.BytesIO(response.content)).convert("RGB"), dtype=np.int16)
        truth = reader[index].asnumpy().astype(np.int16)
        assert decoded.shape == truth.shape
        assert np.abs(decoded - truth).mean() < 3.0  # JPEG at quality 90 of the same pixels
        others = reader[(index + 12) % 100].asnumpy().astype(np.int16)
        assert np.abs(decoded - others).mean() > np.abs(decoded - truth).mean()
    cached = client.get(f"/api/v1/videos/{video.pk}/frames/37.jpg")
    assert cached.status_code == 200
    assert client.get(f"/api/v1/videos/{video.pk}/frames/100.jpg").status_code == 404


MEDIA_URLS = ["", "proxy.mp4", "audio.m4a", "peaks.json", "spectrogram.json", "thumbnails.jpg", "frames/0.jpg"]


@pytest.mark.parametrize("suffix", MEDIA_URLS)
@pytest.mark.parametrize(
    "role,status", [("anonymous", 401), ("outsider", 404), ("annotator", 200), ("reviewer", 200), ("manager", 200)]
)
def test_every_media_url_checks_membership(team, ready_video, suffix, role, status):
    response = client_for(team.user(role)).get(f"/api/v1/videos/{ready_video.pk}/{suffix}")
    assert response.status_code == status


@pytest.mark.parametrize("name", ["peaks.json", "spectrogram.json"])
def test_json_is_sent_gzipped_to_clients_that_accept_it(team, ready_video, name):
    import gzip
    import json

    client = client_for(team.annotator)
    plain = client.get(f"/api/v1/videos/{ready_video.pk}/{name}")
    packed = client.get(f"/api/v1/videos/{ready_video.pk}/{name}", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    plain_body = b"".join(plain.streaming_content)
    packed_body = b"".join(packed.streaming_content)
    assert len(packed_body) < len(plain_body)
    assert gzip.decompress(packed_body) == plain_body
    assert json.loads(plain_body)["version"] == 1


def test_token_authentication_reaches_media(team, served):
    from rest_framework.authtoken.models import Token

    video, _ = served
    token = Token.objects.create(user=team.reviewer)
    client = APIClient()
    response = client.get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206


def test_x_accel_redirect_hands_the_bytes_to_nginx(team, served, settings):
    video, _ = served
    settings.CLUEBENCH_X_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    response = client_for(team.annotator).get(f"/api/v1/videos/{video.pk}/proxy.mp4", HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/videos/served/proxy.mp4"
    assert response.content == b""
    assert client_for(team.outsider).get(f"/api/v1/videos/{video.pk}/proxy.mp4").status_code == 404


def test_reprocessing_a_ready_video_replaces_its_outputs_only_when_done(team, sources):
    from pipeline.jobs.services import enqueue_job

    video = ingest(team.project, sources / "beeps.mp4")
    old_proxy = Path(settings.MEDIA_ROOT) / video.proxy.name
    job = enqueue_job(kind="media.process_video", project=team.project, target=video,
                      params={"video_id": video.pk}, dispatch=False)
    run_job_here(job=job)
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.proxy.name != str(old_proxy.relative_to(settings.MEDIA_ROOT))
    assert (Path(settings.MEDIA_ROOT) / video.proxy.name).is_file()
    assert not old_proxy.exists()  # the earlier run's folder went once the new one was live
