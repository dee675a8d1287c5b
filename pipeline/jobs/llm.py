"""Which LLM a project uses, whether it can be called, and the shared throttle around every call."""

import os
from dataclasses import dataclass

import redis
from django.conf import settings

from annotation.projects.models import ProjectKind
from pipeline.jobs.models import LLMCall, LLMOutcome
from pipeline.jobs.ratelimit import ProviderThrottle, ThrottleTimeout
from pipeline.llm.pricing import estimate_cost
from pipeline.llm.types import PROVIDERS, LLMRequest, LLMResponse, Provider, TransientProviderError

KEY_VARIABLE = {"openai": "OPENAI_API_KEY", "gemini": "GEMINI_API_KEY"}


@dataclass(frozen=True)
class LLMStatus:
    provider: str
    model: str
    configured: bool
    message: str

    def as_dict(self) -> dict:
        return {"provider": self.provider, "model": self.model, "configured": self.configured, "message": self.message}


def llm_choice(project) -> tuple[str, str]:
    """(provider, model): the project's own choice in settings["llm"], else the deployment's."""
    chosen = (project.settings or {}).get("llm", {}) if project is not None else {}
    if not isinstance(chosen, dict):
        raise ValueError('settings.llm must be an object like {"provider": "openai", "model": "..."}')
    provider = chosen.get("provider") or settings.CLUEBENCH_LLM_PROVIDER
    model = chosen.get("model") or settings.CLUEBENCH_LLM_MODEL
    if provider not in PROVIDERS:
        raise ValueError(f"unknown LLM provider {provider!r}; use one of {', '.join(PROVIDERS)}")
    return provider, model


#: What the LLM does for a project of each kind, and what people do without it (the missing-key message).
LLM_WORK = {
    ProjectKind.AVST: ("analyse the events' audibility", "Until then, add the objects by hand on each event's review page."),
}
LLM_WORK_DEFAULT = ("propose questions", "Until then, add questions by hand.")


def llm_status(project) -> LLMStatus:
    try:
        provider, model = llm_choice(project)
    except (ValueError, AttributeError, TypeError) as exc:
        return LLMStatus("", "", False, f"The project's LLM settings are invalid ({exc}); fix them in its settings.")
    if os.environ.get(KEY_VARIABLE[provider]):
        return LLMStatus(provider, model, True, f"{model} through {provider}")
    work = LLM_WORK.get(getattr(project, "kind", ""), LLM_WORK_DEFAULT)
    return LLMStatus(
        provider, model, False,
        f"No API key: set {KEY_VARIABLE[provider]} on the workers to let {model} {work[0]}. {work[1]}",
    )


def build_provider(project) -> Provider:
    provider, model = llm_choice(project)
    # Each SDK is imported by the worker that calls its provider only: the web processes never load either.
    if provider == "openai":
        from pipeline.llm.openai_provider import OpenAIProvider

        return OpenAIProvider(model, timeout=settings.CLUEBENCH_LLM_TIMEOUT, send_audio=settings.CLUEBENCH_LLM_SEND_AUDIO)
    from pipeline.llm.gemini_provider import GeminiProvider

    return GeminiProvider(model, timeout=settings.CLUEBENCH_LLM_TIMEOUT)


class ThrottledProvider:
    """Every call waits for the provider's shared rate and concurrency limits (settings, kept in Redis)."""
    def __init__(self, inner: Provider):
        self.inner = inner
        self.name = inner.name
        self.model = inner.model
        self.throttle = ProviderThrottle(
            redis.Redis.from_url(settings.CELERY_BROKER_URL),
            inner.name,
            per_minute=settings.CLUEBENCH_LLM_RATE_PER_MINUTE.get(inner.name, 60),
            concurrency=int(settings.CLUEBENCH_LLM_CONCURRENCY.get(inner.name, 4)),
        )

    def complete(self, request: LLMRequest) -> LLMResponse:
        try:
            with self.throttle.slot(timeout=settings.CLUEBENCH_LLM_TIMEOUT):
                return self.inner.complete(request)
        except ThrottleTimeout as exc:
            raise TransientProviderError(str(exc)) from exc

    def __getattr__(self, name):
        return getattr(self.inner, name)


def log_call(project, provider, key: str, attempt, *, prompt_id: str) -> LLMCall:
    """One attempt as an LLMCall row (what was asked and answered, tokens, cost; never the key)."""
    return LLMCall.objects.create(
        project=project,
        provider=provider.name,
        model=provider.model,
        prompt_version=prompt_id,
        input_hash=key,
        request=attempt.request_log,
        response={**attempt.response_log, "text": attempt.text} if attempt.text or attempt.response_log else None,
        outcome=attempt.outcome,
        error=attempt.error if attempt.outcome != LLMOutcome.OK else "",
        tokens_in=attempt.tokens_in,
        tokens_out=attempt.tokens_out,
        latency_ms=attempt.latency_ms,
        cost_usd=estimate_cost(settings.CLUEBENCH_LLM_PRICES, provider.model, attempt.tokens_in, attempt.tokens_out),
    )
