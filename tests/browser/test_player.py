"""Chromium plays the proxy from the app and seeks in a long video (which needs HTTP Range)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from config.demo import ensure_demo_project, ensure_demo_users
from pipeline.media.ffmpeg import ffmpeg_binary
from pipeline.videos.models import Video, VideoStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "player-test-password"
MINUTES = 10


@pytest.fixture(scope="session")
def long_proxy(tmp_path_factory):
    """A 10-minute proxy-shaped MP4 (H.264 + AAC, keyframe every second, faststart), small so it renders fast."""
    out = tmp_path_factory.mktemp("long") / "long.mp4"
    seconds = MINUTES * 60
    subprocess.run(
        [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error",
            "-f", "lavfi", "-i", f"testsrc2=size=320x180:rate=10:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "10", "-keyint_min", "10",
            "-c:a", "aac", "-b:a", "32k", "-movflags", "+faststart", "-shortest", str(out),
        ],
        check=True,
    )
    return out


def test_player_seeks_to_the_middle_of_a_long_video(page, live_server, long_proxy):
    ensure_demo_users(PASSWORD)
    project, _ = ensure_demo_project(videos=0, seconds=10, dispatch=False)
    relative = Path("videos/long/proxy.mp4")
    (Path(settings.MEDIA_ROOT) / relative).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(long_proxy, Path(settings.MEDIA_ROOT) / relative)
    video = Video.objects.create(
        project=project, title="long", status=VideoStatus.READY, proxy=str(relative), fps=10.0,
        frame_count=MINUTES * 600, duration=MINUTES * 60.0, width=320, height=180, has_audio=True,
    )

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-annotator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/videos/{video.pk}/")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    assert page.evaluate("document.getElementById('player').duration") == pytest.approx(MINUTES * 60, abs=1)

    target = 317.25
    reached = page.evaluate(
        """(target) => new Promise((resolve, reject) => {
            const player = document.getElementById('player');
            const timer = setTimeout(() => reject(new Error('no seeked event')), 15000);
            player.addEventListener('seeked', () => { clearTimeout(timer); resolve(player.currentTime); }, { once: true });
            player.currentTime = target;
        })""",
        target,
    )
    assert reached == pytest.approx(target, abs=0.05)
    page.wait_for_function("document.getElementById('player').readyState >= 2")
    assert page.locator("#position").inner_text() == "317.250 s · frame 3172"
    assert page.locator("#frame-link").get_attribute("href") == f"/api/v1/videos/{video.pk}/frames/3172.jpg"
