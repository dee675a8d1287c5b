"""The provider-neutral shapes of the LLM layer. Plain Python: nothing under pipeline/llm imports Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


#: The providers an LLM stage can use: the OpenAI SDK (GPT and any compatible server) and Google GenAI (Gemini).
PROVIDERS = ("openai", "gemini")


@dataclass(frozen=True)
class SampledFrame:
    """One frame shown to a model that takes no video: its time on the proxy and a JPEG."""

    timestamp: float
    frame_index: int
    jpeg: bytes


@dataclass(frozen=True)
class MediaInput:
    """What the model gets to see and hear of one video.

    `video_path` is the proxy (providers with native video upload it); `frames` are sampled for providers
    without video; `audio_path` is the proxy's audio track, for models that accept audio.
    `fingerprint` identifies the media for the cache key (the proxy's sha256 and the sampling parameters),
    so that the key does not depend on re-encoded JPEG bytes.
    """

    duration: float
    fingerprint: str
    video_path: Path | None = None
    audio_path: Path | None = None
    frames: tuple[SampledFrame, ...] = ()


@dataclass(frozen=True)
class Message:
    role: str  # "user" or "assistant"
    text: str


@dataclass(frozen=True)
class LLMRequest:
    prompt_version: str  # e.g. "stage1_questions@v1"
    system: str
    user_text: str
    schema_name: str
    schema: dict[str, Any]  # JSON Schema of the answer (structured output where the provider supports it)
    media: MediaInput | None = None
    # Earlier turns of this conversation (a previous invalid answer and the validation error), oldest first.
    history: tuple[Message, ...] = ()


@dataclass
class LLMResponse:
    text: str
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: int = 0
    # JSON-safe description of what was sent and received, for the call log. Never the API key.
    request_log: dict[str, Any] = field(default_factory=dict)
    response_log: dict[str, Any] = field(default_factory=dict)


class ProviderError(Exception):
    """A provider call failed. `request_log` (no key) is kept for the call log."""

    def __init__(self, message: str, *, request_log: dict | None = None, latency_ms: int = 0):
        super().__init__(message)
        self.request_log = request_log or {}
        self.latency_ms = latency_ms


class TransientProviderError(ProviderError):
    """Worth retrying: 429, 5xx, a dropped connection, a timeout. `retry_after` in seconds when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Not worth retrying: a bad request, a bad key, an unknown model."""


class MissingApiKey(PermanentProviderError):
    """No key is configured for the provider."""


class Provider(Protocol):
    name: str  # "openai" or "gemini"
    model: str

    def complete(self, request: LLMRequest) -> LLMResponse:
        """One call, no retries (the caller retries transient faults). Raises ProviderError subclasses."""
        ...
