from rest_framework import serializers

from benchmark.releases.models import Release, Submission


class ReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Release
        fields = ["id", "project", "version", "format", "selection", "state", "manifest", "error", "created_at", "frozen_at"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["id", "release", "model_name", "is_human_baseline", "state", "metrics", "error", "created_at"]
        read_only_fields = fields
