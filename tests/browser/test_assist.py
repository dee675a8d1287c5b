"""Event clue proposals in the workspace, in Chromium: a question enters stage 3, its proposals are computed
(the job, run here), show as ghosts; three are accepted and one rejected by keyboard, one event is drawn by hand,
and the submit with a count of 4 pools the question with the proposals' provenance stored.

Key presses per event clue with proposals, counted here: Tab (to the first proposal), x (reject it: the next is
selected), Shift+A (accept every proposal in view from the threshold up: three) = 3 presses for 3 clues, 1.0 per
clue; one by one it is Tab then one Enter per clue (the next proposal is selected after each decision).
"""

import hashlib
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from annotation.counting import proposals
from annotation.counting.models import Clue, ClueProposal, Question
from annotation.projects.models import Membership, Role
from config.demo import ensure_demo_users
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here
from pipeline.media import synthetic
from tests.browser.test_workspace import PASSWORD, open_workspace, wait_saved
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BEEPS = [(0.8, 0.3, 600.0), (2.3, 0.3, 900.0), (3.8, 0.4, 1200.0), (5.3, 0.3, 1500.0)]


@pytest.fixture(scope="module")
def four_beeps(tmp_path_factory):
    from pipeline.media import peaks, probe, proxy, thumbnails

    folder = tmp_path_factory.mktemp("assist-video")
    spec = synthetic.SyntheticSpec(duration=8.0, width=640, height=360, fps=25,
                                   beeps=tuple(synthetic.Beep(s, d, f) for s, d, f in BEEPS))
    synthetic.render(spec, folder / "source.mp4")
    source = probe.probe(folder / "source.mp4")
    proxy.transcode_proxy(folder / "source.mp4", folder / "proxy.mp4", proxy.plan_proxy(source), duration=source.duration)
    overview = peaks.compute_audio_overview(folder / "proxy.mp4")
    peaks.write_json_atomic(overview.to_peaks_json(), folder / "peaks.json", gzip_copy=True)
    peaks.write_json_atomic(overview.to_spectrogram_json(), folder / "spectrogram.json", gzip_copy=True)
    index = thumbnails.thumbnail_strip(folder / "proxy.mp4", folder / "thumbnails.jpg")
    return folder, probe.probe(folder / "proxy.mp4"), index


@pytest.fixture
def video(team, four_beeps):
    from pipeline.videos.models import Video, VideoStatus

    folder, p, index = four_beeps
    relative = Path("videos/assist-browser")
    shutil.copytree(folder, Path(settings.MEDIA_ROOT) / relative, dirs_exist_ok=True)
    return Video.objects.create(
        project=team.project, title="four beeps", status=VideoStatus.READY, fps=p.fps,
        sha256=hashlib.sha256((folder / "proxy.mp4").read_bytes()).hexdigest(), frame_count=p.frame_count,
        duration=p.duration, width=p.width, height=p.height, has_audio=True, thumbnails_index=index,
        proxy=str(relative / "proxy.mp4"), peaks=str(relative / "peaks.json"),
        spectrogram=str(relative / "spectrogram.json"), thumbnails=str(relative / "thumbnails.jpg"),
    )


@pytest.fixture
def annotator(video):
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-annotator")
    Membership.objects.get_or_create(project=video.project, user=user, defaults={"role": Role.ANNOTATOR})
    return user


def wait_ghosts(page, n: int) -> None:
    """The timeline's ghost regions (in wavesurfer's shadow DOM, which Playwright's locators pierce)."""
    wait_for(lambda: page.locator(".tl-ghost").count() == n, timeout=20)


def test_accept_three_reject_one_draw_one_and_submit(page, live_server, video, annotator):
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A",
                                       annotator=annotator)
    open_workspace(page, live_server, question)
    # Stage 2: the count and the reference interval; saving them enters stage 3 and queues the proposals.
    page.get_by_label("Drafted count").fill("4")
    page.locator("#ws-ref_start").fill("0")
    page.locator("#ws-ref_end").fill("7.5")
    page.locator("body").click(position={"x": 5, "y": 5})
    wait_saved(page, 2)
    job = wait_for(lambda: Job.objects.filter(kind=proposals.KIND_ACOUSTIC, target_id=question.pk).first())
    if Job.objects.get(pk=job.pk).state == JobState.QUEUED:
        run_job_here(job=job)  # no worker in the browser tests: the job runs here, as a media worker would
    wait_for(lambda: ClueProposal.objects.filter(question=question).count() == 4)
    # The workspace reads them while they are computed: four ghosts, apart from clues, with their scores.
    wait_ghosts(page, 4)
    assert page.get_by_test_id("proposal-row").count() == 4
    assert "score" in page.get_by_test_id("proposal-row").first.inner_text()
    assert page.get_by_test_id("running-count").inner_text().startswith("Clues: 0")

    presses = 0
    page.keyboard.press("Tab")  # the first proposal: seek and select
    presses += 1
    page.locator(".tl-ghost[aria-selected=true]").wait_for()
    assert abs(page.evaluate("document.querySelector('video').currentTime") - BEEPS[0][0]) < 0.1
    page.keyboard.press("x")  # reject it; the next one is selected
    presses += 1
    wait_ghosts(page, 3)
    page.keyboard.press("Shift+A")  # accept every one in view from the threshold up: the other three
    presses += 1
    wait_ghosts(page, 0)
    assert "Clues: 3" in page.get_by_test_id("running-count").inner_text()
    assert page.get_by_test_id("running-count-sources").inner_text() == "(3 accepted proposals, 0 by hand)"
    per_clue = presses / 3
    print(f"key presses per event clue with proposals: {per_clue:.2f}")
    assert per_clue <= 1.0

    # One event by hand, after the last beep: i at 6.0 s, o at 7.0 s.
    page.evaluate("document.querySelector('video').currentTime = 6.0")
    page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 6.0) < 0.05")
    page.keyboard.press("i")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('video').currentTime > 6.9")
    page.keyboard.press("o")
    assert "Clues: 4" in page.get_by_test_id("running-count").inner_text()
    assert page.get_by_test_id("running-count-sources").inner_text() == "(3 accepted proposals, 1 by hand)"
    wait_for(lambda: Clue.objects.filter(question=question).count() == 4, timeout=15)

    page.keyboard.press("Control+Enter")
    page.get_by_test_id("outcome").wait_for()
    question.refresh_from_db()
    assert question.state == "pooled" and question.drafted_answer == 4

    # The provenance: three clues link their accepted proposal (model, version, score), one was drawn by hand;
    # the rejected proposal is remembered, and a rerun does not bring it back.
    clues = list(Clue.objects.filter(question=question).select_related("proposal").order_by("start"))
    assert len(clues) == 4
    linked = [c for c in clues if c.proposal is not None]
    assert len(linked) == 3 and clues[-1].proposal is None and clues[-1].start == pytest.approx(6.0, abs=0.05)
    for clue in linked:
        assert clue.proposal.state == "accepted" and clue.proposal.decided_by == annotator
        assert clue.proposal.model == "acoustic-onsets" and clue.proposal.model_version and clue.proposal.score > 0
        assert (clue.start, clue.end) == (clue.proposal.start, clue.proposal.end)
    rejected = ClueProposal.objects.get(question=question, state="rejected")
    assert abs(rejected.start - BEEPS[0][0]) < 0.05
    proposals.run(question_id=question.pk)
    assert ClueProposal.objects.filter(question=question).count() == 4
