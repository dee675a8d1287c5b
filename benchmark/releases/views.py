"""Pages of releases and the leaderboard. Thin: services write, selectors and stats read."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header

from annotation.projects import selectors
from annotation.projects.permissions import Capability
from annotation.projects.views import project_for_page
from annotation.review import double
from benchmark.releases import baseline, services
from benchmark.releases import selectors as release_selectors
from benchmark.releases.errors import ReleaseError, public
from benchmark.releases.models import Release, ReleaseFormat, ReleaseState, Submission, SubmissionState
from benchmark.releases.selectors import metric
from benchmark.releases.services import KIND_FORMATS, release_dir, truth_path
from benchmark.releases.stats import release_stats
from benchmark.releases.zipstream import zip_folder

LEADERBOARD_COLUMNS = {
    ReleaseFormat.CG_AV_COUNTING: [
        ("long_acc/acc", "Long acc"), ("long_acc/oboa", "Long OBOA"), ("long_acc/mae", "Long MAE"),
        ("long_acc/rmse", "Long RMSE"), ("ref_acc/acc", "Ref acc"), ("ref_acc/oboa", "Ref OBOA"),
        ("ref_acc/mae", "Ref MAE"), ("ref_acc/rmse", "Ref RMSE"), ("clue_acc/wcs", "WCS"), ("clue_acc/ifa", "IFA"),
    ],
    ReleaseFormat.R_AVST: [
        ("AVTR/m_tIoU", "AVTR m_tIoU"), ("AVTR/R1@0.5", "AVTR R1@0.5"), ("AVSR/obj_acc", "AVSR Obj acc"),
        ("AVSR/m_vIoU", "AVSR m_vIoU"), ("AVSR/AP@0.5", "AVSR AP@0.5"), ("AVSTR/m_tIoU", "AVSTR m_tIoU"),
        ("AVSTR/m_vIoU", "AVSTR m_vIoU"), ("AVSTR/AP@0.5", "AVSTR AP@0.5"),
    ],
}


def _release_for_page(request, pk: int, capability=Capability.VIEW) -> Release:
    release = get_object_or_404(Release.objects.select_related("project"), pk=pk)
    project_for_page(request, release.project_id, capability)
    return release


@login_required
def project_releases(request, pk: int):
    project, _ = project_for_page(request, pk)
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    if request.method == "POST":
        project_for_page(request, pk, Capability.MANAGE)
        try:
            release, _ = services.create_release(
                project=project, version=request.POST.get("version", "").strip(), format=request.POST.get("format", ""),
                metadata_only=bool(request.POST.get("metadata_only")),
                selection={"split": request.POST["split"]} if request.POST.get("split") else {}, user=request.user,
            )
        except ReleaseError as exc:
            messages.error(request, str(exc))
            return redirect("project-releases", pk=project.pk)
        messages.success(request, f"Release {release.version} is being exported; it freezes when done.")
        return redirect("release", pk=release.pk)
    releases = Release.objects.filter(project=project).order_by("-created_at")
    formats = [(value, ReleaseFormat(value).label) for value in sorted(KIND_FORMATS[project.kind])]
    return render(request, "releases/project_releases.html",
                  {"project": project, "releases": releases, "can_manage": can_manage, "formats": formats})


@login_required
def release_detail(request, pk: int):
    release = _release_for_page(request, pk)
    project = release.project
    can_manage = selectors.can(user=request.user, project=project, capability=Capability.MANAGE)
    if request.method == "POST":
        _release_for_page(request, pk, Capability.MANAGE)
        upload = request.FILES.get("predictions")
        if upload is None:
            messages.error(request, "Choose a predictions file (JSON Lines).")
        else:
            try:
                services.submit_predictions(
                    release=release, model_name=request.POST.get("model_name", ""), upload=upload, user=request.user,
                    is_human_baseline=bool(request.POST.get("is_human_baseline")),
                )
            except ReleaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Predictions received; scoring runs on the export queue.")
        return redirect("release", pk=release.pk)
    charts = []
    if release.state == ReleaseState.FROZEN and release.format in services.TRUTH_FILES:
        charts = release_stats(format=release.format, path=truth_path(release))
    columns = LEADERBOARD_COLUMNS.get(release.format, [])
    profile, profiles = release_selectors.profile_choice(release=release, requested=request.GET.get("profile"))
    rows = release_selectors.leaderboard(release=release, profile=profile, columns=columns)
    return render(request, "releases/release_detail.html", {
        "release": release, "project": project, "can_manage": can_manage, "charts": charts,
        "chart_data": release_selectors.charts_payload(stats=charts, columns=columns, rows=rows, profile=profile),
        "release_error": public(release.error),
        "counts": release_selectors.headline_counts(release=release),
        "files": release.files.order_by("path"), "columns": columns, "rows": rows,
        "profile": profile, "profiles": profiles,
        "scorable": release.format in services.TRUTH_FILES,
        "baseline_buildable": release.format == ReleaseFormat.CG_AV_COUNTING and release.state == ReleaseState.FROZEN,
    })


@login_required
def release_human_baseline(request, pk: int):
    """Managers: score the release's questions' second passes (double annotation) as the human baseline."""
    release = _release_for_page(request, pk, Capability.MANAGE)
    if request.method == "POST":
        try:
            baseline.build_human_baseline(release=release, user=request.user)
        except ReleaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Human baseline built from the second passes; scoring runs on the export queue.")
    return redirect("release", pk=release.pk)


@login_required
def release_zip(request, pk: int):

    release = _release_for_page(request, pk)
    if double.blind_in(project=release.project, user=request.user):
        raise PermissionDenied("finish your double-annotation item first: a release holds the first pass's answers")
    if release.state != ReleaseState.FROZEN:
        raise Http404("the release is not exported yet")
    name = f"{release.project.name}-{release.format}-{release.version}"
    response = StreamingHttpResponse(zip_folder(release_dir(release), prefix=name), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.zip")
    return response


@login_required
def submission_detail(request, pk: int):
    submission = get_object_or_404(Submission.objects.select_related("release__project"), pk=pk)
    project_for_page(request, submission.release.project_id)
    release = submission.release
    columns = LEADERBOARD_COLUMNS.get(release.format, [])
    breakdown, side_by_side, profile_errors, disagreements, n_disagreements = [], [], [], [], 0
    _, profiles = release_selectors.profile_choice(release=release, requested=None)
    names = [name for name, _ in profiles]
    if submission.state == SubmissionState.SCORED:
        if release.format == ReleaseFormat.CG_AV_COUNTING:
            breakdown = sorted((k, v) for k, v in submission.metrics.items() if k.startswith(("by_category/", "by_type/")))
        results = {name: release_selectors.profile_result(submission=submission, profile=name) for name in names}
        for key, label in columns:
            cells = []
            for name in names:
                value = metric(results[name]["metrics"], key)
                published = metric(results[name].get("published"), key)
                cells.append((value, published if published is not None and published != value else None))
            side_by_side.append((label, cells))
        profile_errors = [(name, mode, text) for name in names for mode, text in results[name].get("errors", {}).items()]
        disagreements, n_disagreements = release_selectors.disagreements(submission=submission)
    return render(request, "releases/submission_detail.html", {
        "submission": submission, "release": release, "project": release.project,
        "profiles": profiles, "side_by_side": side_by_side, "profile_errors": profile_errors,
        "disagreements": disagreements, "n_disagreements": n_disagreements,
        "breakdown": breakdown,
        "worst": release_selectors.worst_items(submission=submission) if submission.state == SubmissionState.SCORED else [],
    })
