"""The R-AVST event review page in Chromium: draw a box, delete a proposal, flip an object by keyboard, accept;
the accepted truth becomes QA pairs."""

import pytest
from django.contrib.auth import get_user_model

from annotation.avst.models import AVObject, BoxProposal, Event, QAPair
from annotation.projects.models import Decision, Membership, Role
from config.demo import ensure_demo_users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "event-review-test-password"


@pytest.fixture
def reviewer(avst):
    project, video, event = avst
    ensure_demo_users(PASSWORD)
    user = get_user_model().objects.get(username="demo-reviewer")
    Membership.objects.get_or_create(project=project, user=user, defaults={"role": Role.REVIEWER})
    return user


def wait_saved(page, version):
    page.wait_for_function(
        "(least) => { const s = document.querySelector('[data-testid=save-status]');"
        " return s && s.dataset.status === 'saved' && Number(s.dataset.version) >= least; }",
        arg=version,
    )


def drag(page, x0, y0, x1, y1):
    # The canvas takes gestures once the exact frame has loaded (until then it is disabled and a drag draws nothing).
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    box = page.locator("[data-testid=box-canvas] svg").bounding_box()
    page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * y0)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * x1, box["y"] + box["height"] * y1, steps=5)
    page.mouse.up()


def test_reviewer_fixes_boxes_and_objects_by_mouse_and_keyboard_then_accepts(page, live_server, avst, reviewer):
    project, video, event = avst
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/events/{event.pk}/review/")
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    first_frame = int(page.get_by_test_id("current-second").get_attribute("data-frame"))

    # Second 0.3 s: the dog (object 1) already has a proposal; draw a second instance beside it.
    page.keyboard.press("1")
    drag(page, 0.5, 0.5, 0.8, 0.9)
    wait_saved(page, 2)

    # Second 1.3 s: delete the model's box there.
    page.keyboard.press(".")
    page.wait_for_function("document.querySelector('[data-testid=current-second]').dataset.index === '1'")
    page.locator("body").click(position={"x": 2, "y": 2})
    page.keyboard.press("Tab")
    page.keyboard.press("Delete")
    wait_saved(page, 3)

    # The ball (object 2) is heard after all.
    page.keyboard.press("2")
    page.keyboard.press("a")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=object-row]')[1].dataset.audibility === 'audible'")
    wait_saved(page, 4)

    # The ball has no box at any second: the first accept says so, the second accepts anyway.
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.querySelector('[data-testid=hint]').textContent.includes('no box at any second')")
    assert Event.objects.get(pk=event.pk).state != Decision.ACCEPTED
    page.keyboard.press("Control+Enter")
    page.wait_for_function("document.querySelector('[data-testid=event-state]').dataset.state === 'accepted'")

    event.refresh_from_db()
    assert event.state == Decision.ACCEPTED and event.reviewed_by == reviewer
    dog = AVObject.objects.get(event=event, name="dog")
    boxes = list(BoxProposal.objects.filter(avobject=dog).order_by("timestamp", "instance"))
    assert [(b.timestamp, b.instance, b.source) for b in boxes] == [(0.3, 0, "model"), (0.3, 1, "human")]
    drawn = boxes[1]
    assert drawn.frame_index == first_frame
    assert drawn.x1 == pytest.approx(video.width * 0.5, abs=video.width * 0.03)
    assert drawn.y2 == pytest.approx(video.height * 0.9, abs=video.height * 0.03)
    assert AVObject.objects.get(event=event, name="ball").audibility == "audible"
    assert {b.state for b in boxes} == {Decision.ACCEPTED}
    assert QAPair.objects.filter(event=event, task="AVTR").count() == 2


def test_the_name_field_offers_the_project_vocabulary_and_a_chosen_name_is_saved(page, live_server, avst, reviewer):
    project, video, event = avst
    project.settings = {"labels": {"objects": ["barking dog", "man"]}}
    project.save(update_fields=["settings"])
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "demo-reviewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/events/{event.pk}/review/")
    page.wait_for_selector("[data-testid=box-canvas]:not(.is-disabled)")
    options = page.locator("#er-object-labels option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == ["barking dog", "man"]
    field = page.get_by_test_id("object-name").first
    assert field.get_attribute("list") == "er-object-labels"
    # Chromium's suggestion list fills the field like typing does; the name autosaves with the document.
    field.fill("barking dog")
    wait_saved(page, 2)
    names = set(AVObject.objects.filter(event=event).values_list("name", flat=True))
    assert "barking dog" in names
