"""A project's settings (``Project.settings``): the keys the stages read, their defaults, and the one check that
every place where people edit them runs (the admin through ``Project.clean``, the API through its serializer).

Keys: ``llm`` (``{"provider": ..., "model": ...}``, overriding the deployment's LLM), ``audit_share`` and
``double_share`` (the share of pooled questions sampled for audit and for double annotation), ``filtering``
(R-AVST's filtering bounds, see ``pipeline.avst.filtering``).
"""

from __future__ import annotations

from pipeline.avst.filtering import FilterRules, SettingsError
from pipeline.llm.types import PROVIDERS

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
    try:
        FilterRules.from_settings(settings.get("filtering"))
    except SettingsError as exc:
        errors["filtering"] = str(exc)
    return errors


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
