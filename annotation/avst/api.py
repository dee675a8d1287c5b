"""REST endpoints of the R-AVST review: the event document the event review page edits."""

from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError

from annotation.avst import documents
from annotation.avst.models import QAPair, QATask
from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.models import Decision
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


class QAPairSerializer(serializers.ModelSerializer):
    video_name = serializers.SerializerMethodField()
    event_number = serializers.IntegerField(source="event.number", read_only=True, allow_null=True)

    class Meta:
        model = QAPair
        fields = ["id", "video", "video_name", "event", "event_number", "task", "template", "question", "answer",
                  "state", "split", "created_at"]
        read_only_fields = fields

    def get_video_name(self, pair) -> str:
        return pair.video.external_id or pair.video.title


class QAPairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """The generated R-AVST QA pairs. `?project=`, `?task=` (AVTR, AVSR, AVSTR), `?state=`, `?video=`, `?event=`
    and `?search=` (in the question or the answer) filter."""

    queryset = QAPair.objects.select_related("video", "event").order_by("video_id", "event_id", "task", "id")
    serializer_class = QAPairSerializer
    project_field = "video__project"

    def get_queryset(self):
        pairs = super().get_queryset()
        params = self.request.query_params
        for name, choices in (("task", QATask.values), ("state", Decision.values)):
            value = params.get(name)
            if value:
                if value not in choices:
                    raise ValidationError({name: f"one of {', '.join(choices)}"})
                pairs = pairs.filter(**{name: value})
        for name in ("video", "event"):
            value = params.get(name)
            if value:
                if not value.isdigit():
                    raise ValidationError({name: f"must be {'a video' if name == 'video' else 'an event'} id"})
                pairs = pairs.filter(**{f"{name}_id": int(value)})
        search = params.get("search", "").strip()
        if search:
            pairs = pairs.filter(question__icontains=search) | pairs.filter(answer__raw__icontains=search)
        return pairs
