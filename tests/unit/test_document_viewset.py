"""The shared versioned-document viewset: a subclass that lacks one of its two methods fails when defined."""

import pytest

from annotation.projects.documents import VersionedDocumentViewSet


def test_a_document_viewset_without_its_document_or_save_fails_when_defined():
    with pytest.raises(TypeError, match="HalfDone must define document and save"):
        type("HalfDone", (VersionedDocumentViewSet,), {})
    with pytest.raises(TypeError, match="NoSave must define save"):
        type("NoSave", (VersionedDocumentViewSet,), {"document": lambda self, obj: {}})
    whole = type("Whole", (VersionedDocumentViewSet,), {"document": lambda self, obj: {}, "save": lambda self, obj, **kw: None})
    assert issubclass(whole, VersionedDocumentViewSet)
