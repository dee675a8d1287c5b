from django.urls import reverse
from rest_framework import serializers

from annotation.models import CandidateQuestion, Comment, Event, Membership, Project, Question, ReviewItem, Video


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "kind", "description", "settings", "created_at", "role"]
        # The kind decides what data a project holds: it is set at creation only.
        read_only_fields = ["kind", "created_at"]

    def validate_settings(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("settings must be a JSON object")
        llm = value.get("llm", {})
        if not isinstance(llm, dict):
            raise serializers.ValidationError('settings.llm must be an object like {"provider": "openai", "model": "..."}')
        from pipeline.llm_runtime import PROVIDERS

        if llm.get("provider") not in (None, *PROVIDERS):
            raise serializers.ValidationError(f"settings.llm.provider must be one of {', '.join(PROVIDERS)}")
        if "model" in llm and (not isinstance(llm["model"], str) or not llm["model"].strip()):
            raise serializers.ValidationError("settings.llm.model must be a model name")
        from annotation.sampling import settings_errors

        errors = settings_errors(value)
        if errors:
            raise serializers.ValidationError("; ".join(f"settings.{message}" for message in errors.values()))
        from pipeline.avst.filtering import FilterRules, SettingsError

        try:
            FilterRules.from_settings(value.get("filtering"))
        except SettingsError as exc:
            raise serializers.ValidationError(f"settings.filtering: {exc}") from None
        return value

    def get_role(self, project) -> str | None:
        from annotation.selectors import role_of

        return role_of(user=self.context["request"].user, project=project)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "username", "role", "created_at"]
        read_only_fields = ["created_at"]


class VideoSerializer(serializers.ModelSerializer):
    proxy_url = serializers.SerializerMethodField()
    audio_url = serializers.SerializerMethodField()
    peaks_url = serializers.SerializerMethodField()
    spectrogram_url = serializers.SerializerMethodField()
    thumbnails_url = serializers.SerializerMethodField()
    frame_url_template = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = [
            "id", "project", "title", "external_id", "status", "error", "sha256", "size_bytes", "duration",
            "fps", "variable_frame_rate", "frame_count", "width", "height", "rotation", "has_audio",
            "audio_channels", "sample_rate", "meta", "created_at", "proxy_url", "audio_url", "peaks_url",
            "spectrogram_url", "thumbnails_url", "thumbnails_index", "frame_url_template",
        ]
        read_only_fields = fields

    def _url(self, video, field: str, route: str) -> str | None:
        if not getattr(video, field).name:
            return None
        return reverse(route, args=[video.pk])

    def get_proxy_url(self, video) -> str | None:
        return self._url(video, "proxy", "video-proxy")

    def get_audio_url(self, video) -> str | None:
        return self._url(video, "audio", "video-audio")

    def get_peaks_url(self, video) -> str | None:
        return self._url(video, "peaks", "video-peaks")

    def get_spectrogram_url(self, video) -> str | None:
        return self._url(video, "spectrogram", "video-spectrogram")

    def get_thumbnails_url(self, video) -> str | None:
        return self._url(video, "thumbnails", "video-thumbnails")

    def get_frame_url_template(self, video) -> str | None:
        """Replace {index} with a frame index on the proxy."""
        if not video.proxy.name:
            return None
        return reverse("video-frame", args=[video.pk, 0]).replace("/0.jpg", "/{index}.jpg")


class VideoUploadSerializer(serializers.Serializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=255)


class CandidateQuestionSerializer(serializers.ModelSerializer):
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

    def validate(self, attrs):
        start = attrs.get("query_start", getattr(self.instance, "query_start", None))
        end = attrs.get("query_end", getattr(self.instance, "query_end", None))
        if (start is None) != (end is None):
            raise serializers.ValidationError({"query_end": "give both ends of the query interval, or neither"})
        if start is not None and not 0 <= start < end:
            raise serializers.ValidationError({"query_end": "the query interval must satisfy 0 <= start < end"})
        video = attrs.get("video", getattr(self.instance, "video", None))
        if start is not None and video is not None and video.duration and end > video.duration + 1e-6:
            raise serializers.ValidationError(
                {"query_end": f"the query interval ends after the video ({video.duration:.3f} s)"}
            )
        if "text" in attrs and not attrs["text"].strip():
            raise serializers.ValidationError({"text": "the question may not be empty"})
        return attrs


class CandidateDecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "id", "video", "candidate", "text", "category", "modality", "drafted_answer", "ref_start", "ref_end",
            "final_start", "final_end", "state", "version", "annotator", "created_at", "updated_at",
        ]
        read_only_fields = ["candidate", "final_start", "final_end", "state", "annotator", "created_at", "updated_at"]

    def validate(self, attrs):
        start = attrs.get("ref_start", getattr(self.instance, "ref_start", None))
        end = attrs.get("ref_end", getattr(self.instance, "ref_end", None))
        if (start is None) != (end is None):
            raise serializers.ValidationError({"ref_end": "give both ends of the reference interval, or neither"})
        if start is not None and not 0 <= start < end:
            raise serializers.ValidationError({"ref_end": "the reference interval must satisfy 0 <= start < end"})
        video = attrs.get("video", getattr(self.instance, "video", None))
        if start is not None and video is not None and video.duration and end > video.duration + 1e-6:
            raise serializers.ValidationError(
                {"ref_end": f"the reference interval ends after the video ({video.duration:.3f} s)"}
            )
        return attrs


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
        from annotation.comments import resolvable
        from annotation.selectors import role_of

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
