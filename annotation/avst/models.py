"""R-AVST: the events of a video, their objects with audibility, the boxes per sampled second, and the templated
QA pairs generated from accepted events."""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q

from annotation.projects.constraints import box_ok, interval_ok
from annotation.projects.models import Decision, Source
from pipeline.jobs.models import LLMCall
from pipeline.videos.models import Video


class Event(models.Model):
    """R-AVST: an audio-visual event of a video (an UnAV-100 caption and its segment)."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="events")
    # R-AVST's 1-based event_num. Not unique: the published split repeats an event_num in a few videos
    # (as separate annotation entries, kept apart and in file order by id).
    number = models.PositiveSmallIntegerField(default=1)
    # The caption (UnAV-100); empty for events imported from a QA file, which carries none.
    label = models.CharField(max_length=255, blank=True)
    start = models.FloatField()
    end = models.FloatField()
    # The audibility analysis that proposed its objects (set even when the caption names none).
    audibility_call = models.ForeignKey(
        LLMCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When Grounded-SAM2 last proposed boxes for it, and with what.
    detected_at = models.DateTimeField(null=True, blank=True)
    detect_model = models.CharField(max_length=200, blank=True)
    # A reviewer's accept makes its objects and boxes the truth that QA generation uses.
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    version = models.PositiveIntegerField(default=1)
    reviewed_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_event"
        ordering = ["video", "id"]
        constraints = [
            models.CheckConstraint(condition=interval_ok("start", "end", nullable=False), name="event_interval_ok"),
            models.CheckConstraint(condition=Q(number__gte=1), name="event_number_pos"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="event_state_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="event_version_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.start:.2f}, {self.end:.2f}]"


class Audibility(models.TextChoices):
    AUDIBLE = "audible", "Visible and audible"
    VISIBLE_ONLY = "visible_only", "Visible only"


class AVObject(models.Model):
    """R-AVST: a noun object of an event caption with its audibility, proposed by the LLM or a person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="av_objects")
    name = models.CharField(max_length=100)
    audibility = models.CharField(max_length=16, choices=Audibility.choices)
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    source = models.CharField(max_length=8, choices=Source.choices)
    llm_call = models.ForeignKey(
        LLMCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="avobjects"
    )
    model = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=50, blank=True)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_avobject"
        verbose_name = "audio-visual object"
        ordering = ["event", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="avobject_unique_name_per_event"),
            models.CheckConstraint(condition=~Q(name=""), name="avobject_name_not_empty"),
            models.CheckConstraint(condition=Q(audibility__in=Audibility.values), name="avobject_audibility_valid"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="avobject_state_valid"),
            models.CheckConstraint(
                condition=Q(source=Source.HUMAN) | (~Q(model="") & ~Q(prompt_version="")),
                name="avobject_model_provenance",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BoxProposal(models.Model):
    """R-AVST: one box of one instance of an object at one sampled second (Grounded-SAM2 or a person)."""

    avobject = models.ForeignKey(AVObject, on_delete=models.CASCADE, related_name="boxes")
    timestamp = models.FloatField()
    # Unknown (null) only for boxes imported for a video whose file, hence frame rate, is absent.
    frame_index = models.PositiveIntegerField(null=True, blank=True)
    instance = models.PositiveSmallIntegerField(default=0)
    x1 = models.FloatField()
    y1 = models.FloatField()
    x2 = models.FloatField()
    y2 = models.FloatField()
    score = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    source = models.CharField(max_length=8, choices=Source.choices)
    model = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=100, blank=True)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_boxproposal"
        ordering = ["avobject", "frame_index", "instance"]
        constraints = [
            models.UniqueConstraint(
                fields=["avobject", "timestamp", "instance", "source"], name="box_unique_instance_per_time"
            ),
            models.CheckConstraint(condition=box_ok(), name="box_coordinates_ok"),
            models.CheckConstraint(condition=Q(timestamp__gte=0), name="box_timestamp_nonneg"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1), name="box_score_unit"
            ),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="box_state_valid"),
            models.CheckConstraint(
                condition=Q(source=Source.HUMAN) | (~Q(model="") & Q(score__isnull=False)),
                name="box_model_provenance",
            ),
        ]


class QATask(models.TextChoices):
    AVTR = "AVTR", "Audio-visual temporal reasoning"
    AVSR = "AVSR", "Audio-visual spatial reasoning"
    AVSTR = "AVSTR", "Audio-visual spatio-temporal reasoning"


class QAPair(models.Model):
    """R-AVST: a templated question-answer pair, reviewed before release."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="qa_pairs")
    task = models.CharField(max_length=8, choices=QATask.choices)
    template = models.CharField(max_length=100)
    question = models.TextField()
    answer = models.JSONField()
    options = models.JSONField(default=list, blank=True)
    split = models.CharField(max_length=16, blank=True)
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    # The event the pair asks about (R-AVST pairs are per event).
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="qa_pairs")
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_qapair"
        verbose_name = "QA pair"
        ordering = ["video", "task", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(task__in=QATask.values), name="qapair_task_valid"),
            models.CheckConstraint(condition=~Q(question=""), name="qapair_question_not_empty"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="qapair_state_valid"),
        ]
