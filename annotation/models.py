"""What people work on: projects and roles, videos, questions and clues, R-AVST objects and boxes, review.

Model output (LLM questions, audibility labels, detector boxes) is stored as a
proposal with its provenance and becomes truth only through a person's accept.
Times are seconds on the proxy's timeline; boxes are proxy pixels plus the
frame index they were drawn on.
"""

from django.conf import settings as django_settings
from django.db import models
from django.db.models import F, Q


class ProjectKind(models.TextChoices):
    COUNTING = "counting", "CG-AV-Counting"
    AVST = "avst", "R-AVST"


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


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


class Decision(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Source(models.TextChoices):
    MODEL = "model", "Model"
    HUMAN = "human", "Human"


def _interval_ok(start: str, end: str, *, nullable: bool = True) -> Q:
    ok = Q(**{f"{start}__gte": 0}) & Q(**{f"{start}__lt": F(end)})
    if nullable:
        return (Q(**{f"{start}__isnull": True}) & Q(**{f"{end}__isnull": True})) | ok
    return ok


def _box_ok(prefix: str = "") -> Q:
    x1, y1, x2, y2 = (f"{prefix}{name}" for name in ("x1", "y1", "x2", "y2"))
    return Q(**{f"{x1}__gte": 0, f"{y1}__gte": 0, f"{x2}__gt": F(x1), f"{y2}__gt": F(y1)})


class Project(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=ProjectKind.choices)
    description = models.TextField(blank=True)
    # Per-project overrides (LLM provider/model, audit share, filtering bounds...), read by the stages.
    settings = models.JSONField(default=dict, blank=True)
    members = models.ManyToManyField(django_settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProjectKind.values), name="project_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="project_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The settings the stages read are checked where people edit them (the admin, the API), so a typo
        fails there and not later inside a submit or an import."""
        from django.core.exceptions import ValidationError

        from annotation.sampling import settings_errors
        from pipeline.avst.filtering import FilterRules, SettingsError

        settings = self.settings if isinstance(self.settings, dict) else {}
        if not isinstance(self.settings, dict):
            raise ValidationError({"settings": "settings must be a JSON object"})
        errors = list(settings_errors(settings).values())
        try:
            FilterRules.from_settings(settings.get("filtering"))
        except SettingsError as exc:
            errors.append(f"filtering: {exc}")
        if errors:
            raise ValidationError({"settings": errors})


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_per_project"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"


class VideoStatus(models.TextChoices):
    METADATA = "metadata", "Metadata only (no file)"
    UPLOADED = "uploaded", "Uploaded, waiting for processing"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Video(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField(max_length=255)
    # The id the source dataset uses (UnAV-100 video id, CG-AV-Counting video name).
    external_id = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to="videos/original/", max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    variable_frame_rate = models.BooleanField(default=False)
    frame_count = models.PositiveIntegerField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    rotation = models.IntegerField(default=0)
    has_audio = models.BooleanField(null=True, blank=True)
    audio_channels = models.PositiveSmallIntegerField(null=True, blank=True)
    sample_rate = models.PositiveIntegerField(null=True, blank=True)
    # Derived from the original by the media job; every time and frame index in the app refers to the proxy,
    # and fps, frame_count, width and height above describe the proxy once the video is ready.
    proxy = models.FileField(upload_to="videos/proxy/", max_length=500, blank=True)
    audio = models.FileField(max_length=500, blank=True)
    peaks = models.FileField(max_length=500, blank=True)
    spectrogram = models.FileField(max_length=500, blank=True)
    thumbnails = models.FileField(max_length=500, blank=True)
    thumbnails_index = models.JSONField(default=dict, blank=True)
    # What the original file is (codec, size, rotation, rates), as probed.
    source_probe = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=VideoStatus.choices, default=VideoStatus.UPLOADED)
    error = models.TextField(blank=True)
    # Known facts about the content, e.g. the truth of a synthetic demo video.
    meta = models.JSONField(default=dict, blank=True)
    # R-AVST filtering (pipeline.avst.filtering): the duration group, and the rule that removed the video
    # (empty while it is kept) with the reason in words.
    filter_group = models.CharField(max_length=16, blank=True)
    filter_rule = models.CharField(max_length=32, blank=True)
    filter_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"], condition=~Q(sha256=""), name="video_unique_content_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "external_id"], condition=~Q(external_id=""), name="video_unique_external_id"
            ),
            models.CheckConstraint(condition=Q(status__in=VideoStatus.values), name="video_status_valid"),
            models.CheckConstraint(condition=Q(duration__isnull=True) | Q(duration__gt=0), name="video_duration_pos"),
            models.CheckConstraint(condition=Q(fps__isnull=True) | Q(fps__gt=0), name="video_fps_pos"),
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__regex=r"^[0-9a-f]{64}$"), name="video_sha256_hex"
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.FAILED) | ~Q(error=""), name="video_failed_has_error"
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.READY)
                | (~Q(proxy="") & Q(fps__isnull=False, frame_count__isnull=False, has_audio__isnull=False)),
                name="video_ready_has_proxy",
            ),
        ]

    def __str__(self) -> str:
        return self.title


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
        "pipeline.LLMCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
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
            models.CheckConstraint(condition=_interval_ok("query_start", "query_end"), name="candidate_interval_ok"),
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
            models.CheckConstraint(condition=_interval_ok("ref_start", "ref_end"), name="question_ref_interval_ok"),
            models.CheckConstraint(
                condition=_interval_ok("final_start", "final_end"), name="question_final_interval_ok"
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
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Category.values), name="clue_kind_valid"),
            models.CheckConstraint(
                condition=(
                    Q(kind=Category.EVENT)
                    & _interval_ok("start", "end", nullable=False)
                    & Q(frame_index__isnull=True, x1__isnull=True, cluster="")
                )
                | (
                    Q(kind__in=[Category.OBJECT, Category.ATTRIBUTE])
                    & Q(start__isnull=True, end__isnull=True)
                    & Q(timestamp__isnull=False, timestamp__gte=0)
                    & _box_ok()
                ),
                name="clue_shape_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Category.ATTRIBUTE) | ~Q(cluster=""), name="clue_attribute_has_cluster"
            ),
        ]


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
        "pipeline.LLMCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
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
        ordering = ["video", "id"]
        constraints = [
            models.CheckConstraint(condition=_interval_ok("start", "end", nullable=False), name="event_interval_ok"),
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
        "pipeline.LLMCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="avobjects"
    )
    model = models.CharField(max_length=100, blank=True)
    prompt_version = models.CharField(max_length=50, blank=True)
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
        ordering = ["avobject", "frame_index", "instance"]
        constraints = [
            models.UniqueConstraint(
                fields=["avobject", "timestamp", "instance", "source"], name="box_unique_instance_per_time"
            ),
            models.CheckConstraint(condition=_box_ok(), name="box_coordinates_ok"),
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
        verbose_name = "QA pair"
        ordering = ["video", "task", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(task__in=QATask.values), name="qapair_task_valid"),
            models.CheckConstraint(condition=~Q(question=""), name="qapair_question_not_empty"),
            models.CheckConstraint(condition=Q(state__in=Decision.values), name="qapair_state_valid"),
        ]


class ReviewQueue(models.TextChoices):
    ARBITRATION = "arbitration", "Arbitration"
    AUDIT = "audit", "Audit sample"
    DOUBLE = "double", "Double annotation"
    QA = "qa", "R-AVST QA review"


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    CLAIMED = "claimed", "Claimed"
    DONE = "done", "Done"


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

    class Meta:
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


class AuditEntry(models.Model):
    """One change to a question, clue, box or review decision: who, when, what, before and after."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=32)
    target_id = models.PositiveBigIntegerField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(action=""), name="audit_action_named"),
            models.CheckConstraint(
                condition=Q(before__isnull=False) | Q(after__isnull=False), name="audit_records_a_state"
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
