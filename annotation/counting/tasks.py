"""The counting app's tasks, thin: stage 1 (llm queue; the work is in annotation.counting.stage1) and the event clue
proposals (media queue, or gpu with a CLAP model; the work is in annotation.counting.proposals)."""

from annotation.counting import proposals
from annotation.counting.stage1 import propose_questions as propose
from pipeline.jobs.base import job_task
from pipeline.videos.models import Video


@job_task(kind="llm.propose_questions", label="Stage 1: propose questions with the LLM", queue="llm")
def propose_questions(job, progress, *, video_id: int):
    """Ask the project's LLM for candidate counting questions for one video (cached; see annotation/counting/stage1.py)."""
    video = Video.objects.select_related("project").get(pk=video_id)
    progress(0, 1)
    report = propose(video=video)
    progress(1, 1)
    return {"created": report.created, "duplicates": report.duplicates, "cached": report.cached}


def _propose_event_clues(job, progress, *, question_id: int):
    progress(0, 1)
    report = proposals.run(question_id=question_id)
    progress(1, 1)
    return report


# Event clue proposals (annotator assistance): idempotent (undecided proposals are matched and updated in place,
# decided ones never come back), so safe to run twice. Acoustic only on the media queue; with a CLAP folder on gpu.
propose_event_clues = job_task(kind=proposals.KIND_ACOUSTIC, label="Assistance: propose event clues",
                               queue="media")(_propose_event_clues)
propose_event_clues_clap = job_task(kind=proposals.KIND_CLAP, label="Assistance: propose event clues (CLAP)",
                                    queue="gpu")(_propose_event_clues)
