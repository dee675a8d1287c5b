from rest_framework import mixins

from annotation.api import ProjectScopedViewSet
from benchmark.models import Release, Submission
from benchmark.serializers import ReleaseSerializer, SubmissionSerializer


class ReleaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    queryset = Release.objects.all()
    serializer_class = ReleaseSerializer


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    queryset = Submission.objects.select_related("release")
    serializer_class = SubmissionSerializer
    project_field = "release__project"
