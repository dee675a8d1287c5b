"""The export queue's tasks: thin wrappers over benchmark.releases.services."""

from benchmark.releases.errors import ReleaseError, public
from benchmark.releases.models import Release, ReleaseState, Submission, SubmissionState
from benchmark.releases.services import export_release as export
from benchmark.releases.services import score_submission as score
from pipeline.jobs.base import JobFailure, job_task


class ExportFailed(JobFailure):
    pass


@job_task(kind="export.release", label="Export and freeze a release", queue="export")
def export_release(job, progress, *, release_id: int):
    """Write the release's files and manifest, then freeze it. Safe to run again until it is frozen."""
    release = Release.objects.select_related("project").get(pk=release_id)
    progress(0, 1)
    try:
        export(release)
    except ReleaseError as exc:
        Release.objects.filter(pk=release_id).exclude(state=ReleaseState.FROZEN).update(
            state=ReleaseState.FAILED, error=public(str(exc))
        )
        raise ExportFailed(str(exc)) from None
    except Exception as exc:
        Release.objects.filter(pk=release_id).exclude(state=ReleaseState.FROZEN).update(
            state=ReleaseState.FAILED, error=public(f"{type(exc).__name__}: {exc}")
        )
        raise
    progress(1, 1)


@job_task(kind="export.score_submission", label="Score a submission", queue="export")
def score_submission(job, progress, *, submission_id: int):
    """Score a predictions file against its release with the public evaluators' rules."""
    submission = Submission.objects.select_related("release__project").get(pk=submission_id)
    try:
        score(submission)
    except ReleaseError as exc:
        raise ExportFailed(str(exc)) from None
    except Exception as exc:
        Submission.objects.filter(pk=submission_id).update(
            state=SubmissionState.FAILED, error=public(f"scoring failed: {type(exc).__name__}: {exc}")
        )
        raise
