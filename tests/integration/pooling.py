"""Rows for the quality-control tests: a video, and questions already in the pool with their clues."""

from annotation.counting.models import Clue, Question, QuestionState
from pipeline.videos.models import Video


def make_video(project, title: str = "v", external_id: str = "", *, ready: bool = True) -> Video:
    """A processed video (as far as the database knows), or with ``ready`` False one imported as metadata."""
    media = {"status": "ready", "proxy": f"videos/proxy/{title}.mp4", "has_audio": True} if ready else {
        "status": "metadata"}
    return Video.objects.create(project=project, title=title, external_id=external_id, duration=60.0, fps=25.0,
                                frame_count=1500, width=1280, height=720, **media)


def pooled_question(video: Video, annotator, *, category: str = "event", text: str = "How many beeps?",
                    events=((10.0, 12.0), (20.0, 22.0)), boxes=(), modality: str = "A") -> Question:
    """A pooled question whose count is its clues': events as (start, end); boxes as (frame, x1, y1, x2, y2)
    or, for an attribute question, (cluster, frame, x1, y1, x2, y2)."""
    if category == "event":
        count = len(events)
    elif category == "object":
        count = len(boxes)
    else:
        count = len({b[0] for b in boxes})
    q = Question.objects.create(
        video=video, text=text, category=category, modality=modality, drafted_answer=count, ref_start=5.0,
        ref_end=40.0, final_start=5.0, final_end=40.0, state=QuestionState.POOLED, annotator=annotator,
        clusters=[{"name": name, "color": ""} for name in dict.fromkeys(b[0] for b in boxes)]
        if category == "attribute" else [],
    )
    if category == "event":
        Clue.objects.bulk_create(Clue(question=q, kind="event", start=s, end=e) for s, e in events)
    else:
        rows = []
        for box in boxes:
            cluster, (frame, x1, y1, x2, y2) = (box[0], box[1:]) if category == "attribute" else ("", box)
            rows.append(Clue(question=q, kind=category, frame_index=frame, timestamp=(frame + 0.5) / video.fps,
                             x1=x1, y1=y1, x2=x2, y2=y2, cluster=cluster))
        Clue.objects.bulk_create(rows)
    return q


def answered_question(video: Video, annotator, *, text: str = "How many beeps?") -> Question:
    """An answered event question with two clues and a count of 2, ready to submit."""
    q = Question.objects.create(video=video, text=text, category="event", modality="A", drafted_answer=2,
                                ref_start=5.0, ref_end=40.0, state=QuestionState.ANSWERED, annotator=annotator)
    Clue.objects.bulk_create([Clue(question=q, kind="event", start=10.0, end=12.0),
                              Clue(question=q, kind="event", start=20.0, end=22.0)])
    return q
