"""CG-AV-Counting: stage 1 candidate questions, the questions of stages 2 and 3 with their drafted answer and
reference interval, and their clues (one per counted instance).

Times are seconds on the proxy's timeline; boxes are proxy pixels plus the frame index they were drawn on.
"""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q

from annotation.projects.constraints import box_ok, interval_ok
from annotation.projects.models import Decision, Source
from pipeline.jobs.models import LLMCall
from pipeline.videos.models import Video


class Category(models.TextChoices):
    EVENT = "event", "Event"
    OBJECT = "object", "Object"
    ATTRIBUTE = "attribute", "Attribute"


class Modality(models.TextChoices):
    V = "V", "Visual"
    A = "A", "Audio"
    V2A = "V2A", "Visual to audio"
    A2V = "A2V", "Audio to visual"
    AV = "AV", "Audio-visual"


class CandidateQuestion(models.Model):
    """Stage 1: a proposed counting question (from an LLM or a person) awaiting an annotator's decision."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="candidates")
    text = models.TextField()
    category = models.CharField(max_length=16, choices=Category.choices)
    modality = models.CharField(max_length=4, choices=Modality.choices)
    query_start = models.FloatField(null=True, blank=True)
    query_end = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    source = models.CharField(max_length=8, choices=Source.choices)
    llm_call = models.ForeignKey(
        LLMCall, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    model = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)
    # Optimistic concurrency, as for questions: every edit or decision carries the version it read.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_candidatequestion"
        ordering = ["video", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=Decision.REJECTED) | ~Q(reject_reason=""), name="candidate_rejection_has_reason"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="candidate_version_pos"),
            models.CheckConstraint(condition=~Q(text=""), name="candidate_text_not_empty"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="candidate_category_valid"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="candidate_modality_valid"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="candidate_state_valid"),
            models.CheckConstraint(condition=interval_ok("query_start", "query_end"), name="candidate_interval_ok"),
            # A model's proposal always says which model and prompt made it.
            models.CheckConstraint(
                condition=Q(source=Source.HUMAN) | (~Q(model="") & ~Q(prompt_version="")),
                name="candidate_model_provenance",
            ),
            models.CheckConstraint(
                condition=Q(state=Decision.PROPOSED) | Q(decided_at__isnull=False), name="candidate_decision_dated"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class QuestionState(models.TextChoices):
    DRAFT = "draft", "Draft (stage 2)"
    ANSWERED = "answered", "Answered, clues pending (stage 3)"
    ARBITRATION = "arbitration", "In arbitration"
    POOLED = "pooled", "In the candidate pool"
    REJECTED = "rejected", "Rejected"
    # A blind second clue pass of another question by a different annotator (double annotation); never pooled
    # or released, compared with the first pass for agreement.
    SECOND_PASS = "second_pass", "Second pass (double annotation)"


class Question(models.Model):
    """Stages 2 and 3: a counting question with its drafted answer, reference interval and clues."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="questions")
    candidate = models.ForeignKey(
        CandidateQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    text = models.TextField()
    category = models.CharField(max_length=16, choices=Category.choices)
    modality = models.CharField(max_length=4, choices=Modality.choices)
    drafted_answer = models.PositiveIntegerField(null=True, blank=True)
    ref_start = models.FloatField(null=True, blank=True)
    ref_end = models.FloatField(null=True, blank=True)
    # Union of the drafted interval and the clues' span, set when the question enters the pool.
    final_start = models.FloatField(null=True, blank=True)
    final_end = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=QuestionState.choices, default=QuestionState.DRAFT)
    # Optimistic concurrency: every save must carry the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    # Attribute questions: the named clusters, [{"name": "red shirt", "color": "#e6194b"}, ...].
    clusters = models.JSONField(default=list, blank=True)
    annotator = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    # Who is working on it now (handed out with SELECT ... FOR UPDATE SKIP LOCKED); a claim expires.
    claimed_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    second_pass_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="second_passes"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "annotation_question"
        ordering = ["video", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=QuestionState.SECOND_PASS, second_pass_of__isnull=False)
                | (~Q(state=QuestionState.SECOND_PASS) & Q(second_pass_of__isnull=True)),
                name="question_second_pass_has_first",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="question_text_not_empty"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="question_category_valid"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="question_modality_valid"),
            models.CheckConstraint(condition=Q(state__in=QuestionState.values), name="question_state_valid"),
            models.CheckConstraint(condition=interval_ok("ref_start", "ref_end"), name="question_ref_interval_ok"),
            models.CheckConstraint(
                condition=interval_ok("final_start", "final_end"), name="question_final_interval_ok"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="question_version_pos"),
            # A blind second pass starts with the first pass's reference interval and no count of its own.
            models.CheckConstraint(
                condition=Q(state__in=[QuestionState.DRAFT, QuestionState.REJECTED])
                | Q(state=QuestionState.SECOND_PASS, ref_start__isnull=False)
                | (Q(drafted_answer__isnull=False) & Q(ref_start__isnull=False)),
                name="question_answered_has_draft",
            ),
            models.UniqueConstraint(fields=["second_pass_of"], name="question_one_second_pass"),
            models.CheckConstraint(
                condition=~Q(state=QuestionState.POOLED) | Q(final_start__isnull=False),
                name="question_pooled_has_final_interval",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ProposalSource(models.TextChoices):
    DETECTOR = "detector", "Found by a detector"
    CLICK = "click", "Box from a person's click"
    TRACK = "track", "Followed from a person's box"


class ClueProposal(models.Model):
    """A machine's proposal of one clue of a question, with the model, its version and its score: an event
    interval (start/end on the proxy's timeline), or a box on one exact proxy frame (object and attribute
    questions: a detected instance at its first clear appearance, the box of a click, or a tracked box). Never truth
    by itself: a person's accept makes it a ``Clue`` that links back here (the provenance); a rejection is
    remembered, so a rerun does not bring it back."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=16, choices=Category.choices)
    source = models.CharField(max_length=16, choices=ProposalSource.choices, default=ProposalSource.DETECTOR)
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    frame_index = models.PositiveIntegerField(null=True, blank=True)
    timestamp = models.FloatField(null=True, blank=True)
    x1 = models.FloatField(null=True, blank=True)
    y1 = models.FloatField(null=True, blank=True)
    x2 = models.FloatField(null=True, blank=True)
    y2 = models.FloatField(null=True, blank=True)
    # What the detector looked for (the question's object phrase), or the instance a track followed.
    label = models.CharField(max_length=200, blank=True)
    score = models.FloatField()
    model = models.CharField(max_length=100)
    model_version = models.CharField(max_length=100)
    state = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PROPOSED)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "annotation_clueproposal"
        ordering = ["question", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Category.values), name="clueproposal_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="clueproposal_state_valid"),
            # NULLs spelled out: a comparison with NULL passes a CHECK.
            models.CheckConstraint(
                condition=~Q(kind=Category.EVENT) | (Q(start__isnull=False, end__isnull=False)
                                                     & interval_ok("start", "end", nullable=False)),
                name="clueproposal_event_interval_ok",
            ),
            models.CheckConstraint(
                condition=Q(kind=Category.EVENT) | (
                    Q(frame_index__isnull=False, x1__isnull=False, y1__isnull=False, x2__isnull=False,
                      y2__isnull=False) & box_ok()),
                name="clueproposal_box_ok",
            ),
            models.CheckConstraint(condition=Q(source__in=ProposalSource.values), name="clueproposal_source_valid"),
            models.CheckConstraint(condition=~Q(model="") & ~Q(model_version=""), name="clueproposal_provenance"),
            models.CheckConstraint(
                condition=Q(state=Decision.PROPOSED) | Q(decided_at__isnull=False), name="clueproposal_decision_dated"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == Category.EVENT:
            return f"{self.kind} {self.start:.2f}-{self.end:.2f} ({self.model}, {self.score:.2f})"
        return f"{self.kind} at frame {self.frame_index} ({self.model}, {self.score:.2f})"


class Clue(models.Model):
    """Stage 3: one counted instance. An event is an interval; an object is a box on one frame;
    an attribute is a box in a named cluster."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="clues")
    kind = models.CharField(max_length=16, choices=Category.choices)
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    # The proxy frame the box was drawn on; null only for clues imported without the video file.
    frame_index = models.PositiveIntegerField(null=True, blank=True)
    timestamp = models.FloatField(null=True, blank=True)
    x1 = models.FloatField(null=True, blank=True)
    y1 = models.FloatField(null=True, blank=True)
    x2 = models.FloatField(null=True, blank=True)
    y2 = models.FloatField(null=True, blank=True)
    cluster = models.CharField(max_length=100, blank=True)
    # Provenance: the machine proposal a person accepted to make this clue (model, version, score); null when drawn
    # by hand.
    proposal = models.ForeignKey(
        ClueProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="clues"
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "annotation_clue"
        ordering = ["question", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Category.values), name="clue_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=Category.EVENT)
                    & interval_ok("start", "end", nullable=False)
                    & Q(frame_index__isnull=True, x1__isnull=True, cluster="")
                )
                | (
                    Q(kind__in=[Category.OBJECT, Category.ATTRIBUTE])
                    & Q(start__isnull=True, end__isnull=True)
                    & Q(timestamp__isnull=False, timestamp__gte=0)
                    & box_ok()
                ),
                name="clue_shape_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Category.ATTRIBUTE) | ~Q(cluster=""), name="clue_attribute_has_cluster"
            ),
        ]
