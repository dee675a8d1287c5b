from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from annotation.projects.api import ProjectScopedViewSet
from annotation.projects.permissions import Capability
from pipeline.jobs import services
from pipeline.jobs.models import Job, LLMCall
from pipeline.jobs.selectors import jobs_visible_to
from pipeline.jobs.serializers import JobSerializer, LLMCallSerializer


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """Long-running work: state, progress, attempts and the error of a failure. `?state=` and `?project=` filter."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    capabilities = {"retry": Capability.MANAGE, "cancel": Capability.MANAGE}

    def get_queryset(self):
        project_id = self.request.query_params.get("project")
        if project_id and not project_id.isdigit():
            raise ValidationError({"project": "must be a project id"})
        jobs = jobs_visible_to(user=self.request.user)
        if project_id:
            jobs = jobs.filter(project_id=int(project_id))
        states = [s for s in self.request.query_params.get("state", "").split(",") if s]
        if states:
            jobs = jobs.filter(state__in=states)
        return jobs

    def check_object_permissions(self, request, obj):
        if obj.project is None:
            # Jobs of no project (maintenance) are visible to staff only, and only staff retry or cancel them.
            if self.action != "retrieve" and not request.user.is_superuser:
                self.permission_denied(request, message="only an administrator can act on this job")
            return
        super().check_object_permissions(request, obj)

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a job again (managers): a failed or cancelled one, a queued one, or one whose worker is gone.
        409 for a job running on a live worker, or one that succeeded."""
        job = self._act(services.retry_job)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a job that is not running on a live worker (managers); 409 for one that is, or that has ended."""
        job = self._act(services.cancel_job, by=request.user)
        return Response(self.get_serializer(job).data)

    def _act(self, change, **kwargs):
        job = self.get_object()
        try:
            return change(job=job, **kwargs)
        except services.JobError as exc:
            job.refresh_from_db()
            raise exc.with_document(self.get_serializer(job).data)


class LLMCallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ProjectScopedViewSet):
    """The call log of the LLM stages (managers): tokens, latency, cost, outcome; never the API key."""

    queryset = LLMCall.objects.all()
    serializer_class = LLMCallSerializer
    capabilities = {"list": Capability.MANAGE, "retrieve": Capability.MANAGE}
    list_capability = Capability.MANAGE
