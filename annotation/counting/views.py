"""Pages of CG-AV-Counting: stage 1 (the overview and one video's candidates), the annotation workspace and a
question's history. Thin: each asks the services and selectors and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from annotation.counting import hooks, proposals, workspace
from annotation.counting import selectors as counting_selectors
from annotation.counting.history import question_changes
from annotation.counting.models import CandidateQuestion, Question
from annotation.counting.serializers import CandidateQuestionSerializer
from annotation.counting.services import start_stage1
from annotation.projects import audit, selectors
from annotation.projects import settings as project_settings
from annotation.projects.errors import Invalid, NotEditable
from annotation.projects.models import AuditEntry
from annotation.projects.permissions import Capability
from annotation.projects.views import project_for_page
from pipeline.jobs.llm import llm_status
from pipeline.jobs.views import start_machine_stage
from pipeline.videos import detectors
from pipeline.videos.models import Video
from pipeline.videos.serializers import VideoSerializer


@login_required
def stage1_overview(request, pk: int):
    """Stage 1 for a project: per video, how many candidates await a decision; managers start the LLM here."""

    project, role = project_for_page(request, pk)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    status = llm_status(project)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("only a manager starts stage 1")
        chosen = [int(v) for v in request.POST.getlist("video") if v.isdigit()]
        start_machine_stage(request, stage="Stage 1", llm=status,
                            start=lambda: start_stage1(project=project, video_ids=chosen or None))
        return redirect("stage1", pk=project.pk)
    videos = counting_selectors.stage1_videos(project=project)
    return render(
        request,
        "counting/stage1_overview.html",
        {"project": project, "videos": videos, "llm": status, "can_manage": can_manage},
    )


@login_required
def stage1_video(request, pk: int):
    """The stage 1 review page of one video (a React island over the candidates API)."""
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project, _ = project_for_page(request, video.project_id)
    candidates = CandidateQuestion.objects.filter(video=video).prefetch_related("questions").order_by("id")
    data = {
        "video": {
            "id": video.pk, "title": video.title, "duration": video.duration, "fps": video.fps,
            "proxy_url": VideoSerializer(video).data["proxy_url"],
        },
        "candidates": CandidateQuestionSerializer(candidates, many=True).data,
        "urls": {
            "candidates": reverse("candidate-list"),
            "candidate": reverse("candidate-detail", args=[0]).replace("/0/", "/{id}/"),
            "accept": reverse("candidate-accept", args=[0]).replace("/0/", "/{id}/"),
            "reject": reverse("candidate-reject", args=[0]).replace("/0/", "/{id}/"),
            "reopen": reverse("candidate-reopen", args=[0]).replace("/0/", "/{id}/"),
        },
        "csrf_token": get_token(request),
        "can_annotate": selectors.can(user=request.user, project=project, capability=Capability.ANNOTATE),
    }
    return render(request, "counting/stage1_video.html", {"video": video, "project": project, "data": data})


@login_required
def workspace_page(request, pk: int):
    """Stages 2 and 3 of one question: the annotation workspace (a React island over the question-docs API)."""

    question = get_object_or_404(Question.objects.select_related("video__project").prefetch_related("clues"), pk=pk)
    project, _ = project_for_page(request, question.video.project_id)
    hide_blind(question, request.user)
    proposals.ensure(question=question)
    video = VideoSerializer(question.video).data
    data = {
        "question": workspace.doc_for(question, request.user),
        "video": {key: video[key] for key in (
            "id", "title", "duration", "fps", "frame_count", "width", "height", "has_audio", "proxy_url", "peaks_url",
            "spectrogram_url", "thumbnails_url", "thumbnails_index", "frame_url_template")},
        "urls": {
            "save": reverse("questiondoc-detail", args=[question.pk]),
            "submit": reverse("questiondoc-submit", args=[question.pk]),
            "next": reverse("workspace-next", args=[project.pk]),
            "take_over": reverse("questiondoc-take-over", args=[question.pk]),
            "comments": reverse("comment-list"),
            "comment_resolve": reverse("comment-resolve", args=[0]).replace("/0/", "/{id}/"),
            # Event clue proposals (annotator assistance): GET the list; managers POST to compute them again.
            "proposals": reverse("questiondoc-proposals", args=[question.pk]),
            "proposal_request": reverse("questiondoc-request-proposals", args=[question.pk]),
            # Click-to-box (for object and attribute questions, when a segmentation model is set up; offered
            # whatever the category now, which the page may change): POST a point, then poll the job it answers.
            **({"click_box": reverse("questiondoc-click-box", args=[question.pk]),
                "job": reverse("job-detail", args=[0]).replace("/0/", "/{id}/")}
               if detectors.interactive_missing() is None else {}),
        },
        # Why click-to-box is not offered (no segmentation model set up), for the page to say when c is pressed.
        "click_box_missing": detectors.interactive_missing() or "",
        **hooks.workspace_extras(question=question, request=request),
        # The project's vocabulary: the names offered when a cluster is made.
        "labels": project_settings.vocabulary(project.settings),
        "csrf_token": get_token(request),
        "can_annotate": selectors.can(user=request.user, project=project, capability=Capability.ANNOTATE),
    }
    return render(request, "counting/workspace.html", {"question": question, "project": project, "data": data})


@login_required
def workspace_next(request, pk: int):
    """The next question for this annotator (theirs first, never one someone else holds)."""

    project, _ = project_for_page(request, pk, Capability.ANNOTATE)
    question = workspace.next_question(project=project, user=request.user)
    if question is None:
        messages.info(request, "No question is waiting for stages 2 and 3 in this project.")
        return redirect("project-home", pk=project.pk)
    return redirect("workspace", pk=question.pk)


def hide_blind(question: Question, user) -> None:
    """404 for a question that double annotation keeps from this user (a second pass of their own question, the
    first pass of a second pass they are making...: see ``hooks.hidden_questions``)."""
    if not workspace.may_see(question, user=user):
        raise Http404("no such question")


@login_required
def question_history(request, pk: int):
    """Every recorded change of a question, newest first; managers restore an earlier state."""

    question = get_object_or_404(Question.objects.select_related("video__project"), pk=pk)
    project, _ = project_for_page(request, question.video.project_id)
    hide_blind(question, request.user)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    if request.method == "POST":
        project_for_page(request, question.video.project_id, Capability.MANAGE)
        entry_id = request.POST.get("entry", "")
        if not entry_id.isdigit():
            messages.error(request, "Choose a recorded change to restore.")
            return redirect("question-history", pk=question.pk)
        entry = get_object_or_404(AuditEntry, pk=int(entry_id), target_type="question", target_id=question.pk)
        try:
            workspace.restore(question=question, entry=entry, user=request.user)
        except (Invalid, NotEditable) as exc:
            messages.error(request, f"That state cannot be restored: {exc}")
        else:
            messages.success(request, f"Restored the state before the change of {entry.at:%Y-%m-%d %H:%M:%S}.")
        return redirect("question-history", pk=question.pk)
    history = audit.history(target_type="question", target_id=question.pk)
    start = hooks.history_start(question=question, user=request.user)
    if start is not None:
        # A restarted second pass: its new annotator sees their own work only (the restart entry holds the
        # predecessor's count and clues).
        history = history.filter(at__gt=start)
    entries = [(e, question_changes(e.before, e.after)) for e in history]
    return render(request, "counting/question_history.html",
                  {"question": question, "project": project, "entries": entries, "can_manage": can_manage})
