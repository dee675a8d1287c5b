from rest_framework import serializers

from annotation.counting.models import CandidateQuestion, Category, ClueProposal, Modality, Question
from annotation.projects.documents import VersionedBody, VersionField


class CandidateQuestionSerializer(serializers.ModelSerializer):
    """A candidate's fields; the rules (text, interval inside the video) are the service's
    (``services.check_candidate``), the one path every write takes."""

    question = serializers.SerializerMethodField()

    class Meta:
        model = CandidateQuestion
        fields = [
            "id", "video", "text", "category", "modality", "query_start", "query_end", "state", "source",
            "model", "prompt_version", "llm_call", "reject_reason", "version", "question", "created_at",
        ]
        read_only_fields = [
            "state", "source", "model", "prompt_version", "llm_call", "reject_reason", "version", "question",
            "created_at",
        ]

    def get_question(self, candidate) -> int | None:
        # Prefetched by the viewset; one linked question at most (made when the candidate was accepted).
        questions = list(candidate.questions.all())
        return questions[0].pk if questions else None


class CandidateDecisionSerializer(serializers.Serializer):
    version = VersionField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class QuestionSerializer(serializers.ModelSerializer):
    """A question's fields; the rules are the workspace's (``workspace.validate_doc``), whatever the endpoint."""

    class Meta:
        model = Question
        fields = [
            "id", "video", "candidate", "text", "category", "modality", "drafted_answer", "ref_start", "ref_end",
            "final_start", "final_end", "state", "version", "annotator", "created_at", "updated_at",
        ]
        read_only_fields = ["candidate", "final_start", "final_end", "state", "annotator", "created_at", "updated_at"]


class QuestionPatchSerializer(VersionedBody):
    """A PATCH of a question's fields carries the version it read."""


class ClueSerializer(serializers.Serializer):
    """One clue of the document: an event interval, or a box on a proxy frame (in a cluster for attributes)."""

    kind = serializers.ChoiceField(choices=Category.choices)
    start = serializers.FloatField(required=False, allow_null=True, help_text="Event: seconds on the proxy.")
    end = serializers.FloatField(required=False, allow_null=True, help_text="Event: seconds on the proxy.")
    frame_index = serializers.IntegerField(required=False, allow_null=True, help_text="Box: the proxy frame.")
    x1 = serializers.FloatField(required=False, allow_null=True)
    y1 = serializers.FloatField(required=False, allow_null=True)
    x2 = serializers.FloatField(required=False, allow_null=True)
    y2 = serializers.FloatField(required=False, allow_null=True)
    cluster = serializers.CharField(required=False, allow_blank=True, help_text="Attribute: the cluster's name.")
    proposal = serializers.IntegerField(
        required=False, allow_null=True,
        help_text="Event: the machine proposal this clue was accepted from (its provenance); absent when drawn by hand.")


class ClusterSerializer(serializers.Serializer):
    name = serializers.CharField()
    color = serializers.CharField(required=False, allow_blank=True)


class QuestionDocumentSerializer(VersionedBody):
    """The question document the workspace saves whole. The rules (interval inside the video, clue kinds matching
    the category, boxes inside the frame...) are checked by the service, with errors keyed by field path."""

    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    modality = serializers.ChoiceField(choices=Modality.choices, required=False)
    drafted_answer = serializers.IntegerField(required=False, allow_null=True)
    ref_start = serializers.FloatField(required=False, allow_null=True)
    ref_end = serializers.FloatField(required=False, allow_null=True)
    clusters = ClusterSerializer(many=True, required=False)
    clues = ClueSerializer(many=True, required=False)
    rejected_proposals = serializers.ListField(
        child=serializers.IntegerField(), required=False, allow_null=True,
        help_text="The ids of the question's proposals that people rejected; leave it out to keep them as they are.")


class SubmitResultSerializer(serializers.Serializer):
    question = serializers.DictField(help_text="The question document after the submit.")
    outcome = serializers.ChoiceField(choices=["pooled", "arbitration", "agreement"])
    message = serializers.CharField()


class TakeOverSerializer(serializers.Serializer):
    """Taking a question over carries nothing: the claim becomes the requesting user's."""


class ClueProposalSerializer(serializers.ModelSerializer):
    """A machine's proposal of a clue: never truth until a person accepts it. An event proposal has ``start`` and
    ``end`` (seconds on the proxy); an object or attribute proposal a ``box`` ``[x1, y1, x2, y2]`` in proxy pixels
    on the exact proxy frame ``frame_index`` (``timestamp`` is that frame's middle)."""

    state = serializers.CharField(read_only=True, help_text="proposed, accepted (a clue links it) or rejected")
    kind = serializers.CharField(read_only=True, help_text="event, object or attribute")
    source = serializers.CharField(read_only=True, help_text="detector, click (a person's click) or track")
    box = serializers.SerializerMethodField(help_text="[x1, y1, x2, y2] in proxy pixels; null for an event")

    class Meta:
        model = ClueProposal
        fields = ["id", "question", "kind", "source", "start", "end", "frame_index", "timestamp", "box", "label",
                  "score", "model", "model_version", "state", "decided_by", "decided_at", "created_at"]
        read_only_fields = fields

    def get_box(self, proposal) -> list[float] | None:
        if proposal.x1 is None:
            return None
        return [proposal.x1, proposal.y1, proposal.x2, proposal.y2]


class ProposalListSerializer(serializers.Serializer):
    proposals = ClueProposalSerializer(many=True)
    computing = serializers.BooleanField(help_text="A computation of the question's proposals is queued or running.")
    can_request = serializers.BooleanField(help_text="This user may ask for the proposals to be computed again.")


class ProposalDecisionSerializer(VersionedBody):
    """Accepting or rejecting a proposal carries the question document's version, like every other edit. An
    attribute proposal is accepted into ``cluster`` (default: the question's first cluster)."""

    cluster = serializers.CharField(required=False, max_length=100)


class ProposalRequestSerializer(serializers.Serializer):
    """Asking for proposals carries nothing."""


class ClickBoxSerializer(serializers.Serializer):
    """A person's click on an object, on one exact proxy frame, in proxy pixels."""

    frame_index = serializers.IntegerField(min_value=0)
    x = serializers.FloatField(min_value=0)
    y = serializers.FloatField(min_value=0)


class ProposalRequestResultSerializer(serializers.Serializer):
    job = serializers.IntegerField(allow_null=True)
    queue = serializers.CharField()
