"""Arbitration in Chromium: a reviewer takes items from the queues page, sends one back with a comment anchored to a
time, fixes and keeps another; the annotator then reads the comment in the workspace, jumps to it and resolves it."""

import re

import pytest
from playwright.sync_api import expect

from annotation.counting.models import Clue, Question
from annotation.projects.models import Membership, Role
from annotation.review.models import Comment, ReviewItem
from tests.browser.conftest import CONTEXT

# Playwright's expectations poll until this: generous, for a busy two-core CI machine.
WAIT_MS = 20_000

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "review-test-password"


@pytest.fixture
def people(ready_video, django_user_model):
    users = {}
    for name, role in (("ann", Role.ANNOTATOR), ("rita", Role.REVIEWER)):
        users[name] = django_user_model.objects.create_user(username=name, password=PASSWORD)
        Membership.objects.create(project=ready_video.project, user=users[name], role=role)
    return users


def in_arbitration(video, annotator, text):
    """A count of 3 with 2 event clues: a mismatch, waiting in the arbitration queue."""
    question = Question.objects.create(video=video, text=text, category="event", modality="A", drafted_answer=3,
                                       ref_start=0.0, ref_end=3.5, state="arbitration", annotator=annotator)
    Clue.objects.create(question=question, kind="event", start=0.4, end=0.8)
    Clue.objects.create(question=question, kind="event", start=1.9, end=2.3)
    ReviewItem.objects.create(project=video.project, queue="arbitration", question=question)
    return question


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def take_next(page, live_server, project):
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    page.locator("tr[data-queue=arbitration]").get_by_role("button", name="Take the next item").click()
    page.wait_for_url(re.compile(r".*/review/\d+/$"))


def test_send_back_with_a_comment_then_keep_after_fixing(browser, live_server, ready_video, people):
    beeps = in_arbitration(ready_video, people["ann"], "How many beeps?")
    fixable = in_arbitration(ready_video, people["ann"], "How many beeps in the first three seconds?")
    reviewer = browser.new_context(**CONTEXT)
    annotator = browser.new_context(**CONTEXT)
    try:
        page = reviewer.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server, "rita")

        # The oldest item first: its question, drafted count and clue count.
        take_next(page, live_server, ready_video.project)
        assert page.locator("#review-question").inner_text() == "How many beeps?"
        assert page.locator("#review-count").inner_text() == "3"
        assert page.locator("#review-clues").inner_text() == "2"
        page.locator("textarea[name=comment]").fill("The beep at 2 s is counted twice; check the count")
        page.locator("input[name=comment_time]").fill("2")
        page.get_by_role("button", name="Send back to the annotator").click()
        page.get_by_text("Decided.").wait_for()
        beeps.refresh_from_db()
        assert beeps.state == "answered"

        # The next one: fix the count in the workspace (the reviewer holds the item), then keep it.
        take_next(page, live_server, ready_video.project)
        item_url = page.url
        assert page.locator("#review-question").inner_text() == fixable.text
        page.locator("#open-workspace").click()
        page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1")
        page.get_by_label("Drafted count").fill("2")
        page.wait_for_function(
            "document.querySelector('[data-testid=running-count]').textContent === 'Clues: 2 / Count: 2'"
            " && document.querySelector('[data-testid=save-status]').textContent === 'Saved'"
        )
        page.goto(item_url)
        assert page.locator("#review-count").inner_text() == "2"
        page.get_by_role("button", name=re.compile("^Keep")).click()
        page.get_by_text("Decided.").wait_for()
        fixable.refresh_from_db()
        assert fixable.state == "pooled" and fixable.drafted_answer == 2
        assert ReviewItem.objects.get(question=fixable).decision == "keep"

        # The annotator reads the reason in the workspace, goes to its time and resolves it.
        page = annotator.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server, "ann")
        page.goto(f"{live_server.url}/questions/{beeps.pk}/workspace/")
        page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1")
        panel = page.get_by_role("region", name="Comments")
        comment = panel.get_by_test_id("comment")
        assert "The beep at 2 s is counted twice" in comment.inner_text()
        assert "rita" in comment.inner_text() and "Sent back" in comment.inner_text()
        comment.get_by_role("button", name="2.0 s").click()
        page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 2) < 0.001")
        assert "00:02.000 · frame 50" in page.get_by_test_id("position").inner_text()
        expect(page.locator("[part~=marker]")).to_have_count(1, timeout=WAIT_MS)  # the open comment on the timeline
        comment.get_by_role("button", name="Resolve").click()
        comment.get_by_text("Resolved by ann").wait_for()
        stored = Comment.objects.get(question=beeps)
        assert stored.resolved_by == people["ann"] and stored.time == 2.0
    finally:
        reviewer.close()
        annotator.close()


def wait_for_video(page):
    page.wait_for_function("document.querySelector('video') && document.querySelector('video').readyState >= 1")


def test_an_arbitration_item_shows_its_clues_on_the_video_and_is_decided_by_key(page, live_server, ready_video, people):
    question = in_arbitration(ready_video, people["ann"], "How many beeps?")
    log_in(page, live_server, "rita")
    take_next(page, live_server, ready_video.project)
    wait_for_video(page)

    # The clues: one row each in the side panel, one region each on the timeline, with the reference interval.
    clues = page.get_by_test_id("clue")
    expect(clues).to_have_count(2, timeout=WAIT_MS)
    # The timeline draws its regions once the waveform is ready, which may be after the video.
    expect(page.locator(".tl [data-key^='clue-']")).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator(".tl [data-key=ref]")).to_have_count(1, timeout=WAIT_MS)
    assert page.locator("#review-clues").inner_text() == "2" and page.locator("#review-count").inner_text() == "3"

    # A click on a clue goes to it; n / p step between clues.
    clues.nth(1).click()
    page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 1.9) < 0.001")
    assert page.get_by_test_id("here").inner_text() == "Inside #2"
    assert clues.nth(1).get_attribute("aria-current") == "true"
    page.keyboard.press("p")
    page.wait_for_function("Math.abs(document.querySelector('video').currentTime - 0.4) < 0.001")

    # r: a rejection needs a reason, so the cursor goes to the comment, where the keys are text.
    page.keyboard.press("r")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'comment'")
    assert "Say why in the comment" in page.get_by_test_id("decision-hint").inner_text()
    page.keyboard.type("a vague question: rewrite it")
    assert page.locator("textarea[name=comment]").input_value() == "a vague question: rewrite it"
    assert re.search(r"/review/\d+/$", page.url)
    assert ReviewItem.objects.get(question=question).state == "claimed"
    page.keyboard.press("Control+Enter")
    page.get_by_text("Decided.").wait_for()
    item = ReviewItem.objects.get(question=question)
    assert (item.decision, item.comment) == ("reject", "a vague question: rewrite it")
    assert Question.objects.get(pk=question.pk).state == "rejected"


def test_an_audit_item_draws_the_boxes_on_their_frames_and_is_approved_by_key(page, live_server, ready_video, people):
    question = Question.objects.create(video=ready_video, text="How many squares?", category="object", modality="V",
                                       drafted_answer=3, ref_start=0.0, ref_end=3.9, final_start=0.0, final_end=3.9,
                                       state="pooled", annotator=people["ann"])
    for frame, x in ((50, 100), (50, 300), (75, 200)):
        Clue.objects.create(question=question, kind="object", frame_index=frame, timestamp=(frame + 0.5) / 25,
                            x1=x, y1=40, x2=x + 60, y2=100)
    ReviewItem.objects.create(project=ready_video.project, queue="audit", question=question)
    log_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{ready_video.project.pk}/review/")
    page.locator("tr[data-queue=audit]").get_by_role("button", name="Take the next item").click()
    page.wait_for_url(re.compile(r".*/review/\d+/$"))
    wait_for_video(page)
    # A marker per box on the timeline, drawn once the waveform is ready (which may be after the video).
    expect(page.locator(".tl [data-key^='clue-']")).to_have_count(3, timeout=WAIT_MS)

    # n: the first clue's frame, with both of its boxes drawn on the exact frame; n again: the next frame's box.
    page.keyboard.press("n")
    boxes = page.locator("[data-testid=box-canvas] rect.box-canvas-box")
    page.wait_for_function("document.querySelectorAll('[data-testid=box-canvas] rect.box-canvas-box').length === 2")
    assert "frame 50" in page.get_by_test_id("position").inner_text()
    assert sorted(boxes.nth(i).get_attribute("data-key") for i in range(2)) == ["clue-0", "clue-1"]
    assert page.get_by_test_id("here").inner_text() == "Frame 50: #1, #2"
    page.keyboard.press("n")  # the second box of frame 50
    page.keyboard.press("n")
    page.wait_for_function("document.querySelectorAll('[data-testid=box-canvas] rect.box-canvas-box').length === 1")
    assert "frame 75" in page.get_by_test_id("position").inner_text()
    assert boxes.first.get_attribute("data-key") == "clue-2"

    # a arms the approval, Enter confirms it.
    page.keyboard.press("a")
    assert page.get_by_role("button", name="Approve").get_attribute("aria-pressed") == "true"
    assert "Press Enter (or a again) to approve" in page.get_by_test_id("decision-hint").inner_text()
    page.keyboard.press("Enter")
    page.get_by_text("Decided.").wait_for()
    assert ReviewItem.objects.get(question=question).decision == "approve"


def test_an_event_audit_shows_the_events_frames_with_their_boxes(page, live_server, avst, team):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from annotation.avst.models import Event

    project, _, event = avst
    project.settings = {"audit_share": 1.0}
    project.save()
    api = APIClient()
    api.force_authenticate(team.reviewer)
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api.get(url).json()
    objects = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"],
                "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
               for o in doc["objects"]]
    assert api.put(url, {"version": doc["version"], "objects": objects, "accept": True}, format="json").status_code == 200

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", team.manager.username)
    page.fill("input[name=password]", "pw-manager")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_server.url}/projects/{project.pk}/review/")
    page.locator("tr[data-queue=audit]").get_by_role("button", name="Take the next item").click()
    page.wait_for_url(re.compile(r".*/review/\d+/$"))

    # Every sampled second of the event, each frame with its boxes; the first one large.
    frames = page.get_by_test_id("event-frame")
    frames.first.wait_for()
    assert [frames.nth(i).get_attribute("data-frame") for i in range(frames.count())] == \
        [str(s["frame_index"]) for s in doc["seconds"]]
    assert [frames.nth(i).get_attribute("data-boxes") for i in range(3)] == ["1", "1", "0"]
    expect(page.get_by_test_id("frame-box")).to_have_count(2, timeout=WAIT_MS)
    big = page.locator("[data-testid=box-canvas] rect.box-canvas-box")
    big.first.wait_for()
    assert big.count() == 1
    assert page.locator("[data-testid=box-canvas] img").get_attribute("src").endswith(f"/{doc['seconds'][0]['frame_index']}.jpg")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.get_by_test_id("current-second").get_attribute("data-frame") == str(doc["seconds"][2]["frame_index"])
    page.wait_for_function("document.querySelectorAll('[data-testid=box-canvas] rect.box-canvas-box').length === 0")
    expect(page.get_by_test_id("object")).to_have_count(2, timeout=WAIT_MS)

    # s: a send-back needs a reason; typed, then Ctrl+Enter sends it.
    page.keyboard.press("s")
    page.wait_for_function("document.activeElement && document.activeElement.name === 'comment'")
    page.keyboard.type("the ball is there at 2.3 s")
    page.keyboard.press("Control+Enter")
    page.get_by_text("Decided.").wait_for()
    assert Event.objects.get(pk=event.pk).state == "proposed"
    assert ReviewItem.objects.get(event=event).decision == "send_back"
