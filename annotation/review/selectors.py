"""Reads of quality control."""

from django.db.models import Count

from annotation.projects.models import Project
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState


def queue_counts(*, project: Project) -> dict[str, dict[str, int]]:
    """Queue -> state -> how many of the project's items are in it, zeros included."""
    counts = {queue: dict.fromkeys(ReviewState.values, 0) for queue in ReviewQueue.values}
    rows = ReviewItem.objects.filter(project=project).values_list("queue", "state").annotate(n=Count("id")).order_by()
    for queue, state, n in rows:
        counts[queue][state] = n
    return counts
