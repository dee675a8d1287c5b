"""The OpenAI provider and the stage 1 engine through the real ``openai`` SDK, against a local fake
server (tests/fakes/openai_server.py). No network, no Django, a dummy key."""

from __future__ import annotations

import base64
import io
import json
import socket

import av
import pytest

from pipeline.llm.engine import RetryPolicy, propose_stage1, stage1_request
from pipeline.llm.openai_provider import OpenAIProvider, parse_retry_after
from pipeline.llm.prompts import load_prompt
from pipeline.llm.sampling import media_fingerprint, sample_frames
from pipeline.llm.types import (
    MediaInput,
    MissingApiKey,
    PermanentProviderError,
    SampledFrame,
    TransientProviderError,
)
from pipeline.media.synthetic import demo_spec, render
from tests.fakes.openai_server import fake_openai_fixture  # noqa: F401  (registers the fake_openai fixture)

KEY = "test-key-not-real-0123456789"
DURATION = 60.0
GOOD = json.dumps(
    {
        "questions": [
            {"question": "How many times does a beep sound?", "category": "event", "type": "A", "query_interval": [0, 60]},
            {"question": "How many squares appear?", "category": "object", "type": "V", "query_interval": [5.5, 40]},
        ]
    }
)
OUTSIDE = json.dumps(
    {"questions": [{"question": "How many squares appear?", "category": "object", "type": "V", "query_interval": [10, 95]}]}
)
BAD_CATEGORY = json.dumps(
    {"questions": [{"question": "How many squares?", "category": "colour", "type": "V", "query_interval": [0, 10]}]}
)
FRAMES = (SampledFrame(1.5, 37, b"\xff\xd8jpeg-one\xff\xd9"), SampledFrame(12.345, 308, b"\xff\xd8jpeg-two!\xff\xd9"))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ADMIN_KEY", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)


def request(media: MediaInput | None = None):
    media = media or MediaInput(duration=DURATION, fingerprint="f" * 64, frames=FRAMES)
    return stage1_request(load_prompt("stage1_questions", "v1"), media)


def provider(server, **kwargs) -> OpenAIProvider:
    kwargs.setdefault("api_key", KEY)
    kwargs.setdefault("timeout", 0.5)
    return OpenAIProvider("gpt-4o-mini", base_url=server.base_url, **kwargs)


def policy(sleeps: list, **kwargs) -> RetryPolicy:
    return RetryPolicy(sleep=sleeps.append, **kwargs)


def assert_no_key(outcome) -> None:
    for attempt in outcome.attempts:
        logged = json.dumps([attempt.request_log, attempt.response_log, attempt.error, attempt.text])
        assert KEY not in logged
    assert KEY not in outcome.error


def test_good_answer(fake_openai):
    fake_openai.script(("json", GOOD, {"model": "gpt-4o-mini-2024-07-18", "prompt_tokens": 1234, "completion_tokens": 56}))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([]))
    assert outcome.ok and outcome.error == ""
    assert [(x.text, x.category, x.modality, x.start, x.end) for x in outcome.questions] == [
        ("How many times does a beep sound?", "event", "A", 0.0, 60.0),
        ("How many squares appear?", "object", "V", 5.5, 40.0),
    ]
    [attempt] = outcome.attempts
    assert attempt.outcome == "ok" and attempt.text == GOOD
    assert (attempt.tokens_in, attempt.tokens_out, attempt.model) == (1234, 56, "gpt-4o-mini-2024-07-18")
    assert attempt.latency_ms >= 0
    assert attempt.response_log == {
        "id": "chatcmpl-fake0001",
        "model": "gpt-4o-mini-2024-07-18",
        "content": GOOD,
        "refusal": None,
        "finish_reason": "stop",
        "usage": {"prompt_tokens": 1234, "completion_tokens": 56},
    }

    [call] = fake_openai.completion_calls()
    assert call.headers["authorization"] == f"Bearer {KEY}"
    body = call.body
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.2
    schema = load_prompt("stage1_questions", "v1").schema
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "stage1_questions", "schema": schema, "strict": True},
    }
    system, user = body["messages"]
    assert system == {"role": "system", "content": load_prompt("stage1_questions", "v1").system}
    parts = user["content"]
    assert user["role"] == "user" and parts[0]["type"] == "text" and "60.0 seconds long" in parts[0]["text"]
    assert parts[1:] == [
        {"type": "text", "text": "Frame at 1.50 s:"},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + base64.b64encode(FRAMES[0].jpeg).decode(), "detail": "low"}},
        {"type": "text", "text": "Frame at 12.35 s:"},
        {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64," + base64.b64encode(FRAMES[1].jpeg).decode(), "detail": "low"}},
    ]

    log = attempt.request_log
    assert log["model"] == "gpt-4o-mini" and log["prompt_version"] == "stage1_questions@v1"
    assert log["response_format"] == body["response_format"]
    logged_parts = log["messages"][1]["content"]
    assert logged_parts[2]["image_url"]["url"] == f"<jpeg {len(FRAMES[0].jpeg)} bytes at 1.50 s>"
    assert logged_parts[4]["image_url"]["url"] == f"<jpeg {len(FRAMES[1].jpeg)} bytes at 12.35 s>"
    assert "base64" not in json.dumps(log)
    assert_no_key(outcome)


def test_429_with_retry_after_zero_then_success(fake_openai):
    fake_openai.script(("status", 429, {"Retry-After": "0"}), ("json", GOOD))
    sleeps = []
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy(sleeps))
    assert outcome.ok
    assert [a.outcome for a in outcome.attempts] == ["error", "ok"]
    assert "HTTP 429: fake server error 429" in outcome.attempts[0].error
    assert outcome.attempts[0].request_log["model"] == "gpt-4o-mini"
    assert sleeps == [0.0]
    assert len(fake_openai.completion_calls()) == 2


def test_429_without_retry_after_backs_off_with_growing_delays(fake_openai):
    fake_openai.script(("status", 429), ("status", 429), ("status", 429, {"Retry-After": "7"}), ("json", GOOD))
    sleeps = []
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy(sleeps, base_delay=1.0, jitter=0.5))
    assert outcome.ok and len(outcome.attempts) == 4
    assert 1.0 <= sleeps[0] <= 1.5 and 2.0 <= sleeps[1] <= 3.0 and sleeps[0] < sleeps[1]
    assert sleeps[2] == 7.0  # the server's word replaces the backoff


def test_retry_after_is_capped_at_max_delay(fake_openai):
    fake_openai.script(("status", 429, {"Retry-After": "3600"}), ("json", GOOD))
    sleeps = []
    assert propose_stage1(provider(fake_openai), request(), policy=policy(sleeps, max_delay=5.0)).ok
    assert sleeps == [5.0]


def test_parse_retry_after():
    assert parse_retry_after({"retry-after": "12"}) == 12.0
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    now = 784111777.0  # Sun, 06 Nov 1994 08:49:37 GMT
    assert parse_retry_after({"retry-after": "Sun, 06 Nov 1994 08:50:07 GMT"}, now=now) == 30.0
    assert parse_retry_after({"retry-after": "Sun, 06 Nov 1994 08:40:00 GMT"}, now=now) == 0.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_500s_until_the_budget_ends(fake_openai):
    fake_openai.default = ("status", 500)
    sleeps = []
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy(sleeps, max_retries=3))
    assert not outcome.ok and outcome.questions == []
    assert len(outcome.attempts) == 4 and {a.outcome for a in outcome.attempts} == {"error"}
    assert "HTTP 500" in outcome.error
    assert len(fake_openai.completion_calls()) == 4 and len(sleeps) == 3
    assert_no_key(outcome)


def test_503_and_garbage_are_transient_400_is_not(fake_openai):
    p = provider(fake_openai)
    fake_openai.script(("status", 503), ("raw", 200, "this is not json"), ("raw", 200, "{}"), ("raw", 400, json.dumps({"error": {"message": "Invalid schema for response_format"}})))
    with pytest.raises(TransientProviderError):
        p.complete(request())
    with pytest.raises(TransientProviderError, match="could not be read"):
        p.complete(request())
    with pytest.raises(TransientProviderError, match="could not be read"):
        p.complete(request())
    with pytest.raises(PermanentProviderError, match="HTTP 400: Invalid schema for response_format") as error:
        p.complete(request())
    assert not isinstance(error.value, TransientProviderError)
    assert error.value.request_log["model"] == "gpt-4o-mini"

    fake_openai.script(("status", 404))
    outcome = propose_stage1(p, request(), policy=policy(sleeps := []))
    assert not outcome.ok and "HTTP 404" in outcome.error
    assert len(outcome.attempts) == 1 and sleeps == []  # not retried


def test_timeout_is_transient_and_retried(fake_openai):
    fake_openai.script(("delay", 3.0), ("json", GOOD))
    sleeps = []
    outcome = propose_stage1(provider(fake_openai, timeout=0.5), request(), policy=policy(sleeps))
    assert outcome.ok
    assert [a.outcome for a in outcome.attempts] == ["error", "ok"]
    assert "no answer within 0.5 s" in outcome.attempts[0].error
    assert 400 <= outcome.attempts[0].latency_ms < 3000
    assert len(sleeps) == 1


def test_connection_refused_is_transient():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = OpenAIProvider("gpt-4o-mini", api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", timeout=0.5)
    outcome = propose_stage1(p, request(), policy=policy(sleeps := [], max_retries=1))
    assert not outcome.ok and len(outcome.attempts) == 2 and len(sleeps) == 1
    assert "could not reach http://127.0.0.1" in outcome.error


def test_malformed_json_is_retried_once_with_the_error(fake_openai):
    bad = '{"questions": [{"question": "How many beeps?" "category": "event"}]}'
    fake_openai.script(("json", bad), ("json", GOOD))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([]))
    assert outcome.ok and len(outcome.questions) == 2
    assert [a.outcome for a in outcome.attempts] == ["invalid", "ok"]
    assert outcome.attempts[0].error.startswith("the answer is not valid JSON: Expecting ',' delimiter")

    first, second = fake_openai.completion_calls()
    assert len(first.body["messages"]) == 2
    assert second.body["messages"][:2] == first.body["messages"]
    assistant, user = second.body["messages"][2:]
    assert assistant == {"role": "assistant", "content": bad}
    assert user["role"] == "user"
    assert user["content"].startswith("Your answer was invalid: the answer is not valid JSON: Expecting ',' delimiter: line 1")
    assert user["content"].endswith("Answer again with valid JSON only.")
    assert outcome.attempts[1].request_log["messages"][2:] == [assistant, user]


def test_schema_broken_twice_fails_with_the_reason(fake_openai):
    fake_openai.script(("json", BAD_CATEGORY), ("json", BAD_CATEGORY), ("json", GOOD))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([]))
    assert not outcome.ok and outcome.questions == []
    assert [a.outcome for a in outcome.attempts] == ["invalid", "invalid"]
    assert outcome.error.startswith("the answer was invalid twice")
    assert 'questions[0].category: "colour" is not one of "event", "object", "attribute"' in outcome.error
    assert len(fake_openai.completion_calls()) == 2


def test_interval_outside_the_video_is_sent_back(fake_openai):
    fake_openai.script(("json", OUTSIDE), ("json", GOOD))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([]))
    assert outcome.ok
    second = fake_openai.completion_calls()[1]
    assert "questions[0].query_interval: end 95.0 is after the end of the video (60.0 s)" in second.body["messages"][-1]["content"]


def test_transient_exhaustion_on_the_repair_call(fake_openai):
    fake_openai.script(("json", OUTSIDE), ("status", 502), ("status", 502))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([], max_retries=1))
    assert not outcome.ok and "HTTP 502" in outcome.error
    assert [a.outcome for a in outcome.attempts] == ["invalid", "error", "error"]


def test_the_key_never_leaks(fake_openai):
    echo = json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}.", "type": "invalid_request_error"}})
    fake_openai.script(("status", 429), ("raw", 401, echo))
    outcome = propose_stage1(provider(fake_openai), request(), policy=policy([]))
    assert not outcome.ok
    assert "HTTP 401: Incorrect API key provided: <api key>." in outcome.error
    assert_no_key(outcome)
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in fake_openai.completion_calls())

    fake_openai.script(("raw", 403, echo))
    with pytest.raises(PermanentProviderError) as error:
        provider(fake_openai).complete(request())
    assert KEY not in str(error.value) and KEY not in json.dumps(error.value.request_log)
    assert KEY not in repr(provider(fake_openai))


def test_missing_key(fake_openai, monkeypatch):
    p = provider(fake_openai, api_key=None)
    assert not p.configured()
    with pytest.raises(MissingApiKey, match="no API key: set OPENAI_API_KEY"):
        p.complete(request())
    outcome = propose_stage1(p, request(), policy=policy([]))
    assert not outcome.ok and outcome.attempts == [] and "OPENAI_API_KEY" in outcome.error
    assert fake_openai.completion_calls() == []

    monkeypatch.setenv("OPENAI_API_KEY", "env-key-not-real")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    from_env = OpenAIProvider("gpt-4o-mini", timeout=0.5)
    assert from_env.configured()
    fake_openai.script(("json", GOOD))
    assert propose_stage1(from_env, request(), policy=policy([])).ok
    assert fake_openai.completion_calls()[-1].headers["authorization"] == "Bearer env-key-not-real"


def test_real_frames_and_audio(fake_openai, tmp_path):
    video = tmp_path / "demo.mp4"
    render(demo_spec(3, 3.0, width=320, height=240), video)
    frames = sample_frames(video, budget=3, max_side=160)
    media = MediaInput(
        duration=3.0,
        fingerprint=media_fingerprint("0" * 64, budget=3, max_side=160, with_audio=True, native_video=False),
        audio_path=video,
        frames=frames,
    )
    beeps = json.dumps({"questions": [{"question": "How many beeps are heard?", "category": "event", "type": "A", "query_interval": [0, 3]}]})
    fake_openai.script(("json", beeps))
    outcome = propose_stage1(provider(fake_openai, send_audio=True), request(media), policy=policy([]))
    assert outcome.ok

    parts = fake_openai.completion_calls()[0].body["messages"][1]["content"]
    assert "The audio track of the video is attached." in parts[0]["text"]
    assert [p["text"] for p in parts[1:7:2]] == [f"Frame at {f.timestamp:.2f} s:" for f in frames]
    images = [p["image_url"]["url"] for p in parts[2:7:2]]
    assert [base64.b64decode(u.split(",", 1)[1]) for u in images] == [f.jpeg for f in frames]
    audio = parts[7]
    assert audio["type"] == "input_audio" and audio["input_audio"]["format"] == "mp3"
    mp3 = base64.b64decode(audio["input_audio"]["data"])
    with av.open(io.BytesIO(mp3)) as container:
        stream = container.streams.audio[0]
        assert stream.rate == 16000 and stream.layout.nb_channels == 1
        assert abs(float(container.duration / 1e6) - 3.0) < 0.2
    logged = outcome.attempts[0].request_log["messages"][1]["content"][7]
    assert logged["input_audio"]["data"] == f"<mp3 {len(mp3)} bytes, 16000 Hz mono>"

    fake_openai.script(("json", beeps))
    assert propose_stage1(provider(fake_openai), request(media), policy=policy([])).ok  # send_audio off
    assert all(p["type"] != "input_audio" for p in fake_openai.completion_calls()[1].body["messages"][1]["content"])
