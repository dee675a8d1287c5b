"""Versioned documents: a row with its parts (a question with its clues, an event with its objects and boxes)
that a page reads whole and saves whole, with optimistic concurrency.

The client sends back the ``version`` it read; a save against another version is ``Stale`` (409 with the current
document), an invalid document is ``Invalid`` (400, errors keyed by field path), a row in a state that takes no
edit is ``NotEditable`` (409 with the current document). ``VersionedDocumentViewSet`` serves any such document;
the domain app says how to render one for a user and how to save one.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.response import Response

from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.errors import NotEditable, Stale


class VersionField(serializers.IntegerField):
    """The version the client read: a whole number, never a boolean or a numeric string."""

    default_error_messages = {"invalid": "send the version you last read, as a whole number"}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "The version of the document the client last read.")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false, not "yes", 1 or "on"."""

    default_error_messages = {"invalid": "must be true or false"}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class VersionedBody(serializers.Serializer):
    """The body of an operation on a versioned document that carries nothing but the version (e.g. submit)."""

    version = VersionField()


class VersionedDocumentViewSet(ProjectScopedViewSet):
    """GET a document, PUT it whole. Subclasses set ``serializer_class`` (the document with its ``version``, so the
    OpenAPI schema and OPTIONS describe the body) and implement ``document`` and ``save``.

    The request checks only what the envelope carries (``body_serializer_class``: the version, and flags such as
    ``accept``); the document itself is validated by the domain's service, the one path every write takes, which
    keys its errors by field path."""

    body_serializer_class = VersionedBody

    #: What every subclass must define: ``document(obj) -> dict`` (the document of `obj` as this request's user gets
    #: it) and ``save(obj, *, version, body, data)`` (validate and save the document `body`, as sent, over `obj` at
    #: `version`; `data` is the validated body). A subclass that lacks one fails when it is defined, not on a request.
    required_methods = ("document", "save")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls.required_methods if not callable(getattr(cls, name, None))]
        if missing:
            raise TypeError(f"{cls.__name__} must define {' and '.join(missing)} (see VersionedDocumentViewSet)")

    def reloaded(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    def with_current(self, obj, error: Stale | NotEditable) -> Stale | NotEditable:
        """The error with the current document attached, for the client to merge with."""
        return error.with_document(self.document(self.reloaded(obj)))

    def retrieve(self, request, pk=None):
        return Response(self.document(self.get_object()))

    def update(self, request, pk=None):
        obj = self.get_object()
        body = self.body_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            self.save(obj, version=body.validated_data["version"], body=request.data, data=body.validated_data)
        except (Stale, NotEditable) as error:
            raise self.with_current(obj, error) from None
        return Response(self.document(self.reloaded(obj)))
