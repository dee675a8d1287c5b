"""Click-to-box and tracking on the event review page's API, with a tiny random SAM 2 video model loaded through the
production path, on the real proxy frames of the event's sampled seconds: a job each (gpu queue) whose result the
page shows to confirm; nothing written to the event; bad input refused before anything is queued; reviewers only."""

import pytest
from rest_framework.test import APIClient

from annotation.avst import assist
from annotation.avst.models import BoxProposal
from annotation.avst.seconds import sampled_seconds
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(event, tail):
    return f"/api/v1/event-docs/{event.pk}/{tail}/"


def frames_of(event):
    return [s.frame_index for s in sampled_seconds(event, event.video)]


def finish(response):
    assert response.status_code == 202, response.content
    assert response.json()["queue"] == "gpu"
    job = run_job_here(job=Job.objects.get(pk=response.json()["id"]))
    assert job.state == JobState.SUCCEEDED, job.error
    return job.result


def test_a_click_gives_a_box_on_that_second_and_writes_nothing(avst, team, detect_settings):
    project, video, event = avst
    before = (event.version, BoxProposal.objects.filter(avobject__event=event).count())
    first = frames_of(event)[0]
    result = finish(api(team.reviewer).post(url(event, "click-box"), {"frame_index": first, "x": 40, "y": 70},
                                            format="json"))
    assert result["frame_index"] == first and result["model"] == "sam2" and result["model_version"]
    assert result["box"] is not None, "the tiny model's mask under this point is not empty"
    x1, y1, x2, y2 = result["box"]
    assert 0 <= x1 < x2 <= video.width and 0 <= y1 < y2 <= video.height and 0 <= result["score"] <= 1
    event.refresh_from_db()
    assert (event.version, BoxProposal.objects.filter(avobject__event=event).count()) == before


def test_one_box_is_followed_through_the_other_seconds(avst, team, detect_settings):
    project, video, event = avst
    seconds = {s.frame_index: s.t for s in sampled_seconds(event, video)}
    middle = sorted(seconds)[1]
    result = finish(api(team.reviewer).post(url(event, "track"), {"frame_index": middle, "box": [10, 20, 110, 120]},
                                            format="json"))
    found = result["boxes"]
    assert found and {b["frame_index"] for b in found} <= set(seconds) - {middle}
    # Both directions: the seconds before and after the prompted one.
    assert {b["frame_index"] for b in found} == set(seconds) - {middle}
    for b in found:
        assert b["t"] == seconds[b["frame_index"]]
        x1, y1, x2, y2 = b["box"]
        assert 0 <= x1 < x2 <= video.width and 0 <= y1 < y2 <= video.height


@pytest.mark.parametrize("tail, body, field", [
    ("click-box", {"frame_index": 1, "x": 10, "y": 10}, "frame_index"),
    ("click-box", {"frame_index": None, "x": 9000, "y": 10}, "x"),
    ("track", {"frame_index": None, "box": [50, 50, 40, 60]}, "box"),
    ("track", {"frame_index": None, "box": [0, 0, 5000, 60]}, "box"),
    ("track", {"frame_index": None, "box": [0, 0, 5]}, "box"),
])
def test_bad_input_is_refused_before_anything_is_queued(avst, team, detect_settings, tail, body, field):
    project, video, event = avst
    if body["frame_index"] is None:
        body = {**body, "frame_index": frames_of(event)[0]}
    before = Job.objects.count()
    response = api(team.reviewer).post(url(event, tail), body, format="json")
    assert response.status_code == 400 and field in str(response.json())
    assert Job.objects.count() == before


def test_reviewers_only_and_a_missing_model_says_which_setting(avst, team, detect_settings, tmp_path):
    project, video, event = avst
    body = {"frame_index": frames_of(event)[0], "x": 40, "y": 70}
    assert api(team.annotator).post(url(event, "click-box"), body, format="json").status_code == 403
    assert api(team.outsider).post(url(event, "click-box"), body, format="json").status_code == 404
    detect_settings.CLUEBENCH_DETECT_SAM2_PATH = str(tmp_path / "nothing")
    refused = api(team.reviewer).post(url(event, "click-box"), body, format="json")
    assert refused.status_code == 409 and "CLUEBENCH_DETECT_SAM2_PATH" in refused.json()["detail"]
    assert not Job.objects.filter(kind__in=[assist.KIND_CLICK, assist.KIND_TRACK]).exists()


def test_kept_click_and_tracked_boxes_keep_the_model_that_proposed_them(avst, team, detect_settings):
    from django.urls import reverse

    from annotation.avst.models import Event

    project, video, event = avst
    client = api(team.reviewer)
    doc_url = reverse("eventdoc-detail", args=[event.pk])
    seconds = frames_of(event)
    clicked = client.post(url(event, "click-box"), {"frame_index": seconds[0], "x": 40, "y": 70}, format="json")
    click = finish(clicked)
    tracked = client.post(url(event, "track"), {"frame_index": seconds[0], "box": click["box"]}, format="json")
    track = finish(tracked)
    click_job, track_job = clicked.json()["id"], tracked.json()["id"]
    later = track["boxes"][0]

    # The visible-only "ball" had no box: the clicked box (moved a little), one tracked box, one drawn by hand,
    # one naming a job that answered nothing on its frame, and one naming another event's job.
    other = Event.objects.create(video=video, number=2, label="another", start=0.3, end=3.2)
    asked = client.post(url(other, "track"), {"frame_index": seconds[0], "box": click["box"]}, format="json")
    assert seconds[2] in {b["frame_index"] for b in finish(asked)["boxes"]}
    foreign = Job.objects.get(pk=asked.json()["id"])
    doc = client.get(doc_url).json()
    objects = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"],
                "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
               for o in doc["objects"]]
    ball = next(o for o in objects if o["name"] == "ball")
    x1, y1, x2, y2 = click["box"]
    ball["boxes"] = [
        {"frame_index": seconds[0], "x1": x1 + 1, "y1": y1, "x2": x2, "y2": y2, "origin": {"job": click_job}},
        {"frame_index": later["frame_index"], **dict(zip(("x1", "y1", "x2", "y2"), later["box"])),
         "origin": {"job": track_job}},
        {"frame_index": seconds[2], "x1": 5, "y1": 5, "x2": 50, "y2": 50, "origin": {"job": click_job}},
        # A second box naming the same answer: one answer is one box.
        {"frame_index": later["frame_index"], "x1": 3, "y1": 3, "x2": 8, "y2": 8, "origin": {"job": track_job}},
    ]
    dog = next(o for o in objects if o["name"] == "dog")
    dog["boxes"].append({"frame_index": seconds[2], "x1": 1, "y1": 1, "x2": 9, "y2": 9,
                         "origin": {"job": foreign.pk}})
    response = client.put(doc_url, {"version": doc["version"], "objects": objects}, format="json")
    assert response.status_code == 200, response.content

    def row(name, frame):
        return BoxProposal.objects.exclude(x2=8).get(avobject__event=event, avobject__name=name, frame_index=frame,
                                                     x1__gte=1 if name == "dog" else 0,
                                                     x1__lt=10 if name == "dog" else 10_000)

    second = BoxProposal.objects.get(avobject__event=event, avobject__name="ball", frame_index=later["frame_index"],
                                     x2=8)
    assert (second.source, second.model) == ("human", "")
    for kept in (row("ball", seconds[0]), row("ball", later["frame_index"])):
        assert (kept.source, kept.model, kept.score) == ("human", "sam2", None)
        assert kept.model_version == click["model_version"]
    assert (row("ball", seconds[2]).source, row("ball", seconds[2]).model) == ("human", "")  # not the click's frame
    assert row("dog", seconds[2]).model == ""  # another event's job is no origin
    # The document says where each box came from, and a later save keeps it.
    saved = client.get(doc_url).json()
    boxes = {b["frame_index"]: b for o in saved["objects"] if o["name"] == "ball" for b in o["boxes"]}
    assert boxes[seconds[0]]["model"] == "sam2" and boxes[seconds[2]]["model"] == ""
    again = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"],
              "boxes": [{k: b[k] for k in ("id", "frame_index", "x1", "y1", "x2", "y2")} for b in o["boxes"]]}
             for o in saved["objects"]]
    assert client.put(doc_url, {"version": saved["version"], "objects": again, "accept": True},
                      format="json").status_code == 200
    assert row("ball", later["frame_index"]).model == "sam2"

    # A malformed origin is refused, naming the box.
    ball = next(o for o in again if o["name"] == "ball")
    ball["boxes"].append({"frame_index": seconds[1], "x1": 5, "y1": 5, "x2": 50, "y2": 50, "origin": {"job": "7"}})
    version = client.get(doc_url).json()["version"]
    response = client.put(doc_url, {"version": version, "objects": again}, format="json")
    assert response.status_code == 400
    index = next(i for i, o in enumerate(again) if o["name"] == "ball")
    assert set(response.data["errors"]) == {f"objects[{index}].boxes[{len(ball['boxes']) - 1}]"}


def test_waiting_clicks_and_tracks_of_an_event_are_capped(avst, team, detect_settings):
    project, video, event = avst
    client = api(team.reviewer)
    first = frames_of(event)[0]
    click = {"frame_index": first, "x": 40, "y": 70}
    track = {"frame_index": first, "box": [10, 20, 110, 120]}
    statuses = [client.post(url(event, "click-box"), click, format="json").status_code for _ in range(3)]
    assert statuses == [202] * assist.MAX_WAITING + [409]
    # Tracks have their own allowance; an answered job frees its place.
    assert client.post(url(event, "track"), track, format="json").status_code == 202
    run_job_here(job=Job.objects.filter(kind=assist.KIND_CLICK, target_id=event.pk).first())
    assert client.post(url(event, "click-box"), click, format="json").status_code == 202
