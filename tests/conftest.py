import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

# Playwright's sync API runs an event loop in the test thread; Django's live_server tests need this then.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

from pipeline.media import synthetic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_finish(session):
    """Pages render the built frontend (django-vite reads its manifest): without it, say in one line what to run."""
    needs_pages = any(part in item.nodeid for item in session.items for part in ("integration/", "browser/"))
    if needs_pages and not (ROOT / "frontend" / "dist" / "manifest.json").exists():
        pytest.exit("frontend/dist is not built: run `make frontend` first (`make test` does it and then runs pytest)",
                    returncode=pytest.ExitCode.USAGE_ERROR)


@dataclass
class ProjectTeam:
    project: object
    other_project: object
    annotator: object
    reviewer: object
    manager: object
    outsider: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def team(db, django_user_model):
    """A counting project with one member per role, a user of another project, and that other project."""
    from annotation.projects.models import Membership, Project, ProjectKind, Role

    project = Project.objects.create(name="alpha", kind=ProjectKind.COUNTING)
    other = Project.objects.create(name="beta", kind=ProjectKind.AVST)
    users = {}
    for role in ("annotator", "reviewer", "manager", "outsider"):
        users[role] = django_user_model.objects.create_user(username=f"{role}-user", password="pw-" + role)
    for role in (Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER):
        Membership.objects.create(project=project, user=users[role.value], role=role)
    Membership.objects.create(project=other, user=users["outsider"], role=Role.MANAGER)
    return ProjectTeam(project=project, other_project=other, **users)


def database_url_for_tests() -> str:
    """The URL of the test database (test_<name>), for processes the tests start."""
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = quote(s["HOST"] or "localhost", safe="")
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgresql://{auth}@{host}{port}/{s['NAME']}"


# --- media fixtures shared by the media, stage 1 and browser tests ----------------------------------------------------------

def spec(audio: bool = True, seconds: float = 4.0) -> synthetic.SyntheticSpec:
    return synthetic.SyntheticSpec(
        duration=seconds, width=640, height=360, fps=25, audio=audio,
        beeps=(synthetic.Beep(0.5, 0.2), synthetic.Beep(2.0, 0.2)) if audio else (),
        shapes=(synthetic.Shape(color="red", size=60, start=0.0, end=seconds, y=40, x0=10, speed=80.0),),
    )


@pytest.fixture(scope="session")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    synthetic.render(spec(audio=True), folder / "beeps.mp4")
    synthetic.render(spec(audio=False), folder / "silent.mp4")
    (folder / "notes.mp4").write_bytes(b"this is not a video at all\n" * 200)
    data = (folder / "beeps.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(data[: int(len(data) * 0.63)])
    return folder


@pytest.fixture(scope="session")
def processed(sources, tmp_path_factory):
    """The outputs of processing beeps.mp4, made once with the engines, for the tests that only serve them."""
    from pipeline.media import peaks, probe, proxy, thumbnails

    folder = tmp_path_factory.mktemp("processed")
    source_probe = probe.probe(sources / "beeps.mp4")
    proxy.transcode_proxy(sources / "beeps.mp4", folder / "proxy.mp4", proxy.plan_proxy(source_probe), duration=source_probe.duration)
    proxy.extract_audio(folder / "proxy.mp4", folder / "audio.m4a")
    overview = peaks.compute_audio_overview(folder / "proxy.mp4")
    peaks.write_json_atomic(overview.to_peaks_json(), folder / "peaks.json", gzip_copy=True)
    peaks.write_json_atomic(overview.to_spectrogram_json(), folder / "spectrogram.json", gzip_copy=True)
    index = thumbnails.thumbnail_strip(folder / "proxy.mp4", folder / "thumbnails.jpg")
    return folder, probe.probe(folder / "proxy.mp4"), index


@pytest.fixture
def ready_video(team, processed):
    folder, proxy_probe, index = processed
    relative = Path("videos/ready")
    from pipeline.videos.models import Video, VideoStatus

    shutil.copytree(folder, Path(settings.MEDIA_ROOT) / relative, dirs_exist_ok=True)
    return Video.objects.create(
        project=team.project, title="ready", status=VideoStatus.READY, fps=proxy_probe.fps,
        sha256=hashlib.sha256((folder / "proxy.mp4").read_bytes()).hexdigest(),
        frame_count=proxy_probe.frame_count, duration=proxy_probe.duration, width=proxy_probe.width,
        height=proxy_probe.height, has_audio=True, thumbnails_index=index,
        **{name: str(relative / filename) for name, filename in [
            ("proxy", "proxy.mp4"), ("audio", "audio.m4a"), ("peaks", "peaks.json"),
            ("spectrogram", "spectrogram.json"), ("thumbnails", "thumbnails.jpg"),
        ]},
    )


@pytest.fixture
def avst(team, processed):
    """An R-AVST project (team roles), a processed 4 s video whose original was 1280 wide, one event [0.3, 3.2)
    with a model-proposed audible object boxed at two of its three seconds and a visible-only one never found."""
    from annotation.avst.models import AVObject, BoxProposal, Event
    from annotation.projects.models import Membership, Project, ProjectKind, Role, Source
    from pipeline.videos.models import Video, VideoStatus

    folder, proxy_probe, index = processed
    project = Project.objects.create(name="avst", kind=ProjectKind.AVST)
    for role in ("annotator", "reviewer", "manager"):
        Membership.objects.create(project=project, user=team.user(role), role=Role(role))
    relative = Path("videos/avst-ready")
    shutil.copytree(folder, Path(settings.MEDIA_ROOT) / relative, dirs_exist_ok=True)
    video = Video.objects.create(
        project=project, title="vid", external_id="yt123", status=VideoStatus.READY, fps=proxy_probe.fps,
        sha256=hashlib.sha256(b"avst").hexdigest(), frame_count=proxy_probe.frame_count,
        duration=proxy_probe.duration, width=proxy_probe.width, height=proxy_probe.height, has_audio=True,
        proxy=str(relative / "proxy.mp4"),
        source_probe={"width": proxy_probe.width * 2, "height": proxy_probe.height * 2, "rotation": 0},
    )
    event = Event.objects.create(video=video, number=1, label="a dog barks at a ball", start=0.3, end=3.2)
    dog = AVObject.objects.create(event=event, name="dog", audibility="audible", source=Source.MODEL, model="m",
                                  prompt_version="avst_audibility/v1")
    AVObject.objects.create(event=event, name="ball", audibility="visible_only", source=Source.MODEL, model="m",
                            prompt_version="avst_audibility/v1")
    fps = proxy_probe.fps
    for t, exact in ((0.3, 0.3), (1.3, 1.3)):
        BoxProposal.objects.create(avobject=dog, timestamp=t, frame_index=int(exact * fps), x1=10, y1=20, x2=110,
                                   y2=120, score=0.8, source=Source.MODEL, model="gdino+sam2", model_version="v")
    return project, video, event


# --- tiny detection models (Grounding DINO, SAM 2) for the assistance and R-AVST box tests ------------------------

@pytest.fixture(scope="session")
def model_folders(tmp_path_factory):
    """Saved once per session in the folder the test worker process is told to load from."""
    from tests.detect_models import save_dino, save_sam2

    root = tmp_path_factory.getbasetemp() / "detect-models"
    if not (root / "sam2.1-hiera-tiny" / "config.json").exists():
        save_dino(root / "grounding-dino-tiny")
        save_sam2(root / "sam2.1-hiera-tiny")
    return root / "grounding-dino-tiny", root / "sam2.1-hiera-tiny"


@pytest.fixture
def detect_settings(settings, model_folders):
    settings.CLUEBENCH_DETECT_DINO_PATH = str(model_folders[0])
    settings.CLUEBENCH_DETECT_SAM2_PATH = str(model_folders[1])
    settings.CLUEBENCH_DETECT_DEVICE = "cpu"
    settings.CLUEBENCH_DETECT_WINDOW = 2
    # Random weights score every query about alike: a zero threshold makes them find something, 1.0 nothing.
    settings.CLUEBENCH_DETECT_BOX_THRESHOLD = 0.0
    settings.CLUEBENCH_DETECT_TEXT_THRESHOLD = 0.0
    return settings
