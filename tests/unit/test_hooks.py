"""Hooks: a lower app asks, an app above answers; one answer or all of them, a default while none is plugged."""

import pytest

from annotation.projects.hooks import Hook


def test_a_single_hook_answers_with_its_default_then_with_what_is_plugged():
    hook = Hook("who holds it", default=lambda *, question: None)
    assert hook(question=1) is None
    answer = hook.plug(lambda *, question: f"reviewer of {question}")
    assert hook(question=7) == "reviewer of 7"
    assert hook.plug(answer) is answer  # plugging the same function again changes nothing
    with pytest.raises(RuntimeError, match="already answered"):
        hook.plug(lambda *, question: "another")


def test_a_hook_with_no_default_says_nothing_answers():
    with pytest.raises(LookupError, match="nothing answers hook 'x'"):
        Hook("x")()


def test_a_multiple_hook_gathers_every_answer_in_order():
    hook = Hook("sections", single=False)
    assert hook(project=1) == []
    hook.plug(lambda *, project: ["videos"])
    hook.plug(lambda *, project: ["questions", project])
    assert hook(project=3) == [["videos"], ["questions", 3]]
