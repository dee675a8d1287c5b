from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotation.views import project_for_page
from pipeline.selectors import jobs_visible_to
from pipeline.serializers import JobSerializer

INITIAL_JOBS = 50


def _render_jobs(request, *, project=None):
    jobs = jobs_visible_to(user=request.user, project=project)[:INITIAL_JOBS]
    api_url = reverse("job-list") + (f"?project={project.pk}" if project else "")
    return render(
        request,
        "pipeline/jobs.html",
        {
            "project": project,
            "initial_jobs": JobSerializer(jobs, many=True, context={"request": request}).data,
            "api_url": api_url,
        },
    )


@login_required
def jobs(request):
    return _render_jobs(request)


@login_required
def project_jobs(request, pk: int):
    project, _ = project_for_page(request, pk)
    return _render_jobs(request, project=project)
