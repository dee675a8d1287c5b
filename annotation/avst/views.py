"""Pages of the R-AVST pipeline: the overview with its stage buttons, the filtering report, the event review page.
Thin: each asks the services and selectors and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from annotation.avst import documents, hooks, ingest
from annotation.avst import selectors as avst_selectors
from annotation.avst.history import event_changes
from annotation.avst.models import Event, QATask
from annotation.avst.services import start_audibility, start_detection
from annotation.projects import audit, selectors
from annotation.projects import settings as project_settings
from annotation.projects.models import Decision, ProjectKind
from annotation.projects.permissions import Capability
from annotation.projects.views import project_for_page
from pipeline.videos import detectors
from pipeline.jobs.llm import llm_status
from pipeline.jobs.views import start_machine_stage
from pipeline.videos.models import Video

RULE_LABELS = {
    "no_events": "No events",
    "duration": "Duration outside every group",
    "too_many_events": "Too many events",
    "low_coverage": "Events cover too little of the video",
}


def _avst_project(request, pk: int, capability: Capability = Capability.VIEW):
    project, role = project_for_page(request, pk, capability)
    if project.kind != ProjectKind.AVST:
        raise Http404("not an R-AVST project")
    return project, role


@login_required
def avst_overview(request, pk: int):
    """Where an R-AVST project stands, stage by stage; managers start the machine stages here."""

    project, _ = _avst_project(request, pk)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    llm = llm_status(project)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("only a manager starts the R-AVST stages")
        action = request.POST.get("action")
        if action == "filter":
            try:
                summary = ingest.apply_filtering(project=project)
            except ingest.AvstImportError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Filtering applied: {summary.kept} video(s) kept, "
                                          f"{summary.total - summary.kept} removed.")
        elif action == "audibility":
            start_machine_stage(request, stage="The audibility analysis", llm=llm,
                                start=lambda: start_audibility(project=project))
        elif action == "detect":
            start_machine_stage(request, stage="The box proposals", start=lambda: start_detection(project=project))
        else:
            messages.error(request, "unknown action")
        return redirect("avst-overview", pk=project.pk)
    page = Paginator(avst_selectors.video_rows(project=project), 100).get_page(request.GET.get("page"))
    return render(request, "avst/avst_overview.html", {
        "project": project, "can_manage": can_manage, "llm": llm, "page": page,
        "counts": avst_selectors.overview(project=project), "rules": ingest.filter_rules(project),
        "rule_labels": RULE_LABELS, "next_review": next_review_url(project),
    })


@login_required
def avst_filtering(request, pk: int):
    """How many videos each filtering rule removed, and why each removed video went."""
    project, _ = _avst_project(request, pk)
    removed = Video.objects.filter(project=project).exclude(filter_rule="").order_by("filter_rule", "id")
    rule = request.GET.get("rule")
    if rule:
        removed = removed.filter(filter_rule=rule)
    counts = avst_selectors.overview(project=project)
    return render(request, "avst/avst_filtering.html", {
        "project": project, "counts": counts, "rules": ingest.filter_rules(project),
        "rule_labels": RULE_LABELS, "chosen_rule": rule,
        "page": Paginator(removed, 200).get_page(request.GET.get("page")),
    })


@login_required
def avst_video(request, pk: int):
    """One R-AVST video: its events with their objects and review state."""
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project, _ = _avst_project(request, video.project_id)
    events = documents.event_queryset().filter(video=video).order_by("id")
    return render(request, "avst/avst_video.html", {"project": project, "video": video, "events": events})


@login_required
def event_review(request, pk: int):
    """The reviewer's page of one event (a React island over the event document API)."""
    event = get_object_or_404(documents.event_queryset(), pk=pk)
    project, _ = _avst_project(request, event.video.project_id)
    data = {"doc_url": reverse("eventdoc-detail", args=[event.pk]), "doc": documents.doc_for(event, request.user),
            "labels": project_settings.vocabulary(project.settings), "csrf_token": get_token(request)}
    missing = detectors.interactive_missing()
    if missing:
        data["assist_missing"] = missing  # said when c or t is pressed
    else:
        # Click-to-box and tracking: POST, then poll the job they answer with.
        data["assist_urls"] = {"click_box": reverse("eventdoc-click-box", args=[event.pk]),
                               "track": reverse("eventdoc-track", args=[event.pk]),
                               "job": reverse("job-detail", args=[0]).replace("/0/", "/{id}/")}

    return render(request, "avst/event_review.html", {
        "project": project, "event": event, "video": event.video, "data": data,
        "comments": hooks.event_comments(event=event),
    })


def next_review_url(project) -> str | None:
    """The first kept event with objects that no reviewer has accepted yet."""
    event = (
        Event.objects.filter(video__project=project, video__filter_rule="", av_objects__isnull=False)
        .exclude(state="accepted").order_by("video_id", "id").first()
    )
    return reverse("event-review", args=[event.pk]) if event else None


@login_required
def event_history(request, pk: int):
    """Every recorded change of an event's objects and boxes, newest first."""

    event = get_object_or_404(Event.objects.select_related("video__project"), pk=pk)
    project, _ = _avst_project(request, event.video.project_id)
    entries = [(e, event_changes(e.before, e.after)) for e in audit.history(target_type="event", target_id=event.pk)]
    return render(request, "avst/event_history.html", {"event": event, "project": project, "entries": entries})


@login_required
def avst_qa(request, pk: int):
    """The generated QA pairs of the project, by task, state, video or text, each with its event."""
    project, _ = _avst_project(request, pk)
    video = request.GET.get("video", "")
    chosen = {"task": request.GET.get("task", ""), "state": request.GET.get("state", ""),
              "video": int(video) if video.isdigit() else None, "search": request.GET.get("q", "").strip()}
    if chosen["task"] not in ("", *QATask.values) or chosen["state"] not in ("", *Decision.values):
        raise Http404("no such task or state")
    pairs = avst_selectors.qa_pairs(project=project, **chosen)
    page = Paginator(pairs, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "avst/avst_qa.html", {
        "project": project, "page": page, "chosen": chosen, "query": query.urlencode(), "total": pairs.count(),
        "tasks": QATask.choices, "states": Decision.choices,
        "videos": Video.objects.filter(project=project, qa_pairs__isnull=False).distinct().order_by("external_id", "id"),
    })
