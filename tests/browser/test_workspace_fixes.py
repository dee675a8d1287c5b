"""The workspace fixes in Chromium: click-to-seek inside a region and on the thumbnails, the go-to field, arrow keys
that seek with a box selected, the first cluster by key, save messages that never move the canvas, and a conflict's
re-apply that merges (the other tab's fields stay)."""

import re

import pytest
from playwright.sync_api import expect
from django.contrib.auth import get_user_model

from annotation.counting.models import Clue, Question
from annotation.projects.models import Membership, Role
from config.demo import ensure_demo_users
from tests.browser.conftest import CONTEXT
from tests.browser.test_workspace import PASSWORD, drag, open_workspace, wait_saved
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def annotator(ready_video):
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-annotator")
    Membership.objects.get_or_create(project=ready_video.project, user=user, defaults={"role": Role.ANNOTATOR})
    return user


def current_time(page) -> float:
    return page.evaluate("document.querySelector('video').currentTime")


def wait_time(page, seconds: float, tolerance: float = 0.1) -> None:
    page.wait_for_function(
        "([t, tol]) => Math.abs(document.querySelector('video').currentTime - t) < tol", arg=[seconds, tolerance]
    )


def test_a_click_inside_a_region_seeks_and_a_thumbnail_click_seeks(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                       annotator=annotator, ref_start=0.5, ref_end=2.5)
    open_workspace(page, live_server, question)
    region = page.locator("[data-key=ref]")  # in wavesurfer's shadow DOM, which Playwright's locators pierce
    region.wait_for()
    box = region.bounding_box()
    assert box is not None and box["width"] > 20
    # Three quarters into the region: 0.5 + 0.75 * 2.0 = 2.0 s.
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
    wait_time(page, 2.0, 0.15)
    expect(page.locator("[data-key=ref][aria-selected=true]")).to_have_count(1, timeout=20_000)
    # The click moved nothing: regions move only by their handles.
    page.wait_for_timeout(1000)
    question.refresh_from_db()
    assert (question.ref_start, question.ref_end, question.version) == (0.5, 2.5, 1)

    thumb = page.locator(".tl-thumb").nth(1)
    target = float(thumb.get_attribute("data-time"))
    thumb.click()
    wait_time(page, target, 0.1)


def test_go_to_field_and_arrows_seek_with_a_box_selected(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many red squares?", category="object",
                                       modality="V", annotator=annotator)
    open_workspace(page, live_server, question)
    field = page.get_by_label("Go to time or frame")
    field.fill("abc")
    field.press("Enter")
    assert "is not a time or a frame" in page.get_by_test_id("goto-error").inner_text()
    assert current_time(page) == 0
    field.fill("f12")
    field.press("Enter")
    page.wait_for_function("document.querySelector('[data-testid=position]').textContent.includes('frame 12')")
    page.get_by_test_id("box-canvas").wait_for()
    drag(page, 0.10, 0.10, 0.30, 0.40)
    wait_for(lambda: Clue.objects.filter(question=question).count() == 1, timeout=15)
    before = Clue.objects.get(question=question)
    # The new box is selected: Shift+→ seeks 5 s (clamped to the video), it never moves the box.
    start = current_time(page)
    page.keyboard.press("Shift+ArrowRight")
    page.wait_for_function("(t) => document.querySelector('video').currentTime > t + 0.5", arg=start)
    page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(1200)
    after = Clue.objects.get(question=question)
    assert (after.x1, after.y1, after.x2, after.y2) == (before.x1, before.y1, before.x2, before.y2)


def test_the_first_cluster_by_key(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many colours?", category="attribute",
                                       modality="V", annotator=annotator)
    open_workspace(page, live_server, question)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("n")
    assert page.get_by_label("Name of cluster 1").input_value() == "Cluster 1"
    page.keyboard.press(".")
    page.get_by_test_id("box-canvas").wait_for()
    drag(page, 0.2, 0.2, 0.4, 0.5)
    wait_for(lambda: Clue.objects.filter(question=question, cluster="Cluster 1").count() == 1, timeout=15)


def test_the_save_error_does_not_move_the_canvas(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many red squares?", category="object",
                                       modality="V", annotator=annotator)
    open_workspace(page, live_server, question)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press(".")
    canvas = page.get_by_test_id("box-canvas")
    canvas.wait_for()
    before = canvas.bounding_box()
    # An edit the server refuses: its message comes while a box is being drawn.
    page.locator("#ws-ref_start").fill("3")
    page.locator("#ws-ref_end").fill("1")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.mouse.move(before["x"] + before["width"] * 0.2, before["y"] + before["height"] * 0.2)
    page.mouse.down()
    page.get_by_test_id("save-toast").wait_for()
    page.mouse.move(before["x"] + before["width"] * 0.5, before["y"] + before["height"] * 0.6, steps=5)
    page.mouse.up()
    assert canvas.bounding_box() == before
    # Put the interval right: everything saves, the box where it was drawn (20 %..50 % of 1280, 20 %..60 % of 720).
    page.locator("#ws-ref_end").fill("4")
    page.locator("body").click(position={"x": 5, "y": 5})
    wait_for(lambda: Clue.objects.filter(question=question).count() == 1, timeout=15)
    clue = Clue.objects.get(question=question)
    width, height = ready_video.width, ready_video.height
    assert abs(clue.x1 - 0.2 * width) < 6 and abs(clue.x2 - 0.5 * width) < 6
    assert abs(clue.y1 - 0.2 * height) < 6 and abs(clue.y2 - 0.6 * height) < 6
    page.get_by_test_id("save-toast").wait_for(state="detached")


def test_reapply_merges_and_keeps_the_other_tabs_field(browser, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                       annotator=annotator)
    contexts = [browser.new_context(**CONTEXT), browser.new_context(**CONTEXT)]
    first, second = (context.new_page() for context in contexts)
    try:
        open_workspace(first, live_server, question)
        open_workspace(second, live_server, question)
        # The other tab drafts the count; this one, still on version 1, changes only the text.
        first.get_by_label("Drafted count").fill("3")
        wait_saved(first, 2)
        second.locator("section.ws-draft textarea").fill("How many beeps in the first half?")
        second.get_by_role("button", name=re.compile("Re-apply my changes")).wait_for()
        merge = second.get_by_test_id("conflict-merge").inner_text()
        assert "puts back only what you changed: question" in merge
        assert "Kept as on the server: drafted count" in merge
        assert second.get_by_test_id("conflict-collisions").count() == 0
        second.get_by_role("button", name=re.compile("Re-apply my changes")).click()
        wait_saved(second, 3)
        question.refresh_from_db()
        assert question.text == "How many beeps in the first half?"
        assert question.drafted_answer == 3  # the other tab's field, which this tab never touched
        assert second.get_by_label("Drafted count").input_value() == "3"
    finally:
        for context in contexts:
            context.close()


def test_a_reload_right_after_an_edit_shows_no_conflict(page, live_server, ready_video, annotator):
    question = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                       annotator=annotator)
    open_workspace(page, live_server, question)
    page.get_by_label("Drafted count").fill("4")
    page.wait_for_timeout(300)  # within the autosave's debounce: the save goes as the page leaves
    page.reload()
    page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1")
    wait_for(lambda: Question.objects.get(pk=question.pk).drafted_answer == 4, timeout=15)
    page.wait_for_timeout(1500)
    assert page.get_by_role("alert", name="Conflict").count() == 0
    assert page.get_by_label("Drafted count").input_value() == "4"
