"""REST endpoints of quality control: review items (read) and comments."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from annotation.avst.models import Event
from annotation.counting import workspace
from annotation.counting.models import Question
from annotation.projects import selectors
from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.permissions import Capability
from annotation.review import comments, double
from annotation.review.models import Comment, ReviewItem
from annotation.review.serializers import CommentCreateSerializer, CommentSerializer, ReviewItemSerializer


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
        if data.get("question") is not None and not workspace.may_see(data["question"], user=request.user):
            raise NotFound()
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
