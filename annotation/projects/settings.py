"""A project's settings (``Project.settings``): the keys the stages read, their defaults, and the one check that
every place where people edit them runs (the admin through ``Project.clean``, the API through its serializer).

Keys: ``llm`` (``{"provider": ..., "model": ...}``, overriding the deployment's LLM), ``audit_share`` and
``double_share`` (the share of pooled questions sampled for audit and for double annotation), ``filtering``
(R-AVST's filtering bounds, see ``pipeline.avst.filtering``), ``labels`` (the project's vocabulary,
``{"objects": [...], "clusters": [...]}``: the names the canvas offers when an object is named or a cluster made).
"""

from __future__ import annotations

from pipeline.avst.filtering import FilterRules, SettingsError
from pipeline.llm.types import PROVIDERS

#: The vocabulary's lists, the most names each may hold, and the longest name (a cluster's name is at most 100
#: characters in the question document, an object's 200 in the event document).
LABEL_LISTS = {"objects": 200, "clusters": 100}
LABELS_MAX = 500

#: Setting -> (the review queue it samples for, default share of the pooled questions).
SHARE_SETTINGS = {
    "audit_share": ("audit", 0.1),
    "double_share": ("double", 0.1),
}


class SettingsInvalid(ValueError):
    """A project's settings are not usable; ``errors`` maps a setting's path ("llm.provider") to its problem."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"settings.{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def settings_errors(settings) -> dict[str, str]:
    """Every problem of a settings object, keyed by the setting's path; empty when it is usable."""
    if not isinstance(settings, dict):
        return {"": "settings must be a JSON object"}
    errors: dict[str, str] = {}
    llm = settings.get("llm", {})
    if not isinstance(llm, dict):
        errors["llm"] = 'must be an object like {"provider": "openai", "model": "..."}'
    else:
        if llm.get("provider") not in (None, *PROVIDERS):
            errors["llm.provider"] = f"must be one of {', '.join(PROVIDERS)}"
        if "model" in llm and (not isinstance(llm["model"], str) or not llm["model"].strip()):
            errors["llm.model"] = "must be a model name"
    for name in SHARE_SETTINGS:
        value = settings.get(name)
        if name in settings and (isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1):
            errors[name] = f"{name} must be a number from 0 to 1 (a share of the pooled questions), got {value!r}"
    errors.update(_label_errors(settings.get("labels", {})))
    try:
        FilterRules.from_settings(settings.get("filtering"))
    except SettingsError as exc:
        errors["filtering"] = str(exc)
    return errors


def _label_errors(labels) -> dict[str, str]:
    if not isinstance(labels, dict):
        return {"labels": 'must be an object like {"objects": ["dog", "car"], "clusters": ["red", "blue"]}'}
    errors = {}
    for key in sorted(set(labels) - set(LABEL_LISTS)):
        errors[f"labels.{key}"] = f"is not a vocabulary list (use {' or '.join(LABEL_LISTS)})"
    for key, longest in LABEL_LISTS.items():
        names = labels.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            errors[f"labels.{key}"] = "must be a list of names"
        elif len(names) > LABELS_MAX:
            errors[f"labels.{key}"] = f"holds {len(names)} names; at most {LABELS_MAX}"
        elif any(not n.strip() or len(n.strip()) > longest for n in names):
            errors[f"labels.{key}"] = f"every name must have 1 to {longest} characters"
        elif len({n.strip() for n in names}) != len(names):
            errors[f"labels.{key}"] = "names must not repeat"
    return errors


def vocabulary(settings) -> dict[str, list[str]]:
    """The names the canvas offers, per list (empty lists when the project has none; a bad list reads as empty,
    its problem being reported where the settings are edited)."""
    labels = (settings or {}).get("labels") if isinstance(settings, dict) else None
    labels = labels if isinstance(labels, dict) else {}
    problems = _label_errors(labels)
    return {key: ([] if f"labels.{key}" in problems else [n.strip() for n in labels.get(key, [])])
            for key in LABEL_LISTS}


def check(settings) -> dict:
    """The settings object itself, or SettingsInvalid naming every problem."""
    errors = settings_errors(settings)
    if errors:
        raise SettingsInvalid(errors)
    return settings


def shares(settings) -> dict[str, float]:
    """Review queue -> the share of pooled questions it samples, the defaults filled in."""
    problems = {name: message for name, message in settings_errors(settings or {}).items() if name in SHARE_SETTINGS}
    if problems:
        raise SettingsInvalid(problems)
    settings = settings or {}
    return {queue: float(settings.get(name, default)) for name, (queue, default) in SHARE_SETTINGS.items()}
