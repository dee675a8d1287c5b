"""Pages of quality control: the queues, one review item, double annotation's next pass, agreement, quality per
annotator and the funnel. Thin: each asks the services and selectors and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from annotation.avst.documents import event_queryset
from annotation.counting.views import hide_blind
from annotation.counting.models import Category, Modality, QuestionState
from annotation.counting.workspace import clue_count
from annotation.projects import selectors
from annotation.projects.errors import AppError
from annotation.projects.models import ProjectKind
from annotation.projects.permissions import Capability
from annotation.projects.settings import SettingsInvalid
from annotation.projects.views import project_for_page
from annotation.review import agreement, comments, double, hooks, itempage, quality, sampling
from annotation.review import decisions as review
from annotation.review import selectors as selectors_review
from annotation.review import worktable
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from pipeline.videos.models import Video


@login_required
def review_queues(request, pk: int):
    """The project's quality-control queues; reviewers take the next item of one."""

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
    counts = selectors_review.queue_counts(project=project)
    # The queues of the project's kind (R-AVST has no arbitration or double annotation; counting no QA review),
    # and any other that holds items.
    own = {ReviewQueue.AUDIT, ReviewQueue.QA} if project.kind == ProjectKind.AVST else \
        {ReviewQueue.ARBITRATION, ReviewQueue.AUDIT, ReviewQueue.DOUBLE}
    rows = [(value, label, counts[value]) for value, label in ReviewQueue.choices
            if value in own or any(counts[value].values())]
    try:
        shares = sampling.shares(project=project)
    except SettingsInvalid as exc:
        shares = None
        messages.error(request, str(exc))
    return render(request, "review/review_queues.html", {
        "project": project, "rows": rows, "shares": shares,
        "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
    })


@login_required
def review_sample(request, pk: int):
    """Managers: top up the audit and double-annotation samples of every stratum (after a share changed)."""

    project, _ = project_for_page(request, pk, Capability.MANAGE)
    if request.method != "POST":
        return redirect("review-queues", pk=project.pk)
    try:
        created = sampling.backfill(project=project)
    except SettingsInvalid as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sampled {created[ReviewQueue.AUDIT]} question(s) for audit and "
                                  f"{created[ReviewQueue.DOUBLE]} for double annotation.")
    return redirect("review-queues", pk=project.pk)


@login_required
def double_next(request, pk: int):
    """Annotators and up: take the next question to annotate a second time, blind, and open its second pass."""

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
    """One claimed item with the media under review: the question's video with its clues drawn (or the R-AVST
    event's sampled frames with its boxes), its clues against its count, what changed since the last decision,
    and the decision, by button or key. A double-annotation item shows only what its second annotator may see
    (no count, no clues), and their way to the second pass."""

    item = get_object_or_404(ReviewItem.objects.select_related("question__video", "event__video", "project"), pk=pk)
    project, _ = project_for_page(request, item.project_id, Capability.REVIEW)
    question = item.question
    double_item = item.queue == ReviewQueue.DOUBLE
    if question is not None and not double_item:
        hide_blind(question, request.user)
    if request.method == "POST":
        decision, comment = request.POST.get("decision", ""), request.POST.get("comment", "")
        try:
            time = comments.parse_seconds(request.POST.get("comment_time", ""))
            review.decide(item=item, user=request.user, decision=decision, comment=comment, comment_time=time)
        except AppError as exc:
            messages.error(request, str(exc))
            return redirect("review-item", pk=item.pk)
        item.refresh_from_db()
        if item.question_id:
            subject = f"question #{item.question_id}"
        elif item.event_id:
            subject = f"event #{item.event_id}"
        else:
            subject = "the item"
        messages.success(request, f"Decided. {item.decision_label}: {subject}.")
        return redirect("review-queues", pk=project.pk)

    clues = list(question.clues.all()) if question and not double_item else []
    second = double.second_pass_of(item) if double_item and question else None
    event = event_queryset().get(pk=item.event_id) if item.event_id else None
    if question is not None:
        media = itempage.question_media(question, blind=double_item)
        since = None if double_item else itempage.question_since_decision(question)
    elif event is not None:
        media, since = itempage.event_media(event), itempage.event_since_accept(item, event)
    else:
        media = since = None
    return render(request, "review/review_item.html", {
        "item": item, "project": project, "question": question,
        "clue_count": clue_count(question, clues) if question and not double_item else 0,
        "mine": item.claimed_by_id == request.user.pk,
        "double_item": double_item,
        # The claimer's way to their blind second pass; the agreement once it is submitted.
        "second_pass": second if second is not None and second.annotator_id == request.user.pk else None,
        "agreement": item.result if double_item and item.state == ReviewState.DONE else None,
        # The first pass's comments could tell its count: not on a double-annotation item.
        "question_comments": comments.for_question(question=question) if question and not double_item else [],
        "event": event,
        "event_comments": comments.for_event(event=event) if event is not None else [],
        "media": media, "since": since, "tally": itempage.event_tally(media) if event is not None else None,
    })


@login_required
def agreement_page(request, pk: int):
    """Double annotation's agreement (reviewers and managers): per pair, per annotator and for the project, and
    the frozen CG-AV-Counting releases a manager builds the human baseline of."""

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    return render(request, "review/agreement.html", {
        "project": project, "pairs": agreement.pairs(project=project, viewer=request.user),
        "people": agreement.per_annotator(project=project), "total": agreement.project_agreement(project=project),
        "releases": hooks.baseline_releases(project=project),
        "can_manage": selectors.can(user=request.user, project=project, capability=Capability.MANAGE),
    })


@login_required
def quality_page(request, pk: int):
    """Per-annotator throughput, arbitration rate, audit outcomes and agreement (reviewers and managers)."""

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    return render(request, "review/quality.html", {
        "project": project, "rows": quality.annotator_quality(project=project), "mine": False,
        "gap_minutes": int(quality.SESSION_GAP.total_seconds() // 60),
        "allowance_minutes": int(quality.SESSION_ALLOWANCE.total_seconds() // 60),
    })


@login_required
def my_quality_page(request, pk: int):
    """The quality page's row of the member looking at it."""

    project, _ = project_for_page(request, pk)
    return render(request, "review/quality.html", {
        "project": project, "rows": quality.annotator_quality(project=project, user=request.user), "mine": True,
        "can_review": selectors.can(user=request.user, project=project, capability=Capability.REVIEW),
        "gap_minutes": int(quality.SESSION_GAP.total_seconds() // 60),
        "allowance_minutes": int(quality.SESSION_ALLOWANCE.total_seconds() // 60),
    })


@login_required
def funnel_page(request, pk: int):
    """How many items reached each step of the project's pipeline (reviewers and managers)."""

    project, _ = project_for_page(request, pk, Capability.REVIEW)
    return render(request, "review/funnel.html", {"project": project, "steps": quality.funnel(project=project)})


#: What a bulk action did, for its message ("Rejected 3 questions.").
BULK_DONE = {"reassign": "Reassigned", "return": "Returned to their annotator", "reject": "Rejected",
             "reopen": "Reopened"}


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else text


@login_required
def question_table(request, pk: int):
    """The project's questions in a table: filters, search, sorting, pages; managers act on a selection."""
    project, _ = project_for_page(request, pk, Capability.REVIEW)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    if request.method == "POST":
        project_for_page(request, pk, Capability.MANAGE)
        ids = [int(v) for v in request.POST.getlist("question") if v.isdigit()]
        annotator = request.POST.get("annotator", "")
        action = request.POST.get("action", "")
        try:
            result = worktable.bulk(project=project, ids=ids, action=action, user=request.user,
                                    annotator_id=int(annotator) if annotator.isdigit() else None,
                                    reason=request.POST.get("reason", ""))
        except AppError as exc:
            errors = getattr(exc, "errors", None) or {"": str(exc)}
            for problem in errors.values():
                messages.error(request, f"Nothing was done: {_sentence(problem)}")
            # The choice is kept for the next try: the ticked questions, the action and its fields.
            request.session["bulk_form"] = {"project": project.pk, "ids": ids, "action": action,
                                            "annotator": annotator, "reason": request.POST.get("reason", "")}
        else:
            if result.done:
                n = len(result.done)
                messages.success(request, f"{BULK_DONE.get(action, action)} {n} question{'s' if n != 1 else ''}.")
            for pk_skipped, why in result.skipped[:10]:
                messages.warning(request, f"Question {pk_skipped} skipped: {why}.")
        return redirect(f"{reverse('question-table', args=[project.pk])}?{request.POST.get('query', '')}")
    kept = request.session.pop("bulk_form", None) or {}
    if kept.get("project") != project.pk:
        kept = {}
    filters = worktable.Filters.from_query(request.GET)
    for name, problem in filters.errors.items():
        messages.error(request, f"{name}: {problem}")
    rows = worktable.questions(project=project, filters=worktable.Filters()) if filters.errors else \
        worktable.questions(project=project, filters=filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    members, reviewers = worktable.people(project=project)
    query = request.GET.copy()
    query.pop("page", None)
    plain = query.copy()
    plain.pop("sort", None)
    return render(request, "review/question_table.html", {
        "project": project, "page": page, "filters": filters, "can_manage": can_manage, "members": members,
        "reviewers": reviewers, "query": query.urlencode(), "sortless": plain.urlencode(), "total": rows.count(),
        "states": QuestionState.choices, "categories": Category.choices, "modalities": Modality.choices,
        "videos": Video.objects.filter(project=project).order_by("title", "id"), "actions": worktable.ACTIONS,
        "kept": kept, "kept_ids": set(kept.get("ids", [])),
        "columns": [("id", "#"), ("video", "Video"), (None, "Question"), ("category", "Category"),
                    ("count", "Count"), ("state", "State"), ("annotator", "Annotator"), ("updated", "Changed"),
                    (None, "Comments")],
    })
