"""REST endpoints of videos: list, read, and upload (managers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.permissions import Capability
from pipeline.videos import services
from pipeline.videos.models import Video
from pipeline.jobs.serializers import JobSerializer
from pipeline.videos.serializers import VideoSerializer, VideoUploadSerializer


class VideoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ProjectScopedViewSet):
    """Videos of your projects. POST (multipart: project, file, title) adds one (managers); a file whose content
    is already in the project answers 200 with that video instead of 201. Media URLs are in each video. When the
    task queue cannot be reached, the upload is kept all the same (201, with a `detail` saying so) and its
    processing starts by itself once the queue is back. DELETE removes a video nothing refers to (a failed or
    unused one) with its files; POST reprocess/ processes its original again (managers)."""

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
        if ingested.waiting_for_broker:
            data["detail"] = (
                "The file is stored, but the task queue cannot be reached right now, so its processing waits; "
                "it starts by itself once the queue is back."
            )
        return Response(data, status=status.HTTP_201_CREATED if ingested.created else status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.delete_video(video=instance, user=self.request.user)

    @extend_schema(request=None, responses={202: JobSerializer})
    @action(detail=True, methods=["post"], serializer_class=JobSerializer)
    def reprocess(self, request, pk=None):
        """Process the video's original again: a new job on the media queue."""
        job = services.reprocess_video(video=self.get_object(), user=request.user)
        return Response(JobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
