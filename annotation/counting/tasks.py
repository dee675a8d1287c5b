"""The counting app's tasks, thin: stage 1 (llm queue; the work is in annotation.counting.stage1), the event clue
proposals (media queue, or gpu with a CLAP model), the object clue proposals and a person's click-to-box (gpu queue);
the work is in annotation.counting.proposals."""

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
    report = proposals.run(question_id=question_id, kinds=(proposals.Category.EVENT,))
    progress(1, 1)
    return report


# Event clue proposals (annotator assistance): idempotent (undecided proposals are matched and updated in place,
# decided ones never come back), so safe to run twice. Acoustic only on the media queue; with a CLAP folder on gpu.
propose_event_clues = job_task(kind=proposals.KIND_ACOUSTIC, label="Assistance: propose event clues",
                               queue="media")(_propose_event_clues)
propose_event_clues_clap = job_task(kind=proposals.KIND_CLAP, label="Assistance: propose event clues (CLAP)",
                                    queue="gpu")(_propose_event_clues)


@job_task(kind=proposals.KIND_OBJECTS, label="Assistance: propose object clues", queue="gpu")
def propose_object_clues(job, progress, *, question_id: int):
    """Each distinct instance of the question's object, once, on its first clear appearance (idempotent like the
    event proposals)."""
    return proposals.run(question_id=question_id, progress=progress, kinds=proposals.BOX_KINDS)


@job_task(kind=proposals.KIND_CLICK, label="Assistance: box from a click", queue="gpu")
def click_box(job, progress, *, question_id: int, frame_index: int, x: float, y: float):
    """The box of the object a person clicked, as a proposal of the question (the person's page accepts it)."""
    progress(0, 1)
    return {"proposal": proposals.click_box(question_id=question_id, frame_index=frame_index, x=x, y=y, job=job)}
