"""Reads of R-AVST: the counts of its pages, and its stages in a project's summary."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from annotation.avst.models import AVObject, BoxProposal, Event, QAPair
from annotation.projects.models import Decision, Project, ProjectKind
from annotation.projects.selectors import state_counts
from pipeline.videos.models import Video, VideoStatus


def overview(*, project: Project) -> dict:
    """The counts of the R-AVST overview page, in a handful of aggregate queries."""
    videos = Video.objects.filter(project=project)
    video_counts = videos.aggregate(
        total=Count("id"), kept=Count("id", filter=Q(filter_rule="")),
        ready=Count("id", filter=Q(filter_rule="", status=VideoStatus.READY)),
        metadata=Count("id", filter=Q(filter_rule="", status=VideoStatus.METADATA)),
    )
    event_counts = event_progress(Event.objects.filter(video__project=project, video__filter_rule=""))
    qa = dict(QAPair.objects.filter(video__project=project).values_list("task").annotate(n=Count("id")))
    removed = dict(videos.exclude(filter_rule="").values_list("filter_rule").annotate(n=Count("id")))
    groups = dict(videos.filter(filter_rule="").values_list("filter_group").annotate(n=Count("id")))
    return {"videos": video_counts, "events": event_counts, "qa": qa, "removed": removed, "groups": groups}


def with_progress(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with ``has_objects`` and ``has_boxes``, as subqueries: no join, so nothing grows with the boxes."""
    return events.annotate(
        has_objects=Exists(AVObject.objects.filter(event=OuterRef("pk"))),
        has_boxes=Exists(BoxProposal.objects.filter(avobject__event=OuterRef("pk"))),
    )


#: Analysed: by the LLM, or given objects by hand. Boxed: by the detector, or by a reviewer (where it has not run).
ANALYSED = Q(audibility_call__isnull=False) | Q(has_objects=True)
BOXED = Q(detected_at__isnull=False) | Q(has_boxes=True)


def event_progress(events: QuerySet[Event]) -> dict:
    """How many of ``events`` there are, are analysed, boxed and accepted (one query)."""
    return with_progress(events).aggregate(
        total=Count("id"), analysed=Count("id", filter=ANALYSED), detected=Count("id", filter=BOXED),
        accepted=Count("id", filter=Q(state=Decision.ACCEPTED)),
    )


def video_rows(*, project: Project):
    """Kept videos with per-video event counts for the overview's table."""
    return (
        Video.objects.filter(project=project, filter_rule="")
        .annotate(
            n_events=Count("events", distinct=True),
            n_accepted=Count("events", filter=Q(events__state=Decision.ACCEPTED), distinct=True),
            n_detected=Coalesce(Subquery(
                with_progress(Event.objects.filter(video=OuterRef("pk"))).filter(BOXED)
                .values("video").annotate(n=Count("id")).values("n")[:1]), 0),
            n_objects=Count("events__av_objects", distinct=True),
        )
        .order_by("id")
    )


def summary_sections(*, project: Project) -> list[dict]:
    """Events, objects, boxes and QA pairs per state (plugged into the project's summary)."""
    if project.kind != ProjectKind.AVST:
        return []
    return [
        {
            "key": "events",
            "title": "Events",
            "states": [{"state": "all", "label": "Imported", "count": Event.objects.filter(video__project=project).count()}],
        },
        {
            "key": "objects",
            "title": "Audibility analysis: objects",
            "states": state_counts(AVObject.objects.filter(event__video__project=project), "state", Decision.choices),
        },
        {
            "key": "boxes",
            "title": "Box proposals",
            "states": state_counts(
                BoxProposal.objects.filter(avobject__event__video__project=project), "state", Decision.choices
            ),
        },
        {
            "key": "qa",
            "title": "QA pairs",
            "states": state_counts(QAPair.objects.filter(video__project=project), "state", Decision.choices),
        },
    ]


def qa_pairs(*, project: Project, task: str = "", state: str = "", video: int | None = None, event: int | None = None,
             search: str = ""):
    """The project's generated QA pairs, filtered, in the order of their videos, events and tasks."""
    pairs = (QAPair.objects.filter(video__project=project).select_related("video", "event")
             .order_by("video__external_id", "video_id", "event__number", "event_id", "task", "id"))
    if task:
        pairs = pairs.filter(task=task)
    if state:
        pairs = pairs.filter(state=state)
    if video is not None:
        pairs = pairs.filter(video_id=video)
    if event is not None:
        pairs = pairs.filter(event_id=event)
    if search:
        pairs = pairs.filter(Q(question__icontains=search) | Q(answer__raw__icontains=search))
    return pairs
