"""Gemini through the Google GenAI SDK (``google-genai``), with native video and audio input.

A request with ``media.video_path`` uploads the proxy video through the Files API (resumable upload), waits
until the file is ACTIVE and sends it as a file part, so that the model sees the pictures and hears the
sound. A request with only sampled frames sends them inline as JPEG parts, each after a "Frame at 12.34 s:"
text part (and the audio track, if any, as an uploaded file).

Uploads are cached in the provider instance by (path, size, mtime), so the retry of an invalid answer does
not upload the video again. Remote files are deleted (best effort) when they leave the cache (a newer video
pushes them out, or they are older than ``upload_max_age``) and on :meth:`GeminiProvider.close`; the service
deletes forgotten ones by itself after 48 h.

The SDK's own retries are switched off (``HttpRetryOptions(attempts=1)``): the caller's retry policy is the
only one. Errors become :class:`TransientProviderError` (429, 408, 5xx, timeouts, dropped connections) or
:class:`PermanentProviderError` (other 4xx, a file that failed processing). The API key travels only in the
``x-goog-api-key`` header the SDK sets; it is never written to a log or an exception text.

Plain Python: nothing here imports Django.
"""

from __future__ import annotations

import copy
import email.utils
import logging
import mimetypes
import os
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .types import (
    LLMRequest,
    LLMResponse,
    MissingApiKey,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)

logger = logging.getLogger(__name__)

API_KEY_ENV = "GEMINI_API_KEY"
API_VERSION = "v1beta"
TEMPERATURE = 0.2

_TRANSIENT_STATUS = {408, 429}
_FALLBACK_MIME = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
}


def _mime_for(path: Path, default: str) -> str:
    suffix = path.suffix.lower()
    if suffix in _FALLBACK_MIME:
        return _FALLBACK_MIME[suffix]
    guessed, _ = mimetypes.guess_type(str(path))
    return guessed or default


def _transport_error_types() -> tuple[type[BaseException], ...]:
    """httpx / httpx2 transport errors (timeouts, refused or dropped connections), whichever is installed."""
    found: list[type[BaseException]] = []
    for module_name in ("httpx2", "httpx"):
        try:
            module = __import__(module_name)
        except ImportError:
            continue
        for attr in ("TransportError", "TimeoutException", "StreamError"):
            cls = getattr(module, attr, None)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                found.append(cls)
    try:  # the SDK can also run on requests (google-auth sessions)
        import requests

        found.append(requests.exceptions.RequestException)
    except ImportError:  # pragma: no cover
        pass
    found.append(ConnectionError)
    found.append(TimeoutError)
    return tuple(found)


# -- JSON Schema -> what the SDK accepts ------------------------------------------------------------------------

# Keys of OpenAPI-style `Schema` (the older `response_schema`); used only when the SDK has no
# `response_json_schema`.
_OPENAPI_KEYS = {
    "type",
    "format",
    "title",
    "description",
    "nullable",
    "enum",
    "properties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "anyOf",
    "propertyOrdering",
    "default",
    "example",
}


def json_schema_for_gemini(schema: dict[str, Any]) -> dict[str, Any]:
    """Our JSON Schema as sent in ``responseJsonSchema``: a deep copy without ``$schema`` (the API takes the
    rest of the subset it knows: types, properties, required, items, enum, anyOf, $defs/$ref, ...)."""
    out = copy.deepcopy(schema)
    if isinstance(out, dict):
        out.pop("$schema", None)
    return out


def openapi_schema_for_gemini(schema: dict[str, Any]) -> dict[str, Any]:
    """Our JSON Schema translated to the OpenAPI subset of the older ``response_schema``: ``$ref`` inlined,
    ``["T", "null"]`` -> ``type: T, nullable: true``, ``const`` -> ``enum``, unknown keywords dropped."""
    defs = {}
    if isinstance(schema, dict):
        defs.update(schema.get("$defs") or {})
        defs.update(schema.get("definitions") or {})

    def convert(node: Any, depth: int) -> Any:
        if depth > 32 or not isinstance(node, dict):
            return {} if not isinstance(node, dict) else {"type": "object"}
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = defs.get(ref.rsplit("/", 1)[-1])
            if target is not None:
                merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
                return convert(merged, depth + 1)
        out: dict[str, Any] = {}
        node_type = node.get("type")
        if isinstance(node_type, list):
            non_null = [t for t in node_type if t != "null"]
            if len(non_null) < len(node_type):
                out["nullable"] = True
            if len(non_null) == 1:
                out["type"] = non_null[0]
            elif non_null:
                out["anyOf"] = [{"type": t} for t in non_null]
        elif isinstance(node_type, str):
            if node_type == "null":
                out["nullable"] = True
            else:
                out["type"] = node_type
        if "const" in node and node["const"] is not None:
            out["enum"] = [str(node["const"])]
        for key, value in node.items():
            if key in ("type", "const") or key not in _OPENAPI_KEYS:
                continue
            if key == "properties" and isinstance(value, dict):
                out["properties"] = {name: convert(sub, depth + 1) for name, sub in value.items()}
                out.setdefault("propertyOrdering", list(value))
            elif key == "items":
                out["items"] = convert(value, depth + 1)
            elif key == "anyOf" and isinstance(value, list):
                subs = [s for s in value if not (isinstance(s, dict) and s.get("type") == "null")]
                if len(subs) < len(value):
                    out["nullable"] = True
                converted = [convert(s, depth + 1) for s in subs]
                if len(converted) == 1:
                    out.update(converted[0])
                elif converted:
                    out["anyOf"] = converted
            elif key == "enum" and isinstance(value, list):
                out["enum"] = [str(v) for v in value if v is not None]
                if "type" not in out:
                    out["type"] = "string"
            else:
                out[key] = copy.deepcopy(value)
        if "enum" in out:
            out["type"] = "string"  # the API's OpenAPI enums are strings
        return out

    return convert(schema, 0)


# -- the provider ---------------------------------------------------------------------------------------------


@dataclass
class _Upload:
    name: str
    uri: str
    mime_type: str
    size_bytes: int
    uploaded_at: float


class GeminiProvider:
    """One Gemini model through the Google GenAI SDK. See the module docstring."""

    name = "gemini"

    def __init__(
        self,
        model: str,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: float = 300.0,
        poll_interval: float = 2.0,
        upload_timeout: float = 600.0,
        max_cached_uploads: int = 4,
        upload_max_age: float = 6 * 3600.0,
    ):
        self.model = model
        self._api_key = api_key
        self.base_url = base_url
        self.timeout = float(timeout)
        self.poll_interval = float(poll_interval)
        self.upload_timeout = float(upload_timeout)
        self.max_cached_uploads = max(1, int(max_cached_uploads))
        self.upload_max_age = float(upload_max_age)
        self._client: Any = None
        self._client_key: tuple | None = None
        self._uploads: OrderedDict[tuple[str, int, int], _Upload] = OrderedDict()
        self._lock = threading.RLock()
        self.upload_count = 0  # uploads made by this instance (for logs and tests)

    def __repr__(self) -> str:  # never the key
        return f"GeminiProvider(model={self.model!r}, base_url={self.base_url!r})"

    # -- configuration ----------------------------------------------------------------------------------------

    def _key(self) -> str | None:
        key = self._api_key if self._api_key else os.environ.get(API_KEY_ENV)
        key = (key or "").strip()
        return key or None

    def configured(self) -> bool:
        return self._key() is not None

    def _get_client(self, key: str) -> Any:
        with self._lock:
            # Rebuilt when the key, the timeout or the base URL changed since.
            identity = (key, self.timeout, self.base_url)
            if self._client is not None and self._client_key == identity:
                return self._client
            if self._client is not None:
                try:
                    self._client.close()
                except Exception:  # pragma: no cover
                    pass
            from google import genai
            from google.genai import types as gtypes

            options: dict[str, Any] = {
                "api_version": API_VERSION,
                "timeout": max(1, int(self.timeout * 1000)),
            }
            if self.base_url:
                options["base_url"] = self.base_url
            if "retry_options" in gtypes.HttpOptions.model_fields:
                options["retry_options"] = gtypes.HttpRetryOptions(attempts=1)
            self._client = genai.Client(api_key=key, vertexai=False, http_options=gtypes.HttpOptions(**options))
            self._client_key = identity
            return self._client

    # -- errors -----------------------------------------------------------------------------------------------

    def _scrub(self, text: str) -> str:
        key = self._key()
        if key:
            text = text.replace(key, "[redacted]")
        # A key that slipped into a URL query (?key=...) elsewhere in the stack.
        return re.sub(r"([?&]key=)[^&\s'\"]+", r"\1[redacted]", text)

    def _map_error(self, exc: BaseException, *, what: str, request_log: dict, started: float) -> ProviderError:
        from google.genai import errors as gerrors

        latency_ms = int((time.monotonic() - started) * 1000)
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, gerrors.APIError):
            code = getattr(exc, "code", None)
            status = getattr(exc, "status", None) or ""
            message = getattr(exc, "message", None) or ""
            text = self._scrub(f"gemini {what}: HTTP {code} {status} {message}".strip())
            if code in _TRANSIENT_STATUS or (isinstance(code, int) and 500 <= code < 600):
                retry_after = _retry_after(exc) if code in (429, 503) else None
                return TransientProviderError(
                    text, retry_after=retry_after, request_log=request_log, latency_ms=latency_ms
                )
            return PermanentProviderError(text, request_log=request_log, latency_ms=latency_ms)
        text = self._scrub(f"gemini {what}: {type(exc).__name__}: {exc}")
        if isinstance(exc, (FileNotFoundError, IsADirectoryError, PermissionError)):
            # The local media is missing or unreadable: trying again will not help.
            return PermanentProviderError(text, request_log=request_log, latency_ms=latency_ms)
        if isinstance(exc, _transport_error_types()):
            return TransientProviderError(text, request_log=request_log, latency_ms=latency_ms)
        if isinstance(exc, (ValueError, KeyError)):
            # The SDK's protocol complaints: a body that is not JSON, an upload without an upload URL or
            # never finalized. A server glitch, most likely.
            return TransientProviderError(text, request_log=request_log, latency_ms=latency_ms)
        raise exc  # a bug, not a provider fault: let it surface as itself

    # -- uploads ----------------------------------------------------------------------------------------------

    def _ensure_uploaded(
        self, client: Any, path: Path, default_mime: str, deadline: float, used: list[tuple[str, int, int]]
    ) -> tuple[_Upload, bool]:
        """The ACTIVE remote file for `path` and whether it came from the cache (its cache key goes to `used`)."""
        from google.genai import types as gtypes

        st = path.stat()
        cache_key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
        used.append(cache_key)
        with self._lock:
            cached = self._uploads.get(cache_key)
            if cached is not None and time.time() - cached.uploaded_at < self.upload_max_age:
                self._uploads.move_to_end(cache_key)
                return cached, True
            if cached is not None:
                self._uploads.pop(cache_key, None)
                self._delete_remote(client, cached)

            mime = _mime_for(path, default_mime)
            config = gtypes.UploadFileConfig(
                mime_type=mime,
                display_name=path.name[:120],
                http_options=gtypes.HttpOptions(timeout=max(1, int(self.upload_timeout * 1000))),
            )
            remote = client.files.upload(file=str(path), config=config)
            self.upload_count += 1
            upload = _Upload(
                name=remote.name or "",
                uri=remote.uri or "",
                mime_type=remote.mime_type or mime,
                size_bytes=int(remote.size_bytes or st.st_size),
                uploaded_at=time.time(),
            )
            try:
                remote = self._wait_active(client, remote, deadline)
            except BaseException:
                self._delete_remote(client, upload)
                raise
            upload.uri = remote.uri or upload.uri
            upload.mime_type = remote.mime_type or upload.mime_type
            self._uploads[cache_key] = upload
            while len(self._uploads) > self.max_cached_uploads:
                _, old = self._uploads.popitem(last=False)
                self._delete_remote(client, old)
            return upload, False

    def _wait_active(self, client: Any, remote: Any, deadline: float) -> Any:
        """Poll files.get until the file is ACTIVE. FAILED -> PermanentProviderError; past the deadline ->
        TransientProviderError (the caller may try again later)."""
        while True:
            state = _state_name(getattr(remote, "state", None))
            if state == "ACTIVE":
                return remote
            if state == "FAILED":
                err = getattr(remote, "error", None)
                detail = getattr(err, "message", None) if err is not None else None
                raise PermanentProviderError(
                    f"gemini file processing failed for {remote.name}" + (f": {detail}" if detail else "")
                )
            if state not in ("PROCESSING", "STATE_UNSPECIFIED", ""):
                raise PermanentProviderError(f"gemini file {remote.name} is in an unexpected state {state}")
            if time.monotonic() + self.poll_interval > deadline:
                raise TransientProviderError(
                    f"gemini file {remote.name} was still {state or 'not ready'} after {self.upload_timeout:g} s"
                )
            time.sleep(self.poll_interval)
            remote = client.files.get(name=remote.name)

    def _delete_remote(self, client: Any, upload: _Upload) -> None:
        if not upload.name:
            return
        try:
            client.files.delete(name=upload.name)
        except Exception as exc:  # best effort: the service deletes files after 48 h anyway
            logger.info("could not delete gemini file %s: %s", upload.name, self._scrub(str(exc)))

    def close(self) -> None:
        """Delete the cached remote files (best effort) and close the SDK client."""
        with self._lock:
            client, uploads = self._client, list(self._uploads.values())
            self._uploads.clear()
            if client is not None:
                for upload in uploads:
                    self._delete_remote(client, upload)
                try:
                    client.close()
                except Exception:  # pragma: no cover
                    pass
            self._client = None
            self._client_key = None

    def __enter__(self) -> "GeminiProvider":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the call ---------------------------------------------------------------------------------------------

    def complete(self, request: LLMRequest) -> LLMResponse:
        started = time.monotonic()
        request_log: dict[str, Any] = {
            "provider": self.name,
            "model": self.model,
            "prompt_version": request.prompt_version,
            "system": request.system,
            "schema_name": request.schema_name,
            "temperature": TEMPERATURE,
            "response_mime_type": "application/json",
            "parts": [],
            "history": [{"role": m.role, "text": m.text} for m in request.history],
        }
        key = self._key()
        if key is None:
            raise MissingApiKey(f"no API key: set {API_KEY_ENV}", request_log=request_log)

        from google.genai import types as gtypes

        client = self._get_client(key)
        parts: list[Any] = []
        log_parts: list[dict[str, Any]] = request_log["parts"]
        media = request.media
        upload_ms = 0
        what = "request"
        used: list[tuple[str, int, int]] = []
        try:
            deadline = time.monotonic() + self.upload_timeout
            if media is not None and media.video_path is not None:
                what = "upload"
                t0 = time.monotonic()
                upload, reused = self._ensure_uploaded(client, Path(media.video_path), "video/mp4", deadline, used)
                upload_ms = int((time.monotonic() - t0) * 1000)
                parts.append(gtypes.Part.from_uri(file_uri=upload.uri, mime_type=upload.mime_type))
                log_parts.append(_file_log("video", upload, reused))
            elif media is not None:
                for frame in media.frames:
                    label = f"Frame at {frame.timestamp:.2f} s:"
                    parts.append(gtypes.Part.from_text(text=label))
                    parts.append(gtypes.Part.from_bytes(data=frame.jpeg, mime_type="image/jpeg"))
                    log_parts.append({"type": "text", "text": label})
                    log_parts.append(
                        {
                            "type": "image",
                            "mime_type": "image/jpeg",
                            "size_bytes": len(frame.jpeg),
                            "timestamp": frame.timestamp,
                            "frame_index": frame.frame_index,
                        }
                    )
                if media.audio_path is not None:
                    what = "upload"
                    t0 = time.monotonic()
                    upload, reused = self._ensure_uploaded(client, Path(media.audio_path), "audio/mp4", deadline, used)
                    upload_ms = int((time.monotonic() - t0) * 1000)
                    parts.append(gtypes.Part.from_uri(file_uri=upload.uri, mime_type=upload.mime_type))
                    log_parts.append(_file_log("audio", upload, reused))
            parts.append(gtypes.Part.from_text(text=request.user_text))
            log_parts.append({"type": "text", "text": request.user_text})

            contents = [gtypes.Content(role="user", parts=parts)]
            for message in request.history:
                role = "model" if message.role in ("assistant", "model") else "user"
                contents.append(gtypes.Content(role=role, parts=[gtypes.Part.from_text(text=message.text)]))

            config_args: dict[str, Any] = {
                "system_instruction": request.system,
                "temperature": TEMPERATURE,
                "response_mime_type": "application/json",
            }
            if request.schema:
                if "response_json_schema" in gtypes.GenerateContentConfig.model_fields:
                    config_args["response_json_schema"] = json_schema_for_gemini(request.schema)
                    request_log["schema_field"] = "response_json_schema"
                else:  # older SDKs: the OpenAPI subset
                    config_args["response_schema"] = openapi_schema_for_gemini(request.schema)
                    request_log["schema_field"] = "response_schema"
            if "automatic_function_calling" in gtypes.GenerateContentConfig.model_fields:
                config_args["automatic_function_calling"] = gtypes.AutomaticFunctionCallingConfig(disable=True)
            config = gtypes.GenerateContentConfig(**config_args)

            what = "generateContent"
            t0 = time.monotonic()
            response = client.models.generate_content(model=self.model, contents=contents, config=config)
            generate_ms = int((time.monotonic() - t0) * 1000)
        except ProviderError as exc:
            exc.request_log = exc.request_log or request_log
            exc.latency_ms = exc.latency_ms or int((time.monotonic() - started) * 1000)
            exc.args = (self._scrub(str(exc)),)
            raise
        except Exception as exc:
            error = self._map_error(exc, what=what, request_log=request_log, started=started)
            if what == "generateContent" and used and isinstance(error, PermanentProviderError):
                # Perhaps the remote file is gone (deleted elsewhere, expired): upload afresh next time.
                with self._lock:
                    for cache_key in used:
                        stale = self._uploads.pop(cache_key, None)
                        if stale is not None:
                            self._delete_remote(client, stale)
            raise error from None

        latency_ms = int((time.monotonic() - started) * 1000)
        usage = getattr(response, "usage_metadata", None)
        tokens_in = int(getattr(usage, "prompt_token_count", None) or 0)
        candidates_tokens = int(getattr(usage, "candidates_token_count", None) or 0)
        thoughts_tokens = int(getattr(usage, "thoughts_token_count", None) or 0)
        finish_reason = None
        candidates = getattr(response, "candidates", None) or []
        if candidates:
            finish_reason = _state_name(getattr(candidates[0], "finish_reason", None)) or None
        block_reason = None
        feedback = getattr(response, "prompt_feedback", None)
        if feedback is not None and getattr(feedback, "block_reason", None) is not None:
            block_reason = _state_name(feedback.block_reason)
        try:
            text = response.text or ""
        except Exception:  # pragma: no cover - defensive: .text never raises in 1.x+/3.x
            text = ""
        response_log: dict[str, Any] = {
            "text": text,
            "finish_reason": finish_reason,
            "usage": {
                "prompt_token_count": tokens_in,
                "candidates_token_count": candidates_tokens,
                "thoughts_token_count": thoughts_tokens,
                "total_token_count": int(getattr(usage, "total_token_count", None) or 0),
            },
            "model_version": getattr(response, "model_version", None),
            "upload_ms": upload_ms,
            "generate_ms": generate_ms,
        }
        if block_reason:
            response_log["block_reason"] = block_reason
        return LLMResponse(
            text=text,
            model=self.model,
            tokens_in=tokens_in,
            # Thinking tokens are billed as output tokens.
            tokens_out=candidates_tokens + thoughts_tokens,
            latency_ms=latency_ms,
            request_log=request_log,
            response_log=response_log,
        )


def _file_log(kind: str, upload: _Upload, reused: bool) -> dict[str, Any]:
    return {
        "type": kind,
        "name": upload.name,
        "uri": upload.uri,
        "mime_type": upload.mime_type,
        "size_bytes": upload.size_bytes,
        "reused_upload": reused,
    }


def _state_name(value: Any) -> str:
    if value is None:
        return ""
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    return str(value).rsplit(".", 1)[-1]


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def _retry_after(exc: Any) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), else from a google.rpc.RetryInfo
    detail in the error body ("retryDelay": "30s"), else None."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    value = None
    if headers is not None:
        try:
            value = headers.get("retry-after")
        except Exception:  # pragma: no cover
            value = None
    if value:
        value = str(value).strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except (TypeError, ValueError):
            pass
    details = getattr(exc, "details", None)
    error = details.get("error", details) if isinstance(details, dict) else None
    for item in (error or {}).get("details", []) if isinstance(error, dict) else []:
        if isinstance(item, dict) and str(item.get("@type", "")).endswith("google.rpc.RetryInfo"):
            match = _DURATION_RE.match(str(item.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None
