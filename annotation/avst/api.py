"""REST endpoints of the R-AVST review: the event document the event review page edits."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotation.avst import assist, documents
from annotation.avst.models import QAPair, QATask
from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.models import Decision
from annotation.projects.documents import StrictBooleanField, VersionedBody, VersionedDocumentViewSet
from annotation.projects.errors import NotAllowed
from annotation.projects.permissions import Capability
from pipeline.jobs.serializers import JobSerializer


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
    origin = serializers.DictField(required=False, allow_null=True,
                                   help_text='A new box kept from a click or a track: {"job": ID}, the job that '
                                             'answered it; the box keeps that job\'s model as provenance.')
    model = serializers.CharField(read_only=True, help_text="The model that proposed the box (a detector's, or that "
                                                            "of a kept click or track); empty when drawn by hand.")


class ClickSerializer(serializers.Serializer):
    """A reviewer's click on an object, on one of the event's sampled frames, in proxy pixels."""

    frame_index = serializers.IntegerField(min_value=0)
    x = serializers.FloatField(min_value=0)
    y = serializers.FloatField(min_value=0)


class TrackSerializer(serializers.Serializer):
    """One box on one of the event's sampled frames, to follow through the others."""

    frame_index = serializers.IntegerField(min_value=0)
    box = serializers.ListField(child=serializers.FloatField(), min_length=4, max_length=4,
                                help_text="[x1, y1, x2, y2] in proxy pixels")


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
    capabilities = {"retrieve": Capability.VIEW, "update": Capability.REVIEW, "click_box": Capability.REVIEW,
                    "track": Capability.REVIEW}

    def document(self, obj) -> dict:
        return documents.doc_for(obj, self.request.user)

    def save(self, obj, *, version: int, body: dict, data: dict) -> None:
        documents.save_event_doc(event=obj, expected_version=version, doc=body, user=self.request.user,
                                 accept=data["accept"])

    def _editable_event(self):
        event = self.get_object()
        if not documents.editable_by(event, self.request.user):
            raise NotAllowed("only a reviewer may ask for boxes, and only once the video is processed")
        return event

    @extend_schema(request=ClickSerializer, responses={202: JobSerializer})
    @action(detail=True, methods=["post"], url_path="click-box", serializer_class=ClickSerializer)
    def click_box(self, request, pk=None):
        """Click-to-box on one of the event's sampled frames, computed on the gpu queue. Answers the job at once
        (202); when it has succeeded, ``result.box`` is the clicked object's box (null: nothing found there), for
        the page to show and the reviewer to confirm."""
        event = self._editable_event()
        body = ClickSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = assist.request_click(event=event, **body.validated_data)
        return Response(JobSerializer(job, context={"request": request}).data, status=202)

    @extend_schema(request=TrackSerializer, responses={202: JobSerializer})
    @action(detail=True, methods=["post"], serializer_class=TrackSerializer)
    def track(self, request, pk=None):
        """Follow one box through the event's other sampled seconds (before and after it) on the gpu queue. When
        the job has succeeded, ``result.boxes`` lists ``{frame_index, t, box}`` per second where the object was
        found: proposals for the reviewer to confirm, one key per second."""
        event = self._editable_event()
        body = TrackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = assist.request_track(event=event, **body.validated_data)
        return Response(JobSerializer(job, context={"request": request}).data, status=202)


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
