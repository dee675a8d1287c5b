"""An annotator reviews LLM candidates in Chromium: accept, edit and reject with the keyboard and the mouse."""

import pytest

from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import Source
from config.demo import ensure_demo_project, ensure_demo_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "stage1-test-password"


def make_candidates(video):
    texts = ["How many beeps are heard?", "How many red squares appear?", "How many blue squares cross?"]
    return [
        CandidateQuestion.objects.create(
            video=video, text=text, category="event" if "beeps" in text else "object",
            modality="A" if "beeps" in text else "V", query_start=0.5, query_end=3.5, source=Source.MODEL,
            model="gpt-4o-mini", prompt_version="stage1_questions@v1",
        )
        for text in texts
    ]


def test_accept_edit_and_reject_candidates(page, live_server, ready_video):
    ensure_demo_users(PASSWORD)
    project, _ = ensure_demo_project(videos=0, seconds=10, dispatch=False)
    ready_video.project = project
    ready_video.save()
    first, second, third = make_candidates(ready_video)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-annotator")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/videos/{ready_video.pk}/stage1/")
    page.wait_for_selector("text=How many beeps are heard?")

    # Keyboard: the first proposed candidate is selected; "a" accepts it.
    page.keyboard.press("a")
    page.wait_for_function(f"() => !document.body.innerText.includes('{first.text}')")
    first.refresh_from_db()
    assert first.state == "accepted"
    assert Question.objects.get(candidate=first).text == first.text

    # Select the second with the mouse; "e" edits it; Enter in the question field saves.
    page.get_by_text(second.text).click()
    page.keyboard.press("e")
    box = page.locator("form[aria-label^='Edit candidate'] textarea")
    box.fill("How many red squares appear in the first half?")
    box.press("Enter")
    page.wait_for_selector("text=How many red squares appear in the first half?")
    page.wait_for_selector("form[aria-label^='Edit candidate']", state="detached")
    second.refresh_from_db()
    assert second.text == "How many red squares appear in the first half?" and second.version == 2

    # Reject the third one with a reason.
    page.get_by_text(third.text).click()
    page.keyboard.press("r")
    reason = page.get_by_label("Reason for rejecting")
    reason.fill("two questions about squares are enough")
    reason.press("Enter")
    page.wait_for_function(f"() => !document.body.innerText.includes('{third.text}')")
    third.refresh_from_db()
    assert third.state == "rejected" and third.reject_reason == "two questions about squares are enough"
    assert Question.objects.count() == 1
