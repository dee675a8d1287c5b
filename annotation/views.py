"""Pages of the annotation app. Thin: each asks the selectors and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from annotation import sampling, selectors
from annotation.models import CandidateQuestion, Membership, Project, Question, Role, Video
from annotation.permissions import Capability
from annotation.serializers import CandidateQuestionSerializer, VideoSerializer


def project_for_page(request, pk: int, capability: Capability = Capability.VIEW) -> tuple[Project, str]:
    """The project and the user's role; 404 for a non-member (whatever the project's existence), 403 for a member
    whose role is too low."""
    project = get_object_or_404(Project, pk=pk)
    role = selectors.role_of(user=request.user, project=project)
    if not selectors.can(user=request.user, project=project, capability=Capability.VIEW):
        raise Http404("no such project")
    if not selectors.can(user=request.user, project=project, capability=capability):
        raise PermissionDenied(f"your role in {project.name} does not allow this page")
    return project, role


@login_required
def home(request):
    projects = selectors.projects_for(user=request.user)
    roles = dict(Membership.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = [(project, roles.get(project.pk, Role.MANAGER if request.user.is_superuser else None)) for project in projects]
    return render(request, "annotation/home.html", {"rows": rows})


@login_required
def project_home(request, pk: int):
    project, role = project_for_page(request, pk)
    summary = selectors.project_summary(project=project)
    members = project.memberships.select_related("user").order_by("role", "user__username")
    return render(
        request,
        "annotation/project_home.html",
        {
            "project": project,
            "role": role,
            "role_label": Role(role).label,
            "summary": summary,
            "members": members,
            "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
            "can_review": selectors.can(user=request.user, project=project, capability=Capability.REVIEW),
        },
    )


@login_required
def project_videos(request, pk: int):
    project, role = project_for_page(request, pk)
    videos = Video.objects.filter(project=project).order_by("-created_at", "-id")
    return render(
        request,
        "annotation/project_videos.html",
        {
            "project": project,
            "videos": videos,
            "can_upload": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
            "upload_url": reverse("video-list"),
        },
    )


@login_required
def video_detail(request, pk: int):
    video = get_object_or_404(Video.objects.select_related("project"), pk=pk)
    project_for_page(request, video.project_id)
    data = VideoSerializer(video).data
    return render(request, "annotation/video_detail.html", {"video": video, "project": video.project, "data": data})


@login_required
def stage1_overview(request, pk: int):
    """Stage 1 for a project: per video, how many candidates await a decision; managers start the LLM here."""
    from pipeline.llm_runtime import llm_status
    from pipeline.services import JobError, start_stage1

    project, role = project_for_page(request, pk)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    status = llm_status(project)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("only a manager starts stage 1")
        if not status.configured:
            messages.error(request, status.message)
        else:
            chosen = [int(v) for v in request.POST.getlist("video") if v.isdigit()]
            try:
                jobs, skipped = start_stage1(project=project, video_ids=chosen or None)
            except JobError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"Stage 1 queued for {len(jobs)} video(s); follow it on the Jobs page.")
                for reason in skipped:
                    messages.warning(request, f"Skipped {reason}.")
        return redirect("stage1", pk=project.pk)
    videos = selectors.stage1_videos(project=project)
    return render(
        request,
        "annotation/stage1_overview.html",
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
        },
        "csrf_token": get_token(request),
        "can_annotate": selectors.can(user=request.user, project=project, capability=Capability.ANNOTATE),
    }
    return render(request, "annotation/stage1_video.html", {"video": video, "project": project, "data": data})


@login_required
def llm_spend(request, pk: int):
    """What the project's LLM calls cost, and which failed and why (managers)."""
    from pipeline.llm_runtime import llm_status
    from pipeline.stage1 import spend

    project, _ = project_for_page(request, pk, Capability.MANAGE)
    return render(
        request, "annotation/llm_spend.html", {"project": project, "spend": spend(project), "llm": llm_status(project)}
    )


@login_required
def workspace_page(request, pk: int):
    """Stages 2 and 3 of one question: the annotation workspace (a React island over the question-docs API)."""
    from annotation import comments, workspace
    from annotation.serializers import CommentSerializer

    question = get_object_or_404(Question.objects.select_related("video__project").prefetch_related("clues"), pk=pk)
    project, _ = project_for_page(request, question.video.project_id)
    _hide_blind(question, request.user)
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
            "comments": reverse("comment-list"),
            "comment_resolve": reverse("comment-resolve", args=[0]).replace("/0/", "/{id}/"),
        },
        "comments": CommentSerializer(comments.for_question(question=question).select_related("project"), many=True,
                                      context={"request": request}).data,
        "can_comment": comments.may_comment(user=request.user, question=question),
        "csrf_token": get_token(request),
        "can_annotate": selectors.can(user=request.user, project=project, capability=Capability.ANNOTATE),
    }
    return render(request, "annotation/workspace.html", {"question": question, "project": project, "data": data})


@login_required
def workspace_next(request, pk: int):
    """The next question for this annotator (theirs first, never one someone else holds)."""
    from annotation import workspace

    project, _ = project_for_page(request, pk, Capability.ANNOTATE)
    question = workspace.next_question(project=project, user=request.user)
    if question is None:
        messages.info(request, "No question is waiting for stages 2 and 3 in this project.")
        return redirect("project-home", pk=project.pk)
    return redirect("workspace", pk=question.pk)


def _hide_blind(question: Question, user) -> None:
    """404 for a question double annotation keeps from this user (a second pass of their own question, the first
    pass of a second pass they are making...: see annotation.double)."""
    from annotation import double

    if not double.may_see(question, user=user):
        raise Http404("no such question")


def _changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    keys = sorted(set(before or {}) | set(after or {}))
    return [(k, (before or {}).get(k), (after or {}).get(k)) for k in keys
            if (before or {}).get(k) != (after or {}).get(k) and k != "version"]


@login_required
def question_history(request, pk: int):
    """Every recorded change of a question, newest first; managers restore an earlier state."""
    from annotation import audit, double, workspace
    from annotation.models import AuditEntry

    question = get_object_or_404(Question.objects.select_related("video__project"), pk=pk)
    project, _ = project_for_page(request, question.video.project_id)
    _hide_blind(question, request.user)
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
        except (workspace.InvalidDoc, workspace.NotEditable) as exc:
            messages.error(request, f"That state cannot be restored: {exc}")
        else:
            messages.success(request, f"Restored the state before the change of {entry.at:%Y-%m-%d %H:%M:%S}.")
        return redirect("question-history", pk=question.pk)
    history = audit.history(target_type="question", target_id=question.pk)
    start = double.history_start(question, user=request.user)
    if start is not None:
        # A restarted second pass: its new annotator sees their own work only (the restart entry holds the
        # predecessor's count and clues).
        history = history.filter(at__gt=start)
    entries = [(e, _changes(e.before, e.after)) for e in history]
    return render(request, "annotation/question_history.html",
                  {"question": question, "project": project, "entries": entries, "can_manage": can_manage})


@login_required
def review_queues(request, pk: int):
    """The project's quality-control queues; reviewers take the next item of one."""
    from annotation import review
    from annotation.models import ReviewItem, ReviewQueue, ReviewState

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    if request.method == "POST":
        queue = request.POST.get("queue", "")
        if queue not in ReviewQueue.values:
            messages.error(request, "Choose a queue.")
            return redirect("review-queues", pk=project.pk)
        item = review.claim_next(project=project, queue=queue, user=request.user)
        if item is None:
            messages.info(request, f"Nothing waits in the {ReviewQueue(queue).label.lower()} queue for you.")
            return redirect("review-queues", pk=project.pk)
        return redirect("review-item", pk=item.pk)
    counts = {
        queue: {state: ReviewItem.objects.filter(project=project, queue=queue, state=state).count()
                for state in ReviewState.values}
        for queue in ReviewQueue.values
    }
    rows = [(value, label, counts[value]) for value, label in ReviewQueue.choices]
    try:
        shares = sampling.shares(project=project)
    except sampling.SamplingError as exc:
        shares = None
        messages.error(request, str(exc))
    return render(request, "annotation/review_queues.html", {
        "project": project, "rows": rows, "shares": shares,
        "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
    })


@login_required
def review_sample(request, pk: int):
    """Managers: top up the audit and double-annotation samples of every stratum (after a share changed)."""
    from annotation.models import ReviewQueue

    project, _ = project_for_page(request, pk, Capability.MANAGE)
    if request.method != "POST":
        return redirect("review-queues", pk=project.pk)
    try:
        created = sampling.backfill(project=project)
    except sampling.SamplingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sampled {created[ReviewQueue.AUDIT]} question(s) for audit and "
                                  f"{created[ReviewQueue.DOUBLE]} for double annotation.")
    return redirect("review-queues", pk=project.pk)


@login_required
def double_next(request, pk: int):
    """Annotators and up: take the next question to annotate a second time, blind, and open its second pass."""
    from annotation import double, review
    from annotation.models import ReviewQueue

    project, _ = project_for_page(request, pk, Capability.ANNOTATE)
    if request.method != "POST":
        return redirect("project-home", pk=project.pk)
    item = review.claim_next(project=project, queue=ReviewQueue.DOUBLE, user=request.user)
    second = double.second_pass_of(item) if item is not None and item.question_id is not None else None
    if second is None:
        messages.info(request, "No question waits for a second annotation by you.")
        return redirect("project-home", pk=project.pk)
    return redirect("workspace", pk=second.pk)


@login_required
def review_item(request, pk: int):
    """One claimed item: the question, its clues against its count, and the decision. A double-annotation item
    shows only what its second annotator may see, and their way to the second pass."""
    from annotation import comments, double, review
    from annotation.models import ReviewItem, ReviewQueue, ReviewState

    item = get_object_or_404(ReviewItem.objects.select_related("question__video", "event__video", "project"), pk=pk)
    project, _ = project_for_page(request, item.project_id, Capability.REVIEW)
    question = item.question
    double_item = item.queue == ReviewQueue.DOUBLE
    if question is not None and not double_item:
        _hide_blind(question, request.user)
    if request.method == "POST":
        decision, comment = request.POST.get("decision", ""), request.POST.get("comment", "")
        try:
            # The reason of a send-back or a rejection reaches the annotator as a comment in the workspace
            # (audit decisions write theirs themselves).
            with transaction.atomic():
                time = comments.parse_seconds(request.POST.get("comment_time", ""))
                review.decide(item=item, user=request.user, decision=decision, comment=comment, comment_time=time)
                if item.queue == ReviewQueue.ARBITRATION and decision in ("send_back", "reject"):
                    comments.add_review_comment(item=item, user=request.user, text=comment, time=time)
        except (review.ReviewError, comments.CommentError, comments.NotAllowed) as exc:
            messages.error(request, str(exc))
            return redirect("review-item", pk=item.pk)
        messages.success(request, "Decided.")
        return redirect("review-queues", pk=project.pk)
    from annotation.workspace import clue_count

    clues = list(question.clues.all()) if question and not double_item else []
    second = double.second_pass_of(item) if double_item and question else None
    return render(request, "annotation/review_item.html", {
        "item": item, "project": project, "question": question,
        "clue_count": clue_count(question, clues) if question and not double_item else 0,
        "mine": item.claimed_by_id == request.user.pk,
        "double_item": double_item,
        # The claimer's way to their blind second pass; the agreement once it is submitted.
        "second_pass": second if second is not None and second.annotator_id == request.user.pk else None,
        "agreement": item.result if double_item and item.state == ReviewState.DONE else None,
        # The first pass's comments could tell its count: not on a double-annotation item.
        "question_comments": comments.for_question(question=question) if question and not double_item else [],
        "event": item.event,
        "event_comments": comments.for_event(event=item.event) if item.event_id else [],
    })


@login_required
def agreement_page(request, pk: int):
    """Double annotation's agreement (reviewers and managers): per pair, per annotator and for the project, and
    the frozen CG-AV-Counting releases a manager builds the human baseline of."""
    from annotation import agreement
    from benchmark.models import Release, ReleaseFormat, ReleaseState

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    releases = Release.objects.filter(project=project, format=ReleaseFormat.CG_AV_COUNTING,
                                      state=ReleaseState.FROZEN).order_by("-created_at")
    return render(request, "annotation/agreement.html", {
        "project": project, "pairs": agreement.pairs(project=project, viewer=request.user),
        "people": agreement.per_annotator(project=project), "total": agreement.project_agreement(project=project),
        "releases": releases,
        "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
    })


@login_required
def quality_page(request, pk: int):
    """Per-annotator throughput, arbitration rate, audit outcomes and agreement (reviewers and managers)."""
    from annotation import quality

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    return render(request, "annotation/quality.html", {
        "project": project, "rows": quality.annotator_quality(project=project), "mine": False,
        "gap_minutes": int(quality.SESSION_GAP.total_seconds() // 60),
        "allowance_minutes": int(quality.SESSION_ALLOWANCE.total_seconds() // 60),
    })


@login_required
def my_quality_page(request, pk: int):
    """The quality page's row of the member looking at it."""
    from annotation import quality

    project, _ = project_for_page(request, pk)
    return render(request, "annotation/quality.html", {
        "project": project, "rows": quality.annotator_quality(project=project, user=request.user), "mine": True,
        "can_review": selectors.can(user=request.user, project=project, capability=Capability.REVIEW),
        "gap_minutes": int(quality.SESSION_GAP.total_seconds() // 60),
        "allowance_minutes": int(quality.SESSION_ALLOWANCE.total_seconds() // 60),
    })


@login_required
def funnel_page(request, pk: int):
    """How many items reached each step of the project's pipeline (reviewers and managers)."""
    from annotation import quality

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    return render(request, "annotation/funnel.html", {"project": project, "steps": quality.funnel(project=project)})
