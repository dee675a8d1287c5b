"""GeminiProvider through the real google-genai SDK against a local fake Gemini server (tests/fakes/gemini_server).

No network, no Django database.
"""

from __future__ import annotations

import base64
import io
import json
import time
from pathlib import Path

import pytest

from pipeline.llm.gemini_provider import GeminiProvider, json_schema_for_gemini, openapi_schema_for_gemini
from pipeline.llm.types import (
    LLMRequest,
    MediaInput,
    Message,
    MissingApiKey,
    PermanentProviderError,
    SampledFrame,
    TransientProviderError,
)
from pipeline.media.synthetic import demo_spec, render
from tests.fakes.gemini_server import FakeGeminiServer, fake_gemini_fixture  # noqa: F401  (the fake_gemini fixture)

KEY = "test-gemini-key-0123456789abcdef"
MODEL = "gemini-2.5-flash"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"text": {"type": "string"}, "answer": {"type": "integer"}},
                "required": ["text", "answer"],
            },
        }
    },
    "required": ["questions"],
}
GOOD = json.dumps({"questions": [{"text": "How many beeps?", "answer": 3}]})


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gemini") / "proxy.mp4"
    render(demo_spec(7, 2.0, width=320, height=180), path)
    return path


def make_provider(fake: FakeGeminiServer, **kwargs) -> GeminiProvider:
    kwargs.setdefault("api_key", KEY)
    kwargs.setdefault("poll_interval", 0.01)
    kwargs.setdefault("timeout", 10.0)
    kwargs.setdefault("upload_timeout", 10.0)
    return GeminiProvider(MODEL, base_url=fake.base_url, **kwargs)


def video_request(video: Path, **kwargs) -> LLMRequest:
    return LLMRequest(
        prompt_version="stage1_questions@v1",
        system="You write counting questions.",
        user_text="Write questions about this video.",
        schema_name="stage1_questions",
        schema=SCHEMA,
        media=MediaInput(duration=2.0, fingerprint="sha-test", video_path=video),
        **kwargs,
    )


def jpeg(color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 18), color).save(buf, format="JPEG")
    return buf.getvalue()


def assert_key_only_in_header(fake: FakeGeminiServer) -> None:
    for req in fake.requests:
        assert KEY not in req.path and KEY not in json.dumps(req.query)
        assert req.json is None or KEY not in json.dumps(req.json)
        command = req.headers.get("x-goog-upload-command", "")
        if command and command != "start":
            continue  # upload chunks are authorized by the upload URL
        assert req.headers.get("x-goog-api-key") == KEY
        assert all(KEY not in v for k, v in req.headers.items() if k != "x-goog-api-key")


def test_native_video_upload_polls_until_active_then_answers(video):
    with FakeGeminiServer(processing_polls=2) as fake:
        provider = make_provider(fake)
        fake.script(("json", GOOD))
        response = provider.complete(video_request(video))

        assert response.text == GOOD
        assert response.model == MODEL
        assert (response.tokens_in, response.tokens_out) == (120, 30)
        assert response.latency_ms >= 0

        # One resumable upload: start, then a single "upload, finalize" chunk with all the bytes.
        starts, uploads = fake.upload_starts(), fake.uploads()
        assert len(starts) == 1 and len(uploads) == 1
        assert starts[0].headers["x-goog-upload-protocol"] == "resumable"
        assert starts[0].headers["x-goog-upload-header-content-type"] == "video/mp4"
        assert uploads[0].body_len == video.stat().st_size
        assert fake.files["files/abc"].finalized
        # Polled through PROCESSING, PROCESSING to ACTIVE.
        assert len(fake.file_gets()) == 3

        calls = fake.generate_calls()
        assert len(calls) == 1
        assert calls[0].path == f"/v1beta/models/{MODEL}:generateContent"
        body = calls[0].json
        parts = body["contents"][0]["parts"]
        assert body["contents"][0]["role"] == "user"
        file_data = parts[0].get("fileData") or parts[0].get("file_data")
        assert (file_data.get("fileUri") or file_data.get("file_uri")).endswith("/v1beta/files/abc")
        assert (file_data.get("mimeType") or file_data.get("mime_type")) == "video/mp4"
        assert parts[1] == {"text": "Write questions about this video."}
        assert body["systemInstruction"]["parts"][0]["text"] == "You write counting questions."
        gen = body["generationConfig"]
        assert gen["responseMimeType"] == "application/json"
        assert gen["temperature"] == pytest.approx(0.2)
        expected_schema = dict(SCHEMA)
        expected_schema.pop("$schema")
        assert gen["responseJsonSchema"] == expected_schema

        # The call log: what was sent, no bytes, no key.
        log = response.request_log
        assert log["model"] == MODEL and log["system"] == "You write counting questions."
        assert log["schema_name"] == "stage1_questions"
        assert log["parts"][0]["type"] == "video" and log["parts"][0]["uri"].endswith("files/abc")
        assert log["parts"][0]["size_bytes"] == video.stat().st_size
        assert log["parts"][1] == {"type": "text", "text": "Write questions about this video."}
        assert response.response_log["text"] == GOOD
        assert response.response_log["finish_reason"] == "STOP"
        assert response.response_log["usage"]["prompt_token_count"] == 120
        json.dumps(log), json.dumps(response.response_log)  # JSON-safe

        # The same video again (the retry of an invalid answer): no second upload, no new polling.
        history = (Message("assistant", "not json"), Message("user", "That was not valid JSON: fix it."))
        provider.complete(video_request(video, history=history))
        assert len(fake.uploads()) == 1 and len(fake.file_gets()) == 3
        second = fake.generate_calls()[1].json
        assert [c["role"] for c in second["contents"]] == ["user", "model", "user"]
        assert second["contents"][1]["parts"] == [{"text": "not json"}]
        assert second["contents"][2]["parts"] == [{"text": "That was not valid JSON: fix it."}]

        assert not fake.deletes()
        provider.close()
        assert [r.path for r in fake.deletes()] == ["/v1beta/files/abc"]
        assert_key_only_in_header(fake)


def test_frames_without_video_are_inline_jpegs_with_timestamps(fake_gemini):
    frames = (SampledFrame(0.5, 12, jpeg((255, 0, 0))), SampledFrame(12.345, 308, jpeg((0, 0, 255))))
    request = LLMRequest(
        prompt_version="stage1_questions@v1",
        system="sys",
        user_text="Count the squares.",
        schema_name="stage1_questions",
        schema=SCHEMA,
        media=MediaInput(duration=13.0, fingerprint="f", frames=frames),
    )
    response = make_provider(fake_gemini).complete(request)
    assert response.text == '{"ok": true}'  # the fake's default answer
    assert not fake_gemini.upload_starts()
    parts = fake_gemini.generate_calls()[0].json["contents"][0]["parts"]
    assert parts[0] == {"text": "Frame at 0.50 s:"}
    inline = parts[1].get("inlineData") or parts[1].get("inline_data")
    assert (inline.get("mimeType") or inline.get("mime_type")) == "image/jpeg"
    assert base64.urlsafe_b64decode(inline["data"]) == frames[0].jpeg
    assert parts[2] == {"text": f"Frame at {12.345:.2f} s:"}
    assert (
        base64.urlsafe_b64decode((parts[3].get("inlineData") or parts[3].get("inline_data"))["data"]) == frames[1].jpeg
    )
    assert parts[4] == {"text": "Count the squares."}
    # The log names the images, never their bytes.
    image_logs = [p for p in response.request_log["parts"] if p["type"] == "image"]
    assert [p["size_bytes"] for p in image_logs] == [len(frames[0].jpeg), len(frames[1].jpeg)]
    assert "jpeg" not in json.dumps(response.request_log).replace("image/jpeg", "")


def test_429_is_transient_with_retry_after_and_no_sdk_retry(fake_gemini, video):
    fake_gemini.script(("status", 429, {"Retry-After": "7"}))
    with pytest.raises(TransientProviderError) as info:
        make_provider(fake_gemini).complete(video_request(video))
    assert info.value.retry_after == 7
    assert "429" in str(info.value)
    assert info.value.request_log["model"] == MODEL
    assert len(fake_gemini.generate_calls()) == 1  # the SDK did not retry by itself


def test_500_is_transient(fake_gemini, video):
    fake_gemini.script(("status", 500))
    with pytest.raises(TransientProviderError) as info:
        make_provider(fake_gemini).complete(video_request(video))
    assert info.value.retry_after is None
    assert len(fake_gemini.generate_calls()) == 1


def test_timeout_is_transient(fake_gemini, video):
    fake_gemini.script(("delay", 3.0))
    provider = make_provider(fake_gemini, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TransientProviderError) as info:
        provider.complete(video_request(video))
    assert time.monotonic() - started < 2.5
    assert "Timeout" in str(info.value)
    assert len(fake_gemini.generate_calls()) == 1


def test_connection_refused_is_transient(video):
    fake = FakeGeminiServer().start()
    provider = make_provider(fake)
    fake.stop()
    with pytest.raises(TransientProviderError):
        provider.complete(video_request(video))


def test_upload_start_503_is_transient(fake_gemini, video):
    fake_gemini.script_upload_start(("status", 503))
    with pytest.raises(TransientProviderError):
        make_provider(fake_gemini).complete(video_request(video))
    assert not fake_gemini.generate_calls()


def test_failed_file_processing_is_permanent(video):
    with FakeGeminiServer(fail_processing=True) as fake:
        with pytest.raises(PermanentProviderError) as info:
            make_provider(fake).complete(video_request(video))
        assert not isinstance(info.value, TransientProviderError)
        assert "failed" in str(info.value)
        assert not fake.generate_calls()
        assert [r.path for r in fake.deletes()] == ["/v1beta/files/abc"]  # the failed file is cleaned up


def test_403_is_permanent(fake_gemini, video):
    fake_gemini.script(("status", 403))
    provider = make_provider(fake_gemini)
    with pytest.raises(PermanentProviderError) as info:
        provider.complete(video_request(video))
    assert not isinstance(info.value, TransientProviderError)
    assert "403" in str(info.value)
    # The file may be what the server refused (deleted or expired): it leaves the cache and is uploaded afresh.
    assert [r.path for r in fake_gemini.deletes()] == ["/v1beta/files/abc"]
    provider.complete(video_request(video))
    assert len(fake_gemini.uploads()) == 2


def test_malformed_response_body_is_transient(fake_gemini, video):
    fake_gemini.script(("raw", 200, "<html>oops</html>", {"Content-Type": "text/html"}))
    with pytest.raises(TransientProviderError):
        make_provider(fake_gemini).complete(video_request(video))


def test_key_never_in_logs_or_errors(video):
    # A server that checks the key, and error bodies that would carry anything the SDK sent back.
    with FakeGeminiServer(expected_key=KEY) as fake:
        provider = make_provider(fake)
        fake.script(("json", GOOD), ("status", 429), ("status", 400), ("delay", 2.0))
        texts = []
        ok = provider.complete(video_request(video))
        texts += [json.dumps(ok.request_log), json.dumps(ok.response_log)]
        for _ in range(2):
            with pytest.raises(Exception) as info:
                provider.complete(video_request(video))
            texts += [str(info.value), repr(info.value), json.dumps(info.value.request_log)]
        provider.timeout = 0.3  # the provider makes a new SDK client with the shorter timeout
        with pytest.raises(TransientProviderError) as info:
            provider.complete(video_request(video))
        texts += [str(info.value), json.dumps(info.value.request_log), repr(provider)]
        assert all(KEY not in t for t in texts)
        assert_key_only_in_header(fake)

    with FakeGeminiServer(expected_key="another-key") as fake:
        with pytest.raises(PermanentProviderError) as info:
            make_provider(fake).complete(video_request(video))
        assert "403" in str(info.value) and KEY not in str(info.value)


def test_missing_key(monkeypatch, fake_gemini, video):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    provider = GeminiProvider(MODEL, base_url=fake_gemini.base_url, poll_interval=0.01)  # no key: fine
    assert provider.name == "gemini"
    assert not provider.configured()
    with pytest.raises(MissingApiKey, match="no API key: set GEMINI_API_KEY"):
        provider.complete(video_request(video))
    assert fake_gemini.requests == []

    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    assert provider.configured()
    assert provider.complete(video_request(video)).text == '{"ok": true}'
    assert fake_gemini.generate_calls()[0].headers["x-goog-api-key"] == KEY


def test_schema_translations():
    assert "$schema" not in json_schema_for_gemini(SCHEMA)
    assert "$schema" in SCHEMA  # not modified in place
    schema = {
        "type": "object",
        "additionalProperties": False,
        "$defs": {"Q": {"type": "object", "properties": {"n": {"type": ["integer", "null"]}}}},
        "properties": {"kind": {"const": "count"}, "q": {"$ref": "#/$defs/Q"}},
    }
    out = openapi_schema_for_gemini(schema)
    assert "additionalProperties" not in out and "$defs" not in out
    assert out["properties"]["kind"] == {"enum": ["count"], "type": "string"}
    assert out["properties"]["q"]["properties"]["n"] == {"type": "integer", "nullable": True}
    assert out["propertyOrdering"] == ["kind", "q"]


# -- with the engine's retry policy and validation ------------------------------------------------------------

STAGE1_GOOD = json.dumps(
    {
        "questions": [
            {"question": "How many beeps are there?", "category": "event", "type": "A", "query_interval": [0, 2]}
        ]
    }
)


def stage1(video: Path):
    from pipeline.llm.engine import RetryPolicy, stage1_request
    from pipeline.llm.prompts import load_prompt

    request = stage1_request(load_prompt("stage1_questions", "v1"), MediaInput(2.0, "sha-test", video_path=video))
    return request, RetryPolicy(sleep=lambda s: None)


def test_engine_repairs_a_non_json_answer_with_one_upload(fake_gemini, video):
    from pipeline.llm.engine import propose_stage1

    request, policy = stage1(video)
    fake_gemini.script(("json", "Sure! Here are the questions: ..."), ("json", STAGE1_GOOD))
    provider = make_provider(fake_gemini)
    outcome = propose_stage1(provider, request, policy=policy)

    assert outcome.ok, outcome.error
    assert [a.outcome for a in outcome.attempts] == ["invalid", "ok"]
    assert [q.text for q in outcome.questions] == ["How many beeps are there?"]
    assert len(fake_gemini.uploads()) == 1 and len(fake_gemini.generate_calls()) == 2
    second = fake_gemini.generate_calls()[1].json["contents"]
    assert [c["role"] for c in second] == ["user", "model", "user"]
    assert second[1]["parts"][0]["text"] == "Sure! Here are the questions: ..."
    assert "invalid" in second[2]["parts"][0]["text"]
    assert outcome.attempts[1].request_log["parts"][0]["reused_upload"] is True
    assert outcome.attempts[1].tokens_in == 120


def test_engine_retries_a_429_without_uploading_again(fake_gemini, video):
    from pipeline.llm.engine import propose_stage1

    request, policy = stage1(video)
    fake_gemini.script(("status", 429, {"Retry-After": "0"}), ("status", 503), ("json", STAGE1_GOOD))
    outcome = propose_stage1(make_provider(fake_gemini), request, policy=policy)
    assert outcome.ok, outcome.error
    assert [a.outcome for a in outcome.attempts] == ["error", "error", "ok"]
    assert len(fake_gemini.uploads()) == 1 and len(fake_gemini.generate_calls()) == 3
