"""REST endpoints of quality control: review items (read) and comments."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotation.avst.models import Event
from annotation.counting import workspace
from annotation.counting.models import Question
from annotation.projects import selectors
from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.errors import NotMember
from annotation.projects.models import Project
from annotation.projects.permissions import Capability
from annotation.review import comments, double, worktable
from annotation.review.models import Comment, ReviewItem
from annotation.review.serializers import (
    BulkActionSerializer,
    BulkResultSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    QuestionRowSerializer,
    ReviewItemSerializer,
)


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
                raise NotMember()
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
        if data.get("question") is not None and not workspace.may_see(data["question"], user=request.user):
            raise NotMember()
        comment = comments.add_comment(
            user=request.user, text=data["text"], question=data.get("question"), event=data.get("event"),
            time=data.get("time"), frame_index=data.get("frame_index"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CommentSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Mark the comment dealt with."""
        comment = comments.resolve_comment(comment=self.get_object(), user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)


class QuestionTableViewSet(mixins.ListModelMixin, ProjectScopedViewSet):
    """The manager's work table (reviewers read it): `?project=` (required) and the page's filters (`state`,
    `stage`, `annotator`, `reviewer`, `video`, `category`, `modality`, `has_comments`, `in_arbitration`, `search`,
    `sort`). POST bulk/ applies an action to chosen questions (managers)."""

    queryset = Question.objects.all()
    serializer_class = QuestionRowSerializer
    project_field = "video__project"
    list_capability = Capability.REVIEW
    capabilities = {"list": Capability.REVIEW, "bulk": Capability.MANAGE}

    def list(self, request):
        project_id = request.query_params.get("project", "")
        if not project_id.isdigit():
            raise ValidationError({"project": "say which project's questions (?project=ID)"})
        project = Project.objects.filter(pk=int(project_id)).first()
        if project is None:
            raise NotMember()
        self.require(project, Capability.REVIEW)
        rows = worktable.questions(project=project, filters=worktable.Filters.from_query(request.query_params))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=BulkActionSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"], serializer_class=BulkActionSerializer)
    def bulk(self, request):
        body = BulkActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = Project.objects.filter(pk=data["project"]).first()
        if project is None:
            raise NotMember()
        self.require(project, Capability.MANAGE)
        result = worktable.bulk(project=project, ids=data["ids"], action=data["action"], user=request.user,
                                annotator_id=data.get("annotator"), reason=data.get("reason", ""))
        return Response({"done": result.done, "skipped": [{"id": pk, "why": why} for pk, why in result.skipped]})
