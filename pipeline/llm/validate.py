"""Validation of LLM answers, with messages a model can act on.

The checks follow the answer's JSON Schema (``prompts/stage1_questions/v1.schema.json``) and add what a
schema cannot say: non-empty text, and a query interval that lies inside the video. Every problem is
listed (not only the first), each prefixed with where it is (``questions[2].query_interval: ...``), because
the list goes back to the model verbatim when the answer is retried.

An answer with any invalid question is invalid as a whole: the retry asks the model to fix it, and the
valid questions of a second invalid answer are not kept (the stage records a failure). ``questions``
still holds the valid ones, for callers that want to show them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "check_fields",
    "json_type",
    "parse_json",
    "CATEGORIES",
    "MODALITIES",
    "END_TOLERANCE",
    "ProposedQuestion",
    "Stage1Result",
    "validate_stage1",
]

CATEGORIES = ("event", "object", "attribute")
MODALITIES = ("V", "A", "V2A", "A2V", "AV")

#: Seconds an interval may run past the end of the video before it is an error; within it the end is
#: clamped to the duration (models round durations up).
END_TOLERANCE = 0.5

_QUESTION_FIELDS = ("question", "category", "type", "query_interval")
_FENCE_RE = re.compile(r"^```[A-Za-z0-9_-]*[ \t]*\n(.*)\n```$", re.DOTALL)


@dataclass(frozen=True)
class ProposedQuestion:
    text: str
    category: str  # one of CATEGORIES
    modality: str  # one of MODALITIES
    start: float  # seconds, 0 <= start < end <= duration
    end: float

    def to_dict(self) -> dict[str, Any]:
        """The answer's JSON shape (what the model wrote, after validation)."""
        return {
            "question": self.text,
            "category": self.category,
            "type": self.modality,
            "query_interval": [self.start, self.end],
        }


@dataclass
class Stage1Result:
    questions: list[ProposedQuestion] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.questions)


def validate_stage1(data_text: str, *, duration: float) -> Stage1Result:
    """Check a stage 1 answer (JSON text) for a video ``duration`` seconds long.

    A single Markdown code fence around the JSON is tolerated (some OpenAI-compatible servers add one
    when they do not enforce the schema); everything inside must be the JSON object.
    """
    if isinstance(duration, bool) or not isinstance(duration, (int, float)) or not duration > 0:
        raise ValueError(f"the video duration must be a positive number of seconds, got {duration!r}")
    duration = float(duration)
    result = Stage1Result()
    data, error = parse_json(data_text)
    if error:
        result.errors.append(error)
        return result
    if not isinstance(data, dict):
        result.errors.append(f'the answer must be a JSON object with a "questions" list, not {json_type(data)}')
        return result
    for key in sorted(data.keys() - {"questions"}):
        result.errors.append(f'{key}: unexpected field; the answer object has only "questions"')
    questions = data.get("questions")
    if "questions" not in data:
        result.errors.append('questions: missing; the answer must be {"questions": [...]}')
        return result
    if not isinstance(questions, list):
        result.errors.append(f"questions: must be a list, not {json_type(questions)}")
        return result
    if not questions:
        result.errors.append("questions: the list is empty; propose 5 to 10 questions")
        return result
    for i, item in enumerate(questions):
        question = _check_question(item, f"questions[{i}]", duration, result.errors)
        if question is not None:
            result.questions.append(question)
    return result


def parse_json(text: Any) -> tuple[Any, str]:
    if not isinstance(text, str):
        return None, f"the answer is not text but {type(text).__name__}"
    stripped = text.strip()
    if not stripped:
        return None, "the answer is empty; answer with the JSON object only"
    fenced = _FENCE_RE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    try:
        return json.loads(stripped, parse_constant=_reject_constant), ""
    except json.JSONDecodeError as e:
        return None, f"the answer is not valid JSON: {e.msg}: line {e.lineno} column {e.colno}"
    except ValueError as e:
        return None, f"the answer is not valid JSON: {e}"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _check_question(item: Any, where: str, duration: float, errors: list[str]) -> ProposedQuestion | None:
    if not isinstance(item, dict):
        errors.append(f"{where}: must be an object with {', '.join(_QUESTION_FIELDS)}, not {json_type(item)}")
        return None
    n_errors = len(errors)
    check_fields(item, _QUESTION_FIELDS, where, errors, noun="a question")

    text = item.get("question")
    if "question" in item:
        if not isinstance(text, str):
            errors.append(f"{where}.question: must be a string, not {json_type(text)}")
        elif not text.strip():
            errors.append(f"{where}.question: is empty")
    category = item.get("category")
    if "category" in item:
        _check_enum(category, CATEGORIES, f"{where}.category", errors)
    modality = item.get("type")
    if "type" in item:
        _check_enum(modality, MODALITIES, f"{where}.type", errors)
    interval = None
    if "query_interval" in item:
        interval = _check_interval(item["query_interval"], f"{where}.query_interval", duration, errors)

    if len(errors) > n_errors or interval is None:
        return None
    return ProposedQuestion(text=text.strip(), category=category, modality=modality, start=interval[0], end=interval[1])


def _check_enum(value: Any, allowed: tuple[str, ...], where: str, errors: list[str]) -> None:
    if value not in allowed or not isinstance(value, str):
        choices = ", ".join(f'"{a}"' for a in allowed)
        errors.append(f"{where}: {json.dumps(value)} is not one of {choices}")


def _check_interval(value: Any, where: str, duration: float, errors: list[str]) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2 or not all(_is_number(v) for v in value):
        errors.append(f"{where}: must be [start_seconds, end_seconds], two numbers, not {json.dumps(value)}")
        return None
    start, end = float(value[0]), float(value[1])
    n_errors = len(errors)
    if start < 0:
        errors.append(f"{where}: start {_s(start)} is before the start of the video (0 s)")
    if start >= duration:
        errors.append(f"{where}: start {_s(start)} is at or after the end of the video ({_s(duration)} s)")
    if end > duration + END_TOLERANCE:
        errors.append(f"{where}: end {_s(end)} is after the end of the video ({_s(duration)} s)")
    if start >= end:
        errors.append(f"{where}: start {_s(start)} is not before end {_s(end)}")
    if len(errors) > n_errors:
        return None
    return start, min(end, duration)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _s(seconds: float) -> str:
    return repr(float(seconds))


def check_fields(item: dict, fields: tuple[str, ...], where: str, errors: list[str], *, noun: str) -> None:
    """An error per field of ``item`` that is not one of ``fields``, and per one of ``fields`` it lacks."""
    for key in sorted(item.keys() - set(fields)):
        errors.append(f"{where}.{key}: unexpected field; {noun} has only {', '.join(fields)}")
    for key in fields:
        if key not in item:
            errors.append(f"{where}.{key}: missing")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
