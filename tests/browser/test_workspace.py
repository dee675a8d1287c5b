"""The annotation workspace in Chromium: answer, clue by keyboard and mouse, autosave, submit, conflicts, errors.

Costs counted in these scripts (what an annotator does):
- one event clue: 2 key presses while playing (`i` at its start, `o` at its end);
- one object box: 1 drag (press, move, release) on the paused frame;
- an attribute cluster: 1 click ("Add a cluster") and typing its name, then 1 drag per box.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from annotation.counting.models import Clue, Question
from annotation.projects.models import Membership, Role
from annotation.review.models import ReviewItem
from config.demo import ensure_demo_users
from tests.integration.conftest import wait_for
from tests.browser.conftest import CONTEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "workspace-test-password"


@pytest.fixture
def annotator(ready_video):
    ensure_demo_users(PASSWORD)
    users = get_user_model().objects
    for name, role in (("demo-annotator", Role.ANNOTATOR), ("demo-reviewer", Role.REVIEWER)):
        Membership.objects.get_or_create(project=ready_video.project, user=users.get(username=name),
                                         defaults={"role": role})
    return users.get(username="demo-annotator")


def open_workspace(page, live_server, question, username="demo-annotator"):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/questions/{question.pk}/workspace/")
    page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1")


def wait_saved(page, version):
    """Everything saved, at this version or later (autosave may have run more than once meanwhile)."""
    page.wait_for_function(
        "(least) => { const m = document.body.textContent.match(/version (\\d+)/);"
        " return document.querySelector('[data-testid=save-status]').textContent.includes('Saved')"
        " && m !== null && Number(m[1]) >= least; }",
        arg=version,
    )


def frame_shown(page) -> int:
    return int(re.search(r"frame (\d+)", page.get_by_test_id("position").inner_text()).group(1))


def drag(page, x0, y0, x1, y1):
    # The canvas takes gestures once the exact frame has loaded (until then it is disabled and a drag draws nothing).
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    box = page.get_by_test_id("box-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * y0)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * x1, box["y"] + box["height"] * y1, steps=5)
    page.mouse.up()


def test_event_clues_by_keyboard_while_playing_then_submit(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                       annotator=annotator)
    open_workspace(page, live_server, question)
    page.get_by_label("Drafted count").fill("3")
    page.locator("#ws-ref_start").fill("0")
    page.locator("#ws-ref_end").fill("3.5")
    page.locator("body").click(position={"x": 5, "y": 5})

    page.keyboard.press("Space")  # play
    page.wait_for_function("!document.querySelector('video').paused")
    for _ in range(3):
        page.wait_for_timeout(200)
        page.keyboard.press("i")
        page.wait_for_timeout(250)
        page.keyboard.press("o")
    page.keyboard.press("Space")  # pause
    assert "Clues: 3" in page.get_by_test_id("running-count").inner_text()
    wait_saved(page, 2)

    clues = list(Clue.objects.filter(question=question).order_by("start"))
    assert len(clues) == 3
    assert all(0 <= c.start < c.end <= 4.1 for c in clues)
    assert all(a.end <= b.start for a, b in zip(clues, clues[1:]))

    page.keyboard.press("Control+Enter")
    page.get_by_test_id("outcome").wait_for()
    question.refresh_from_db()
    assert question.state == "pooled" and question.final_start == 0.0
    assert Clue.objects.filter(question=question).count() == 3


def test_boxes_on_the_exact_frame_and_an_attribute_cluster(page, live_server, ready_video, annotator):
    objects = Question.objects.create(video=ready_video, text="How many red squares?", category="object",
                                      modality="V", annotator=annotator)
    open_workspace(page, live_server, objects)
    for _ in range(12):
        page.keyboard.press(".")  # frame by frame to frame 12
    page.get_by_test_id("box-canvas").wait_for()
    shown = frame_shown(page)
    assert shown == 12
    drag(page, 0.10, 0.10, 0.30, 0.40)
    drag(page, 0.55, 0.50, 0.80, 0.90)
    page.get_by_label("Drafted count").fill("2")
    wait_saved(page, 2)
    # Autosave may have run between the two drags: wait for the save that holds both boxes.
    wait_for(lambda: Question.objects.get(pk=objects.pk).drafted_answer == 2
             and Clue.objects.filter(question=objects).count() == 2, timeout=15)
    boxes = list(Clue.objects.filter(question=objects).order_by("x1"))
    assert [b.frame_index for b in boxes] == [12, 12]
    assert int(boxes[0].timestamp * 25) == 12
    assert 100 < boxes[0].x1 < 160 and 60 < boxes[0].y1 < 90  # 10% of 1280 x 720
    assert boxes[1].x2 <= 1280 and boxes[1].y2 <= 720

    attribute = Question.objects.create(video=ready_video, text="How many colours of squares?",
                                        category="attribute", modality="V", annotator=annotator)
    page.goto(f"{live_server.url}/questions/{attribute.pk}/workspace/")
    page.wait_for_function("document.querySelector('video').readyState >= 1")
    page.get_by_role("button", name="Add a cluster").click()
    page.get_by_label("Name of cluster 1").fill("red")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press(".")
    page.get_by_test_id("box-canvas").wait_for()
    drag(page, 0.2, 0.2, 0.4, 0.5)
    wait_saved(page, 2)
    clue = Clue.objects.get(question=attribute)
    assert clue.kind == "attribute" and clue.cluster == "red" and clue.frame_index == 1
    attribute.refresh_from_db()
    assert attribute.clusters[0]["name"] == "red"


def test_stale_save_from_a_second_browser_gets_409_and_loses_nothing(browser, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A")
    contexts = [browser.new_context(**CONTEXT), browser.new_context(**CONTEXT)]
    first, second = (context.new_page() for context in contexts)
    try:
        _conflict(first, second, live_server, question)
    finally:
        for context in contexts:
            context.close()


def _conflict(first, second, live_server, question):
    # Two browsers of the same annotator (a stale tab): the claim is theirs in both, the versions differ.
    open_workspace(first, live_server, question)
    open_workspace(second, live_server, question)

    first.locator("section.ws-draft textarea").fill("How many beeps are heard?")
    wait_saved(first, 2)
    second.locator("section.ws-draft textarea").fill("How many beeps in the first half?")
    second.get_by_role("button", name=re.compile("Re-apply my changes")).wait_for()
    question.refresh_from_db()
    assert question.text == "How many beeps are heard?"
    assert second.locator("section.ws-draft textarea").input_value() == "How many beeps in the first half?"

    second.get_by_role("button", name=re.compile("Re-apply my changes")).click()
    wait_saved(second, 3)
    question.refresh_from_db()
    assert question.text == "How many beeps in the first half?"


def test_a_save_rejected_by_validation_shows_the_error(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A")
    open_workspace(page, live_server, question)
    page.locator("#ws-ref_start").fill("3")
    page.locator("#ws-ref_end").fill("1")
    page.get_by_text("0 <= start < end").first.wait_for()
    question.refresh_from_db()
    assert question.version == 1 and question.ref_start is None
    assert not ReviewItem.objects.exists()
