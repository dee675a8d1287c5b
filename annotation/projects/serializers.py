from django.contrib.auth import get_user_model
from rest_framework import serializers

from annotation.projects import settings as project_settings
from annotation.projects.models import Membership, Project
from annotation.projects.selectors import role_of


class ProjectSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "name", "kind", "description", "settings", "created_at", "role"]
        # The kind decides what data a project holds: it is set at creation only.
        read_only_fields = ["kind", "created_at"]

    def validate_settings(self, value):
        errors = project_settings.settings_errors(value)
        if errors:
            raise serializers.ValidationError({key or "settings": message for key, message in errors.items()})
        return value

    def get_role(self, project) -> str | None:
        return role_of(user=self.context["request"].user, project=project)


class MembershipSerializer(serializers.ModelSerializer):
    """A member of a project. Made by username within a project the requester manages; after that only the role
    changes (a membership's user and project never do: remove it and add another)."""

    username = serializers.CharField(max_length=150, source="user.username")

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "username", "role", "created_at"]
        read_only_fields = ["user", "created_at"]
        # The one-membership-per-user rule is the database's; a duplicate gets a clear 400 from the view.
        validators = []

    def validate(self, attrs):
        username = attrs.pop("user", {}).get("username")
        if self.instance is not None:
            if "project" in attrs and attrs["project"] != self.instance.project:
                raise serializers.ValidationError({"project": "a membership cannot move to another project"})
            if username is not None and username != self.instance.user.get_username():
                raise serializers.ValidationError(
                    {"username": "a membership's user does not change; remove it and add another"})
            return attrs
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise serializers.ValidationError({"username": f"no active account is named {username!r}"})
        attrs["user"] = user
        return attrs
