"""Arbitration in Chromium: a reviewer takes items from the queues page, sends one back with a comment anchored to a
time, fixes and keeps another; the annotator then reads the comment in the workspace, jumps to it and resolves it."""

import re

import pytest

from annotation.counting.models import Clue, Question
from annotation.projects.models import Membership, Role
from annotation.review.models import Comment, ReviewItem
from tests.browser.conftest import CONTEXT

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
        assert page.locator("[part~=marker]").count() == 1  # the open comment on the timeline
        comment.get_by_role("button", name="Resolve").click()
        comment.get_by_text("Resolved by ann").wait_for()
        stored = Comment.objects.get(question=beeps)
        assert stored.resolved_by == people["ann"] and stored.time == 2.0
    finally:
        reviewer.close()
        annotator.close()
