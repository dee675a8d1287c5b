"""CLUEBENCH_DETECT_BACKEND=sam3 through the app, with a tiny random SAM 3 (tests/sam3_models.py) loaded through the
production path: the R-AVST box stage, object clue proposals and click-to-box all run with SAM 3 and say so in their
provenance; a missing SAM 3 folder is named."""

import pytest
from rest_framework.test import APIClient

from annotation.avst.models import BoxProposal
from annotation.avst.services import start_detection
from annotation.counting import proposals, workspace
from annotation.counting.models import ClueProposal, Question
from annotation.projects.models import Source
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def sam3_folder(tmp_path_factory):
    from tests.sam3_models import save_sam3

    return save_sam3(tmp_path_factory.mktemp("sam3") / "sam3")


@pytest.fixture
def sam3_settings(settings, sam3_folder, tmp_path):
    settings.CLUEBENCH_DETECT_BACKEND = "sam3"
    settings.CLUEBENCH_DETECT_SAM3_PATH = str(sam3_folder)
    # The other backend's folders are absent: nothing of Grounded-SAM2 may be needed.
    settings.CLUEBENCH_DETECT_DINO_PATH = str(tmp_path / "no-dino")
    settings.CLUEBENCH_DETECT_SAM2_PATH = str(tmp_path / "no-sam2")
    settings.CLUEBENCH_DETECT_DEVICE = "cpu"
    settings.CLUEBENCH_DETECT_WINDOW = 2
    settings.CLUEBENCH_DETECT_BOX_THRESHOLD = 0.0
    return settings


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_box_stage_runs_sam3(avst, sam3_settings):
    project, video, event = avst
    jobs, skipped = start_detection(project=project, video_ids=[video.pk], dispatch=False)
    job = run_job_here(job=jobs[0])
    assert job.state == JobState.SUCCEEDED, job.error
    boxes = BoxProposal.objects.filter(avobject__event=event, source=Source.MODEL)
    assert boxes.exists() and {b.model for b in boxes} == {"sam3"}
    for box in boxes:
        assert 0 <= box.x1 < box.x2 <= video.width and 0 <= box.y1 < box.y2 <= video.height and 0 <= box.score <= 1
    event.refresh_from_db()
    assert event.detect_model.startswith("sam3 ")


def test_object_proposals_and_a_click_run_sam3(team, ready_video, sam3_settings):
    q = Question.objects.create(video=ready_video, text="How many red squares are there?", category="object",
                                modality="V")
    body = {**workspace.doc_of(q), "drafted_answer": 1, "ref_start": 0.0, "ref_end": 3.0}
    assert api(team.annotator).put(f"/api/v1/question-docs/{q.pk}/", body, format="json").status_code == 200
    job = run_job_here(job=Job.objects.get(kind=proposals.KIND_OBJECTS, target_id=q.pk))
    assert job.state == JobState.SUCCEEDED, job.error
    q.refresh_from_db()
    rows = ClueProposal.objects.filter(question=q)
    assert rows.exists() and {r.model for r in rows} == {"sam3"}
    assert {r.frame_index for r in rows} <= set(proposals.sample_frames(q))
    click = api(team.annotator).post(f"/api/v1/question-docs/{q.pk}/click-box/", {"frame_index": 5, "x": 45, "y": 70},
                                     format="json")
    assert click.status_code == 202, click.content
    done = run_job_here(job=Job.objects.get(pk=click.json()["id"]))
    assert done.state == JobState.SUCCEEDED, done.error
    made = done.result["proposal"]
    assert made is not None, "the tiny tracker's mask under this point is not empty"
    assert made["model"] == "sam3-tracker" and made["source"] == "click" and made["frame_index"] == 5


def test_a_missing_sam3_folder_is_named(team, ready_video, sam3_settings, tmp_path):
    sam3_settings.CLUEBENCH_DETECT_SAM3_PATH = str(tmp_path / "nothing")
    q = Question.objects.create(video=ready_video, text="How many squares?", category="object", modality="V",
                                ref_start=0.0, ref_end=2.0, drafted_answer=1, annotator=team.annotator)
    refused = api(team.manager).post(f"/api/v1/question-docs/{q.pk}/proposals/request/", {}, format="json")
    assert refused.status_code == 409 and "CLUEBENCH_DETECT_SAM3_PATH" in refused.json()["detail"]
