"""Reads of CG-AV-Counting: stage 1 per video, and the counting stages of a project's summary."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from annotation.counting import hooks
from annotation.counting.models import CandidateQuestion, Question, QuestionState
from annotation.projects.models import Decision, Project, ProjectKind
from annotation.projects.selectors import state_counts
from pipeline.videos.models import Video


def stage1_videos(*, project: Project) -> list[dict]:
    """The project's videos with their candidate counts per state, for the stage 1 overview."""
    counts = {}
    rows = CandidateQuestion.objects.filter(video__project=project).values_list("video_id", "state").annotate(n=Count("id"))
    for video_id, state, n in rows:
        counts.setdefault(video_id, {})[state] = n
    return [
        {"video": video, "counts": {value: counts.get(video.pk, {}).get(value, 0) for value in Decision.values}}
        for video in Video.objects.filter(project=project).order_by("title", "id")
    ]


def summary_sections(*, project: Project) -> list[dict]:
    """Stage 1 candidates and the questions of stages 2-3, per state (plugged into the project's summary)."""
    if project.kind != ProjectKind.COUNTING:
        return []
    return [
        {
            "key": "candidates",
            "title": "Stage 1: candidate questions",
            "states": state_counts(CandidateQuestion.objects.filter(video__project=project), "state", Decision.choices),
        },
        {
            "key": "questions",
            "title": "Stages 2-3: questions, answers and clues",
            # Second passes (double annotation) are not questions of the benchmark.
            "states": state_counts(
                Question.objects.filter(video__project=project).exclude(state=QuestionState.SECOND_PASS), "state",
                [c for c in QuestionState.choices if c[0] != QuestionState.SECOND_PASS],
            ),
        },
    ]


def hidden_jobs(*, user) -> Q:
    """The jobs of questions hidden from the user (plugged into the jobs app): a blind second annotator must not
    read the first pass's click-to-box jobs, whose point and box are its clues, nor the first annotator theirs."""
    hidden = Question.objects.filter(hooks.hidden_questions(user=user)).values("pk")
    return Q(target_type=ContentType.objects.get_for_model(Question), target_id__in=hidden)
