"""Versioned prompt files.

A prompt lives in ``prompts/<name>/<version>.md`` next to this module, with the JSON Schema of its answer
in ``prompts/<name>/<version>.schema.json``. The ``.md`` file holds two sections, each opened by a marker
line, ``<!-- system -->`` and ``<!-- user -->``; anything before the first marker is a note for people
and is not sent. A version is never edited once used (the cache key and the call log name it), so a
change to a prompt is a new version file.

The user template has ``{name}`` placeholders. Only a brace around a bare identifier is a placeholder,
so JSON examples in a prompt need no escaping.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["PROMPTS_DIR", "Prompt", "load_prompt"]

PROMPTS_DIR = Path(__file__).resolve().parent / "prompts"

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_VERSION_RE = re.compile(r"^v[0-9]+$")
_SECTION_RE = re.compile(r"^<!--\s*(system|user)\s*-->[ \t]*$", re.MULTILINE)
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: str
    user_template: str
    schema: dict[str, Any] = field(hash=False, compare=False)

    @property
    def id(self) -> str:
        """``name@version``, e.g. ``stage1_questions@v1``: what the call log and the cache key record."""
        return f"{self.name}@{self.version}"

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER_RE.findall(self.user_template))

    def render(self, **values: Any) -> str:
        """The user template with every placeholder filled; a missing or an unknown value is an error."""
        wanted = self.placeholders
        missing = sorted(wanted - values.keys())
        unknown = sorted(values.keys() - wanted)
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing value(s) for {', '.join(missing)}")
            if unknown:
                parts.append(f"no placeholder for {', '.join(unknown)}")
            raise ValueError(f"cannot render prompt {self.id}: {'; '.join(parts)}")
        return _PLACEHOLDER_RE.sub(lambda m: str(values[m.group(1)]), self.user_template)


def load_prompt(name: str, version: str) -> Prompt:
    """The prompt ``name`` at ``version`` (files are read once per process)."""
    if not _NAME_RE.match(name or ""):
        raise ValueError(f"a prompt name is lower-case letters, digits and '_', got {name!r}")
    if not _VERSION_RE.match(version or ""):
        raise ValueError(f"a prompt version looks like 'v1', got {version!r}")
    return _load(name, version)


@lru_cache(maxsize=None)
def _load(name: str, version: str) -> Prompt:
    folder = PROMPTS_DIR / name
    text_path = folder / f"{version}.md"
    schema_path = folder / f"{version}.schema.json"
    if not text_path.is_file():
        raise LookupError(f"no prompt {name}@{version}: {text_path} does not exist")
    if not schema_path.is_file():
        raise LookupError(f"prompt {name}@{version} has no answer schema: {schema_path} does not exist")
    sections = _split_sections(text_path.read_text(encoding="utf-8"), text_path)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    if not isinstance(schema, dict):
        raise ValueError(f"{schema_path} must hold a JSON object")
    return Prompt(name=name, version=version, system=sections["system"], user_template=sections["user"], schema=schema)


def _split_sections(text: str, path: Path) -> dict[str, str]:
    markers = list(_SECTION_RE.finditer(text))
    sections: dict[str, str] = {}
    for i, m in enumerate(markers):
        key = m.group(1)
        if key in sections:
            raise ValueError(f"{path}: the {key} section appears twice")
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        sections[key] = text[m.end():end].strip()
    for key in ("system", "user"):
        if not sections.get(key):
            raise ValueError(f"{path}: the {key} section is missing or empty (a line '<!-- {key} -->' opens it)")
    return sections
