"""R-AVST audibility analysis end to end: the real openai SDK talks to the local fake server; answers become
proposed objects with their call, are cached, repaired once, retried on faults; accepted events stay as reviewed."""

import json

import pytest

from annotation.avst.models import AVObject, Event
from annotation.avst.services import start_audibility
from annotation.projects.models import Decision, Project, ProjectKind, Source
from pipeline.jobs.models import JobState, LLMCall
from pipeline.jobs.services import run_job_here
from pipeline.videos.models import Video, VideoStatus
from tests.fakes.openai_server import fake_openai_fixture  # noqa: F401  (registers fake_openai)

pytestmark = pytest.mark.django_db

KEY = "sk-test-audibility-key-987654"


def answer(*objects) -> tuple:
    return ("json", json.dumps({"objects": [{"name": n, "audibility": a} for n, a in objects]}))


TROMBONE = answer(("man", "visible and audible"), ("trombone", "visible and audible"), ("stage", "visible only"))
DOG = answer(("dog", "visible and audible"))


@pytest.fixture
def llm(settings, monkeypatch, fake_openai):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    settings.CLUEBENCH_LLM_PROVIDER = "openai"
    settings.CLUEBENCH_LLM_MODEL = "gpt-4o-mini"
    settings.CLUEBENCH_LLM_MAX_RETRIES = 2
    settings.CLUEBENCH_LLM_RETRY_BASE_DELAY = 0.01
    settings.CLUEBENCH_LLM_TIMEOUT = 5
    return fake_openai


@pytest.fixture
def video():
    project = Project.objects.create(name="avst", kind=ProjectKind.AVST)
    video = Video.objects.create(project=project, title="v1", external_id="v1", duration=30.0,
                                 status=VideoStatus.METADATA, filter_group="medium")
    Event.objects.create(video=video, number=1, label="a man playing the trombone on a stage", start=1.0, end=8.0)
    Event.objects.create(video=video, number=2, label="dog barking", start=10.0, end=14.0)
    # The same caption again: answered from the first call.
    Event.objects.create(video=video, number=3, label="dog barking", start=20.0, end=22.0)
    return video


def run(video):
    jobs, skipped = start_audibility(project=video.project, video_ids=[video.pk], dispatch=False)
    assert not skipped and len(jobs) == 1
    return run_job_here(job=jobs[0])


def objects_of(event):
    return list(AVObject.objects.filter(event=event).order_by("id").values_list("name", "audibility", "source",
                                                                                 "state"))


def test_objects_are_proposed_with_their_call_and_a_rerun_makes_no_call(video, llm):
    llm.script(TROMBONE, DOG)
    job = run(video)
    assert job.state == JobState.SUCCEEDED, job.error
    first, second, third = video.events.order_by("number")
    assert objects_of(first) == [("man", "audible", "model", "proposed"), ("trombone", "audible", "model", "proposed"),
                                 ("stage", "visible_only", "model", "proposed")]
    assert objects_of(second) == objects_of(third) == [("dog", "audible", "model", "proposed")]
    assert len(llm.completion_calls()) == 2
    calls = list(LLMCall.objects.order_by("id"))
    assert [c.prompt_version for c in calls] == ["avst_audibility@v1"] * 2
    assert AVObject.objects.get(event=first, name="stage").llm_call == calls[0]
    first.refresh_from_db()
    assert first.audibility_call == calls[0]
    body = llm.completion_calls()[0].body
    assert "a man playing the trombone on a stage" in json.dumps(body)
    assert KEY not in json.dumps([c.request for c in calls]) + json.dumps([c.response for c in calls])

    jobs, skipped = start_audibility(project=video.project, dispatch=False)
    assert jobs == [] and "analysed already" in skipped[0]
    # An event imported later with a caption seen before: only it is analysed, from the call log.
    later = Event.objects.create(video=video, number=4, label="a man playing the trombone on a stage", start=24.0,
                                 end=28.0)
    again = run(video)
    assert again.state == JobState.SUCCEEDED
    assert len(llm.completion_calls()) == 2 and LLMCall.objects.count() == 2
    assert [n for n, *_ in objects_of(later)] == ["man", "trombone", "stage"]
    assert objects_of(first)[0] == ("man", "audible", "model", "proposed")  # the others were left as they were


def test_a_malformed_answer_is_repaired_once_and_faults_are_retried(video, llm):
    llm.script(("json", "Sure! Here are the objects: man, trombone"), TROMBONE, ("status", 429), ("status", 500), DOG)
    job = run(video)
    assert job.state == JobState.SUCCEEDED, job.error
    outcomes = list(LLMCall.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["invalid", "ok", "error", "error", "ok"]
    repair = llm.completion_calls()[1].body["messages"]
    assert repair[-2]["role"] == "assistant" and "Sure!" in json.dumps(repair[-2]["content"])
    assert repair[-1]["role"] == "user" and "Your answer was invalid" in json.dumps(repair[-1]["content"])
    assert AVObject.objects.filter(event__video=video).count() == 5


def test_twice_invalid_answers_fail_the_job_with_a_reason_and_store_nothing(video, llm):
    bad = answer(("dog", "loud"))
    llm.script(bad, bad)
    job = run(video)
    assert job.state == JobState.FAILED
    assert "event 1" in job.error and "audibility" in job.error
    assert not AVObject.objects.exists()


def test_without_a_key_the_job_says_what_to_set(video, llm, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")
    job = run(video)
    assert job.state == JobState.FAILED and "OPENAI_API_KEY" in job.error
    assert len(llm.completion_calls()) == 0


def test_reviewed_work_is_not_overwritten(video, llm):
    first, second, third = video.events.order_by("number")
    AVObject.objects.create(event=first, name="trumpet", audibility="audible", source=Source.HUMAN)
    Event.objects.filter(pk=third.pk).update(state=Decision.ACCEPTED)
    AVObject.objects.create(event=third, name="puppy", audibility="audible", source=Source.HUMAN,
                            state=Decision.ACCEPTED)
    llm.script(TROMBONE, DOG)
    assert run(video).state == JobState.SUCCEEDED
    assert [n for n, *_ in objects_of(first)] == ["trumpet", "man", "trombone", "stage"]
    assert objects_of(third) == [("puppy", "audible", "human", "accepted")]


def test_removed_videos_are_skipped(video, llm):
    Video.objects.filter(pk=video.pk).update(filter_rule="low_coverage", filter_reason="events cover 1%")
    jobs, skipped = start_audibility(project=video.project, dispatch=False)
    assert jobs == [] and "removed by filtering" in skipped[0]
