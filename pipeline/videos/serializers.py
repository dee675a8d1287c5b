from django.urls import reverse
from rest_framework import serializers

from annotation.projects.models import Project
from pipeline.videos.models import Video


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
