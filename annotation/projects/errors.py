"""The one error vocabulary of the application, and the DRF exception handler that maps it to HTTP.

Services raise these; views and viewsets never map errors by hand. The handler answers:

- ``Stale`` (the row changed since the client read it): 409 with the current document as ``current``;
- ``Invalid`` (the input breaks a rule): 400 with ``errors`` keyed by field path (``clues[3].end``);
- ``NotEditable`` (the row's state allows no such change now): 409, with ``current`` when the view adds it;
- ``NotAllowed`` (the user's role does not allow it): 403;
- ``NotMember`` (the user may not see the project, or the row does not exist): 404.

DRF's own validation errors (from serializers) get the same 400 body: ``{"detail", "errors": {path: message}}``.
"""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class AppError(Exception):
    """Base of the application's errors; ``status`` is the HTTP status the handler answers with."""

    status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        return {"detail": self.message}


class Invalid(AppError):
    """The input breaks a rule: ``errors`` maps a field path ("text", "clues[3].end", "objects[0].boxes[2]") to
    what is wrong there. Nothing was written."""

    def __init__(self, errors: dict[str, str] | None = None, *, message: str = ""):
        self.errors = dict(errors or {})
        super().__init__(message or "; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))

    def body(self) -> dict:
        return {"detail": f"nothing was saved: {self.message}" if self.errors else self.message, "errors": self.errors}


class Stale(AppError):
    """The row is no longer at the version the client read: the client reloads and re-applies its change.
    ``current`` is the row; a view sets ``document`` to what the client should get back."""

    status = status.HTTP_409_CONFLICT

    def __init__(self, current, *, what: str | None = None):
        name = what or type(current).__name__.lower()
        super().__init__(f"this {name} changed since you loaded it")
        self.current = current
        self.document = None

    def with_document(self, document) -> "Stale":
        self.document = document
        return self

    def body(self) -> dict:
        return {"detail": self.message, "current": self.document}


class NotEditable(AppError):
    """The row's state allows no such change now (already decided, submitted, frozen...)."""

    status = status.HTTP_409_CONFLICT

    def __init__(self, message: str, *, current=None):
        super().__init__(message)
        self.document = current

    def with_document(self, document) -> "NotEditable":
        self.document = document
        return self

    def body(self) -> dict:
        body = {"detail": self.message, "errors": {}}
        if self.document is not None:
            body["current"] = self.document
        return body


class NotAllowed(AppError):
    """The user's role in the project does not allow this."""

    status = status.HTTP_403_FORBIDDEN


class NotMember(AppError):
    """The user may not see the project (or the row does not exist): answered like a missing row."""

    status = status.HTTP_404_NOT_FOUND

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


def _flatten(detail, prefix: str = "") -> dict[str, str]:
    """DRF's nested error detail as {field path: message}: {"clues": {3: {"end": [...]}}} -> {"clues[3].end": ...}."""
    if isinstance(detail, dict):
        out: dict[str, str] = {}
        for key, value in detail.items():
            key = str(key)
            path = f"{prefix}[{key}]" if key.isdigit() else (f"{prefix}.{key}" if prefix else key)
            if key == "non_field_errors":
                path = prefix
            out.update(_flatten(value, path))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix: " ".join(str(item) for item in detail)}
        out = {}
        for i, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}[{i}]"))
        return out
    return {prefix: str(detail)}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: the application's errors, and DRF's validation errors in the same shape."""
    if isinstance(exc, AppError):
        return Response(exc.body(), status=exc.status)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{k}: {v}" if k else v for k, v in errors.items())
        return Response({"detail": detail, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
