"""The OpenAI provider: GPT models, and any OpenAI-compatible server (Gemini's compatible endpoint, vLLM,
Ollama) through ``base_url``.

One call is one ``chat.completions.create`` with the SDK's own retries off (the engine retries, and logs
every attempt). Frames go in as ``image_url`` parts with base64 JPEG data URLs, each after a text part
giving its time, so the model can place what it sees; the audio track, when asked for, goes in as one
``input_audio`` part (MP3, 16 kHz mono, which audio-capable models read and which keeps a long video's
track to a few MB).

The API key never reaches a log or an error message: the request log is built from our own message list
with the media replaced by short descriptions, and error texts from the server are scrubbed of the key.
"""

from __future__ import annotations

import base64
import email.utils
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import openai

from .types import (
    LLMRequest,
    LLMResponse,
    MissingApiKey,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)

__all__ = ["OpenAIProvider", "audio_mp3", "parse_retry_after"]

#: Statuses worth another try besides 5xx: a request timeout, a conflict, too many requests.
_TRANSIENT_STATUSES = frozenset({408, 409, 429})

AUDIO_SAMPLE_RATE = 16_000
AUDIO_BIT_RATE = 32_000


class OpenAIProvider:
    name = "openai"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 120.0,
        send_audio: bool = False,
        temperature: float | None = 0.2,
    ) -> None:
        """``api_key`` None: the SDK's ``OPENAI_API_KEY``; ``base_url`` None: ``OPENAI_BASE_URL`` or OpenAI's.

        ``temperature`` None leaves it out of the request (reasoning models refuse any other than their own).
        Constructing never fails for want of a key: :meth:`configured` says whether calls can be made.
        """
        if not model:
            raise ValueError("an OpenAI provider needs a model name")
        self.model = model
        self._api_key = api_key or None
        self._base_url = base_url or None
        self.timeout = float(timeout)
        self.send_audio = send_audio
        self.temperature = temperature
        self._client: openai.OpenAI | None = None
        self._client_key: str | None = None

    def __repr__(self) -> str:
        return f"<OpenAIProvider model={self.model!r} base_url={self.base_url!r}>"

    @property
    def base_url(self) -> str | None:
        return self._base_url or os.environ.get("OPENAI_BASE_URL") or None

    def _key(self) -> str | None:
        return self._api_key or os.environ.get("OPENAI_API_KEY") or None

    def configured(self) -> bool:
        """Whether a key is set (given, or in ``OPENAI_API_KEY``); says nothing of whether it is valid."""
        return self._key() is not None

    def _get_client(self) -> openai.OpenAI:
        key = self._key()
        if key is None:
            raise MissingApiKey(
                "no API key: set OPENAI_API_KEY (or give the provider an api_key) to call "
                f"{self.model} through {self.base_url or 'the OpenAI API'}"
            )
        if self._client is None or self._client_key != key:
            self._client = openai.OpenAI(api_key=key, base_url=self.base_url, timeout=self.timeout, max_retries=0)
            self._client_key = key
        return self._client

    # -- one call ----------------------------------------------------------------

    def complete(self, request: LLMRequest) -> LLMResponse:
        client = self._get_client()
        messages, logged_messages = self._messages(request)
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": request.schema_name, "schema": request.schema, "strict": True},
        }
        extra: dict[str, Any] = {} if self.temperature is None else {"temperature": self.temperature}
        request_log: dict[str, Any] = {
            "provider": self.name,
            "base_url": self.base_url,
            "model": self.model,
            "prompt_version": request.prompt_version,
            "messages": logged_messages,
            "response_format": response_format,
            **extra,
        }
        started = time.monotonic()
        try:
            completion = client.chat.completions.create(
                model=self.model, messages=messages, response_format=response_format, **extra
            )
        except openai.OpenAIError as e:
            latency_ms = _ms_since(started)
            raise self._map_error(e, request_log=request_log, latency_ms=latency_ms) from None
        except json.JSONDecodeError as e:
            # A 200 whose body is not JSON: a proxy or gateway in the way, not the model's answer.
            raise TransientProviderError(
                f"{self.name}: the server's answer could not be read (not JSON: {e})",
                request_log=request_log,
                latency_ms=_ms_since(started),
            ) from None
        latency_ms = _ms_since(started)
        try:
            choice = completion.choices[0]
            message = choice.message
            text = message.content or ""
            usage = completion.usage
            tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
            tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
            response_log = {
                "id": completion.id,
                "model": completion.model,
                "content": message.content,
                "refusal": getattr(message, "refusal", None),
                "finish_reason": choice.finish_reason,
                "usage": {"prompt_tokens": tokens_in, "completion_tokens": tokens_out},
            }
        except (AttributeError, IndexError, TypeError, ValueError) as e:
            raise TransientProviderError(
                self._scrub(f"{self.name}: the server's answer could not be read ({type(e).__name__}: {e})"),
                request_log=request_log,
                latency_ms=latency_ms,
            ) from None
        return LLMResponse(
            text=text,
            model=completion.model or self.model,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            latency_ms=latency_ms,
            request_log=request_log,
            response_log=response_log,
        )

    def _messages(self, request: LLMRequest) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The messages sent, and the same with the media replaced by descriptions (for the call log)."""
        parts: list[dict[str, Any]] = [{"type": "text", "text": request.user_text}]
        logged: list[dict[str, Any]] = [{"type": "text", "text": request.user_text}]
        media = request.media
        if media is not None:
            for frame in media.frames:
                label = {"type": "text", "text": f"Frame at {frame.timestamp:.2f} s:"}
                url = "data:image/jpeg;base64," + base64.b64encode(frame.jpeg).decode("ascii")
                parts += [label, {"type": "image_url", "image_url": {"url": url, "detail": "low"}}]
                described = f"<jpeg {len(frame.jpeg)} bytes at {frame.timestamp:.2f} s>"
                logged += [label, {"type": "image_url", "image_url": {"url": described, "detail": "low"}}]
            if self.send_audio and media.audio_path is not None:
                mp3 = audio_mp3(media.audio_path)
                data = base64.b64encode(mp3).decode("ascii")
                parts.append({"type": "input_audio", "input_audio": {"data": data, "format": "mp3"}})
                described = f"<mp3 {len(mp3)} bytes, {AUDIO_SAMPLE_RATE} Hz mono>"
                logged.append({"type": "input_audio", "input_audio": {"data": described, "format": "mp3"}})
        head = [{"role": "system", "content": request.system}]
        turns = [{"role": m.role, "content": m.text} for m in request.history]
        messages = head + [{"role": "user", "content": parts}] + turns
        logged_messages = head + [{"role": "user", "content": logged}] + [dict(t) for t in turns]
        return messages, logged_messages

    # -- errors ------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        key = self._key()
        return text.replace(key, "<api key>") if key else text

    def _map_error(self, e: openai.OpenAIError, *, request_log: dict[str, Any], latency_ms: int) -> ProviderError:
        where = f"{self.name} {self.model}"
        kwargs = {"request_log": request_log, "latency_ms": latency_ms}
        if isinstance(e, openai.APITimeoutError):
            return TransientProviderError(f"{where}: no answer within {self.timeout:g} s", **kwargs)
        if isinstance(e, openai.APIConnectionError):
            cause = e.__cause__ or e.__context__
            detail = f" ({type(cause).__name__}: {cause})" if cause else ""
            return TransientProviderError(self._scrub(f"{where}: could not reach {self.base_url or 'the OpenAI API'}{detail}"), **kwargs)
        if isinstance(e, openai.APIStatusError):
            status = e.status_code
            text = self._scrub(f"{where}: HTTP {status}: {_server_message(e)}")
            if status in _TRANSIENT_STATUSES or status >= 500:
                return TransientProviderError(text, retry_after=parse_retry_after(e.response.headers), **kwargs)
            return PermanentProviderError(text, **kwargs)
        return PermanentProviderError(self._scrub(f"{where}: {type(e).__name__}: {e}"), **kwargs)


def _server_message(e: openai.APIStatusError) -> str:
    body = e.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return error["message"]
        if isinstance(error, str):
            return error
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return e.message


def parse_retry_after(headers: Any, *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP date; None if absent."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def audio_mp3(path: str | os.PathLike) -> bytes:
    """The audio track of ``path`` as MP3 bytes, 16 kHz mono (decoded and encoded in memory with PyAV)."""
    import av

    out_buf = io.BytesIO()
    with av.open(os.fspath(path)) as src:
        if not src.streams.audio:
            raise ValueError(f"{Path(path).name} has no audio track")
        with av.open(out_buf, mode="w", format="mp3") as dst:
            stream = dst.add_stream("libmp3lame", rate=AUDIO_SAMPLE_RATE, layout="mono")
            stream.bit_rate = AUDIO_BIT_RATE
            resampler = av.AudioResampler(format="s16p", layout="mono", rate=AUDIO_SAMPLE_RATE)
            for frame in src.decode(src.streams.audio[0]):
                frame.pts = None
                for chunk in resampler.resample(frame):
                    dst.mux(stream.encode(chunk))
            for chunk in resampler.resample(None):
                dst.mux(stream.encode(chunk))
            dst.mux(stream.encode(None))
    return out_buf.getvalue()


def _ms_since(started: float) -> int:
    return int(round((time.monotonic() - started) * 1000))
