"""Reads for the quality pages: per-annotator throughput and review outcomes, and a project's funnel.

Active time (for throughput). An annotator's work on questions leaves audit entries: every save of the workspace
("question.save") and every submit ("question.submit.*", and "double.submit" for a second pass). Their times, sorted, are cut into sessions wherever two
entries are more than SESSION_GAP apart; a session counts the time from its first entry to its last plus
SESSION_ALLOWANCE (the work before the first save of a session: watching, reading the question), so a session
of one save counts SESSION_ALLOWANCE. Time away from the workspace (a pause longer than SESSION_GAP) never counts.
Throughput is questions submitted (distinct questions with a submit entry by the user, second passes included)
and clues (the clues they hold now) per hour of active time. The arbitration rate is over first passes only
(a second pass never goes to arbitration).

Funnel. A handful of aggregate queries, never a loop over rows; second-pass questions (double annotation) are
left out everywhere. Releases record counts, not question ids (each release is every pooled question at the time
it froze): "released" is the count in the manifest of the latest frozen release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q

from annotation.avst import selectors as avst_selectors
from annotation.avst.models import Event, QAPair
from annotation.counting.models import CandidateQuestion, Clue, Question, QuestionState
from annotation.projects.models import AuditEntry, Decision, Membership, Project, ProjectKind
from annotation.review import hooks
from annotation.review.models import ReviewItem, ReviewQueue, ReviewState
from pipeline.videos.models import Video

SESSION_GAP = timedelta(minutes=10)
SESSION_ALLOWANCE = timedelta(minutes=2)
AUDIT_DECISIONS = ("approve", "fix", "send_back")
AGREEMENT_KEYS = ("wcs", "exact", "off_by_one")


def active_time(times: Iterable[datetime]) -> tuple[timedelta, int]:
    """The active time of one person's sorted-or-not entry times, and the number of sessions (see the module)."""
    total, sessions = timedelta(0), 0
    start = last = None
    for at in sorted(times):
        if last is not None and at - last <= SESSION_GAP:
            last = at
            continue
        if start is not None:
            total += last - start + SESSION_ALLOWANCE
        start = last = at
        sessions += 1
    if start is not None:
        total += last - start + SESSION_ALLOWANCE
    return total, sessions


def _work_entries(project: Project):
    return AuditEntry.objects.filter(project=project, target_type="question", actor__isnull=False).filter(
        Q(action="question.save") | Q(action__startswith="question.submit") | Q(action="double.submit")
    )


def _number(value) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)) and value == value:
        return float(value)
    return None


@dataclass
class AnnotatorQuality:
    user_id: int
    username: str
    active: timedelta = timedelta(0)
    sessions: int = 0
    submitted: int = 0
    first_passes: int = 0
    arbitrated: int = 0
    clues: int = 0
    audit: dict[str, int] = field(default_factory=lambda: {d: 0 for d in AUDIT_DECISIONS})
    pairs: int = 0
    agreement_values: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in AGREEMENT_KEYS})

    @property
    def active_hours(self) -> float:
        return self.active.total_seconds() / 3600

    def _per_hour(self, n: int) -> float | None:
        return n / self.active_hours if self.active_hours > 0 else None

    @property
    def submitted_per_hour(self) -> float | None:
        return self._per_hour(self.submitted)

    @property
    def clues_per_hour(self) -> float | None:
        return self._per_hour(self.clues)

    @property
    def arbitration_rate(self) -> float | None:
        return self.arbitrated / self.first_passes if self.first_passes else None

    @property
    def audited(self) -> int:
        return sum(self.audit.values())

    @property
    def agreement(self) -> dict[str, float | None]:
        """Means over the person's double-annotation pairs; None where no pair measured the key."""
        return {k: (sum(v) / len(v) if v else None) for k, v in self.agreement_values.items()}


def annotator_quality(*, project: Project, user=None) -> list[AnnotatorQuality]:
    """One row per member of the project and per other person who worked on its questions (only `user`'s when
    given), by username."""
    rows: dict[int, AnnotatorQuality] = {}

    def row(user_id: int) -> AnnotatorQuality:
        if user_id not in rows:
            rows[user_id] = AnnotatorQuality(user_id=user_id, username="")
        return rows[user_id]

    members = Membership.objects.filter(project=project)
    work = _work_entries(project)
    if user is not None:
        members, work = members.filter(user=user), work.filter(actor=user)
        row(user.pk)
    for user_id in members.values_list("user_id", flat=True):
        row(user_id)

    times: dict[int, list[datetime]] = defaultdict(list)
    for actor_id, at in work.order_by("actor_id", "at").values_list("actor_id", "at").iterator(chunk_size=5000):
        times[actor_id].append(at)
    for actor_id, stamps in times.items():
        row(actor_id).active, row(actor_id).sessions = active_time(stamps)

    first = Q(action__startswith="question.submit")
    submits = (
        work.filter(first | Q(action="double.submit")).values("actor_id")
        .annotate(submitted=Count("target_id", distinct=True),
                  first_passes=Count("target_id", distinct=True, filter=first),
                  arbitrated=Count("target_id", distinct=True, filter=Q(action="question.submit.arbitration")))
    )
    for entry in submits:
        r = row(entry["actor_id"])
        r.submitted, r.first_passes, r.arbitrated = entry["submitted"], entry["first_passes"], entry["arbitrated"]

    clues = Clue.objects.filter(question__video__project=project, created_by__isnull=False)
    if user is not None:
        clues = clues.filter(created_by=user)
    for created_by, n in clues.values_list("created_by").annotate(n=Count("id")).values_list("created_by", "n"):
        row(created_by).clues = n

    audits = ReviewItem.objects.filter(project=project, queue=ReviewQueue.AUDIT, state=ReviewState.DONE,
                                       decision__in=AUDIT_DECISIONS, question__annotator__isnull=False)
    if user is not None:
        audits = audits.filter(question__annotator=user)
    for annotator_id, decision, n in (audits.values_list("question__annotator_id", "decision")
                                      .annotate(n=Count("id")).values_list("question__annotator_id", "decision", "n")):
        row(annotator_id).audit[decision] = n

    _add_agreement(project, row, only=user.pk if user is not None else None)

    names = dict(get_user_model().objects.filter(pk__in=rows).values_list("pk", "username"))
    for r in rows.values():
        r.username = names.get(r.user_id, f"user {r.user_id}")
    return sorted(rows.values(), key=lambda r: r.username)


def _add_agreement(project: Project, row, *, only: int | None) -> None:
    """A done double-annotation item measures a pair of annotators: both get its numbers. Whichever of the pair
    the item points at (the first pass or the second), the other is found through `second_pass_of`."""
    items = list(
        ReviewItem.objects.filter(project=project, queue=ReviewQueue.DOUBLE, state=ReviewState.DONE,
                                  question__isnull=False)
        .values_list("question_id", "result", "question__annotator_id", "question__second_pass_of__annotator_id")
    )
    if not items:
        return
    second = defaultdict(set)
    for first_id, annotator_id in Question.objects.filter(
        second_pass_of_id__in=[q for q, *_ in items], annotator__isnull=False
    ).values_list("second_pass_of_id", "annotator_id"):
        second[first_id].add(annotator_id)
    for question_id, result, annotator_id, first_annotator_id in items:
        people = ({annotator_id, first_annotator_id} | second[question_id]) - {None}
        if only is not None:
            people &= {only}
        result = result if isinstance(result, dict) else {}
        for person in people:
            r = row(person)
            r.pairs += 1
            for key in AGREEMENT_KEYS:
                value = _number(result.get(key))
                if value is not None:
                    r.agreement_values[key].append(value)


# --- funnel ----------------------------------------------------------------------------------------------------------


@dataclass
class FunnelStep:
    key: str
    label: str
    count: int | None
    # The step this one is a share of (the previous one on the main path; the branch point for a side step).
    of: str | None = None
    side: bool = False
    note: str = ""
    share: float | None = None
    # The count against the largest count of the funnel, for drawing a bar.
    scale: float = 0.0


def _with_shares(steps: list[FunnelStep]) -> list[FunnelStep]:
    counts = {s.key: s.count for s in steps}
    largest = max((c for c in counts.values() if c), default=0)
    for step in steps:
        base = counts.get(step.of) if step.of else None
        step.share = step.count / base if base and step.count is not None else None
        step.scale = step.count / largest if largest and step.count else 0.0
    return steps


def counting_funnel(*, project: Project) -> list[FunnelStep]:
    candidates = CandidateQuestion.objects.filter(video__project=project).aggregate(
        proposed=Count("id"),
        accepted=Count("id", filter=Q(state=Decision.ACCEPTED)),
        rejected=Count("id", filter=Q(state=Decision.REJECTED)),
    )
    questions = (
        Question.objects.filter(video__project=project).exclude(state=QuestionState.SECOND_PASS)
        .annotate(has_clue=Exists(Clue.objects.filter(question=OuterRef("pk"))))
        .aggregate(
            answered=Count("id", filter=Q(drafted_answer__isnull=False, ref_start__isnull=False)),
            clued=Count("id", filter=Q(has_clue=True)),
            pooled=Count("id", filter=Q(state=QuestionState.POOLED)),
            arbitration=Count("id", filter=Q(state=QuestionState.ARBITRATION)),
            rejected=Count("id", filter=Q(state=QuestionState.REJECTED)),
        )
    )
    released, note = hooks.released_count(project=project, key="questions")
    return _with_shares([
        FunnelStep("proposed", "Candidates proposed", candidates["proposed"]),
        FunnelStep("accepted", "Candidates accepted", candidates["accepted"], of="proposed"),
        FunnelStep("candidates_rejected", "Candidates rejected", candidates["rejected"], of="proposed", side=True),
        FunnelStep("answered", "Questions answered (count and interval drafted)", questions["answered"],
                   of="accepted"),
        FunnelStep("clued", "Questions clued (at least one clue)", questions["clued"], of="answered"),
        FunnelStep("pooled", "Questions in the pool", questions["pooled"], of="clued"),
        FunnelStep("arbitration", "Questions in arbitration", questions["arbitration"], of="clued", side=True),
        FunnelStep("rejected", "Questions rejected", questions["rejected"], of="answered", side=True),
        FunnelStep("released", "Questions released", released, of="pooled", note=note),
    ])


def avst_funnel(*, project: Project) -> list[FunnelStep]:
    """Videos kept by filtering: filtered (a duration group given) and removed by no rule."""
    videos = Video.objects.filter(project=project).aggregate(
        imported=Count("id"),
        kept=Count("id", filter=~Q(filter_group="") & Q(filter_rule="")),
    )
    # As the R-AVST overview counts them: events of the videos filtering kept; analysed by the LLM or given objects
    # by hand; boxed by the detector or by a reviewer.
    events = avst_selectors.event_progress(Event.objects.filter(video__project=project, video__filter_rule=""))
    events["events"] = events["total"]
    pairs = QAPair.objects.filter(video__project=project).aggregate(
        pairs=Count("id"), accepted=Count("id", filter=Q(state=Decision.ACCEPTED))
    )
    released, note = hooks.released_count(project=project, key="qa_pairs")
    return _with_shares([
        FunnelStep("imported", "Videos imported", videos["imported"]),
        FunnelStep("kept", "Videos kept by filtering", videos["kept"], of="imported"),
        FunnelStep("events", "Events", events["events"]),
        FunnelStep("analysed", "Events analysed (audibility)", events["analysed"], of="events"),
        FunnelStep("detected", "Events boxed (detector or reviewer)", events["detected"], of="analysed"),
        FunnelStep("events_accepted", "Events accepted", events["accepted"], of="detected"),
        FunnelStep("pairs", "QA pairs", pairs["pairs"]),
        FunnelStep("pairs_accepted", "QA pairs accepted", pairs["accepted"], of="pairs"),
        FunnelStep("released", "QA pairs released", released, of="pairs_accepted", note=note),
    ])


def funnel(*, project: Project) -> list[FunnelStep]:
    return avst_funnel(project=project) if project.kind == ProjectKind.AVST else counting_funnel(project=project)
