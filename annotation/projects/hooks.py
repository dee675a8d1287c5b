"""Extension points: the way a lower app lets the apps above it take part, while imports and foreign keys point
down only.

A lower app declares a ``Hook`` where it needs an answer it cannot know (who holds a question in a review queue,
what a project's other stages count); an app above plugs its function in from its ``AppConfig.ready()``. Every
hook of the house is declared in a module named ``hooks.py`` of the app that asks, with what it expects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """One named extension point. ``single``: one function answers (the default answers while none is plugged);
    otherwise every plugged function answers, in the order they were plugged, and the call returns their
    answers as a list."""

    def __init__(self, name: str, *, default: Callable[..., Any] | None = None, single: bool = True):
        self.name = name
        self.single = single
        self._default = default
        self._plugged: list[Callable[..., Any]] = []

    def plug(self, function: Callable[..., Any]) -> Callable[..., Any]:
        if self.single and self._plugged and self._plugged[0] is not function:
            raise RuntimeError(f"hook {self.name!r} already answered by {self._plugged[0].__qualname__}")
        if function not in self._plugged:
            self._plugged.append(function)
        return function

    def __call__(self, **kwargs) -> Any:
        if not self.single:
            return [function(**kwargs) for function in self._plugged]
        if self._plugged:
            return self._plugged[0](**kwargs)
        if self._default is None:
            raise LookupError(f"nothing answers hook {self.name!r}: is the app that plugs it installed?")
        return self._default(**kwargs)


#: Sections of a project's summary (home page and API): each domain app plugs a function
#: ``(project) -> list[{"key", "title", "states": [{"state", "label", "count"}]}]`` for the stages it owns.
summary_sections = Hook("project summary sections", single=False)
