"""A local fake of the OpenAI chat completions endpoint, for tests that go through the real ``openai`` SDK.

A real HTTP server (``ThreadingHTTPServer`` on 127.0.0.1, a free port, in a thread): point the SDK at
``server.base_url`` (``http://127.0.0.1:<port>/v1``).

Implemented: ``POST /v1/chat/completions`` -> the next scripted answer. Anything else -> 404.

Scripted answers (``script(...)``, a queue; ``default`` when it is empty):

* ``("json", content)`` or ``("json", content, options)`` -> a ``chat.completion`` whose message content is
  ``content``; ``options`` may set ``finish_reason``, ``prompt_tokens``, ``completion_tokens``, ``model``;
  by default the usage counts the words of the request's text parts plus 85 tokens an image, and a token
  per 4 characters of the content;
* ``("status", code)`` or ``("status", code, headers)`` -> an OpenAI-style error body with that code;
* ``("delay", seconds)`` or ``("delay", seconds, answer)`` -> wait (cut short by ``stop()``), then the
  answer (the default when none is given): makes a client with a shorter timeout give up;
* ``("raw", status, body)`` or ``("raw", status, body, headers)`` -> exactly that body (str or bytes).

Every request is recorded in ``requests`` (method, path, headers, the JSON body or None, the raw bytes);
``completion_calls()`` lists the chat completion requests.

Tests get a running server from the ``fake_openai`` fixture: ``from tests.fakes.openai_server import
fake_openai_fixture`` in a test module registers it there (under the name ``fake_openai``; the
function's own name differs so that test arguments do not shadow the import).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Iterator

import pytest

from tests.fakes.local_server import LocalHTTPServer

__all__ = ["FakeOpenAIServer", "RecordedRequest", "completion_body", "fake_openai_fixture"]

DEFAULT_ANSWER = ("json", '{"questions": []}')
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_denied",
    404: "not_found_error",
    429: "rate_limit_exceeded",
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the parsed JSON body, None when it was not JSON
    raw: bytes = field(repr=False, default=b"")


def completion_body(request_body: Any, content: str, options: dict | None = None, *, counter: int = 1) -> dict:
    """A ``chat.completion`` answering ``request_body`` with ``content``."""
    options = options or {}
    model = options.get("model") or (request_body or {}).get("model") or "gpt-4o-mini"
    prompt_tokens = options.get("prompt_tokens")
    if prompt_tokens is None:
        prompt_tokens = _count_prompt_tokens(request_body)
    completion_tokens = options.get("completion_tokens")
    if completion_tokens is None:
        completion_tokens = max(1, len(content) // 4)
    return {
        "id": f"chatcmpl-fake{counter:04d}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": options.get("finish_reason", "stop"),
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
        "system_fingerprint": "fp_fake",
    }


def _count_prompt_tokens(body: Any) -> int:
    total = 0
    for message in (body or {}).get("messages", []):
        content = message.get("content")
        if isinstance(content, str):
            total += len(content.split())
        elif isinstance(content, list):
            for part in content:
                if part.get("type") == "text":
                    total += len(part.get("text", "").split())
                elif part.get("type") == "image_url":
                    total += 85
                elif part.get("type") == "input_audio":
                    total += 100
    return total


class FakeOpenAIServer(LocalHTTPServer):
    def __init__(self, *, default: tuple = DEFAULT_ANSWER) -> None:
        super().__init__()
        self.default = default
        self.requests: list[RecordedRequest] = []
        self._script: deque[tuple] = deque()
        self._lock = threading.Lock()
        self._counter = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- script and record ---------------------------------------------------------

    def script(self, *answers: tuple) -> None:
        """Queue answers for the next chat completion requests, in order."""
        with self._lock:
            self._script.extend(answers)

    def completion_calls(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == "POST" and r.path == "/v1/chat/completions"]

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def _next_answer(self) -> tuple[tuple, int]:
        with self._lock:
            self._counter += 1
            return (self._script.popleft() if self._script else self.default), self._counter


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeOpenAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _answer(self, answer: tuple, body: Any, counter: int) -> None:
        kind = answer[0]
        if kind == "json":
            options = answer[2] if len(answer) > 2 else None
            self._send(200, completion_body(body, answer[1], options, counter=counter))
        elif kind == "status":
            code = answer[1]
            headers = answer[2] if len(answer) > 2 else None
            error = {
                "message": f"fake server error {code}",
                "type": _ERROR_TYPES.get(code, "server_error"),
                "param": None,
                "code": None,
            }
            self._send(code, {"error": error}, headers)
        elif kind == "delay":
            if self.server_fake._stopping.wait(answer[1]):
                self.close_connection = True
                return
            self._answer(answer[2] if len(answer) > 2 else self.server_fake.default, body, counter)
        elif kind == "raw":
            self._send(answer[1], answer[2], answer[3] if len(answer) > 3 else None)
        else:
            raise ValueError(f"unknown scripted answer {answer!r}")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        path = self.path.split("?", 1)[0]
        fake = self.server_fake
        fake._record(RecordedRequest("POST", path, {k.lower(): v for k, v in self.headers.items()}, body, raw))
        if path != "/v1/chat/completions":
            self._send(404, {"error": {"message": f"no route {path}", "type": "not_found_error"}})
            return
        answer, counter = fake._next_answer()
        self._answer(answer, body, counter)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path.split("?", 1)[0]
        self.server_fake._record(RecordedRequest("GET", path, {k.lower(): v for k, v in self.headers.items()}, None))
        self._send(404, {"error": {"message": f"no route {path}", "type": "not_found_error"}})


FakeOpenAIServer.handler_class = _Handler


@pytest.fixture(name="fake_openai")
def fake_openai_fixture() -> Iterator[FakeOpenAIServer]:
    """A running :class:`FakeOpenAIServer`, stopped after the test."""
    with FakeOpenAIServer() as server:
        yield server
