"""Pages of jobs: background work, live, for all your projects or one; a project's LLM spend."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from annotation.projects.errors import AppError
from annotation.projects.permissions import Capability
from annotation.projects.views import project_for_page
from pipeline.jobs.llm import LLMStatus, llm_status
from pipeline.jobs.selectors import jobs_visible_to, spend
from pipeline.jobs.serializers import JobSerializer

INITIAL_JOBS = 50
#: Skipped videos named one by one on a page; the rest are counted.
SKIPPED_SHOWN = 5


def start_machine_stage(request, *, stage: str, start: Callable[[], tuple[list, list[str]]],
                        llm: LLMStatus | None = None) -> bool:
    """Start a machine stage from a manager's page (a POST) and say how it went, as messages: how many jobs were
    queued, which videos were skipped and why, or why nothing started (no LLM key for an LLM stage, an invalid
    choice of videos). `start` queues the jobs and returns them with the reasons for the skipped videos."""
    if llm is not None and not llm.configured:
        messages.error(request, llm.message)
        return False
    try:
        jobs, skipped = start()
    except AppError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, f"{stage}: queued for {len(jobs)} video(s); follow it on the Jobs page.")
    for reason in skipped[:SKIPPED_SHOWN]:
        messages.warning(request, f"Skipped {reason}.")
    if len(skipped) > SKIPPED_SHOWN:
        messages.warning(request, f"Skipped {len(skipped) - SKIPPED_SHOWN} more video(s).")
    return True


def _render_jobs(request, *, project=None):
    jobs = jobs_visible_to(user=request.user, project=project)[:INITIAL_JOBS]
    api_url = reverse("job-list") + (f"?project={project.pk}" if project else "")
    return render(
        request,
        "jobs/jobs.html",
        {
            "project": project,
            "initial_jobs": JobSerializer(jobs, many=True, context={"request": request}).data,
            "api_url": api_url,
            "actions_url": reverse("job-list"),
        },
    )


@login_required
def jobs(request):
    return _render_jobs(request)


@login_required
def project_jobs(request, pk: int):
    project, _ = project_for_page(request, pk)
    return _render_jobs(request, project=project)


@login_required
def llm_spend(request, pk: int):
    """What the project's LLM calls cost, and which failed and why (managers)."""
    project, _ = project_for_page(request, pk, Capability.MANAGE)
    return render(
        request, "jobs/llm_spend.html", {"project": project, "spend": spend(project), "llm": llm_status(project)}
    )

