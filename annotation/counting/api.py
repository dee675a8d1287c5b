"""REST endpoints of CG-AV-Counting: stage 1 candidates, questions, and the workspace's question document.

Every change carries the ``version`` it read; errors are the project's vocabulary (annotation.projects.errors),
mapped to HTTP by its one exception handler.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotation.counting import proposals, services, workspace
from annotation.counting.models import CandidateQuestion, Question, QuestionState
from annotation.counting.serializers import (
    CandidateDecisionSerializer,
    CandidateQuestionSerializer,
    ClickBoxSerializer,
    ClueProposalSerializer,
    ProposalDecisionSerializer,
    ProposalListSerializer,
    ProposalRequestResultSerializer,
    ProposalRequestSerializer,
    QuestionDocumentSerializer,
    QuestionPatchSerializer,
    QuestionSerializer,
    SubmitResultSerializer,
    TakeOverSerializer,
)
from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.documents import VersionedBody, VersionedDocumentViewSet
from annotation.projects import selectors as project_selectors
from annotation.projects.errors import NotEditable, Stale
from annotation.projects.permissions import Capability
from pipeline.jobs.serializers import JobSerializer


class CandidateQuestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProjectScopedViewSet
):
    """Stage 1 candidates. `?video=` and `?state=` filter. POST adds a question by hand (accepted at once, into
    stage 2); PATCH edits a proposed one; accept and reject decide. Every change carries the `version` it read;
    a stale one gets 409 with the current candidate."""

    queryset = CandidateQuestion.objects.prefetch_related("questions")
    serializer_class = CandidateQuestionSerializer
    project_field = "video__project"
    capabilities = {
        "create": Capability.ANNOTATE,
        "partial_update": Capability.ANNOTATE,
        "accept": Capability.ANNOTATE,
        "reject": Capability.ANNOTATE,
        "reopen": Capability.ANNOTATE,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        for param, field in (("video", "video_id"), ("state", "state")):
            value = self.request.query_params.get(param)
            if value:
                if param == "video" and not value.isdigit():
                    raise ValidationError({"video": "must be a video id"})
                queryset = queryset.filter(**{field: value})
        return queryset

    def perform_create(self, serializer):
        video = serializer.validated_data["video"]
        self.require(video.project, Capability.ANNOTATE)
        serializer.instance = services.add_question_by_hand(user=self.request.user, **serializer.validated_data)

    def _decide(self, candidate, apply):
        try:
            candidate = apply(candidate)
        except Stale as stale:
            raise stale.with_document(self.candidate_data(candidate)) from None
        return Response(self.candidate_data(candidate))

    def candidate_data(self, candidate) -> dict:
        return CandidateQuestionSerializer(self.get_queryset().get(pk=candidate.pk), context=self.get_serializer_context()).data

    def partial_update(self, request, pk=None):
        candidate = self.get_object()
        serializer = self.get_serializer(candidate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        decision = CandidateDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "video"}
        return self._decide(candidate, lambda c: services.edit_candidate(
            candidate=c, expected_version=decision.validated_data["version"], changes=changes, user=request.user))

    @extend_schema(request=CandidateDecisionSerializer, responses={200: CandidateQuestionSerializer})
    @action(detail=True, methods=["post"], serializer_class=CandidateDecisionSerializer)
    def accept(self, request, pk=None):
        """Accept a proposed candidate: it becomes a stage 2 question."""
        decision = CandidateDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return self._decide(self.get_object(), lambda c: services.accept_candidate(
            candidate=c, user=request.user, expected_version=decision.validated_data["version"]))

    @extend_schema(request=CandidateDecisionSerializer, responses={200: CandidateQuestionSerializer})
    @action(detail=True, methods=["post"], serializer_class=CandidateDecisionSerializer)
    def reject(self, request, pk=None):
        """Reject a proposed candidate with a reason."""
        decision = CandidateDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return self._decide(self.get_object(), lambda c: services.reject_candidate(
            candidate=c, user=request.user, expected_version=decision.validated_data["version"],
            reason=decision.validated_data.get("reason", "")))


    @extend_schema(request=CandidateDecisionSerializer, responses={200: CandidateQuestionSerializer})
    @action(detail=True, methods=["post"], serializer_class=CandidateDecisionSerializer)
    def reopen(self, request, pk=None):
        """Undo a rejection: the candidate is proposed again."""
        decision = CandidateDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        return self._decide(self.get_object(), lambda c: services.reopen_candidate(
            candidate=c, user=request.user, expected_version=decision.validated_data["version"]))


class QuestionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, ProjectScopedViewSet
):
    """Questions with optimistic concurrency: an update must carry the `version` it read; a stale one gets 409."""

    queryset = Question.objects.all()
    serializer_class = QuestionSerializer
    project_field = "video__project"
    capabilities = {"create": Capability.ANNOTATE, "partial_update": Capability.ANNOTATE}

    def get_queryset(self):
        # Second passes (double annotation) are not questions of the benchmark; they are read in the workspace.
        questions = super().get_queryset().exclude(state=QuestionState.SECOND_PASS)
        return workspace.visible(questions, user=self.request.user)

    def perform_create(self, serializer):
        self.require(serializer.validated_data["video"].project, Capability.ANNOTATE)
        serializer.validated_data.pop("version", None)
        serializer.instance = services.create_question(annotator=self.request.user, **serializer.validated_data)

    @extend_schema(request=QuestionPatchSerializer, responses={200: QuestionSerializer})
    def partial_update(self, request, pk=None):
        question = self.get_object()
        body = QuestionPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k not in {"version", "video", "candidate"}}
        try:
            updated = services.update_question(
                question=question, expected_version=body.validated_data["version"], changes=changes,
                user=request.user,
            )
        except Stale as stale:
            raise stale.with_document(self.get_serializer(stale.current).data) from None
        return Response(self.get_serializer(updated).data)


class QuestionDocViewSet(VersionedDocumentViewSet):
    """The annotation workspace's document of a question: GET it, PUT it whole (with the version it read; a stale
    save gets 409 with the current document, an invalid one 400 with every problem), POST submit."""

    queryset = Question.objects.select_related("video").prefetch_related("clues")
    serializer_class = QuestionDocumentSerializer
    project_field = "video__project"
    capabilities = {"retrieve": Capability.VIEW, "update": Capability.ANNOTATE, "submit": Capability.ANNOTATE,
                    "take_over": Capability.REVIEW, "proposals": Capability.VIEW,
                    "accept_proposal": Capability.ANNOTATE, "reject_proposal": Capability.ANNOTATE,
                    "request_proposals": Capability.MANAGE, "click_box": Capability.ANNOTATE}

    def get_queryset(self):
        return workspace.visible(super().get_queryset(), user=self.request.user)

    def document(self, obj) -> dict:
        return workspace.doc_for(obj, self.request.user)

    def save(self, obj, *, version: int, body: dict, data: dict) -> None:
        workspace.save_doc(question=obj, expected_version=version, doc=body, user=self.request.user)

    @extend_schema(request=VersionedBody, responses={200: SubmitResultSerializer})
    @action(detail=True, methods=["post"], serializer_class=VersionedBody)
    def submit(self, request, pk=None):
        """Submit the question: into the pool when its clues match the count, else to arbitration."""
        question = self.get_object()
        body = VersionedBody(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            done, outcome, message = workspace.submit(
                question=question, expected_version=body.validated_data["version"], user=request.user)
        except (Stale, NotEditable) as error:
            raise self.with_current(question, error) from None
        return Response({"question": self.document(self.reloaded(done)), "outcome": outcome, "message": message})



    @extend_schema(request=None, responses={200: QuestionDocumentSerializer})
    @action(detail=True, methods=["post"], url_path="take-over", serializer_class=TakeOverSerializer)
    def take_over(self, request, pk=None):
        """Reviewers and managers: take over a question someone else is working on (the log says whose it was)."""
        question = workspace.take_over(question=self.get_object(), user=request.user)
        return Response(self.document(self.reloaded(question)))

    @extend_schema(request=None, responses={200: ProposalListSerializer})
    @action(detail=True, methods=["get"], serializer_class=ProposalListSerializer)
    def proposals(self, request, pk=None):
        """The machine's event clue proposals of the question (every state), earliest first."""
        question = self.get_object()
        rows = proposals.proposals_of(question)
        return Response({
            "proposals": ClueProposalSerializer(rows, many=True).data,
            "computing": proposals.busy(question),
            # Why the machine cannot propose anything for it now (no reference interval, no detector weights...).
            "unavailable": proposals.why_not(question),
            "can_request": project_selectors.can(user=request.user, project=question.video.project,
                                                 capability=Capability.MANAGE),
        })

    def _decide_proposal(self, request, apply):
        question = self.get_object()
        body = ProposalDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            done = apply(question, body.validated_data["version"])
        except (Stale, NotEditable) as error:
            raise self.with_current(question, error) from None
        return Response(self.document(self.reloaded(done)))

    @extend_schema(request=ProposalDecisionSerializer, responses={200: QuestionDocumentSerializer})
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]+)/accept",
            serializer_class=ProposalDecisionSerializer)
    def accept_proposal(self, request, pk=None, proposal_id=None):
        """Accept a proposal with the document's version: it becomes a clue that keeps its provenance."""
        cluster = request.data.get("cluster") if isinstance(request.data, dict) else None
        return self._decide_proposal(request, lambda q, version: workspace.accept_proposal(
            question=q, proposal_id=int(proposal_id), expected_version=version, user=request.user,
            cluster=cluster if isinstance(cluster, str) else None))

    @extend_schema(request=ProposalDecisionSerializer, responses={200: QuestionDocumentSerializer})
    @action(detail=True, methods=["post"], url_path=r"proposals/(?P<proposal_id>[0-9]+)/reject",
            serializer_class=ProposalDecisionSerializer)
    def reject_proposal(self, request, pk=None, proposal_id=None):
        """Reject a proposal with the document's version: remembered, so a rerun does not bring it back."""
        return self._decide_proposal(request, lambda q, version: workspace.reject_proposal(
            question=q, proposal_id=int(proposal_id), expected_version=version, user=request.user))

    @extend_schema(request=ClickBoxSerializer, responses={202: JobSerializer})
    @action(detail=True, methods=["post"], url_path="click-box", serializer_class=ClickBoxSerializer)
    def click_box(self, request, pk=None):
        """Click-to-box: the box of the object under a point of one exact proxy frame, computed on the gpu queue.
        Answers the job at once (202); when it has succeeded, its ``result.proposal`` is the box as a proposal of
        the question (null: no object found there), which the page accepts like any other."""
        question = self.get_object()
        body = ClickBoxSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not workspace.editable_by(question, request.user):
            raise NotEditable(workspace.why_not_editable(question, request.user))
        job = proposals.request_click(question=question, **body.validated_data)
        return Response(JobSerializer(job, context={"request": request}).data, status=202)

    @extend_schema(request=ProposalRequestSerializer, responses={202: ProposalRequestResultSerializer})
    @action(detail=True, methods=["post"], url_path="proposals/request", serializer_class=ProposalRequestSerializer)
    def request_proposals(self, request, pk=None):
        """Managers: compute the question's event proposals again (decided ones stay; rejected ones do not return)."""
        question = self.get_object()
        job = proposals.request(question=question, force=True)
        return Response({"job": job.pk if job else None, "queue": job.queue if job else ""}, status=202)
