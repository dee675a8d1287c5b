"""Object assistance in Chromium, with tiny random Grounding DINO and SAM 2 models loaded through the production
path (the jobs run here, as a gpu worker would run them):

- the workspace of an object question: its proposals are computed when it enters stage 3 and show as dashed ghost
  boxes on their exact frame; Tab goes to one (seek and select), Enter accepts it; with click-to-box on (c), one
  click on the frame gives a box that is kept with its provenance;
- the R-AVST event review page: one click gives the selected object's box, t follows it through the event's other
  seconds, and one Enter per second confirms each tracked box.

Presses counted here: a proposal is Tab + Enter for the first (Enter alone for each next one, the next being
selected after a decision); a box from a click is 1 click; an R-AVST event of n seconds is 1 click + t + (n - 1)
Enter.
"""

import pytest
from playwright.sync_api import expect
from django.contrib.auth import get_user_model

from annotation.avst import assist
from annotation.avst.models import AVObject, BoxProposal
from annotation.avst.seconds import sampled_seconds
from annotation.counting import proposals
from annotation.counting.models import Clue, ClueProposal, Question
from annotation.projects.models import Membership, Role
from config.demo import ensure_demo_users
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here
from tests.browser.test_workspace import PASSWORD, open_workspace, wait_saved
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_when_queued(kind, target_id):
    """No gpu worker in the browser tests: the job the page asked for runs here."""
    job = wait_for(lambda: Job.objects.filter(kind=kind, target_id=target_id, state=JobState.QUEUED).first(),
                   timeout=30)
    done = run_job_here(job=job)
    assert done.state == JobState.SUCCEEDED, done.error
    return done


def click_canvas(page, x, y):
    box = page.locator("[data-testid=box-canvas] svg").bounding_box()
    page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)


@pytest.fixture
def annotator(ready_video):
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-annotator")
    Membership.objects.get_or_create(project=ready_video.project, user=user, defaults={"role": Role.ANNOTATOR})
    return user


def test_object_proposals_and_click_to_box_in_the_workspace(page, live_server, ready_video, annotator,
                                                            detect_settings):
    question = Question.objects.create(video=ready_video, text="How many red squares are there?",
                                       category="object", modality="V", annotator=annotator)
    open_workspace(page, live_server, question)
    page.get_by_label("Drafted count").fill("2")
    page.locator("#ws-ref_start").fill("0")
    page.locator("#ws-ref_end").fill("3")
    page.locator("body").click(position={"x": 5, "y": 5})
    wait_saved(page, 2)
    run_when_queued(proposals.KIND_OBJECTS, question.pk)
    count = ClueProposal.objects.filter(question=question).count()
    assert count > 0
    wait_for(lambda: page.get_by_test_id("proposal-row").count() == count, timeout=20)

    page.keyboard.press("Tab")  # the first proposal: its frame, selected
    first = ClueProposal.objects.filter(question=question).order_by("frame_index", "id").first()
    page.wait_for_selector(f"[data-testid=box-canvas] rect[data-key=proposal-{first.pk}][data-ghost=true]")
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    page.keyboard.press("Enter")
    wait_saved(page, 3)
    clue = wait_for(lambda: Clue.objects.filter(question=question, proposal=first).first(), timeout=15)
    assert clue.frame_index == first.frame_index and (clue.x1, clue.y2) == (first.x1, first.y2)
    expect(page.get_by_test_id("proposal-row")).to_have_count(count - 1, timeout=20_000)

    # Click-to-box: c, then one click on an object of a paused frame with no box or proposal on it.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    for _ in range(3):
        page.keyboard.press(".")
    page.wait_for_function("!document.querySelector('[data-testid=box-canvas] rect[data-ghost]')")
    page.keyboard.press("c")
    expect(page.get_by_test_id("click-to-box").get_by_role("button")).to_have_attribute("aria-pressed", "true")
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    click_canvas(page, 0.05, 0.12)
    done = run_when_queued(proposals.KIND_CLICK, question.pk)
    clicked = done.result["proposal"]
    assert clicked is not None and clicked["source"] == "click"
    wait_for(lambda: Clue.objects.filter(question=question, proposal_id=clicked["id"]).exists(), timeout=20)
    # The box is the page's second clue, selected with its handles, ready to adjust.
    page.wait_for_selector("[data-testid=box-canvas] rect[data-key=clue-1][data-selected=true]")
    kept = Clue.objects.get(question=question, proposal_id=clicked["id"])
    assert kept.proposal.source == "click" and kept.proposal.model == "sam2"
    assert [kept.x1, kept.y1, kept.x2, kept.y2] == clicked["box"]


@pytest.fixture
def reviewer(avst):
    project, video, event = avst
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-reviewer")
    Membership.objects.get_or_create(project=project, user=user, defaults={"role": Role.REVIEWER})
    return user


def test_click_then_track_a_whole_event_on_the_review_page(page, live_server, avst, reviewer, detect_settings):
    project, video, event = avst
    seconds = [s.frame_index for s in sampled_seconds(event, video)]
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/events/{event.pk}/review/")
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")

    page.keyboard.press("2")  # the ball: no box at any second
    page.keyboard.press("c")
    click_canvas(page, 0.3, 0.3)
    run_when_queued(assist.KIND_CLICK, event.pk)
    page.wait_for_function("document.querySelector('[data-testid=hint]').textContent.includes('from your click')")
    page.keyboard.press("t")
    run_when_queued(assist.KIND_TRACK, event.pk)
    page.wait_for_selector("[data-testid=tracked-pending]")
    for _ in seconds[1:]:
        page.wait_for_selector("[data-testid=box-canvas] rect[data-ghost=true]")
        page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=hint]').textContent.includes('Every tracked box')")
    page.keyboard.press("Control+s")
    ball = AVObject.objects.get(event=event, name="ball")
    wait_for(lambda: BoxProposal.objects.filter(avobject=ball).count() == len(seconds), timeout=20)
    assert sorted(BoxProposal.objects.filter(avobject=ball).values_list("frame_index", flat=True)) == seconds
    # Each box keeps the model that proposed it (the click's, then the track's), as the person's box it now is.
    assert set(BoxProposal.objects.filter(avobject=ball).values_list("source", "model", "score")) == \
        {("human", "sam2", None)}
    # The box list says so.
    page.reload()
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    expect(page.locator("[data-testid=box-row][data-source=human]", has_text="from sam2").first).to_be_visible(
        timeout=20_000)
