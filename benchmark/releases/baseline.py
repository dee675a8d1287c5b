"""The human baseline of a CG-AV-Counting release, from double annotation.

The second passes of the release's questions are written as a model's predictions would be (the count for
``long_acc`` and ``ref_acc``, the clues as a white-box answer for ``clue_acc``, see
``benchmark.metrics.agreement.second_pass_answer``), submitted as a human-baseline submission and scored by
the same scorer as any model, on exactly the questions that have a finished second pass ("n of N").

A release records its questions, not their database rows: an item is matched to the pooled question with the
same video, text, category and type (and, where that still leaves two, the same query interval). A question
whose text changed after the release is not matched, and is left out of the baseline.
"""

from __future__ import annotations

import json

from django.core.files.base import ContentFile

from annotation.counting.clues import clue_list
from annotation.counting.models import Question, QuestionState
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from benchmark.formats import cgav
from benchmark.metrics import agreement
from benchmark.releases.errors import ReleaseError
from benchmark.releases.exporters import video_file_name
from benchmark.releases.models import Release, ReleaseFormat, ReleaseState
from benchmark.releases.services import submit_predictions, truth_path

MODEL_NAME = "Human (double annotation)"
COUNT_MODES = ("long_acc", "ref_acc")


def _key(video: str, text: str, category: str, modality: str) -> tuple:
    return (video, text, category, modality)


def second_passes_of_release(*, release: Release, truth: list[dict]) -> list[tuple[int, Question]]:
    """(truth index, finished second pass) for each release item whose question was annotated twice."""
    done = ReviewItem.objects.filter(project=release.project, queue=ReviewQueue.DOUBLE, state=ReviewState.DONE,
                                     decision="agreement").values("question_id")
    seconds = (
        Question.objects.filter(state=QuestionState.SECOND_PASS, second_pass_of__in=done)
        .select_related("video", "second_pass_of__video")
        .prefetch_related("clues")
    )
    by_key: dict[tuple, list[Question]] = {}
    for second in seconds:
        first = second.second_pass_of
        key = _key(video_file_name(first.video), first.text, first.category, first.modality)
        by_key.setdefault(key, []).append(second)
    matched, used = [], set()
    for index, item in enumerate(truth):
        found = [s for s in by_key.get(_key(item["video"], item["question"], item["category"], item["type"]), [])
                 if s.pk not in used]
        if len(found) > 1:
            found = [s for s in found if s.second_pass_of.final_start is not None
                     and [cgav.seconds(s.second_pass_of.final_start), cgav.seconds(s.second_pass_of.final_end)]
                     == item["query_interval"]]
        if len(found) == 1:
            used.add(found[0].pk)
            matched.append((index, found[0]))
    return matched


def predictions(*, truth: list[dict], matched: list[tuple[int, Question]]) -> list[dict]:
    """The prediction lines of the matched second passes, in the scorer's JSON Lines records."""
    lines = []
    for index, second in matched:
        item = truth[index]
        for mode in COUNT_MODES:
            lines.append({"index": index, "task_mode": mode, "prediction": str(second.drafted_answer)})
        answer = agreement.second_pass_answer(item["category"], item["clue"], clue_list(second), fps=second.video.fps)
        lines.append({"index": index, "task_mode": "clue_acc", "prediction": answer})
    return lines


def build_human_baseline(*, release: Release, user=None, dispatch: bool = True):
    """A human-baseline submission of the release from its questions' second passes, queued for scoring."""
    if release.format != ReleaseFormat.CG_AV_COUNTING:
        raise ReleaseError("a human baseline from double annotation is built for a CG-AV-Counting release")
    if release.state != ReleaseState.FROZEN:
        raise ReleaseError("the release is not frozen yet")
    try:
        truth = cgav.load(truth_path(release))
    except (cgav.FormatError, OSError) as exc:
        raise ReleaseError(f"the release's questions cannot be read: {exc}") from None
    matched = second_passes_of_release(release=release, truth=truth)
    if not matched:
        raise ReleaseError(f"none of the release's {len(truth)} questions has a finished second pass")
    lines = predictions(truth=truth, matched=matched)
    data = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")
    return submit_predictions(
        release=release, model_name=MODEL_NAME, upload=ContentFile(data, name="predictions.jsonl"), user=user,
        is_human_baseline=True, scored_indices=[index for index, _ in matched], dispatch=dispatch,
    )


def coverage(*, submission) -> tuple[int, int] | None:
    """(questions scored, questions in the release) of a human baseline scored on part of its release."""
    if submission.scored_indices is None:
        return None
    counts = (submission.release.manifest or {}).get("counts", {})
    return len(submission.scored_indices), counts.get("questions", len(submission.scored_indices))
