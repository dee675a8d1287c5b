"""Stage 1 end to end: the real openai SDK talks to a local fake server; calls are logged, cached and retried."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotation.counting.models import CandidateQuestion
from annotation.counting.services import start_stage1
from annotation.projects.models import Source
from pipeline.jobs.models import Job, JobState, LLMCall
from pipeline.jobs.services import run_job_here
from tests.fakes.gemini_server import fake_gemini_fixture  # noqa: F401  (registers fake_gemini)
from tests.fakes.openai_server import fake_openai_fixture  # noqa: F401  (registers fake_openai)

pytestmark = pytest.mark.django_db

KEY = "sk-test-not-a-real-key-123456"


def answer(*questions) -> tuple:
    return ("json", json.dumps({"questions": [
        {"question": text, "category": category, "type": modality, "query_interval": [start, end]}
        for text, category, modality, start, end in questions
    ]}))


GOOD = answer(
    ("How many times does a beep sound?", "event", "A", 0.0, 4.0),
    ("How many red squares move across the screen?", "object", "V", 0.5, 3.5),
    ("How many times is a beep heard?", "event", "A", 0.0, 4.0),  # a near-duplicate of the first
)


@pytest.fixture
def llm(settings, monkeypatch, fake_openai):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    settings.CLUEBENCH_LLM_PROVIDER = "openai"
    settings.CLUEBENCH_LLM_MODEL = "gpt-4o-mini"
    settings.CLUEBENCH_LLM_FRAME_BUDGET = 6
    settings.CLUEBENCH_LLM_MAX_RETRIES = 2
    settings.CLUEBENCH_LLM_RETRY_BASE_DELAY = 0.01
    settings.CLUEBENCH_LLM_TIMEOUT = 5
    return fake_openai


def run_stage1(project, video):
    jobs, skipped = start_stage1(project=project, video_ids=[video.pk], dispatch=False)
    assert not skipped and len(jobs) == 1
    return run_job_here(job=jobs[0])


def test_proposals_become_candidates_and_a_rerun_makes_no_call(team, ready_video, llm):
    llm.script(GOOD)
    job = run_stage1(team.project, ready_video)

    assert job.state == JobState.SUCCEEDED, job.error
    candidates = list(CandidateQuestion.objects.filter(video=ready_video).order_by("id"))
    assert [c.text for c in candidates] == [
        "How many times does a beep sound?", "How many red squares move across the screen?",
    ]
    assert all(c.source == Source.MODEL and c.state == "proposed" and c.model == "gpt-4o-mini" for c in candidates)
    assert (candidates[1].query_start, candidates[1].query_end) == (0.5, 3.5)
    call = LLMCall.objects.get()
    assert call.outcome == "ok" and call.prompt_version == "stage1_questions@v1"
    assert candidates[0].llm_call == call and call.tokens_in > 0 and call.cost_usd > 0
    # The request carried the sampled frames with their times, and the key is nowhere in the log.
    body = llm.completion_calls()[0].body
    parts = body["messages"][1]["content"]
    assert sum(1 for p in parts if p["type"] == "image_url") == 6
    assert any(p["type"] == "text" and p["text"].startswith("Frame at ") for p in parts)
    assert KEY not in json.dumps(call.request) + json.dumps(call.response)

    again = run_stage1(team.project, ready_video)
    assert again.state == JobState.SUCCEEDED
    assert len(llm.completion_calls()) == 1  # answered from the call log
    assert CandidateQuestion.objects.filter(video=ready_video).count() == 2  # and nothing proposed twice
    assert LLMCall.objects.count() == 1


def test_an_invalid_answer_is_retried_once_with_the_error(team, ready_video, llm):
    llm.script(("json", '{"questions": [{"question": "How many beeps?"'), GOOD)
    job = run_stage1(team.project, ready_video)
    assert job.state == JobState.SUCCEEDED, job.error
    outcomes = list(LLMCall.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["invalid", "ok"]
    second = llm.completion_calls()[1].body["messages"]
    assert any(m["role"] == "assistant" for m in second)
    assert "not valid JSON" in json.dumps(second)


def test_interval_outside_the_video_twice_fails_with_the_reason(team, ready_video, llm):
    bad = answer(("How many beeps?", "event", "A", 1.0, 99.0))
    llm.script(bad, bad)
    job = run_stage1(team.project, ready_video)
    assert job.state == JobState.FAILED
    assert "after the end of the video" in job.error
    assert not CandidateQuestion.objects.exists()
    assert list(LLMCall.objects.values_list("outcome", flat=True)) == ["invalid", "invalid"]


def test_server_errors_until_the_budget_ends(team, ready_video, llm):
    llm.script(*[("status", 500)] * 3)
    job = run_stage1(team.project, ready_video)
    assert job.state == JobState.FAILED and "gave no usable questions" in job.error
    assert len(llm.completion_calls()) == 3  # one call and two retries
    assert LLMCall.objects.filter(outcome="error").count() == 3


def test_rate_limited_then_answered(team, ready_video, llm):
    llm.script(("status", 429, {"Retry-After": "0"}), GOOD)
    job = run_stage1(team.project, ready_video)
    assert job.state == JobState.SUCCEEDED
    assert list(LLMCall.objects.order_by("id").values_list("outcome", flat=True)) == ["error", "ok"]


def test_without_a_key_the_stage_says_so(team, ready_video, settings, monkeypatch, client):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings.CLUEBENCH_LLM_PROVIDER = "openai"
    with pytest.raises(CommandError, match="No API key: set OPENAI_API_KEY"):
        call_command("propose_questions", "--project", team.project.name, "--wait")
    client.force_login(team.manager)
    page = client.get(reverse("stage1", args=[team.project.pk])).content.decode()
    assert "No API key: set OPENAI_API_KEY" in page and "add questions by hand" in page
    response = client.post(reverse("stage1", args=[team.project.pk]), follow=True)
    assert "No API key" in response.content.decode()
    assert not Job.objects.exists()


def test_command_runs_stage1_and_the_spend_page_shows_it(team, ready_video, llm, client, capsys):
    llm.script(GOOD)
    call_command("propose_questions", "--project", team.project.name, "--wait")
    assert f"video {ready_video.pk} done" in capsys.readouterr().out
    client.force_login(team.manager)
    page = client.get(reverse("llm-spend", args=[team.project.pk])).content.decode()
    assert '<td id="spend-calls">1</td>' in page
    client.force_login(team.annotator)
    assert client.get(reverse("llm-spend", args=[team.project.pk])).status_code == 403


def test_gemini_gets_the_video_natively_and_reuses_the_upload(team, ready_video, settings, monkeypatch, fake_gemini):
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake_gemini.base_url)
    team.project.settings = {"llm": {"provider": "gemini", "model": "gemini-2.0-flash"}}
    team.project.save()
    settings.CLUEBENCH_LLM_RETRY_BASE_DELAY = 0.01
    fake_gemini.script(("json", "this is not JSON"), GOOD)

    job = run_stage1(team.project, ready_video)

    assert job.state == JobState.SUCCEEDED, job.error
    assert len(fake_gemini.uploads()) == 1 and len(fake_gemini.generate_calls()) == 2
    assert len(fake_gemini.deletes()) == 1  # the uploaded video is removed when the stage is done
    assert CandidateQuestion.objects.filter(video=ready_video, model="gemini-2.0-flash").count() == 2
    assert list(LLMCall.objects.order_by("id").values_list("provider", "outcome")) == [
        ("gemini", "invalid"), ("gemini", "ok"),
    ]
    for call in LLMCall.objects.all():
        assert KEY not in json.dumps(call.request) + json.dumps(call.response or {})
