"""Quality control: the items of the review queues, and comments anchored to a time or frame of a question or an
event."""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q

from annotation.avst.models import Event, QAPair
from annotation.counting.models import Question
from annotation.projects.models import Project


class ReviewQueue(models.TextChoices):
    ARBITRATION = "arbitration", "Arbitration"
    AUDIT = "audit", "Audit sample"
    DOUBLE = "double", "Double annotation"
    QA = "qa", "R-AVST QA review"


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    CLAIMED = "claimed", "Claimed"
    DONE = "done", "Done"


#: A decision as people read it.
DECISION_LABELS = {"keep": "Kept", "approve": "Approved", "fix": "Fixed", "send_back": "Sent back",
                   "reject": "Rejected", "rejected": "Rejected (by a manager)"}


class ReviewItem(models.Model):
    """One unit of quality-control work; handed out with SELECT ... FOR UPDATE SKIP LOCKED."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_items")
    queue = models.CharField(max_length=16, choices=ReviewQueue.choices)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="review_items"
    )
    qa_pair = models.ForeignKey(QAPair, null=True, blank=True, on_delete=models.CASCADE, related_name="review_items")
    # R-AVST: an accepted event whose objects and boxes are sampled for audit.
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="review_items")
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN)
    claimed_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=32, blank=True)
    comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the item measured: e.g. the agreement of a double annotation pair.
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    @property
    def decision_label(self) -> str:
        """The decision in words ("Sent back"), or as stored when unknown."""
        return DECISION_LABELS.get(self.decision, self.decision.replace("_", " ").capitalize())

    class Meta:
        db_table = "annotation_reviewitem"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["project", "queue", "state"], name="reviewitem_queue_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(queue__in=ReviewQueue.values), name="reviewitem_queue_valid"),
            models.CheckConstraint(condition=Q(state__in=ReviewState.values), name="reviewitem_state_valid"),
            models.CheckConstraint(
                condition=Q(question__isnull=False, qa_pair__isnull=True, event__isnull=True)
                | Q(question__isnull=True, qa_pair__isnull=False, event__isnull=True)
                | Q(question__isnull=True, qa_pair__isnull=True, event__isnull=False),
                name="reviewitem_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReviewState.CLAIMED) | Q(claimed_by__isnull=False, claimed_at__isnull=False),
                name="reviewitem_claim_has_owner",
            ),
            models.CheckConstraint(
                condition=~Q(state=ReviewState.DONE) | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="reviewitem_done_has_decision",
            ),
        ]


class Comment(models.Model):
    """A reviewer's (or anyone's) note on a question or an R-AVST event, anchored to a time or a frame,
    shown to the annotator in the workspace."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    review_item = models.ForeignKey(
        ReviewItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    # Seconds on the proxy's timeline, and/or the proxy frame the comment points at.
    time = models.FloatField(null=True, blank=True)
    frame_index = models.PositiveIntegerField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_comment"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="comment_text_not_empty"),
            models.CheckConstraint(
                condition=Q(question__isnull=False, event__isnull=True) | Q(question__isnull=True, event__isnull=False),
                name="comment_one_subject",
            ),
            models.CheckConstraint(condition=Q(time__isnull=True) | Q(time__gte=0), name="comment_time_nonneg"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_by__isnull=False), name="comment_resolved_by_someone"
            ),
        ]
