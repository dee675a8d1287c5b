"""Reads about jobs and LLM calls."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from annotation.projects.permissions import Capability
from annotation.projects.selectors import projects_for
from pipeline.jobs import hooks
from pipeline.jobs.models import Job, LLMCall, LLMOutcome


def jobs_visible_to(*, user, project=None) -> QuerySet[Job]:
    """Jobs of the projects the user belongs to, but for those of things hidden from them (``hooks.hidden_jobs``);
    jobs of no project only for staff."""
    if not user.is_authenticated:
        return Job.objects.none()
    visible = Q(project__in=projects_for(user=user, capability=Capability.VIEW))
    if user.is_staff:
        visible |= Q(project__isnull=True)
    jobs = Job.objects.filter(visible).exclude(hooks.hidden_jobs(user=user)).select_related("project")
    if project is not None:
        jobs = jobs.filter(project=project)
    return jobs


def spend(project) -> dict:
    """Calls, tokens and estimated cost of the project's LLM calls, and its recent failures."""
    calls = LLMCall.objects.filter(project=project)
    totals = calls.aggregate(
        calls=Count("id"), tokens_in=Sum("tokens_in"), tokens_out=Sum("tokens_out"), cost=Sum("cost_usd")
    )
    by_outcome = dict(calls.values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"))
    by_model = list(
        calls.values("provider", "model").annotate(calls=Count("id"), cost=Sum("cost_usd")).order_by("provider", "model")
    )
    return {
        "calls": totals["calls"] or 0,
        "tokens_in": totals["tokens_in"] or 0,
        "tokens_out": totals["tokens_out"] or 0,
        "cost_usd": totals["cost"] or Decimal(0),
        "by_outcome": {o: by_outcome.get(o, 0) for o in LLMOutcome.values},
        "by_model": by_model,
        "failures": list(calls.exclude(outcome=LLMOutcome.OK).order_by("-created_at")[:50]),
    }
