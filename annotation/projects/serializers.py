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
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "project", "user", "username", "role", "created_at"]
        read_only_fields = ["created_at"]
