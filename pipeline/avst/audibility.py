"""Audibility analysis: an LLM lists the objects of one event caption, each "visible and audible" or "visible only".

The request is text only (prompt ``avst_audibility``); the answer is checked by :func:`validate_audibility`, whose
problems go back to the model verbatim on the repair turn of :func:`pipeline.llm.engine.ask_structured`::

    ask_structured(provider, audibility_request(prompt, caption), validate=validate_audibility, ...)

An empty object list is a valid answer: a caption may name nothing visible ("wind blowing"). Names are kept as
the model wrote them, with whitespace collapsed; two names that are equal after lower-casing are one object
listed twice, an error. The labels are stored as ``"audible"`` / ``"visible_only"`` (the QA templates' words).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from pipeline.llm.prompts import Prompt
from pipeline.llm.types import LLMRequest
# The stage 1 validator's JSON reading (one Markdown fence tolerated, NaN refused) and its type names, so both
# stages tell a model the same things about broken JSON.
from pipeline.llm.validate import check_fields, json_type, parse_json

__all__ = [
    "LABELS",
    "MAX_NAME_LENGTH",
    "AudibilityResult",
    "ProposedObject",
    "audibility_request",
    "normalize_name",
    "validate_audibility",
]

#: The answer's label -> the stored audibility.
LABELS = {"visible and audible": "audible", "visible only": "visible_only"}
MAX_NAME_LENGTH = 100

_OBJECT_FIELDS = ("name", "audibility")


@dataclass(frozen=True)
class ProposedObject:
    name: str  # whitespace collapsed, case kept
    audibility: str  # "audible" or "visible_only"


@dataclass
class AudibilityResult:
    """``objects`` holds the valid objects even when ``errors`` is not empty (for display)."""

    objects: list[ProposedObject] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_name(name: str) -> str:
    """The form in which two names are the same object: lower-case, stripped, inner whitespace collapsed."""
    return " ".join(name.split()).lower()


def audibility_request(prompt: Prompt, caption: str) -> LLMRequest:
    """The request for one event caption (no media)."""
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"an event caption must be a non-empty string, got {caption!r}")
    return LLMRequest(
        prompt_version=prompt.id,
        system=prompt.system,
        user_text=prompt.render(caption=caption.strip()),
        schema_name=prompt.name,
        schema=prompt.schema,
    )


def validate_audibility(text: str) -> AudibilityResult:
    """Check an answer (JSON text); every problem is listed, each prefixed with where it is."""
    result = AudibilityResult()
    data, error = parse_json(text)
    if error:
        result.errors.append(error)
        return result
    if not isinstance(data, dict):
        result.errors.append(f'the answer must be a JSON object with an "objects" list, not {json_type(data)}')
        return result
    for key in sorted(data.keys() - {"objects"}):
        result.errors.append(f'{key}: unexpected field; the answer object has only "objects"')
    if "objects" not in data:
        result.errors.append('objects: missing; the answer must be {"objects": [...]}')
        return result
    items = data["objects"]
    if not isinstance(items, list):
        result.errors.append(f"objects: must be a list, not {json_type(items)}")
        return result
    first_at: dict[str, int] = {}
    for i, item in enumerate(items):
        obj = _check_object(item, f"objects[{i}]", result.errors)
        if obj is None:
            continue
        key = normalize_name(obj.name)
        if key in first_at:
            result.errors.append(f"objects[{i}].name: {obj.name!r} is already listed as objects[{first_at[key]}]")
            continue
        first_at[key] = i
        result.objects.append(obj)
    return result


def _check_object(item: Any, where: str, errors: list[str]) -> ProposedObject | None:
    if not isinstance(item, dict):
        errors.append(f"{where}: must be an object with name and audibility, not {json_type(item)}")
        return None
    n_errors = len(errors)
    check_fields(item, _OBJECT_FIELDS, where, errors, noun="an object")
    name = item.get("name")
    if "name" in item:
        if not isinstance(name, str):
            errors.append(f"{where}.name: must be a string, not {json_type(name)}")
        else:
            name = " ".join(name.split())
            if not name:
                errors.append(f"{where}.name: is empty")
            elif len(name) > MAX_NAME_LENGTH:
                errors.append(f"{where}.name: is {len(name)} characters long; at most {MAX_NAME_LENGTH}")
            elif "<" in name or ">" in name:
                # The answer strings are tag-delimited (<object>NAME</object>).
                errors.append(f"{where}.name: must not contain '<' or '>'")
    label = item.get("audibility")
    if "audibility" in item and (not isinstance(label, str) or label not in LABELS):
        choices = ", ".join(f'"{x}"' for x in LABELS)
        errors.append(f"{where}.audibility: {json.dumps(label)} is not one of {choices}")
    if len(errors) > n_errors:
        return None
    return ProposedObject(name=name, audibility=LABELS[label])
