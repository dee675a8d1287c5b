"""Tests for the provider-neutral parts of pipeline.llm: prompts, validation, dedup, sampling, pricing,
retry policy and cache key. No Django, no network."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import jsonschema
import pytest
from PIL import Image

from pipeline.llm.engine import RetryPolicy, call_with_retries, input_hash, repair_message, stage1_request
from pipeline.llm.pricing import estimate_cost
from pipeline.llm.prompts import load_prompt
from pipeline.llm.sampling import frame_indices, media_fingerprint, sample_frames
from pipeline.llm.types import (
    LLMRequest,
    LLMResponse,
    MediaInput,
    Message,
    MissingApiKey,
    PermanentProviderError,
    SampledFrame,
    TransientProviderError,
)
from pipeline.llm.validate import END_TOLERANCE, ProposedQuestion, validate_stage1
from pipeline.media.frames import FrameDecoder
from pipeline.media.synthetic import demo_spec, render

SHA = "ab" * 32


def q(text="How many times does the dog bark?", category="event", type_="A", interval=(10.0, 95.5)) -> dict:
    return {"question": text, "category": category, "type": type_, "query_interval": list(interval)}


def answer(*questions: dict) -> str:
    return json.dumps({"questions": list(questions)})


# -- prompts -----------------------------------------------------------------------


def test_prompt_loads_with_id_sections_and_schema():
    prompt = load_prompt("stage1_questions", "v1")
    assert prompt.id == "stage1_questions@v1"
    assert (prompt.name, prompt.version) == ("stage1_questions", "v1")
    for word in ('"event"', '"object"', '"attribute"', '"V2A"', '"A2V"', '"AV"', "5 to 10", "query interval"):
        assert word in prompt.system
    assert "<!--" not in prompt.system and "<!--" not in prompt.user_template
    assert prompt.placeholders == {"duration", "duration_hms", "media_note"}
    assert load_prompt("stage1_questions", "v1") is prompt  # read once


def test_prompt_render_fills_placeholders_and_refuses_missing_or_unknown():
    prompt = load_prompt("stage1_questions", "v1")
    text = prompt.render(duration="600.0", duration_hms="0:10:00", media_note="8 frames are attached.")
    assert "600.0 seconds long (0:10:00). 8 frames are attached." in text
    assert "within 0 to 600.0" in text
    assert "{" not in text
    with pytest.raises(ValueError, match="missing value.*media_note"):
        prompt.render(duration="1", duration_hms="0:00:01")
    with pytest.raises(ValueError, match="no placeholder for title"):
        prompt.render(duration="1", duration_hms="0:00:01", media_note="", title="x")


def test_prompt_lookup_errors():
    with pytest.raises(LookupError, match="no prompt stage1_questions@v99"):
        load_prompt("stage1_questions", "v99")
    with pytest.raises(ValueError):
        load_prompt("../etc", "v1")
    with pytest.raises(ValueError):
        load_prompt("stage1_questions", "1")


def _objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def test_schema_is_valid_and_strict():
    schema = load_prompt("stage1_questions", "v1").schema
    jsonschema.Draft202012Validator.check_schema(schema)
    objects = list(_objects(schema))
    assert len(objects) == 2
    for obj in objects:  # what OpenAI's strict structured output requires
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
    item = schema["properties"]["questions"]["items"]["properties"]
    assert item["category"]["enum"] == ["event", "object", "attribute"]
    assert item["type"]["enum"] == ["V", "A", "V2A", "A2V", "AV"]
    assert item["query_interval"]["minItems"] == item["query_interval"]["maxItems"] == 2


# -- validation ----------------------------------------------------------------------


def test_valid_answer():
    text = answer(
        q("  How many times does the dog bark?  ", "event", "A", (10, 95.5)),
        q("How many different shirt colours are there?", "attribute", "V", (0, 600)),
    )
    result = validate_stage1(text, duration=600.0)
    assert result.ok and result.errors == []
    assert result.questions == [
        ProposedQuestion("How many times does the dog bark?", "event", "A", 10.0, 95.5),
        ProposedQuestion("How many different shirt colours are there?", "attribute", "V", 0.0, 600.0),
    ]
    assert result.questions[0].to_dict()["query_interval"] == [10.0, 95.5]


def test_not_json():
    result = validate_stage1('{"questions": [{"question": "a" "category": 1}]}', duration=600)
    assert not result.ok
    assert result.errors == ["the answer is not valid JSON: Expecting ',' delimiter: line 1 column 33"]
    assert validate_stage1("", duration=600).errors == ["the answer is empty; answer with the JSON object only"]
    nan = validate_stage1('{"questions": [{"query_interval": [NaN, 1]}]}', duration=600)
    assert nan.errors[0].startswith("the answer is not valid JSON: NaN")


def test_markdown_fence_is_tolerated():
    result = validate_stage1("```json\n" + answer(q()) + "\n```", duration=600)
    assert result.ok


@pytest.mark.parametrize(
    "data, message",
    [
        ([], 'the answer must be a JSON object with a "questions" list, not a list'),
        ({}, 'questions: missing; the answer must be {"questions": [...]}'),
        ({"questions": {}}, "questions: must be a list, not an object"),
        ({"questions": []}, "questions: the list is empty; propose 5 to 10 questions"),
        ({"questions": [q()], "notes": "x"}, 'notes: unexpected field; the answer object has only "questions"'),
        ({"questions": ["How many?"]}, "questions[0]: must be an object with question, category, type, query_interval, not a string"),
    ],
)
def test_answer_shape_errors(data, message):
    result = validate_stage1(json.dumps(data), duration=600)
    assert not result.ok
    assert message in result.errors


@pytest.mark.parametrize(
    "item, message",
    [
        (q(text="   "), "questions[0].question: is empty"),
        (q(text=7), "questions[0].question: must be a string, not a number"),
        (q(category="objects"), 'questions[0].category: "objects" is not one of "event", "object", "attribute"'),
        (q(type_="VA"), 'questions[0].type: "VA" is not one of "V", "A", "V2A", "A2V", "AV"'),
        (q(type_=None), 'questions[0].type: null is not one of "V", "A", "V2A", "A2V", "AV"'),
        ({**q(), "answer": 3}, "questions[0].answer: unexpected field; a question has only question, category, type, query_interval"),
        ({k: v for k, v in q().items() if k != "category"}, "questions[0].category: missing"),
        (q(interval=(10, 912)), "questions[0].query_interval: end 912.0 is after the end of the video (600.0 s)"),
        (q(interval=(-1, 20)), "questions[0].query_interval: start -1.0 is before the start of the video (0 s)"),
        (q(interval=(30, 20)), "questions[0].query_interval: start 30.0 is not before end 20.0"),
        (q(interval=(20, 20)), "questions[0].query_interval: start 20.0 is not before end 20.0"),
        (q(interval=(600, 600.2)), "questions[0].query_interval: start 600.0 is at or after the end of the video (600.0 s)"),
        (q(interval=(10,)), "questions[0].query_interval: must be [start_seconds, end_seconds], two numbers, not [10]"),
        (q(interval=(10, "20")), 'questions[0].query_interval: must be [start_seconds, end_seconds], two numbers, not [10, "20"]'),
        (q(interval=(True, 20)), "questions[0].query_interval: must be [start_seconds, end_seconds], two numbers, not [true, 20]"),
    ],
)
def test_question_errors(item, message):
    result = validate_stage1(answer(item), duration=600)
    assert not result.ok
    assert message in result.errors
    assert result.questions == []


def test_end_within_tolerance_is_clamped():
    result = validate_stage1(answer(q(interval=(500, 600 + END_TOLERANCE))), duration=600)
    assert result.ok
    assert (result.questions[0].start, result.questions[0].end) == (500.0, 600.0)
    assert not validate_stage1(answer(q(interval=(500, 600.51))), duration=600).ok


def test_some_invalid_questions_make_the_answer_invalid_and_all_problems_are_listed():
    text = answer(q(), q(category="thing"), q(interval=(0, 700)), q(text=""))
    result = validate_stage1(text, duration=600)
    assert not result.ok
    assert [e.split(":")[0] for e in result.errors] == [
        "questions[1].category",
        "questions[2].query_interval",
        "questions[3].question",
    ]
    assert len(result.questions) == 1  # the valid one, for display; the stage does not keep it


@pytest.mark.parametrize(
    "data",
    [
        {"questions": [q()]},
        {"questions": [q(category="colour")]},
        {"questions": [q(interval=(1,))]},
        {"questions": [{**q(), "extra": 1}]},
        {"questions": [{k: v for k, v in q().items() if k != "type"}]},
        {"questions": [q()], "extra": 1},
        {"questions": "x"},
        [],
    ],
)
def test_validation_agrees_with_the_schema_on_structure(data):
    schema = load_prompt("stage1_questions", "v1").schema
    schema_ok = jsonschema.Draft202012Validator(schema).is_valid(data)
    assert validate_stage1(json.dumps(data), duration=600).ok == schema_ok


def test_bad_duration():
    with pytest.raises(ValueError):
        validate_stage1(answer(q()), duration=0)


# -- dedup ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dedup():
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    from pipeline.llm.dedup import Deduplicator

    yield Deduplicator()
    torch.set_num_threads(threads)


def test_dedup_drops_paraphrases_and_keeps_different_questions(dedup):
    new = [
        "How many times does the dog bark in the video?",
        "How many different colours of shirts do the players wear?",
        "How many times does the doorbell ring?",
        "How many different colors of shirts are the players wearing?",
        "How many dogs appear?",
    ]
    assert dedup.filter(new, ["How many times does the dog bark?"]) == [1, 2, 4]
    assert dedup.filter(new, []) == [0, 1, 2, 4]
    assert dedup.filter([], ["How many dogs appear?"]) == []
    assert dedup.filter(["How many dogs appear?"], ["How many dogs appear?"]) == []


def test_dedup_model_is_loaded_once(dedup):
    from pipeline.llm import dedup as module
    from pipeline.llm.dedup import Deduplicator

    dedup.filter(["a"], [])
    before = dict(module._models)
    Deduplicator(threshold=0.99).filter(["How many cats?", "How many cats are there?"], [])
    assert module._models == before and len(before) == 1
    assert Deduplicator(threshold=0.99).filter(["How many cats?", "How many cats are there?"], []) == [0, 1]
    with pytest.raises(ValueError):
        Deduplicator(threshold=0)


# -- sampling -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("llm-video") / "demo.mp4"
    render(demo_spec(7, 4.0, width=640, height=360, fps=25), path)
    return path


def test_frame_indices_are_segment_middles():
    assert frame_indices(250, 25.0, budget=5) == [25, 75, 125, 175, 225]
    assert frame_indices(3, 25.0, budget=8) == [0, 1, 2]  # no repeats
    assert frame_indices(100, 30000 / 1001, budget=1) == [50]
    with pytest.raises(ValueError):
        frame_indices(100, 25.0, budget=0)


def test_sample_frames(video):
    frames = sample_frames(video, budget=4, max_side=320, quality=80)
    assert [f.frame_index for f in frames] == [12, 37, 62, 87]
    assert [f.timestamp for f in frames] == [0.48, 1.48, 2.48, 3.48]
    with FrameDecoder(video) as decoder:
        for f in frames:
            image = Image.open(io.BytesIO(f.jpeg))
            assert image.format == "JPEG" and image.size == (320, 180)
            reference = Image.fromarray(decoder.get(f.frame_index)).resize((320, 180))
            diff = sum(abs(a - b) for a, b in zip(image.convert("RGB").tobytes(), reference.tobytes()))
            assert diff / (320 * 180 * 3) < 8  # the same picture, give or take JPEG
    small = sample_frames(video, budget=2, max_side=1024)
    assert Image.open(io.BytesIO(small[0].jpeg)).size == (640, 360)  # never enlarged


def test_media_fingerprint():
    base = media_fingerprint(SHA, budget=16, max_side=512, with_audio=False, native_video=False)
    assert len(base) == 64 and base == media_fingerprint(SHA.upper(), budget=16, max_side=512, with_audio=False, native_video=False)
    others = {
        media_fingerprint("cd" * 32, budget=16, max_side=512, with_audio=False, native_video=False),
        media_fingerprint(SHA, budget=32, max_side=512, with_audio=False, native_video=False),
        media_fingerprint(SHA, budget=16, max_side=768, with_audio=False, native_video=False),
        media_fingerprint(SHA, budget=16, max_side=512, with_audio=True, native_video=False),
        media_fingerprint(SHA, budget=16, max_side=512, with_audio=False, native_video=True),
    }
    assert base not in others and len(others) == 5
    assert media_fingerprint(SHA, budget=16, max_side=512, with_audio=True, native_video=True) == media_fingerprint(
        SHA, budget=8, max_side=256, with_audio=True, native_video=True
    )
    with pytest.raises(ValueError):
        media_fingerprint("abc", budget=16, max_side=512, with_audio=False, native_video=False)


# -- pricing ---------------------------------------------------------------------------

PRICES = {
    "gpt-4o-mini": {"input_per_million": 0.15, "output_per_million": 0.60},
    "gpt-4o": {"input_per_million": 2.5, "output_per_million": 10},
    "gemini-2.0-flash": {"input_per_million": 0.10, "output_per_million": 0.40},
}


def test_estimate_cost():
    assert estimate_cost(PRICES, "gpt-4o-mini", 1_000_000, 0) == Decimal("0.15")
    assert estimate_cost(PRICES, "gpt-4o-mini", 12_345, 678) == Decimal("0.00225855")
    assert estimate_cost(PRICES, "gpt-4o-mini-2024-07-18", 1_000_000, 1_000_000) == Decimal("0.75")
    assert estimate_cost(PRICES, "gemini-2.0-flash-001", 0, 1_000_000) == Decimal("0.4")
    assert estimate_cost(PRICES, "gpt-4o-2024-08-06", 1000, 0) == Decimal("0.0025")
    assert estimate_cost(PRICES, "gpt-4.1", 1000, 1000) == Decimal(0)
    assert estimate_cost(PRICES, "gpt-4o-mini-tts", 1000, 1000) == Decimal(0)
    assert estimate_cost({}, "gpt-4o-mini", 5, 5) == Decimal(0)


# -- requests, cache key, retries ------------------------------------------------------


def _request(**changes) -> LLMRequest:
    media = MediaInput(duration=600.0, fingerprint="f" * 64, frames=(SampledFrame(1.5, 37, b"jpeg-a"),))
    request = stage1_request(load_prompt("stage1_questions", "v1"), media)
    from dataclasses import replace

    return replace(request, **changes)


def test_stage1_request():
    request = _request()
    assert request.prompt_version == "stage1_questions@v1"
    assert request.schema_name == "stage1_questions"
    assert "600.0 seconds long (0:10:00)" in request.user_text
    assert "1 frames sampled evenly" in request.user_text and "No audio is attached." in request.user_text


def test_input_hash():
    from dataclasses import replace

    base = _request()
    assert input_hash(base) == input_hash(_request())
    same_media_other_bytes = replace(base.media, frames=(SampledFrame(1.5, 37, b"other-jpeg-bytes"),))
    assert input_hash(replace(base, media=same_media_other_bytes)) == input_hash(base)
    changed = [
        replace(base, prompt_version="stage1_questions@v2"),
        replace(base, system=base.system + " "),
        replace(base, user_text=base.user_text + " "),
        replace(base, schema={**base.schema, "description": "x"}),
        replace(base, media=replace(base.media, fingerprint="e" * 64)),
        replace(base, media=None),
        replace(base, history=(Message("assistant", "{}"), Message("user", "again"))),
    ]
    hashes = {input_hash(r) for r in changed}
    assert len(hashes) == len(changed) and input_hash(base) not in hashes


def test_retry_policy_delays():
    policy = RetryPolicy(base_delay=1.0, max_delay=30.0, jitter=0.5, random=lambda: 1.0)
    assert [policy.delay(n) for n in range(6)] == [1.5, 3.0, 6.0, 12.0, 24.0, 30.0]
    policy = RetryPolicy(base_delay=1.0, max_delay=30.0, jitter=0.5, random=lambda: 0.0)
    assert [policy.delay(n) for n in range(3)] == [1.0, 2.0, 4.0]
    assert policy.delay(3, retry_after=0) == 0.0
    assert policy.delay(0, retry_after=7.5) == 7.5
    assert policy.delay(0, retry_after=3600) == 30.0
    real = RetryPolicy()
    delays = [real.delay(n) for n in range(4)]
    assert all(a < b for a, b in zip(delays, delays[1:]))


class ScriptedProvider:
    name = "scripted"
    model = "m"

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def complete(self, request):
        self.calls += 1
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def test_call_with_retries_only_retries_transient_faults():
    sleeps, attempts = [], []
    policy = RetryPolicy(sleep=sleeps.append, random=lambda: 0.0)
    ok = LLMResponse(text="{}", model="m")
    provider = ScriptedProvider(TransientProviderError("busy", retry_after=2.0), TransientProviderError("busy"), ok)
    assert call_with_retries(provider, _request(), policy, on_attempt=attempts.append) is ok
    assert sleeps == [2.0, 2.0] and [a.outcome for a in attempts] == ["error", "error"]

    provider = ScriptedProvider(PermanentProviderError("bad request", request_log={"model": "m"}), ok)
    with pytest.raises(PermanentProviderError):
        call_with_retries(provider, _request(), policy, on_attempt=attempts.append)
    assert provider.calls == 1 and attempts[-1].error == "bad request" and attempts[-1].request_log == {"model": "m"}

    before = len(attempts)
    with pytest.raises(MissingApiKey):
        call_with_retries(ScriptedProvider(MissingApiKey("no API key")), _request(), policy, on_attempt=attempts.append)
    assert len(attempts) == before  # nothing was sent, nothing to log


def test_repair_message_lists_problems():
    assert repair_message(["a: x", "b: y"]) == "Your answer was invalid: a: x; b: y. Answer again with valid JSON only."
    long = repair_message([f"e{i}" for i in range(25)])
    assert "e19" in long and "e20" not in long and "and 5 more problems" in long


def test_nothing_under_pipeline_llm_imports_django():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "pipeline" / "llm"
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
