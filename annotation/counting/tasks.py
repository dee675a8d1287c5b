"""The stage 1 task (llm queue): thin, the work is in annotation.counting.stage1."""

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
