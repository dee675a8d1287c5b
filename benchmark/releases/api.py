from rest_framework import mixins

from annotation.projects.api import ProjectScopedViewSet
from benchmark.releases.models import Release, Submission
from benchmark.releases.serializers import ReleaseSerializer, SubmissionSerializer


class ReleaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    queryset = Release.objects.all()
    serializer_class = ReleaseSerializer


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    queryset = Submission.objects.select_related("release")
    serializer_class = SubmissionSerializer
    project_field = "release__project"
