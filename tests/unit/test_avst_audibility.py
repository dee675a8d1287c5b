"""Audibility analysis: the prompt, the answer's validation, and the generic call/validate/repair loop
(``engine.ask_structured``) driven by an in-memory provider that plays back scripted answers and faults."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pipeline.avst.audibility import (
    AudibilityResult,
    ProposedObject,
    audibility_request,
    normalize_name,
    validate_audibility,
)
from pipeline.llm.engine import RetryPolicy, ask_structured, repair_message
from pipeline.llm.prompts import load_prompt
from pipeline.llm.types import LLMResponse, PermanentProviderError, TransientProviderError


def answer(*objects: tuple[str, str]) -> str:
    return json.dumps({"objects": [{"name": n, "audibility": a} for n, a in objects]})


@pytest.fixture(scope="module")
def prompt():
    return load_prompt("avst_audibility", "v1")


# --- prompt and request ---------------------------------------------------------------------------------


def test_prompt_and_request(prompt):
    assert prompt.id == "avst_audibility@v1" and prompt.placeholders == {"caption"}
    jsonschema.Draft202012Validator.check_schema(prompt.schema)
    request = audibility_request(prompt, "  a man playing the trombone ")
    assert request.media is None and request.history == ()
    assert request.prompt_version == "avst_audibility@v1" and request.schema_name == "avst_audibility"
    assert request.system == prompt.system and request.schema == prompt.schema
    assert "Event caption: a man playing the trombone\n" in request.user_text
    with pytest.raises(ValueError, match="non-empty"):
        audibility_request(prompt, "  ")


@pytest.mark.parametrize(
    "data",
    [
        {"objects": []},
        {"objects": [{"name": "dog", "audibility": "visible only"}]},
        {"objects": [{"name": "dog"}]},
        {"objects": [{"name": "dog", "audibility": "audible"}]},
        {"objects": [], "caption": "x"},
        {},
    ],
)
def test_validation_agrees_with_the_schema(prompt, data):
    schema_ok = jsonschema.Draft202012Validator(prompt.schema).is_valid(data)
    assert validate_audibility(json.dumps(data)).ok == schema_ok


# --- validation -----------------------------------------------------------------------------------------


def test_valid_answer():
    result = validate_audibility(
        answer(("A  man\n", "visible and audible"), ("trombone", "visible and audible"), ("stage", "visible only"))
    )
    assert result.ok and result.errors == []
    assert result.objects == [
        ProposedObject("A man", "audible"),
        ProposedObject("trombone", "audible"),
        ProposedObject("stage", "visible_only"),
    ]


def test_empty_list_is_valid():
    assert validate_audibility('{"objects": []}') == AudibilityResult(objects=[], errors=[])


def test_fenced_json_is_tolerated():
    assert validate_audibility("```json\n" + answer(("dog", "visible only")) + "\n```").ok


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the answer is empty"),
        ("objects: dog", "not valid JSON"),
        ('{"objects": [{"name": "dog", "audibility": "visible only"}]', "not valid JSON"),
        ("[]", 'JSON object with an "objects" list, not a list'),
        ("{}", "objects: missing"),
        ('{"objects": {}}', "objects: must be a list, not an object"),
        ('{"objects": [], "notes": "none"}', "notes: unexpected field"),
        ('{"objects": ["dog"]}', "objects[0]: must be an object with name and audibility, not a string"),
        ('{"objects": [{"audibility": "visible only"}]}', "objects[0].name: missing"),
        ('{"objects": [{"name": "dog"}]}', "objects[0].audibility: missing"),
        ('{"objects": [{"name": 3, "audibility": "visible only"}]}', "objects[0].name: must be a string, not a number"),
        ('{"objects": [{"name": " \\n ", "audibility": "visible only"}]}', "objects[0].name: is empty"),
        (answer(("x" * 101, "visible only")), "objects[0].name: is 101 characters long; at most 100"),
        (answer(("<b>dog</b>", "visible only")), "must not contain '<' or '>'"),
        (
            answer(("dog", "audible")),
            'objects[0].audibility: "audible" is not one of "visible and audible", "visible only"',
        ),
        ('{"objects": [{"name": "dog", "audibility": ["visible only"]}]}', "objects[0].audibility: [\"visible only\"]"),
        ('{"objects": [{"name": "dog", "audibility": "visible only", "score": 1}]}', "objects[0].score: unexpected"),
        (
            answer(("Red  car", "visible only"), ("red car ", "visible and audible")),
            "objects[1].name: 'red car' is already listed as objects[0]",
        ),
    ],
)
def test_invalid_answers(text, message):
    result = validate_audibility(text)
    assert not result.ok
    assert any(message in e for e in result.errors), result.errors


def test_every_problem_is_listed_and_valid_objects_are_kept():
    result = validate_audibility(answer(("dog", "loud"), ("cat", "visible only"), ("", "visible only")))
    assert [e.split(":")[0] for e in result.errors] == ["objects[0].audibility", "objects[2].name"]
    assert result.objects == [ProposedObject("cat", "visible_only")]


def test_normalize_name():
    assert normalize_name("  A   Man\tin Red ") == "a man in red"
    assert normalize_name("x" * 100) == "x" * 100


# --- the generic loop -----------------------------------------------------------------------------------


class ScriptedProvider:
    """Plays back answers (``LLMResponse`` or text) and faults (exceptions) in order; records the requests."""

    name = "scripted"
    model = "scripted-model"

    def __init__(self, *script):
        self.script = list(script)
        self.requests = []

    def complete(self, request):
        self.requests.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, str):
            return LLMResponse(text=step, model="scripted-model-0001", tokens_in=10, tokens_out=5, latency_ms=7)
        return step


def policy(sleeps):
    return RetryPolicy(max_retries=2, sleep=sleeps.append, random=lambda: 0.0)


def test_valid_first_answer(prompt):
    provider = ScriptedProvider(answer(("dog", "visible and audible")))
    seen = []
    outcome = ask_structured(
        provider, audibility_request(prompt, "dog barking"), validate=validate_audibility, policy=policy([]),
        on_attempt=seen.append,
    )
    assert outcome.ok and outcome.error == ""
    assert outcome.result.objects == [ProposedObject("dog", "audible")]
    [attempt] = outcome.attempts
    assert seen == [attempt]
    assert (attempt.outcome, attempt.model, attempt.tokens_in, attempt.tokens_out) == (
        "ok", "scripted-model-0001", 10, 5,
    )


def test_invalid_answer_is_repaired_once(prompt):
    bad = answer(("dog", "audible"))
    provider = ScriptedProvider(bad, answer(("dog", "visible and audible")))
    request = audibility_request(prompt, "dog barking")
    outcome = ask_structured(provider, request, validate=validate_audibility, policy=policy([]))
    assert outcome.ok and outcome.result.objects == [ProposedObject("dog", "audible")]
    assert [a.outcome for a in outcome.attempts] == ["invalid", "ok"]
    assert "objects[0].audibility" in outcome.attempts[0].error
    first, second = provider.requests
    assert first == request
    problems = validate_audibility(bad).errors
    assert [(m.role, m.text) for m in second.history] == [("assistant", bad), ("user", repair_message(problems))]
    assert (second.system, second.user_text, second.schema) == (request.system, request.user_text, request.schema)


def test_invalid_twice_is_a_failure_with_the_last_result(prompt):
    provider = ScriptedProvider("not json", answer(("dog", "loud")))
    outcome = ask_structured(
        provider, audibility_request(prompt, "dog barking"), validate=validate_audibility, policy=policy([])
    )
    assert not outcome.ok
    assert outcome.error.startswith("the answer was invalid twice; last problems: objects[0].audibility")
    assert outcome.result is not None and outcome.result.errors and outcome.result.objects == []
    assert [a.outcome for a in outcome.attempts] == ["invalid", "invalid"]


def test_transient_faults_are_retried_and_permanent_ones_end_the_loop(prompt):
    sleeps = []
    provider = ScriptedProvider(
        TransientProviderError("busy", retry_after=1.5), TransientProviderError("busy"), '{"objects": []}'
    )
    outcome = ask_structured(
        provider, audibility_request(prompt, "wind blowing"), validate=validate_audibility, policy=policy(sleeps)
    )
    assert outcome.ok and outcome.result.objects == []
    assert [a.outcome for a in outcome.attempts] == ["error", "error", "ok"] and sleeps == [1.5, 2.0]

    provider = ScriptedProvider(PermanentProviderError("bad request"))
    outcome = ask_structured(
        provider, audibility_request(prompt, "wind blowing"), validate=validate_audibility, policy=policy([])
    )
    assert not outcome.ok and outcome.error == "bad request" and outcome.result is None
    assert [a.outcome for a in outcome.attempts] == ["error"]

    provider = ScriptedProvider(*[TransientProviderError("busy")] * 3)
    outcome = ask_structured(
        provider, audibility_request(prompt, "wind blowing"), validate=validate_audibility, policy=policy([])
    )
    assert not outcome.ok and outcome.error == "busy" and len(provider.requests) == 3


def test_a_result_rejected_without_a_reason_gets_one(prompt):
    class Never:
        ok = False
        errors: list[str] = []

    provider = ScriptedProvider("{}", "{}")
    outcome = ask_structured(
        provider, audibility_request(prompt, "x"), validate=lambda text: Never(), policy=policy([]),
        unexplained="nothing usable",
    )
    assert not outcome.ok and outcome.error == "the answer was invalid twice; last problems: nothing usable"
    assert provider.requests[1].history[1].text == repair_message(["nothing usable"])


def test_nothing_under_pipeline_avst_imports_django():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "pipeline" / "avst"
    for path in root.rglob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
