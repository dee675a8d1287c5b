"""A local fake of the parts of the Gemini API (v1beta) that google-genai's Client calls.

A real HTTP server (``ThreadingHTTPServer`` on 127.0.0.1, a free port, in a thread) so that tests go through
the real SDK: its request building, resumable upload, JSON parsing and error classes.

Implemented:

* ``POST /upload/v1beta/files`` with ``X-Goog-Upload-Protocol: resumable`` and ``X-Goog-Upload-Command: start``
  -> 200 with an ``X-Goog-Upload-URL`` header pointing back at this server;
* ``POST <upload url>`` with ``X-Goog-Upload-Command: upload[, finalize]`` -> ``x-goog-upload-status: active``
  (more chunks to come) or ``final`` and ``{"file": {...}}`` (name ``files/abc``, then ``files/abc2``, ...,
  state PROCESSING);
* ``GET /v1beta/files/{name}`` -> PROCESSING for ``processing_polls`` polls, then ACTIVE (or FAILED when
  ``fail_processing`` is set);
* ``DELETE /v1beta/files/{name}`` -> ``{}``;
* ``POST /v1beta/models/{model}:generateContent`` -> the next scripted answer.

Scripted answers (``script(...)``, a queue; ``default`` when it is empty):

* ``("json", text)`` -> a GenerateContentResponse whose first candidate's text is ``text`` (finishReason
  STOP, usageMetadata with ``prompt_tokens`` / ``output_tokens``);
* ``("status", code)`` or ``("status", code, headers)`` -> a Google-style error body with that code;
* ``("delay", seconds)`` or ``("delay", seconds, answer)`` -> wait, then the answer (default: the default);
* ``("raw", status, body)`` or ``("raw", status, body, headers)`` -> exactly that.

Every request is recorded (method, path, query, headers, JSON body or byte length); see ``requests``,
``generate_calls()``, ``uploads()``, ``file_gets()``, ``deletes()``.

The ``fake_gemini`` fixture (``from tests.fakes.gemini_server import fake_gemini_fixture`` registers it) gives a
started server and stops it after the test.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.fakes.local_server import LocalHTTPServer

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body_len: int
    json: Any = None  # the parsed body when it was JSON

    @property
    def raw_path(self) -> str:
        return self.path


@dataclass
class _File:
    name: str
    display_name: str
    mime_type: str
    size_bytes: int
    data: bytearray = field(default_factory=bytearray)
    polls: int = 0
    finalized: bool = False
    deleted: bool = False
    session: str = ""


def good_response(text: str, *, prompt_tokens: int = 120, output_tokens: int = 30, finish: str = "STOP") -> dict:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": finish,
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
        "modelVersion": "fake-gemini",
    }


class FakeGeminiServer(LocalHTTPServer):
    """See the module docstring. ``with FakeGeminiServer() as fake: ... fake.base_url ...``."""

    def __init__(
        self,
        *,
        processing_polls: int = 1,
        fail_processing: bool = False,
        default: tuple = ("json", '{"ok": true}'),
        expected_key: str | None = None,
    ):
        super().__init__()
        self.processing_polls = processing_polls
        self.fail_processing = fail_processing
        self.default = default
        # When set, requests that carry another x-goog-api-key (or none, except upload chunks, which the
        # upload URL authorizes) get 403.
        self.expected_key = expected_key
        self.requests: list[RecordedRequest] = []
        self.files: dict[str, _File] = {}
        self._answers: deque[tuple] = deque()
        self._upload_start_answers: deque[tuple] = deque()
        self._sessions: dict[str, _File] = {}
        self._lock = threading.Lock()
        self._counter = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    # -- scripting --------------------------------------------------------------------------------------------

    def script(self, *answers: tuple) -> None:
        """Queue answers for the next generateContent calls."""
        with self._lock:
            self._answers.extend(answers)

    def script_upload_start(self, *answers: tuple) -> None:
        """Queue answers for the next upload start requests (same forms; ``("json", ...)`` is not used)."""
        with self._lock:
            self._upload_start_answers.extend(answers)

    # -- inspection -------------------------------------------------------------------------------------------

    def generate_calls(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path.endswith(":generateContent")]

    def upload_starts(self) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if r.method == "POST" and r.headers.get("x-goog-upload-command", "").strip() == "start"
        ]

    def uploads(self) -> list[RecordedRequest]:
        """The finalizing upload requests (one per completed upload)."""
        return [r for r in self.requests if "finalize" in r.headers.get("x-goog-upload-command", "")]

    def file_gets(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "GET" and "/files/" in r.path]

    def deletes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "DELETE"]

    # -- internals --------------------------------------------------------------------------------------------

    def _record(self, req: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(req)

    def _next_answer(self) -> tuple:
        with self._lock:
            return self._answers.popleft() if self._answers else self.default

    def _next_upload_start_answer(self) -> tuple | None:
        with self._lock:
            return self._upload_start_answers.popleft() if self._upload_start_answers else None

    def _new_file(self, display_name: str, mime_type: str, size: int) -> _File:
        with self._lock:
            self._counter += 1
            name = "files/abc" if self._counter == 1 else f"files/abc{self._counter}"
            f = _File(name=name, display_name=display_name, mime_type=mime_type, size_bytes=size)
            f.session = f"session{self._counter}"
            self.files[name] = f
            self._sessions[f.session] = f
            return f

    def file_json(self, f: _File, state: str) -> dict:
        out = {
            "name": f.name,
            "displayName": f.display_name,
            "mimeType": f.mime_type,
            "sizeBytes": str(f.size_bytes),
            "createTime": "2026-01-01T00:00:00Z",
            "updateTime": "2026-01-01T00:00:00Z",
            "expirationTime": "2026-01-03T00:00:00Z",
            "uri": f"{self.base_url}v1beta/{f.name}",
            "state": state,
            "source": "UPLOADED",
        }
        if state == "FAILED":
            out["error"] = {"code": 400, "message": "fake: the video could not be processed"}
        return out


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeGeminiServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    # -- plumbing ---------------------------------------------------------------------------------------------

    def _read(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode()
            content_type = "application/json; charset=UTF-8"
        elif isinstance(body, str):
            payload = body.encode()
            content_type = "text/plain; charset=UTF-8"
        else:
            payload = body or b""
            content_type = "application/octet-stream"
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (headers or {}).items():
                self.send_header(name, str(value))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    def _error(self, status: int, headers: dict[str, str] | None = None, message: str | None = None) -> None:
        status_name = _STATUS_NAMES.get(status, "UNKNOWN")
        body = {"error": {"code": status, "message": message or f"fake error {status}", "status": status_name}}
        self._send(status, body, headers)

    def _answer(self, answer: tuple, fake: FakeGeminiServer) -> None:
        kind = answer[0]
        if kind == "json":
            self._send(200, good_response(answer[1]))
        elif kind == "status":
            self._error(answer[1], answer[2] if len(answer) > 2 else None)
        elif kind == "delay":
            time.sleep(float(answer[1]))
            self._answer(answer[2] if len(answer) > 2 else fake.default, fake)
        elif kind == "raw":
            self._send(answer[1], answer[2], answer[3] if len(answer) > 3 else None)
        else:  # pragma: no cover - a mistake in a test
            self._send(500, {"error": {"code": 500, "message": f"bad script {answer!r}"}})

    def _dispatch(self, method: str) -> None:
        fake = self.server_fake
        body = self._read()
        split = urlsplit(self.path)
        parsed: Any = None
        if body and "json" in (self.headers.get("Content-Type") or ""):
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
        req = RecordedRequest(
            method=method,
            path=split.path,
            query=parse_qs(split.query),
            headers={k.lower(): v for k, v in self.headers.items()},
            body_len=len(body),
            json=parsed,
        )
        fake._record(req)
        command = req.headers.get("x-goog-upload-command", "").strip()

        # Upload chunks are authorized by the upload URL (the SDK does not send the key with them).
        if fake.expected_key is not None and not (command and command != "start"):
            if req.headers.get("x-goog-api-key") != fake.expected_key:
                self._error(403, message="API key not valid. Please pass a valid API key.")
                return

        path = split.path
        if method == "POST" and path == "/upload/v1beta/files" and command == "start":
            scripted = fake._next_upload_start_answer()
            if scripted is not None:
                self._answer(scripted, fake)
                return
            meta = (parsed or {}).get("file", {}) if isinstance(parsed, dict) else {}
            size = int(req.headers.get("x-goog-upload-header-content-length") or meta.get("sizeBytes") or 0)
            mime = req.headers.get("x-goog-upload-header-content-type") or meta.get("mimeType") or ""
            f = fake._new_file(meta.get("displayName") or "", mime, size)
            url = f"{fake.base_url}upload/v1beta/files?upload_id={f.session}&upload_protocol=resumable"
            self._send(200, {}, {"X-Goog-Upload-URL": url, "X-Goog-Upload-Status": "active"})
            return
        if method == "POST" and path == "/upload/v1beta/files" and command.startswith("upload"):
            session = (req.query.get("upload_id") or [""])[0]
            f = fake._sessions.get(session)
            if f is None:
                self._error(404, {"x-goog-upload-status": "final"}, "no such upload session")
                return
            offset = int(req.headers.get("x-goog-upload-offset") or 0)
            if offset != len(f.data):
                self._error(400, {"x-goog-upload-status": "final"}, "bad upload offset")
                return
            f.data.extend(body)
            if "finalize" in command:
                f.finalized = True
                self._send(200, {"file": fake.file_json(f, "PROCESSING")}, {"x-goog-upload-status": "final"})
            else:
                self._send(200, b"", {"x-goog-upload-status": "active"})
            return
        if path.startswith("/v1beta/files/"):
            name = path[len("/v1beta/") :]
            f = fake.files.get(name)
            if f is None or f.deleted:
                self._error(404, message=f"{name} not found")
                return
            if method == "GET":
                if fake.fail_processing:
                    state = "FAILED"
                else:
                    f.polls += 1
                    state = "PROCESSING" if f.polls <= fake.processing_polls else "ACTIVE"
                self._send(200, fake.file_json(f, state))
                return
            if method == "DELETE":
                f.deleted = True
                self._send(200, {})
                return
        if method == "POST" and path.startswith("/v1beta/models/") and path.endswith(":generateContent"):
            self._answer(fake._next_answer(), fake)
            return
        self._error(404, message=f"fake gemini: no route for {method} {path}")

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")


FakeGeminiServer.handler_class = _Handler


@pytest.fixture(name="fake_gemini")
def fake_gemini_fixture() -> Iterator[FakeGeminiServer]:
    """The ``fake_gemini`` fixture: a started FakeGeminiServer (processing_polls=1), stopped after the test.
    Import ``fake_gemini_fixture`` into a test module to use it."""
    with FakeGeminiServer() as fake:
        yield fake
