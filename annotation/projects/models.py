"""Projects, who is in them with which role, the shared vocabulary of proposals and decisions, and the audit log.

Model output (LLM questions, audibility labels, detector boxes) is stored as a proposal with its provenance and
becomes truth only through a person's accept: ``Decision`` and ``Source`` say which.
"""

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from annotation.projects import settings as project_settings


class ProjectKind(models.TextChoices):
    COUNTING = "counting", "CG-AV-Counting"
    AVST = "avst", "R-AVST"


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


class Decision(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Source(models.TextChoices):
    MODEL = "model", "Model"
    HUMAN = "human", "Human"


class Project(models.Model):
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=ProjectKind.choices)
    description = models.TextField(blank=True)
    # Per-project overrides (LLM provider/model, audit share, filtering bounds...), read by the stages.
    settings = models.JSONField(default=dict, blank=True)
    members = models.ManyToManyField(django_settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_project"
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
        errors = project_settings.settings_errors(self.settings)
        if errors:
            raise ValidationError({"settings": [f"{key}: {message}" if key else message for key, message in errors.items()]})


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "annotation_membership"
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_per_project"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.project}"


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
        db_table = "annotation_auditentry"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "-at"], name="audit_target_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(action=""), name="audit_action_named"),
            models.CheckConstraint(
                condition=Q(before__isnull=False) | Q(after__isnull=False), name="audit_records_a_state"
            ),
        ]
