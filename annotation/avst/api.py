"""REST endpoints of the R-AVST review: the event document the event review page edits."""

from rest_framework import serializers

from annotation.avst import documents
from annotation.projects.documents import StrictBooleanField, VersionedBody, VersionedDocumentViewSet
from annotation.projects.permissions import Capability


class EventBody(VersionedBody):
    accept = StrictBooleanField(required=False, default=False,
                                help_text="true: the document becomes the truth and the event's QA pairs are generated.")


class BoxSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text="A box of this object; none for a new one.")
    frame_index = serializers.IntegerField(help_text="One of the event's sampled frames on the proxy.")
    x1 = serializers.FloatField()
    y1 = serializers.FloatField()
    x2 = serializers.FloatField()
    y2 = serializers.FloatField()


class ObjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text="An object of this event; none for a new one.")
    name = serializers.CharField()
    audibility = serializers.ChoiceField(choices=["audible", "visible_only"])
    boxes = BoxSerializer(many=True)


class EventDocumentSerializer(EventBody):
    """The event document the review page saves whole. The rules (boxes on sampled frames and inside them, names
    unique...) are checked by the service, with errors keyed by field path (``objects[0].boxes[3]``)."""

    objects = ObjectSerializer(many=True)


class EventDocViewSet(VersionedDocumentViewSet):
    """An R-AVST event under review: GET it, PUT it whole with the version it read (a stale save gets 409 with the
    current document, an invalid one 400 with every problem); ``"accept": true`` makes it the truth."""

    queryset = documents.event_queryset()
    serializer_class = EventDocumentSerializer
    body_serializer_class = EventBody
    project_field = "video__project"
    capabilities = {"retrieve": Capability.VIEW, "update": Capability.REVIEW}

    def document(self, obj) -> dict:
        return documents.doc_for(obj, self.request.user)

    def save(self, obj, *, version: int, body: dict, data: dict) -> None:
        documents.save_event_doc(event=obj, expected_version=version, doc=body, user=self.request.user,
                                 accept=data["accept"])
