from rest_framework import serializers

from annotation.avst.models import Event
from annotation.counting.models import Question
from annotation.projects.selectors import role_of
from annotation.review.worktable import ACTIONS, BULK_MAX
from annotation.review.comments import resolvable
from annotation.review.models import Comment, ReviewItem


class ReviewItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewItem
        fields = [
            "id", "project", "queue", "question", "qa_pair", "event", "state", "claimed_by", "claimed_at", "decision",
            "comment", "decided_by", "decided_at", "result", "created_at",
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    """A comment as the workspace shows it; `can_resolve` is for the requesting user."""

    author_name = serializers.SerializerMethodField()
    resolved_by_name = serializers.SerializerMethodField()
    review_decision = serializers.SerializerMethodField()
    can_resolve = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "project", "question", "event", "review_item", "review_decision", "author", "author_name", "text",
            "time", "frame_index", "resolved_by", "resolved_by_name", "resolved_at", "created_at", "can_resolve",
        ]
        read_only_fields = fields

    def get_author_name(self, comment) -> str:
        return comment.author.username if comment.author else ""

    def get_resolved_by_name(self, comment) -> str:
        return comment.resolved_by.username if comment.resolved_by else ""

    def get_review_decision(self, comment) -> str:
        return comment.review_item.decision if comment.review_item else ""

    def get_can_resolve(self, comment) -> bool:
        user = self.context["request"].user
        roles = self.context.setdefault("roles", {})
        if comment.project_id not in roles:
            roles[comment.project_id] = role_of(user=user, project=comment.project)
        return comment.resolved_at is None and resolvable(user=user, comment=comment, role=roles[comment.project_id])


class CommentCreateSerializer(serializers.Serializer):
    question = serializers.PrimaryKeyRelatedField(queryset=Question.objects.select_related("video__project"),
                                                  required=False, allow_null=True)
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.select_related("video__project"),
                                               required=False, allow_null=True)
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=5000)
    time = serializers.FloatField(required=False, allow_null=True)
    frame_index = serializers.IntegerField(required=False, allow_null=True)


class QuestionRowSerializer(serializers.ModelSerializer):
    """A row of the work table."""

    video_title = serializers.CharField(source="video.title", read_only=True)
    annotator_name = serializers.CharField(source="annotator.username", read_only=True, default=None)
    held_by = serializers.CharField(source="claimed_by.username", read_only=True, default=None)
    comments = serializers.IntegerField(source="n_comments", read_only=True)

    class Meta:
        model = Question
        fields = ["id", "video", "video_title", "text", "category", "modality", "drafted_answer", "state",
                  "annotator", "annotator_name", "held_by", "comments", "version", "updated_at"]
        read_only_fields = fields


class BulkActionSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, help_text="The project's id.")
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=BULK_MAX)
    action = serializers.ChoiceField(choices=ACTIONS)
    annotator = serializers.IntegerField(required=False, allow_null=True, help_text="For reassign: a member's id.")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="For reject: why (the annotator sees it in the log).")


class BulkSkipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    why = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    skipped = BulkSkipSerializer(many=True)
