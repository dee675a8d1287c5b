"""The R-AVST event review document: load, edit boxes and objects, stale edits, validation, accept and the QA pairs
generated from what was accepted."""


import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.avst.models import BoxProposal, QAPair
from annotation.projects.models import AuditEntry, Decision

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(event):
    return reverse("eventdoc-detail", args=[event.pk])


def body(doc, **changes):
    objects = [
        {"id": o["id"], "name": o["name"], "audibility": o["audibility"],
         "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
        for o in doc["objects"]
    ]
    return {"version": doc["version"], "objects": objects, **changes}


def test_document_lists_seconds_objects_and_boxes(avst, team):
    project, video, event = avst
    doc = client_for(team.annotator).get(url(event)).json()
    assert [s["t"] for s in doc["seconds"]] == [0.3, 1.3, 2.3]
    assert [s["frame_index"] for s in doc["seconds"]] == [int(t * video.fps) for t in (0.3, 1.3, 2.3)]
    assert [o["name"] for o in doc["objects"]] == ["dog", "ball"]
    assert [(b["t"], b["score"], b["source"]) for b in doc["objects"][0]["boxes"]] == [(0.3, 0.8, "model"),
                                                                                      (1.3, 0.8, "model")]
    assert doc["editable"] is False  # an annotator looks; reviewers edit
    assert client_for(team.reviewer).get(url(event)).json()["editable"] is True
    assert doc["video"]["frame_url_template"].endswith("/frames/{index}.jpg")


def test_reviewer_edits_boxes_and_objects_then_accepts_and_qa_pairs_follow(avst, team):
    project, video, event = avst
    client = client_for(team.reviewer)
    doc = client.get(url(event)).json()
    frames = [s["frame_index"] for s in doc["seconds"]]
    sent = body(doc)
    dog, ball = sent["objects"]
    dog["boxes"][1].update(x1=30.0, x2=130.0)                      # move a model box
    dog["boxes"].append({"id": None, "frame_index": frames[1], "x1": 200.0, "y1": 10.0, "x2": 260.0, "y2": 90.0})
    ball["audibility"] = "audible"                                  # flip
    ball["name"] = "tennis ball"                                    # rename
    ball["boxes"] = [{"id": None, "frame_index": frames[2], "x1": 0.0, "y1": 0.0, "x2": 40.0, "y2": 40.0}]
    saved = client.put(url(event), sent, format="json")
    assert saved.status_code == 200, saved.content
    doc = saved.json()
    assert doc["version"] == 2 and doc["state"] == "proposed"
    dog_boxes = doc["objects"][0]["boxes"]
    assert [(b["t"], b["instance"], b["source"], b["x1"]) for b in dog_boxes] == [
        (0.3, 0, "model", 10.0), (1.3, 0, "human", 30.0), (1.3, 1, "human", 200.0)]
    assert dog_boxes[1]["score"] == 0.8  # an edited model box keeps where it came from
    assert doc["objects"][1]["name"] == "tennis ball" and doc["objects"][1]["audibility"] == "audible"
    assert not QAPair.objects.exists()
    entry = AuditEntry.objects.get(target_type="event", target_id=event.pk, action="event.save")
    assert entry.before["objects"][1]["name"] == "ball" and entry.after["objects"][1]["name"] == "tennis ball"

    accepted = client.put(url(event), {**body(doc), "accept": True}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    event.refresh_from_db()
    assert event.state == Decision.ACCEPTED and event.reviewed_by == team.reviewer
    assert set(BoxProposal.objects.filter(avobject__event=event).values_list("state", flat=True)) == {"accepted"}
    pairs = {(p.task, p.template): p for p in QAPair.objects.filter(event=event)}
    assert set(pairs) == {("AVTR", "avtr"), ("AVSR", "avsr_sounding"), ("AVSTR", "avstr")}
    assert QAPair.objects.filter(event=event, task="AVTR").count() == 2  # one per audible object
    # Proxy boxes are written in the original's pixels (2x here); a second without a box is all zeros.
    assert pairs[("AVSR", "avsr_sounding")].question == (
        "What visible object(s) make sound between 0.3 and 3.2, and where is/are they?")
    assert pairs[("AVSR", "avsr_sounding")].answer["raw"] == (
        "<answer>\n<object>dog</object>\n<where>\n0.3: [20.0, 40.0, 220.0, 240.0]\n1.3: [60.0, 40.0, 260.0, 240.0]\n"
        "1.3: [400.0, 20.0, 520.0, 180.0]\n2.3: [0.0, 0.0, 0.0, 0.0]\n</where>\n"
        "<object>tennis ball</object>\n<where>\n0.3: [0.0, 0.0, 0.0, 0.0]\n1.3: [0.0, 0.0, 0.0, 0.0]\n"
        "2.3: [0.0, 0.0, 80.0, 80.0]\n</where>\n</answer>")
    # Saving again without accepting puts it back under review, and its pairs go until the next accept.
    again = client.put(url(event), body(accepted.json()), format="json")
    assert again.json()["state"] == "proposed" and not QAPair.objects.filter(event=event).exists()


def test_stale_and_invalid_saves_change_nothing(avst, team):
    project, video, event = avst
    client = client_for(team.reviewer)
    doc = client.get(url(event)).json()
    assert client.put(url(event), body(doc), format="json").status_code == 200
    stale = client.put(url(event), body(doc), format="json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    fresh = stale.json()["current"]
    bad = body(fresh)
    bad["objects"][0]["boxes"][0].update(x2=video.width + 50.0)
    bad["objects"][1]["name"] = "DOG"
    bad["objects"][1]["boxes"] = [{"id": None, "frame_index": 1, "x1": 1, "y1": 1, "x2": 5, "y2": 5}]
    refused = client.put(url(event), bad, format="json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert "outside" in errors["objects[0].boxes[0]"]
    assert "already objects[0]" in errors["objects[1].name"]
    assert "sampled frames" in errors["objects[1].boxes[0]"]
    assert client.get(url(event)).json()["version"] == 2
    assert BoxProposal.objects.filter(avobject__event=event).count() == 2


@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("outsider", 404), ("annotator", 403),
                                           ("reviewer", 200), ("manager", 200)])
def test_who_may_save(avst, team, role, expected):
    project, video, event = avst
    doc = client_for(team.reviewer).get(url(event)).json()
    response = client_for(team.user(role)).put(url(event), body(doc), format="json")
    assert response.status_code == expected


def test_pages_render_for_members_and_hide_from_others(avst, team, client):
    project, video, event = avst
    client.force_login(team.annotator)
    page = client.get(reverse("event-review", args=[event.pk]))
    assert page.status_code == 200 and b"eventreview-data" in page.content
    assert client.get(reverse("avst-video", args=[video.pk])).status_code == 200
    assert client.get(reverse("event-history", args=[event.pk])).status_code == 200
    client.force_login(team.outsider)
    for name, pk in (("event-review", event.pk), ("avst-video", video.pk), ("event-history", event.pk),
                     ("avst-overview", project.pk), ("avst-filtering", project.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name


def test_malformed_ids_and_names_get_400_not_500(avst, team):
    project, video, event = avst
    client = client_for(team.reviewer)
    doc = client.get(url(event)).json()
    for mutate, key in (
        (lambda objs: objs[0].update(id=[objs[0]["id"]]), "objects[0].id"),
        (lambda objs: objs[0]["boxes"][0].update(id={"x": 1}), "objects[0].boxes[0]"),
        (lambda objs: objs[0]["boxes"].append(dict(objs[0]["boxes"][0])), "objects[0].boxes[2]"),
        (lambda objs: objs[1].update(name="speaker <left>"), "objects[1].name"),
    ):
        sent = body(doc)
        mutate(sent["objects"])
        response = client.put(url(event), sent, format="json")
        assert response.status_code == 400, (key, response.content)
        assert key in response.json()["errors"]
    assert client.get(url(event)).json()["version"] == 1


def test_a_relabelled_model_object_is_a_persons_and_a_plain_save_reopens_review(avst, team):
    project, video, event = avst
    client = client_for(team.reviewer)
    doc = client.get(url(event)).json()
    accepted = client.put(url(event), {**body(doc), "accept": True}, format="json").json()
    sent = body(accepted)
    sent["objects"][1]["audibility"] = "audible"
    saved = client.put(url(event), sent, format="json").json()
    assert [(o["name"], o["source"], o["state"]) for o in saved["objects"]] == [
        ("dog", "model", "proposed"), ("ball", "human", "proposed")]
    assert {b["source"] for b in saved["objects"][0]["boxes"]} == {"model"}
    assert not BoxProposal.objects.filter(avobject__event=event, state="accepted").exists()


def test_accepted_events_reach_an_r_avst_release(avst, team):
    import json

    from benchmark.formats import ravst
    from benchmark.releases.services import create_release, export_release, release_dir

    project, video, event = avst
    client = client_for(team.reviewer)
    doc = client.get(url(event)).json()
    client.put(url(event), {**body(doc), "accept": True}, format="json")
    release, _ = create_release(project=project, version="1.0.0", format="r-avst", metadata_only=True,
                                dispatch=False)
    release = export_release(release)
    published = ravst.load(release_dir(release) / "r-avst.json")
    assert [v.video_name for v in published] == ["yt123"]
    tasks = {task: [qa.question for qa in qas] for task, qas in published[0].events[0].qa.items()}
    assert tasks["AVTR"] == ["When is the moment dog makes sound and is visible?"]
    assert json.loads((release_dir(release) / "manifest.json").read_text())["counts"]["qa_pairs"] == 3
