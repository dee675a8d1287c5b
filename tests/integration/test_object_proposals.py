"""Object clue proposals and click-to-box through the app, with tiny random Grounding DINO and SAM 2 models loaded
through the production path from local folders, on the real proxy frames of a processed video: computed when an
object question enters stage 3 (gpu queue), each instance once on an exact sampled frame that the detector really
boxed it on; accepted (a clue with the proposal's box and provenance) and rejected (remembered) with the document's
version; the propose_clues command's object lines; a person's click as a job whose result the page accepts; clear
refusals without weights or with a bad point; and the same through a real Celery worker."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotation.counting import proposals, workspace
from annotation.counting.models import Clue, ClueProposal, Question
from pipeline.detect.distinct import iou, link
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here
from pipeline.media.frames import FrameDecoder
from pipeline.videos import detectors
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(q, tail=""):
    return f"/api/v1/question-docs/{q.pk}/{tail}"


@pytest.fixture
def no_weights(settings, tmp_path):
    settings.CLUEBENCH_DETECT_DINO_PATH = str(tmp_path / "absent-dino")
    settings.CLUEBENCH_DETECT_SAM2_PATH = str(tmp_path / "absent-sam2")
    return settings


def draft(team, video, *, text="How many red squares are there?", category="object", interval=(0.0, 3.0)):
    """A box question drafted into stage 3 through the API, as the workspace does."""
    q = Question.objects.create(video=video, text=text, category=category, modality="V")
    body = {**workspace.doc_of(q), "drafted_answer": 1, "ref_start": interval[0], "ref_end": interval[1]}
    if category == "attribute":
        body["clusters"] = [{"name": "red", "color": ""}]
    response = api(team.annotator).put(url(q), body, format="json")
    assert response.status_code == 200, response.content
    q.refresh_from_db()
    return q


def compute(q):
    job = Job.objects.get(kind=proposals.KIND_OBJECTS, target_id=q.pk)
    assert job.queue == "gpu"
    job = run_job_here(job=job)
    assert job.state == JobState.SUCCEEDED, job.error
    return job


def test_entering_stage_3_proposes_instances_on_exact_sampled_frames(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    job = compute(q)
    rows = list(ClueProposal.objects.filter(question=q))
    assert rows, "random weights with zero thresholds find something"
    assert job.result["phrase"] == "red squares" and job.result["frames"] == len(proposals.sample_frames(q))
    sampled = proposals.sample_frames(q)
    # One frame a second from the interval's start, exact proxy frames.
    assert sampled == [round(t * ready_video.fps) for t in (0, 1, 2)]
    # Each proposal's box is a box the detector really gave at that exact frame.
    det = detectors.detector()
    with FrameDecoder(ready_video.proxy.path) as decoder:
        (track,) = det.detect([decoder.get(i) for i in sampled], ["red squares"])
    for row in rows:
        assert row.kind == "object" and row.source == "detector" and row.state == "proposed"
        assert row.frame_index in sampled and row.label == "red squares"
        assert abs(row.timestamp - (row.frame_index + 0.5) / ready_video.fps) < 1e-9
        assert 0 <= row.x1 < row.x2 <= ready_video.width and 0 <= row.y1 < row.y2 <= ready_video.height
        assert 0 <= row.score <= 1 and row.model == "grounding-dino+sam2" and row.model_version
        at_frame = track.frames[sampled.index(row.frame_index)]
        assert any(iou((b.x1, b.y1, b.x2, b.y2), (row.x1, row.y1, row.x2, row.y2)) > 0.999 for b in at_frame)
    # Proposed once per distinct object: as many proposals as the tracker's sightings make objects, fewer than the
    # boxes it gave over the frames.
    assert len(rows) == len(link(track.frames))
    assert len(rows) < sum(len(boxes) for boxes in track.frames)
    listed = api(team.annotator).get(url(q, "proposals/")).json()
    assert {p["id"] for p in listed["proposals"]} == {r.pk for r in rows}
    first = next(p for p in listed["proposals"] if p["id"] == rows[0].pk)
    assert first["box"] == [rows[0].x1, rows[0].y1, rows[0].x2, rows[0].y2] and first["frame_index"] == rows[0].frame_index


def test_accept_reject_and_reruns(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    compute(q)
    rows = list(ClueProposal.objects.filter(question=q).order_by("id"))
    assert len(rows) >= 2, "two instances are needed for this test"
    keep, drop = rows[0], rows[1]
    client = api(team.annotator)
    version = workspace.doc_of(q)["version"]
    stale = client.post(url(q, f"proposals/{keep.pk}/accept/"), {"version": version - 1}, format="json")
    assert stale.status_code == 409
    accepted = client.post(url(q, f"proposals/{keep.pk}/accept/"), {"version": version}, format="json")
    assert accepted.status_code == 200, accepted.content
    clue = Clue.objects.get(question=q)
    assert clue.proposal_id == keep.pk and clue.frame_index == keep.frame_index
    assert (clue.x1, clue.y1, clue.x2, clue.y2) == (keep.x1, keep.y1, keep.x2, keep.y2)
    doc = accepted.json()
    assert doc["clues"][0]["proposal"] == keep.pk
    rejected = client.post(url(q, f"proposals/{drop.pk}/reject/"), {"version": doc["version"]}, format="json")
    assert rejected.status_code == 200, rejected.content
    # A rerun keeps the ids of undecided proposals and brings back neither the accepted nor the rejected one.
    open_ids = {r.pk for r in rows[2:]}
    job = run_job_here(job=proposals.request(question=q, dispatch=False, force=True))
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.result["already_decided"] >= 2
    now = {p.pk: p.state for p in ClueProposal.objects.filter(question=q)}
    assert now[keep.pk] == "accepted" and now[drop.pk] == "rejected"
    assert set(now) == open_ids | {keep.pk, drop.pk}


def test_an_attribute_proposal_goes_into_a_cluster(team, ready_video, detect_settings):
    q = draft(team, ready_video, text="How many colours do the squares have?", category="attribute")
    compute(q)
    proposal = ClueProposal.objects.filter(question=q).first()
    assert proposal is not None and proposal.kind == "attribute" and proposal.label == "colours"
    response = api(team.annotator).post(url(q, f"proposals/{proposal.pk}/accept/"),
                                        {"version": workspace.doc_of(q)["version"]}, format="json")
    assert response.status_code == 200, response.content
    assert Clue.objects.get(question=q).cluster == "red"


def test_project_labels_name_the_object(team, ready_video, detect_settings):
    team.project.settings = {"labels": {"objects": ["square", "speaker"], "clusters": []}}
    team.project.save()
    q = draft(team, ready_video, text="How many different squares cross the screen?")
    job = compute(q)
    assert job.result["phrase"] == "square"


def test_the_command_prints_object_lines(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    out = StringIO()
    call_command("propose_clues", "--project", team.project.name, "--question", str(q.pk), "--wait", stdout=out,
                 stderr=StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and len(lines) == ClueProposal.objects.filter(question=q).count()
    for line in lines:
        assert set(line) >= {"question", "kind", "frame_index", "box", "label", "score", "model"}
        assert line["question"] == q.pk and line["kind"] == "object" and len(line["box"]) == 4
        assert isinstance(line["frame_index"], int)


def test_without_weights_nothing_is_queued_and_a_request_says_why(team, ready_video, no_weights):
    q = draft(team, ready_video)
    assert not Job.objects.filter(kind=proposals.KIND_OBJECTS, target_id=q.pk).exists()
    response = api(team.manager).post(url(q, "proposals/request/"), {}, format="json")
    assert response.status_code == 409
    assert "CLUEBENCH_DETECT_DINO_PATH" in response.json()["detail"]
    click = api(team.annotator).post(url(q, "click-box/"), {"frame_index": 10, "x": 40, "y": 60}, format="json")
    assert click.status_code == 409 and "CLUEBENCH_DETECT_SAM2_PATH" in click.json()["detail"]
    # The workspace says why: the proposals list, and the page's payload for the c key.
    listed = api(team.annotator).get(url(q, "proposals/")).json()
    assert listed["proposals"] == [] and "CLUEBENCH_DETECT_DINO_PATH" in listed["unavailable"]
    from django.test import Client
    from django.urls import reverse

    browser = Client()
    browser.force_login(team.annotator)
    page = browser.get(reverse("workspace", args=[q.pk])).content.decode()
    data = json.loads(page.split('<script id="workspace-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert "click_box" not in data["urls"] and "CLUEBENCH_DETECT_SAM2_PATH" in data["click_box_missing"]


def test_click_to_box_is_a_job_whose_proposal_the_page_accepts(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    client = api(team.annotator)
    # A point on the red square (the synthetic video draws it at y 40-100 from x 10, moving right).
    response = client.post(url(q, "click-box/"), {"frame_index": 5, "x": 45.0, "y": 70.0}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["queue"] == "gpu" and response.json()["state"] == "queued"
    job = run_job_here(job=Job.objects.get(pk=response.json()["id"]))
    assert job.state == JobState.SUCCEEDED, job.error
    seen = client.get(f"/api/v1/jobs/{job.pk}/").json()
    proposal = seen["result"]["proposal"]
    assert proposal is not None, "the tiny model's mask under this point is not empty"
    assert proposal["source"] == "click" and proposal["frame_index"] == 5 and proposal["model"] == "sam2"
    x1, y1, x2, y2 = proposal["box"]
    assert 0 <= x1 < x2 <= ready_video.width and 0 <= y1 < y2 <= ready_video.height
    accepted = client.post(url(q, f"proposals/{proposal['id']}/accept/"),
                           {"version": workspace.doc_of(q)["version"]}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert Clue.objects.get(question=q).proposal_id == proposal["id"]


@pytest.mark.parametrize("body, field", [
    ({"frame_index": 10**6, "x": 10, "y": 10}, "frame_index"),
    ({"frame_index": 3, "x": 5000, "y": 10}, "x"),
    ({"frame_index": 3, "x": -1, "y": 10}, "x"),
    ({"frame_index": 3, "y": 10}, "x"),
])
def test_a_bad_click_is_refused_before_anything_is_queued(team, ready_video, detect_settings, body, field):
    q = draft(team, ready_video)
    before = Job.objects.count()
    response = api(team.annotator).post(url(q, "click-box/"), body, format="json")
    assert response.status_code == 400 and field in json.dumps(response.json())
    assert Job.objects.count() == before


def test_only_the_holder_may_click_and_only_on_box_questions(team, ready_video, detect_settings,
                                                             django_user_model):
    from annotation.projects.models import Membership, Role

    q = draft(team, ready_video)
    body = {"frame_index": 3, "x": 40, "y": 60}
    assert api(team.outsider).post(url(q, "click-box/"), body, format="json").status_code == 404
    second = django_user_model.objects.create_user(username="second-annotator", password="pw")
    Membership.objects.create(project=team.project, user=second, role=Role.ANNOTATOR)
    held = api(second).post(url(q, "click-box/"), body, format="json")
    assert held.status_code in (403, 409) and "annotator-user" in held.json()["detail"]
    event = draft(team, ready_video, text="How many beeps?", category="event")
    refused = api(team.annotator).post(url(event, "click-box/"), body, format="json")
    assert refused.status_code == 409 and "object and attribute" in refused.json()["detail"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_object_proposals_and_click_to_box_on_the_gpu_worker(team, ready_video, detect_settings, celery_worker_process):
    q = draft(team, ready_video)
    # Entering stage 3 queued the object proposals: the gpu worker computes them.
    computed = wait_for(lambda: Job.objects.filter(kind=proposals.KIND_OBJECTS, target_id=q.pk,
                                                   state__in=[JobState.SUCCEEDED, JobState.FAILED]).first(),
                        timeout=180)
    assert computed.state == JobState.SUCCEEDED, computed.error
    assert ClueProposal.objects.filter(question=q, source="detector").exists()
    client = api(team.annotator)
    response = client.post(url(q, "click-box/"), {"frame_index": 5, "x": 45.0, "y": 70.0}, format="json")
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    # The page polls the job until it has ended, then accepts the proposal in its result.
    done = wait_for(lambda: (lambda j: j if j["state"] in ("succeeded", "failed") else None)(
        client.get(f"/api/v1/jobs/{job_id}/").json()), timeout=180)
    assert done["state"] == "succeeded", done["error"]
    assert done["result"]["proposal"]["source"] == "click"
    assert ClueProposal.objects.filter(pk=done["result"]["proposal"]["id"], question=q).exists()


@pytest.mark.parametrize("text, names, phrase", [
    ("How many red squares are there?", [], "red squares"),
    ("How many different cars appear in the video?", [], "cars"),
    ("How many distinct people can be seen?", [], "people"),
    ("how many kinds of birds sing", [], "birds sing"),
    ("How many dogs bark at the mailman?", ["dog", "mailman"], "dog"),
    ("How many times does the mailman pass a dog?", ["dog", "mailman"], "mailman"),
    ("How many red cars pass?", ["car", "red car"], "red car"),
    ("How many dogs are there?", ["dog", "cat"], "dog"),
    ("Count the guitars.", [], "Count the guitars."),
])
def test_the_object_phrase_of_a_question(text, names, phrase):
    assert proposals.object_phrase(text, names) == phrase


def test_a_category_change_drops_open_proposals_of_the_old_kind_and_queues_the_new(team, ready_video,
                                                                                   detect_settings):
    q = draft(team, ready_video)
    compute(q)
    assert ClueProposal.objects.filter(question=q, kind="object").exists()
    doc = workspace.doc_of(q)
    response = api(team.annotator).put(url(q), {**doc, "category": "event", "clues": []}, format="json")
    assert response.status_code == 200, response.content
    assert not ClueProposal.objects.filter(question=q, kind="object", state="proposed").exists()
    # The event proposals are queued on the media queue; a stale object job does nothing.
    assert Job.objects.filter(kind=proposals.KIND_ACOUSTIC, target_id=q.pk, state=JobState.QUEUED).exists()
    stale = run_job_here(job=proposals.request(question=Question.objects.get(pk=q.pk), dispatch=False))
    assert stale.kind == proposals.KIND_ACOUSTIC
    assert proposals.run(question_id=q.pk, kinds=proposals.BOX_KINDS)["stored"] == 0


def test_a_link_to_a_proposal_a_rerun_removed_keeps_the_clue_as_a_persons(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    compute(q)
    gone = ClueProposal.objects.filter(question=q).first()
    box = {"kind": "object", "frame_index": gone.frame_index, "x1": gone.x1, "y1": gone.y1, "x2": gone.x2,
           "y2": gone.y2, "cluster": "", "proposal": gone.pk}
    gone.delete()
    response = api(team.annotator).put(url(q), {**workspace.doc_of(q), "clues": [box]}, format="json")
    assert response.status_code == 200, response.content
    clue = Clue.objects.get(question=q)
    assert clue.proposal_id is None and clue.frame_index == box["frame_index"]
    other = draft(team, ready_video)
    compute(other)
    foreign = ClueProposal.objects.filter(question=other).first()
    q.refresh_from_db()
    refused = api(team.annotator).put(url(q), {**workspace.doc_of(q), "clues": [{**box, "proposal": foreign.pk}]},
                                      format="json")
    assert refused.status_code == 400 and "not one of this question's" in json.dumps(refused.json())


def test_waiting_clicks_are_capped(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    client = api(team.annotator)
    body = {"frame_index": 3, "x": 40, "y": 60}
    assert [client.post(url(q, "click-box/"), body, format="json").status_code for _ in range(3)] == [202, 202, 409]


def found_object(frames_and_boxes, *, label="red squares"):
    """A detector's answer of one object seen on the given (frame, box) pairs, first clear on the first."""
    from pipeline.detect.distinct import DistinctInstance

    (frame, box), *_ = frames_and_boxes
    return DistinctInstance(frame_index=frame, box=box, score=0.9, label=label,
                            seen=tuple(f for f, _ in frames_and_boxes), boxes=tuple(b for _, b in frames_and_boxes))


def store_found(q, *instances):
    q.refresh_from_db()
    found = proposals.DetectedObjects(found=list(instances), phrase="red squares", frames=3, model="m",
                                      model_version="v")
    return proposals.store_objects(question_id=q.pk, found=found, interval=(q.ref_start, q.ref_end),
                                   category=q.category)


def test_a_rerun_after_the_interval_moved_never_brings_a_rejected_object_back(team, ready_video, detect_settings):
    q = draft(team, ready_video, interval=(0.0, 3.9))
    ClueProposal.objects.filter(question=q).delete()
    box = (10.0, 40.0, 70.0, 100.0)
    rejected = ClueProposal.objects.create(question=q, kind="object", frame_index=0, timestamp=0.5 / 25, x1=box[0],
                                           y1=box[1], x2=box[2], y2=box[3], score=0.9, model="m", model_version="v",
                                           label="red squares")
    client = api(team.annotator)
    doc = client.get(url(q)).json()
    moved = client.put(url(q), {**doc, "rejected_proposals": [rejected.pk], "ref_start": 1.5}, format="json")
    assert moved.status_code == 200, moved.content
    q.refresh_from_db()
    sampled = proposals.sample_frames(q)
    assert len(sampled) == 3 and sampled[0] > 0
    # The same static object, now seen from the moved interval's first sampled frame on: the one rejected.
    outcome = store_found(q, found_object([(f, box) for f in sampled]))
    assert (outcome["created"], outcome["already_decided"]) == (0, 1)
    # A different object that appears later, in the same place, is new.
    outcome = store_found(q, found_object([(f, box) for f in sampled[2:]]))
    assert outcome["created"] == 1
    # A decision far outside the searched frames (more than two sampling gaps) stands for nothing seen here.
    ClueProposal.objects.filter(question=q, state="proposed").delete()
    ClueProposal.objects.filter(pk=rejected.pk).update(frame_index=sampled[-1] + 3 * 25)
    assert store_found(q, found_object([(f, box) for f in sampled]))["created"] == 1


def test_a_clue_drawn_on_another_frame_of_the_object_stands_for_it(team, ready_video, detect_settings):
    q = draft(team, ready_video, interval=(0.0, 3.5))
    ClueProposal.objects.filter(question=q).delete()
    sampled = proposals.sample_frames(q)
    moving = [(f, (10.0 + 20 * i, 40.0, 70.0 + 20 * i, 100.0)) for i, f in enumerate(sampled)]
    # The annotator drew the moving object on its last sampled frame; it is first clear on the first one.
    Clue.objects.create(question=q, kind="object", frame_index=moving[-1][0], timestamp=(moving[-1][0] + 0.5) / 25,
                        x1=moving[-1][1][0], y1=40.0, x2=moving[-1][1][2], y2=100.0)
    outcome = store_found(q, found_object(moving))
    assert (outcome["created"], outcome["already_decided"]) == (0, 1)


def test_an_open_click_proposal_stands_for_its_object_on_a_rerun(team, ready_video, detect_settings):
    q = draft(team, ready_video)
    ClueProposal.objects.filter(question=q).delete()
    box = (10.0, 40.0, 70.0, 100.0)
    ClueProposal.objects.create(question=q, kind="object", source="click", frame_index=0, timestamp=0.5 / 25,
                                x1=box[0], y1=box[1], x2=box[2], y2=box[3], score=0.9, model="sam2",
                                model_version="v")
    outcome = store_found(q, found_object([(0, box)]))
    assert outcome["created"] == 0
    assert list(ClueProposal.objects.filter(question=q).values_list("source", flat=True)) == ["click"]


def test_a_click_whose_job_was_taken_away_writes_nothing(team, ready_video, detect_settings):
    from pipeline.jobs.base import LeaseLost

    q = draft(team, ready_video)
    before = ClueProposal.objects.filter(question=q).count()
    gone = Job(pk=10**9, task_id="gone")  # deleted meanwhile (a restarted second pass removes its clicks)
    with pytest.raises(LeaseLost):
        proposals.click_box(question_id=q.pk, frame_index=3, x=40.0, y=60.0, job=gone)
    assert ClueProposal.objects.filter(question=q).count() == before
