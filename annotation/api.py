"""REST endpoints of the annotation app, and the project-scoped base every app's viewsets use.

Querysets only ever contain rows of projects the user may see, so a
non-member gets 404 for anything of a project; a member whose role is too low
for the action gets 403.
"""

from django.db import IntegrityError, transaction
from rest_framework import mixins, permissions, status, viewsets
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from annotation import comments, double, selectors, services, workspace
from annotation.models import (
    CandidateQuestion,
    Comment,
    Event,
    Membership,
    Project,
    Question,
    QuestionState,
    ReviewItem,
    Video,
)
from annotation.permissions import Capability
from annotation.serializers import (
    CandidateDecisionSerializer,
    CandidateQuestionSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    MembershipSerializer,
    ProjectSerializer,
    QuestionSerializer,
    ReviewItemSerializer,
    VideoSerializer,
    VideoUploadSerializer,
)

SAFE_ACTIONS = {"list", "retrieve", "metadata"}


class ProjectCapabilityPermission(permissions.BasePermission):
    """Checks the capability the view names for the current action against the user's role in the object's project."""

    def has_object_permission(self, request, view, obj) -> bool:
        return selectors.can(user=request.user, project=view.project_of(obj), capability=view.capability_for_action())


class ProjectScopedViewSet(viewsets.GenericViewSet):
    """Base for viewsets over rows that belong to a project through `project_field`."""

    permission_classes = [permissions.IsAuthenticated, ProjectCapabilityPermission]
    project_field = "project"
    capabilities: dict[str, Capability] = {}
    # Lists show only rows of projects where the user has this capability.
    list_capability = Capability.VIEW

    def capability_for_action(self) -> Capability:
        if self.action in self.capabilities:
            return self.capabilities[self.action]
        return Capability.VIEW if self.action in SAFE_ACTIONS else Capability.MANAGE

    def project_of(self, obj) -> Project:
        for part in self.project_field.split("__"):
            obj = getattr(obj, part)
        return obj

    def get_queryset(self):
        capability = self.list_capability if self.action == "list" else Capability.VIEW
        projects = selectors.projects_for(user=self.request.user, capability=capability)
        queryset = super().get_queryset().filter(**{f"{self.project_field}__in": projects})
        project_id = self.request.query_params.get("project")
        if project_id:
            if not project_id.isdigit():
                raise ValidationError({"project": "must be a project id"})
            queryset = queryset.filter(**{f"{self.project_field}__id": int(project_id)})
        return queryset

    def require(self, project: Project, capability: Capability) -> None:
        """For writes whose project comes from the request body rather than from an existing row."""
        if not selectors.can(user=self.request.user, project=project, capability=capability):
            if selectors.can(user=self.request.user, project=project, capability=Capability.VIEW):
                raise PermissionDenied(f"your role in {project.name} does not allow this ({capability.value})")
            raise NotFound()


class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, ProjectScopedViewSet
):
    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    project_field = "pk"
    capabilities = {"summary": Capability.VIEW}

    def project_of(self, obj) -> Project:
        return obj

    def get_queryset(self):
        return selectors.projects_for(user=self.request.user)

    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """Counts per workflow state for every stage of the project."""
        return Response(selectors.project_summary(project=self.get_object()))


class MembershipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ProjectScopedViewSet,
):
    queryset = Membership.objects.select_related("user", "project")
    serializer_class = MembershipSerializer

    def perform_create(self, serializer):
        self.require(serializer.validated_data["project"], Capability.MANAGE)
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"user": "this user is already a member of the project"})

    def perform_update(self, serializer):
        if serializer.validated_data.get("project", serializer.instance.project) != serializer.instance.project:
            raise ValidationError({"project": "a membership cannot move to another project"})
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError:
            raise ValidationError({"user": "this user is already a member of the project"})


class VideoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """Videos of your projects. POST (multipart: project, file, title) adds one (managers); a file whose content
    is already in the project answers 200 with that video instead of 201. Media URLs are in each video."""

    queryset = Video.objects.all()
    serializer_class = VideoSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": VideoUploadSerializer}, responses={201: VideoSerializer})
    def create(self, request):
        upload = VideoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        project = upload.validated_data["project"]
        self.require(project, Capability.MANAGE)
        file = upload.validated_data["file"]
        ingested = services.ingest_video(
            project=project, source=file, filename=file.name, title=upload.validated_data.get("title", "")
        )
        data = {**VideoSerializer(ingested.video).data, "duplicate": not ingested.created}
        return Response(data, status=status.HTTP_201_CREATED if ingested.created else status.HTTP_200_OK)


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

    def _decide(self, request, apply):
        candidate = self.get_object()
        decision = CandidateDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            candidate = apply(candidate, decision.validated_data)
        except services.StaleEdit as stale:
            return Response(
                {"detail": "this candidate changed since you loaded it", "current": self.get_serializer(stale.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except services.DecisionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        candidate = self.get_queryset().get(pk=candidate.pk)
        return Response(self.get_serializer(candidate).data)

    def partial_update(self, request, pk=None):
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k != "video"}
        return self._decide(
            request,
            lambda candidate, data: services.edit_candidate(
                candidate=candidate, expected_version=data["version"], changes=changes, user=request.user
            ),
        )

    @extend_schema(request=CandidateDecisionSerializer, responses={200: CandidateQuestionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a proposed candidate: it becomes a stage 2 question."""
        return self._decide(
            request,
            lambda candidate, data: services.accept_candidate(
                candidate=candidate, user=request.user, expected_version=data["version"]
            ),
        )

    @extend_schema(request=CandidateDecisionSerializer, responses={200: CandidateQuestionSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a proposed candidate with a reason."""
        return self._decide(
            request,
            lambda candidate, data: services.reject_candidate(
                candidate=candidate, user=request.user, expected_version=data["version"], reason=data.get("reason", "")
            ),
        )


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
        return double.visible(questions, user=self.request.user)

    def perform_create(self, serializer):
        self.require(serializer.validated_data["video"].project, Capability.ANNOTATE)
        serializer.validated_data.pop("version", None)
        serializer.instance = services.create_question(annotator=self.request.user, **serializer.validated_data)

    def partial_update(self, request, pk=None):
        question = self.get_object()
        expected = request.data.get("version") if isinstance(request.data, dict) else None
        if not isinstance(expected, int):
            raise ValidationError({"version": "send the version you last read, as an integer"})
        serializer = self.get_serializer(question, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {k: v for k, v in serializer.validated_data.items() if k not in {"version", "video", "candidate"}}
        try:
            updated = services.update_question(
                question=question, expected_version=expected, changes=changes, user=request.user
            )
        except services.StaleEdit as stale:
            return Response(
                {"detail": "this question changed since you loaded it", "current": self.get_serializer(stale.current).data},
                status=status.HTTP_409_CONFLICT,
            )
        except workspace.NotEditable as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        except IntegrityError:
            return Response({"detail": "an answered question keeps its count and reference interval"},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(updated).data)


class QuestionDocViewSet(ProjectScopedViewSet):
    """The annotation workspace's document of a question: GET it, PUT it whole (with the version it read; a stale
    save gets 409 with the current document, an invalid one 400 with every problem), POST submit."""

    queryset = Question.objects.select_related("video").prefetch_related("clues")

    def get_queryset(self):
        return double.visible(super().get_queryset(), user=self.request.user)
    project_field = "video__project"
    capabilities = {"retrieve": Capability.VIEW, "update": Capability.ANNOTATE, "submit": Capability.ANNOTATE}

    def retrieve(self, request, pk=None):
        return Response(workspace.doc_for(self.get_object(), request.user))

    def _stale(self, stale):
        current = Question.objects.select_related("video").prefetch_related("clues").get(pk=stale.current.pk)
        return Response({"detail": "this question changed since you loaded it",
                         "current": workspace.doc_for(current, self.request.user)},
                        status=status.HTTP_409_CONFLICT)

    def update(self, request, pk=None):
        question = self.get_object()
        if not isinstance(request.data, dict):
            return Response({"detail": "send the question document as a JSON object", "errors": {}},
                            status=status.HTTP_400_BAD_REQUEST)
        version = request.data.get("version")
        if not isinstance(version, int):
            return Response({"detail": "send the version you last read", "errors": {"version": "required"}},
                            status=status.HTTP_400_BAD_REQUEST)
        try:
            saved = workspace.save_doc(question=question, expected_version=version, doc=request.data,
                                       user=request.user)
        except services.StaleEdit as stale:
            return self._stale(stale)
        except workspace.InvalidDoc as invalid:
            return Response({"detail": "nothing was saved: " + "; ".join(f"{k}: {v}" for k, v in invalid.errors.items()),
                             "errors": invalid.errors}, status=status.HTTP_400_BAD_REQUEST)
        except workspace.NotEditable as exc:
            current = self.get_queryset().get(pk=question.pk)
            return Response({"detail": str(exc), "errors": {}, "current": workspace.doc_for(current, request.user)},
                            status=status.HTTP_409_CONFLICT)
        return Response(workspace.doc_for(self.get_queryset().get(pk=saved.pk), request.user))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the question: into the pool when its clues match the count, else to arbitration."""
        question = self.get_object()
        version = request.data.get("version") if isinstance(request.data, dict) else None
        if not isinstance(version, int):
            return Response({"detail": "send the version you last read"}, status=status.HTTP_400_BAD_REQUEST)
        try:
            done, outcome, message = workspace.submit(question=question, expected_version=version, user=request.user)
        except services.StaleEdit as stale:
            return self._stale(stale)
        except (workspace.InvalidDoc, workspace.NotEditable) as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"question": workspace.doc_for(self.get_queryset().get(pk=done.pk), request.user),
                         "outcome": outcome,
                         "message": message})


class ReviewItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    queryset = ReviewItem.objects.all()
    serializer_class = ReviewItemSerializer
    capabilities = {"list": Capability.REVIEW, "retrieve": Capability.REVIEW}
    list_capability = Capability.REVIEW

    def get_queryset(self):
        # Double annotation is blind: items (and their comments) of a question hidden from the user are hidden too.
        hidden = Question.objects.filter(double.hidden_questions(user=self.request.user)).values("pk")
        return super().get_queryset().exclude(question__in=hidden)


class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """Comments on a question (`?question=`) or an R-AVST event (`?event=`), anchored to a time (seconds) and/or a
    frame of its video. POST adds one (reviewers, managers and the question's annotator); POST resolve/ marks it
    dealt with (its author, the question's annotator, reviewers and managers)."""

    queryset = Comment.objects.select_related("project", "author", "resolved_by", "review_item", "question")
    serializer_class = CommentSerializer
    capabilities = {"resolve": Capability.VIEW}

    def _hidden(self):
        # Double annotation is blind: comments of a question hidden from the user are hidden too.
        return Question.objects.filter(double.hidden_questions(user=self.request.user)).values("pk")

    def get_queryset(self):
        queryset = super().get_queryset().exclude(question__in=self._hidden())
        for param, model in (("question", Question), ("event", Event)):
            value = self.request.query_params.get(param)
            if not value:
                continue
            if not value.isdigit():
                raise ValidationError({param: f"must be {'a question' if param == 'question' else 'an event'} id"})
            subjects = model.objects.filter(pk=int(value), video__project__in=selectors.projects_for(user=self.request.user))
            if model is Question:
                subjects = subjects.exclude(pk__in=self._hidden())
            if not subjects.exists():
                raise NotFound()
            queryset = queryset.filter(**{f"{param}_id": int(value)})
        return queryset

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def create(self, request):
        body = CommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        subject = data.get("question") or data.get("event")
        if subject is None:
            raise ValidationError({"question": "say which question (or event) the comment is on"})
        self.require(subject.video.project, Capability.VIEW)
        if data.get("question") is not None and not double.may_see(data["question"], user=request.user):
            raise NotFound()
        try:
            comment = comments.add_comment(
                user=request.user, text=data["text"], question=data.get("question"), event=data.get("event"),
                time=data.get("time"), frame_index=data.get("frame_index"),
            )
        except comments.NotAllowed as exc:
            raise PermissionDenied(str(exc))
        except comments.CommentError as exc:
            raise ValidationError({exc.field: str(exc)})
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Mark the comment dealt with."""
        try:
            comment = comments.resolve_comment(comment=self.get_object(), user=request.user)
        except comments.NotAllowed as exc:
            raise PermissionDenied(str(exc))
        except comments.CommentError as exc:
            raise ValidationError({exc.field: str(exc)})
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)
