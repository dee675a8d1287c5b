"""Calling a provider the way the stages do: retries for transient faults, validation, one repair turn.

Two kinds of retry, counted apart:

* Transient faults (429, 5xx, timeouts, dropped connections) are retried by :func:`call_with_retries`
  with exponential backoff and jitter, up to ``RetryPolicy.max_retries`` times per call. A server's
  ``Retry-After`` replaces the backoff, but is cut to ``max_delay``: a worker should not sleep for
  minutes on one video, and if the server refuses again the attempt just costs one retry.
* An answer that fails validation is sent back once, with the problems listed (see
  :func:`ask_structured`); a second invalid answer is a failure of the stage for that item.

Every attempt, failed or not, becomes an :class:`Attempt` for the call log.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Generic, Literal, Protocol, TypeVar

from .prompts import Prompt
from .types import (
    LLMRequest,
    LLMResponse,
    MediaInput,
    Message,
    MissingApiKey,
    Provider,
    ProviderError,
    TransientProviderError,
)
from .validate import ProposedQuestion, validate_stage1

__all__ = [
    "Attempt",
    "ProposalOutcome",
    "RetryPolicy",
    "StructuredOutcome",
    "ValidationResult",
    "ask_structured",
    "call_with_retries",
    "input_hash",
    "propose_stage1",
    "repair_message",
    "stage1_request",
]

#: At most this many validation problems are sent back to the model; the rest are counted.
MAX_ERRORS_SENT = 20


@dataclass
class RetryPolicy:
    max_retries: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (0 for the first).

        ``base_delay * 2**retry`` stretched by a random factor in ``[1, 1 + jitter]`` (so delays grow even
        with jitter, and workers that failed together do not retry together), at most ``max_delay``; or the
        server's ``retry_after``, also at most ``max_delay``.
        """
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_delay)
        backoff = self.base_delay * (2 ** retry)
        return min(backoff * (1 + self.jitter * self.random()), self.max_delay)


@dataclass
class Attempt:
    request_log: dict[str, Any] = field(default_factory=dict)
    response_log: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    outcome: Literal["ok", "invalid", "error"] = "ok"
    error: str = ""
    model: str = ""  # the model that answered (a snapshot name), empty when nothing answered


@dataclass
class ProposalOutcome:
    questions: list[ProposedQuestion] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    ok: bool = False
    error: str = ""


def _attempt_from_response(response: LLMResponse, *, outcome: str, error: str = "") -> Attempt:
    return Attempt(
        request_log=response.request_log,
        response_log=response.response_log,
        text=response.text,
        tokens_in=response.tokens_in,
        tokens_out=response.tokens_out,
        latency_ms=response.latency_ms,
        outcome=outcome,
        error=error,
        model=response.model,
    )


def call_with_retries(
    provider: Provider,
    request: LLMRequest,
    policy: RetryPolicy,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> LLMResponse:
    """One answer from ``provider``, retrying transient faults as ``policy`` says.

    Each failed attempt is passed to ``on_attempt`` (outcome "error"); the successful one is returned, and
    the caller records it once it knows whether the answer is valid. A missing key is raised at once and
    not recorded (no call was made); any other permanent fault is recorded and raised; when the retries run
    out, the last transient fault is raised.
    """
    retry = 0
    while True:
        try:
            return provider.complete(request)
        except MissingApiKey:
            raise
        except ProviderError as e:
            if on_attempt is not None:
                on_attempt(Attempt(request_log=e.request_log, latency_ms=e.latency_ms, outcome="error", error=str(e)))
            if not isinstance(e, TransientProviderError) or retry >= policy.max_retries:
                raise
            policy.sleep(policy.delay(retry, e.retry_after))
            retry += 1


def repair_message(errors: list[str]) -> str:
    """What the model is told after an invalid answer."""
    shown = errors[:MAX_ERRORS_SENT]
    listed = "; ".join(shown)
    if len(errors) > len(shown):
        listed += f"; and {len(errors) - len(shown)} more problems"
    return f"Your answer was invalid: {listed}. Answer again with valid JSON only."


class ValidationResult(Protocol):
    """What a validator returns: ``ok`` and the problems found, in words a model can act on."""

    errors: list[str]

    @property
    def ok(self) -> bool: ...


ResultT = TypeVar("ResultT", bound=ValidationResult)


@dataclass
class StructuredOutcome(Generic[ResultT]):
    """``result``: the accepted answer's validation result, or the last rejected one; ``None`` when no answer came
    back (a provider fault). ``error`` says why ``ok`` is False."""

    result: ResultT | None = None
    attempts: list[Attempt] = field(default_factory=list)
    ok: bool = False
    error: str = ""


def ask_structured(
    provider: Provider,
    request: LLMRequest,
    *,
    validate: Callable[[str], ResultT],
    policy: RetryPolicy | None = None,
    on_attempt: Callable[[Attempt], None] | None = None,
    unexplained: str = "the answer was not accepted",
) -> StructuredOutcome[ResultT]:
    """One validated answer: call, validate, and on an invalid answer ask once more.

    The second request carries the first answer and the problems found in it (``history``). A result that is not
    ``ok`` but lists no problem is reported as ``unexplained``. ``on_attempt`` sees every attempt as it happens (the
    outcome's ``attempts`` holds them too). Provider faults do not raise: they give ``ok`` False and the fault's text.
    """
    policy = policy or RetryPolicy()
    outcome: StructuredOutcome[ResultT] = StructuredOutcome()

    def record(attempt: Attempt) -> None:
        outcome.attempts.append(attempt)
        if on_attempt is not None:
            on_attempt(attempt)

    current = request
    for turn in range(2):
        try:
            response = call_with_retries(provider, current, policy, on_attempt=record)
        except ProviderError as e:
            outcome.error = str(e)
            return outcome
        result = validate(response.text)
        outcome.result = result
        if result.ok:
            record(_attempt_from_response(response, outcome="ok"))
            outcome.ok = True
            return outcome
        problems = result.errors or [unexplained]
        record(_attempt_from_response(response, outcome="invalid", error="; ".join(problems)))
        if turn == 0:
            history = current.history + (
                Message(role="assistant", text=response.text),
                Message(role="user", text=repair_message(problems)),
            )
            current = replace(current, history=history)
        else:
            outcome.error = "the answer was invalid twice; last problems: " + "; ".join(problems[:MAX_ERRORS_SENT])
    return outcome


def propose_stage1(
    provider: Provider,
    request: LLMRequest,
    *,
    policy: RetryPolicy | None = None,
    duration: float | None = None,
    on_attempt: Callable[[Attempt], None] | None = None,
) -> ProposalOutcome:
    """Candidate questions for one video (:func:`ask_structured` with :func:`validate_stage1`).

    ``duration`` defaults to ``request.media.duration``. Provider faults do not raise: they give ``ok`` False and
    the fault's text.
    """
    if duration is None:
        if request.media is None:
            raise ValueError("propose_stage1 needs the video's duration: give duration= or a request with media")
        duration = request.media.duration
    asked = ask_structured(
        provider,
        request,
        validate=lambda text: validate_stage1(text, duration=duration),
        policy=policy,
        on_attempt=on_attempt,
        unexplained="the answer has no questions",
    )
    questions = asked.result.questions if asked.ok and asked.result is not None else []
    return ProposalOutcome(questions=questions, attempts=asked.attempts, ok=asked.ok, error=asked.error)


def stage1_request(prompt: Prompt, media: MediaInput) -> LLMRequest:
    """The stage 1 request for one video, from the prompt and what the provider will be given.

    The user text says what is attached, so ``media`` should hold only what the provider sends (no
    ``audio_path`` for a provider that sends no audio).
    """
    notes = []
    if media.frames:
        notes.append(
            f"{len(media.frames)} frames sampled evenly from the video are attached, each after a line giving its time in seconds."
        )
    elif media.video_path is not None:
        notes.append("The video is attached.")
    if media.audio_path is not None:
        notes.append("The audio track of the video is attached.")
    elif media.frames:
        notes.append("No audio is attached.")
    user_text = prompt.render(
        duration=f"{media.duration:.1f}",
        duration_hms=_hms(media.duration),
        media_note=" ".join(notes) or "No media is attached.",
    )
    return LLMRequest(
        prompt_version=prompt.id,
        system=prompt.system,
        user_text=user_text,
        schema_name=prompt.name,
        schema=prompt.schema,
        media=media,
    )


def _hms(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def input_hash(request: LLMRequest) -> str:
    """sha256 hex of everything in ``request`` that shapes the answer; with the provider's name and the
    model it is the cache key. The media count through their fingerprint, not their bytes."""
    description = {
        "prompt_version": request.prompt_version,
        "system": request.system,
        "user_text": request.user_text,
        "schema_name": request.schema_name,
        "schema": request.schema,
        "media": request.media.fingerprint if request.media is not None else None,
        "history": [[m.role, m.text] for m in request.history],
    }
    canonical = json.dumps(description, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
