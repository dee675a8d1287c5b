"""Grounded-SAM2 box proposals as a job: tiny random-initialised Grounding DINO and SAM2 video models (built from
configs, loaded through the production path from local folders) on the real proxy frames of the event's seconds;
rows written with their provenance, reruns, reviewed events left alone, clear failures; and on a real Celery worker
listening on the gpu queue."""

import pytest

from annotation.avst.models import AVObject, BoxProposal, Event
from annotation.avst.services import start_detection
from annotation.projects.models import Decision, Source
from pipeline.avst.seconds import sample_seconds
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.django_db


def run(video):
    jobs, skipped = start_detection(project=video.project, video_ids=[video.pk], dispatch=False)
    assert not skipped and len(jobs) == 1 and jobs[0].queue == "gpu"
    return run_job_here(job=jobs[0])


def test_boxes_are_proposed_per_object_per_sampled_second(avst, detect_settings):
    project, video, event = avst
    human = BoxProposal.objects.create(avobject=AVObject.objects.get(event=event, name="ball"), timestamp=2.3,
                                       frame_index=57, x1=1, y1=1, x2=9, y2=9, source=Source.HUMAN)
    job = run(video)
    assert job.state == JobState.SUCCEEDED, job.error
    seconds = dict(sample_seconds(event.start, event.end, fps=video.fps, frame_count=video.frame_count))
    model_boxes = BoxProposal.objects.filter(avobject__event=event, source=Source.MODEL)
    assert model_boxes.exists()
    # The fixture's two model boxes of the dog were replaced by this run's; the person's box stayed.
    assert not model_boxes.filter(model="gdino+sam2").exists()
    assert BoxProposal.objects.filter(pk=human.pk).exists()
    for box in model_boxes:
        assert seconds[box.timestamp] == box.frame_index
        assert 0 <= box.x1 < box.x2 <= video.width and 0 <= box.y1 < box.y2 <= video.height
        assert 0 <= box.score <= 1 and box.model == "grounding-dino+sam2" and "box=0 text=0 window=2" in box.model_version
        assert box.state == Decision.PROPOSED
    # Several instances of a name at one second are numbered 0, 1, ... at that second.
    for avobject in AVObject.objects.filter(event=event):
        for t in seconds:
            instances = list(model_boxes.filter(avobject=avobject, timestamp=t).values_list("instance", flat=True))
            assert sorted(instances) == list(range(len(instances)))
    event.refresh_from_db()
    assert event.detected_at is not None and event.detect_model.startswith("grounding-dino+sam2")


def test_a_threshold_nothing_passes_leaves_every_second_empty(avst, detect_settings):
    project, video, event = avst
    detect_settings.CLUEBENCH_DETECT_BOX_THRESHOLD = 1.0
    job = run(video)
    assert job.state == JobState.SUCCEEDED, job.error
    assert not BoxProposal.objects.filter(avobject__event=event, source=Source.MODEL).exists()
    event.refresh_from_db()
    assert event.detected_at is not None  # detected, found nothing: the release writes [0, 0, 0, 0] lines


def test_reviewed_events_are_not_touched_and_reruns_box_only_new_events(avst, detect_settings, team):
    from annotation.avst import documents as avst_docs
    from annotation.avst.stages import detect_boxes

    project, video, event = avst
    version = event.version
    assert run(video).state == JobState.SUCCEEDED
    event.refresh_from_db()
    assert event.version == version + 1  # an open review page gets a conflict, not a stale document
    jobs, skipped = start_detection(project=project, dispatch=False)
    assert jobs == [] and "boxed or reviewed already" in skipped[0]

    # A reviewer saves; even a forced run of the stage leaves their boxes alone.
    doc = avst_docs.doc_of(avst_docs.event_queryset().get(pk=event.pk))
    avst_docs.save_event_doc(event=event, expected_version=doc["version"], user=team.reviewer, doc={
        "objects": [{"id": o["id"], "name": o["name"], "audibility": o["audibility"], "boxes": []}
                    for o in doc["objects"]]})
    Event.objects.filter(pk=event.pk).update(detected_at=None)
    report = detect_boxes(video=video)
    assert report.events == 0 and report.skipped == 1
    assert not BoxProposal.objects.filter(avobject__event=event).exists()

    Event.objects.filter(pk=event.pk).update(state=Decision.ACCEPTED)
    assert detect_boxes(video=video).events == 0


def test_the_time_limit_stops_the_job_with_a_reason(avst, detect_settings):
    project, video, event = avst
    detect_settings.CLUEBENCH_DETECT_TIME_LIMIT = 0.000001
    job = run(video)
    assert job.state == JobState.FAILED and job.attempts == 1
    assert "CLUEBENCH_DETECT_TIME_LIMIT" in job.error


def test_missing_weights_fail_clearly_and_are_not_retried(avst, detect_settings, tmp_path):
    project, video, event = avst
    detect_settings.CLUEBENCH_DETECT_DINO_PATH = str(tmp_path / "nowhere")
    job = run(video)
    assert job.state == JobState.FAILED and job.attempts == 1
    assert "CLUEBENCH_DETECT_DINO_PATH" in job.error and "nowhere" in job.error


def test_videos_without_objects_or_proxy_are_skipped(avst, detect_settings):
    project, video, event = avst
    AVObject.objects.filter(event=event).delete()
    jobs, skipped = start_detection(project=project, dispatch=False)
    assert jobs == [] and "run the audibility analysis first" in skipped[0]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_gpu_queue_worker_runs_the_detection(avst, model_folders, celery_worker_process):
    project, video, event = avst
    jobs, skipped = start_detection(project=project, video_ids=[video.pk])
    job = wait_for(lambda: Job.objects.filter(pk=jobs[0].pk, state__in=[JobState.SUCCEEDED, JobState.FAILED]).first(),
                   timeout=180)
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.queue == "gpu"
    event.refresh_from_db()
    assert event.detected_at is not None and event.detect_model.startswith("grounding-dino+sam2")
