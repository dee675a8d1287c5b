"""Reads for the annotation app: which projects a user sees, their role, where the stages stand."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, QuerySet

from annotation.models import (
    AVObject,
    BoxProposal,
    CandidateQuestion,
    Decision,
    Event,
    Membership,
    Project,
    ProjectKind,
    QAPair,
    Question,
    QuestionState,
    ReviewItem,
    ReviewQueue,
    ReviewState,
    Role,
    Video,
    VideoStatus,
)
from annotation.permissions import MINIMUM_ROLE, ROLE_RANK, Capability, role_allows

User = AbstractBaseUser | AnonymousUser


def role_of(*, user: User, project: Project) -> str | None:
    """The user's role in the project; superusers act as managers everywhere."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.MANAGER
    return Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()


def can(*, user: User, project: Project, capability: Capability) -> bool:
    return role_allows(role_of(user=user, project=project), capability)


def projects_for(*, user: User, capability: Capability = Capability.VIEW) -> QuerySet[Project]:
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    if user.is_superuser:
        return Project.objects.all()
    roles = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[MINIMUM_ROLE[capability]]]
    return Project.objects.filter(memberships__user=user, memberships__role__in=roles).distinct()


def _counts(queryset: QuerySet, field: str, choices) -> list[dict]:
    found = dict(queryset.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    return [{"state": value, "label": label, "count": found.get(value, 0)} for value, label in choices]


def project_summary(*, project: Project) -> dict:
    """Counts per workflow state for every stage of the project, zeros included, for the home page and the API."""
    videos = Video.objects.filter(project=project)
    stages = [
        {"key": "videos", "title": "Videos", "states": _counts(videos, "status", VideoStatus.choices)},
    ]
    if project.kind == ProjectKind.COUNTING:
        stages += [
            {
                "key": "candidates",
                "title": "Stage 1: candidate questions",
                "states": _counts(CandidateQuestion.objects.filter(video__project=project), "state", Decision.choices),
            },
            {
                "key": "questions",
                "title": "Stages 2-3: questions, answers and clues",
                # Second passes (double annotation) are not questions of the benchmark.
                "states": _counts(
                    Question.objects.filter(video__project=project).exclude(state=QuestionState.SECOND_PASS), "state",
                    [c for c in QuestionState.choices if c[0] != QuestionState.SECOND_PASS],
                ),
            },
        ]
    else:
        stages += [
            {
                "key": "events",
                "title": "Events",
                "states": [{"state": "all", "label": "Imported", "count": Event.objects.filter(video__project=project).count()}],
            },
            {
                "key": "objects",
                "title": "Audibility analysis: objects",
                "states": _counts(AVObject.objects.filter(event__video__project=project), "state", Decision.choices),
            },
            {
                "key": "boxes",
                "title": "Box proposals",
                "states": _counts(
                    BoxProposal.objects.filter(avobject__event__video__project=project), "state", Decision.choices
                ),
            },
            {
                "key": "qa",
                "title": "QA pairs",
                "states": _counts(QAPair.objects.filter(video__project=project), "state", Decision.choices),
            },
        ]
    review = ReviewItem.objects.filter(project=project).exclude(state=ReviewState.DONE)
    stages.append(
        {"key": "review", "title": "Review queues (open or claimed)", "states": _counts(review, "queue", ReviewQueue.choices)}
    )
    for stage in stages:
        stage["total"] = sum(s["count"] for s in stage["states"])
    return {"project": project.pk, "kind": project.kind, "stages": stages}


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
