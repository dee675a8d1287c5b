"""Writes for releases and submissions."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from annotation.projects.models import Project, ProjectKind
from benchmark.releases.errors import ReleaseError, public
from benchmark.releases.exporters import EXPORTERS
from benchmark.releases.manifest import MANIFEST, build_manifest, dump_manifest, file_table
from benchmark.releases.models import Release, ReleaseFile, ReleaseFormat, ReleaseState, Submission, SubmissionState
from benchmark.releases.scoring import ScoringError, evaluate_all
from pipeline.jobs.services import enqueue_job

SCHEMA_VERSION = {ReleaseFormat.CG_AV_COUNTING: "1", ReleaseFormat.R_AVST: "1", ReleaseFormat.HF_PARQUET: "1"}
KIND_FORMATS = {
    ProjectKind.COUNTING: {ReleaseFormat.CG_AV_COUNTING, ReleaseFormat.HF_PARQUET},
    ProjectKind.AVST: {ReleaseFormat.R_AVST, ReleaseFormat.HF_PARQUET},
}


def app_version() -> str:
    return getattr(settings, "CLUEBENCH_VERSION", "0.1.0")


def release_dir(release: Release) -> Path:
    return Path(settings.MEDIA_ROOT) / "releases" / str(release.project_id) / f"{release.format}-{release.version}"


def create_release(*, project: Project, version: str, format: str, metadata_only: bool = False,
                   selection: dict | None = None, user=None, dispatch: bool = True):
    """A new release row (pending) and its export job."""
    if format not in KIND_FORMATS[project.kind]:
        allowed = ", ".join(sorted(KIND_FORMATS[project.kind]))
        raise ReleaseError(f"a {project.get_kind_display()} project is released as {allowed}, not {format}")
    try:
        with transaction.atomic():
            release = Release.objects.create(
                project=project, version=version, format=format, metadata_only=metadata_only,
                selection=selection or {}, created_by=user,
            )
            job = enqueue_job(kind="export.release", project=project, target=release,
                              params={"release_id": release.pk}, dispatch=dispatch)
    except IntegrityError as exc:
        if "release_version_semver" in str(exc):
            raise ReleaseError(f"{version!r} is not a semantic version such as 1.0.0")
        if "release_unique_version" in str(exc):
            raise ReleaseError(f"{project.name} already has a {format} release {version}")
        raise
    return release, job


def export_release(release: Release) -> Release:
    """Write the release's files and manifest, then freeze it (rows in the database, files read-only)."""
    if release.state == ReleaseState.FROZEN:
        return release
    final = release_dir(release)
    staging = final.with_name(final.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    Release.objects.filter(pk=release.pk).update(state=ReleaseState.EXPORTING, error="")
    try:
        # One consistent snapshot of the rows, whatever people change while the files are written
        # (inside an outer transaction, as in tests and `release --wait`, that transaction's snapshot holds).
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            description = EXPORTERS[release.format](release, staging)
        manifest = build_manifest(
            staging, format=release.format, schema_version=SCHEMA_VERSION[release.format], app_version=app_version(),
            project=release.project.name, version=release.version, metadata_only=release.metadata_only, **description,
        )
        (staging / MANIFEST).write_bytes(dump_manifest(manifest))
        shutil.rmtree(final, ignore_errors=True)
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    table = file_table(final)
    with transaction.atomic():
        ReleaseFile.objects.filter(release=release).delete()
        ReleaseFile.objects.bulk_create(
            ReleaseFile(release=release, path=path, sha256=entry["sha256"], size_bytes=entry["bytes"])
            for path, entry in table.items()
        )
        Release.objects.filter(pk=release.pk).update(
            state=ReleaseState.FROZEN, manifest=manifest, path=str(final.relative_to(settings.MEDIA_ROOT)),
            frozen_at=timezone.now(),
        )
    for path in final.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    release.refresh_from_db()
    return release


# --- submissions --------------------------------------------------------------------------------------------------

TRUTH_FILES = {ReleaseFormat.CG_AV_COUNTING: "cg-av-counting.json", ReleaseFormat.R_AVST: "r-avst.json"}


def truth_path(release: Release) -> Path:
    return release_dir(release) / TRUTH_FILES[release.format]


def submission_dir(submission) -> Path:
    return Path(settings.MEDIA_ROOT) / "submissions" / str(submission.pk)


def submit_predictions(*, release: Release, model_name: str, upload, user=None, is_human_baseline: bool = False,
                       scored_indices: list[int] | None = None, dispatch: bool = True):
    """Store a predictions file for a frozen release and queue its scoring. A human baseline may be scored on
    part of the release only (`scored_indices`: the truth indices it answers)."""
    if release.state != ReleaseState.FROZEN:
        raise ReleaseError("predictions can be scored only against a frozen release")
    if release.format not in TRUTH_FILES:
        raise ReleaseError(f"{release.get_format_display()} releases are not scored; submit to the "
                           f"{' or '.join(sorted(TRUTH_FILES))} release")
    if not model_name.strip():
        raise ReleaseError("name the model whose predictions these are")
    if scored_indices is not None and not is_human_baseline:
        raise ReleaseError("only a human baseline is scored on part of a release")
    with transaction.atomic():
        submission = Submission.objects.create(
            release=release, model_name=model_name.strip(), submitted_by=user, is_human_baseline=is_human_baseline,
            scored_indices=scored_indices,
        )
        folder = submission_dir(submission)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "predictions.jsonl", "wb") as out:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 20), b""):
                out.write(chunk)
        submission.file.name = str((folder / "predictions.jsonl").relative_to(settings.MEDIA_ROOT))
        submission.save(update_fields=["file"])
        job = enqueue_job(kind="export.score_submission", project=release.project, target=submission,
                          params={"submission_id": submission.pk}, dispatch=dispatch)
    return submission, job


def score_submission(submission) -> None:
    """Score the predictions with the release's own truth file under every profile of its format. The "strict"
    metrics go to `metrics`, every profile's to `profile_metrics`; per-item scores (items.json: strict,
    items-<profile>.json) and the items on which the profiles disagree (disagreements.json) beside the file."""
    import json

    release = submission.release
    try:
        result = evaluate_all(
            format=release.format, truth_path=truth_path(release),
            predictions_path=Path(settings.MEDIA_ROOT) / submission.file.name, indices=submission.scored_indices,
            word_vectors=getattr(settings, "CLUEBENCH_AVST_WORD_VECTORS", "") or None,
        )
    except ScoringError as exc:
        type(submission).objects.filter(pk=submission.pk).update(state=SubmissionState.FAILED, error=public(str(exc)))
        raise ReleaseError(public(str(exc))) from None
    folder = submission_dir(submission)
    for profile, items in result["items"].items():
        (folder / f"items-{profile}.json").write_text(json.dumps(items), encoding="utf-8")
    (folder / "items.json").write_text(json.dumps(result["items"]["strict"]), encoding="utf-8")
    (folder / "disagreements.json").write_text(json.dumps(result["disagreements"]), encoding="utf-8")
    type(submission).objects.filter(pk=submission.pk).update(
        state=SubmissionState.SCORED, metrics=result["profiles"]["strict"]["metrics"],
        profile_metrics=result["profiles"], error="",
    )
