"""Stages 2 and 3 on the server: the question document an annotator edits (answer, reference interval, clues),
saved whole with optimistic concurrency, validated so that a bad clue refuses the save and nothing is half
applied; submission into the pool or to arbitration; and handing out the next question to work on."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotation.counting import hooks, proposals
from annotation.counting.models import Category, Clue, ClueProposal, Modality, Question, QuestionState
from annotation.projects import audit, selectors
from annotation.projects.errors import Invalid, NotEditable, NotMember, Stale
from annotation.projects.models import Decision
from annotation.projects.models import Project
from annotation.projects.permissions import Capability

CLAIM_TTL = timedelta(minutes=settings.CLUEBENCH_CLAIM_MINUTES)
EDITABLE_STATES = (QuestionState.DRAFT, QuestionState.ANSWERED)
# What a second pass keeps from its first pass: the question as asked.
ASKED_FIELDS = ("text", "category", "modality", "ref_start", "ref_end")
MAX_CLUES = settings.CLUEBENCH_MAX_CLUES_PER_QUESTION
MAX_TEXT = settings.CLUEBENCH_MAX_TEXT_LENGTH
MAX_CLUSTERS = 200
MAX_CLUSTER_NAME = 100


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def validate_doc(doc: dict, *, video) -> tuple[dict, list[dict]]:
    """Checked fields and clues of a document, or Invalid with every problem found."""
    errors: dict[str, str] = {}
    text = doc.get("text")
    if not isinstance(text, str) or not text.strip():
        errors["text"] = "the question may not be empty"
    elif len(text) > MAX_TEXT:
        errors["text"] = f"the question is {len(text)} characters long; at most {MAX_TEXT}"
    category = doc.get("category")
    if category not in Category.values:
        errors["category"] = f"category must be one of {', '.join(Category.values)}"
    modality = doc.get("modality")
    if modality not in Modality.values:
        errors["modality"] = f"type must be one of {', '.join(Modality.values)}"
    answer = doc.get("drafted_answer")
    if answer is not None and (not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer <= 100000):
        errors["drafted_answer"] = "the count must be a whole number from 0 to 100000"
    duration = video.duration or 0.0
    start, end = doc.get("ref_start"), doc.get("ref_end")
    if (start is None) != (end is None):
        errors["ref_end"] = "give both ends of the reference interval, or neither"
    elif start is not None:
        if not (_number(start) and _number(end)) or not 0 <= start < end:
            errors["ref_end"] = "the reference interval must satisfy 0 <= start < end"
        elif duration and end > duration + 1e-6:
            errors["ref_end"] = f"the reference interval ends after the video ({duration:.3f} s)"
    clusters = doc.get("clusters") or []
    names = []
    if not isinstance(clusters, list) or not all(isinstance(c, dict) and isinstance(c.get("name"), str) for c in clusters):
        errors["clusters"] = "clusters must be a list of {name, color}"
        clusters = []
    elif len(clusters) > MAX_CLUSTERS:
        errors["clusters"] = f"at most {MAX_CLUSTERS} clusters"
        clusters = []
    else:
        names = [c["name"].strip() for c in clusters]
        if any(not n for n in names):
            errors["clusters"] = "every cluster needs a name"
        elif any(len(n) > MAX_CLUSTER_NAME for n in names):
            errors["clusters"] = f"cluster names are at most {MAX_CLUSTER_NAME} characters"
        elif len(set(names)) != len(names):
            errors["clusters"] = "cluster names must differ"
    clues = doc.get("clues")
    if not isinstance(clues, list):
        errors["clues"] = "clues must be a list"
        clues = []
    elif len(clues) > MAX_CLUES:
        errors["clues"] = f"{len(clues)} clues; a question holds at most {MAX_CLUES}"
        clues = []
    checked = []
    for i, clue in enumerate(clues):
        problem, row = _check_clue(clue, category, video, names)
        if problem:
            errors[f"clues[{i}]"] = problem
        else:
            checked.append(row)
    if errors:
        raise Invalid(errors)
    fields = {
        "text": text.strip(), "category": category, "modality": modality, "drafted_answer": answer,
        "ref_start": start, "ref_end": end,
        "clusters": [{"name": n, "color": str(c.get("color") or "")} for n, c in zip(names, clusters)],
    }
    return fields, checked


def _check_clue(clue, category, video, cluster_names) -> tuple[str | None, dict]:
    if not isinstance(clue, dict):
        return "a clue must be an object", {}
    kind = clue.get("kind")
    if kind != category:
        return f"a {kind} clue does not belong to a {category} question", {}
    duration = video.duration or 0.0
    if kind == Category.EVENT:
        start, end = clue.get("start"), clue.get("end")
        if not (_number(start) and _number(end)) or not 0 <= start < end:
            return "an event needs 0 <= start < end", {}
        if duration and end > duration + 1e-6:
            return f"the event ends after the video ({duration:.3f} s)", {}
        return _with_proposal(clue, {"kind": kind, "start": float(start), "end": float(end)})
    index = clue.get("frame_index")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < 2**31:
        return "a box needs the frame index it was drawn on", {}
    if video.frame_count is not None and index >= video.frame_count:
        return f"frame {index} does not exist (the video has {video.frame_count} frames)", {}
    coords = [clue.get(k) for k in ("x1", "y1", "x2", "y2")]
    if not all(_number(v) for v in coords):
        return "a box needs x1, y1, x2, y2", {}
    x1, y1, x2, y2 = coords
    if not (x2 > x1 and y2 > y1):
        return "a box needs a positive width and height", {}
    if x1 < 0 or y1 < 0 or (video.width and x2 > video.width + 1e-6) or (video.height and y2 > video.height + 1e-6):
        return f"the box lies outside the {video.width}x{video.height} frame", {}
    cluster = clue.get("cluster") or ""
    if kind == Category.ATTRIBUTE and cluster not in cluster_names:
        return f"the box's cluster {cluster!r} is not one of the question's clusters", {}
    if kind == Category.OBJECT:
        cluster = ""
    timestamp = (index + 0.5) / video.fps if video.fps else clue.get("timestamp", 0.0)
    return _with_proposal(clue, {"kind": kind, "frame_index": index, "timestamp": timestamp, "x1": float(x1),
                                 "y1": float(y1), "x2": float(x2), "y2": float(y2), "cluster": cluster})


def _with_proposal(clue: dict, row: dict) -> tuple[str | None, dict]:
    """Provenance: the machine proposal a person accepted to make this clue (checked against the question's
    proposals by save_doc). A box accepted and then moved still links to it: the proposal is where it came from."""
    proposal = clue.get("proposal")
    if proposal is not None:
        if not isinstance(proposal, int) or isinstance(proposal, bool) or proposal < 1:
            return "a clue's proposal must be the id of one of the question's proposals", {}
        row["proposal_id"] = proposal
    return None, row


def save_doc(*, question: Question, expected_version: int, doc: dict, user, action: str = "question.save") -> Question:
    fields, clues = validate_doc(doc, video=question.video)
    rejected = proposals.rejected_ids(doc)
    with transaction.atomic():
        current = Question.objects.select_for_update().select_related("video").get(pk=question.pk)
        if current.version != expected_version:
            raise Stale(current, what="question")
        if not editable_by(current, user):
            raise NotEditable(why_not_editable(current, user))
        if current.state == QuestionState.SECOND_PASS:
            asked = {name: getattr(current, name) for name in ASKED_FIELDS}
            asked["text"] = asked["text"].strip()
            changed = [name for name in ASKED_FIELDS if fields[name] != asked[name]]
            if changed:
                raise Invalid({name: "a second pass keeps the question as asked (text, category, type and "
                                        "reference interval); count and clue it" for name in changed})
        before = doc_of(current)
        was = (current.state, current.ref_start, current.ref_end, current.category)
        for name, value in fields.items():
            setattr(current, name, value)
        if current.state in EDITABLE_STATES:
            answered = current.drafted_answer is not None and current.ref_start is not None
            current.state = QuestionState.ANSWERED if answered else QuestionState.DRAFT
        current.version += 1
        current.claimed_by, current.claimed_at = user, timezone.now()
        current.save()
        proposals.apply_decisions(question=current, clues=clues, rejected=rejected, user=user)
        # Entering stage 3 (or moving the reference interval there): the machine proposes event clues.
        if current.state == QuestionState.ANSWERED and was != (QuestionState.ANSWERED, current.ref_start,
                                                                current.ref_end, current.category):
            proposals.request(question=current)
        saved = _replace_clues(current, clues, user)
        if was[3] != current.category:
            proposals.forget_other_kinds(current)
        if current.state == QuestionState.POOLED:
            _keep_pooled_consistent(current, saved)
        hooks.question_saved(question=current, user=user)
        audit.record(project=current.video.project_id, actor=user, action=action, target_type="question",
                     target_id=current.pk, before=before, after=doc_of(Question.objects.get(pk=current.pk)))
    return current


CLUE_CONTENT = ("kind", "start", "end", "frame_index", "x1", "y1", "x2", "y2", "cluster", "proposal_id")


def _replace_clues(question: Question, rows: list[dict], user) -> list[Clue]:
    """The question's clues become ``rows``, in their order. A row that is an unchanged clue keeps who made it and
    when (a reviewer who deletes one box has not made the others); the rest are the saver's."""
    def key(get) -> tuple:  # None and absent alike ("" for a clue without a cluster or a proposal)
        return tuple("" if get(name) is None else get(name) for name in CLUE_CONTENT)

    unchanged: dict[tuple, list[Clue]] = {}
    for clue in Clue.objects.filter(question=question).order_by("pk"):
        unchanged.setdefault(key(lambda name, c=clue: getattr(c, name)), []).append(clue)
    made = []
    for row in rows:
        kept = unchanged.get(key(row.get))
        made.append(kept.pop(0) if kept else None)
    Clue.objects.filter(question=question).delete()
    saved = Clue.objects.bulk_create(
        Clue(question=question, created_by_id=old.created_by_id if old else user.pk, **row)
        for row, old in zip(rows, made)
    )
    # created_at is set on insert; the kept clues take theirs back.
    again = []
    for clue, old in zip(saved, made):
        if old is not None:
            clue.created_at = old.created_at
            again.append(clue)
    if again:
        Clue.objects.bulk_update(again, ["created_at"])
    return saved


def _keep_pooled_consistent(question: Question, clues: list[Clue]) -> None:
    """A pooled question fixed during an audit stays fit for a release: as many clues as its count, and the final
    interval recomputed from them."""
    count = clue_count(question, clues)
    if count != question.drafted_answer:
        raise Invalid({"drafted_answer": f"{count} clue(s) for a count of {question.drafted_answer}: a pooled "
                                            "question keeps one clue per counted instance"})
    question.final_start, question.final_end = final_interval(question, clues)
    question.save(update_fields=["final_start", "final_end"])


def restore(*, question: Question, entry, user) -> Question:
    """A manager puts a question's content (text, count, interval, clusters, clues) back to a recorded state,
    as a new version. The question returns to work (draft or answered) to be submitted again; an open
    arbitration item of it is closed. The restore is itself in the log."""
    state = entry.before or entry.after
    with transaction.atomic():
        current = Question.objects.select_for_update().select_related("video").get(pk=question.pk)
        if current.state == QuestionState.SECOND_PASS:
            raise NotEditable("a second pass is not restored: it is its annotator's blind work")
        if current.state not in EDITABLE_STATES:
            current.state = QuestionState.ANSWERED if current.drafted_answer is not None else QuestionState.DRAFT
            current.final_start = current.final_end = None
            current.save(update_fields=["state", "final_start", "final_end"])
            hooks.question_reopened(question=current, user=user)
        # A restore is a manager's explicit act on the question: it takes over whoever was working on it.
        current.claimed_by, current.claimed_at = user, timezone.now()
        current.save(update_fields=["claimed_by", "claimed_at"])
        save_doc(question=current, expected_version=current.version, doc=state, user=user, action="question.restore")
    return Question.objects.get(pk=question.pk)


def final_interval(question: Question, clues: list[Clue]) -> tuple[float, float]:
    """The union of the drafted reference interval and the span of the clues (a box counts at its time)."""
    starts = [question.ref_start] + [c.start if c.start is not None else c.timestamp for c in clues]
    ends = [question.ref_end] + [c.end if c.end is not None else c.timestamp for c in clues]
    start, end = min(starts), max(ends)
    if end <= start:
        end = start + (1 / question.video.fps if question.video.fps else 0.001)
    return start, end


def clue_count(question: Question, clues: list[Clue]) -> int:
    if question.category == Category.ATTRIBUTE:
        return len({c.cluster for c in clues})
    return len(clues)


def submit(*, question: Question, expected_version: int, user) -> tuple[Question, str, str]:
    """A count that matches its clues enters the pool with the final interval (the union of the drafted
    interval and the clues' span); a mismatch goes to the arbitration queue."""
    with transaction.atomic():
        current = Question.objects.select_for_update().select_related("video").get(pk=question.pk)
        if current.version != expected_version:
            raise Stale(current, what="question")
        if current.state == QuestionState.SECOND_PASS:
            return hooks.submit_second_pass(question=current, user=user)
        if current.state not in EDITABLE_STATES:
            raise NotEditable(f"the question is {current.get_state_display().lower()} already")
        if not editable_by(current, user):
            raise NotEditable(why_not_editable(current, user))
        # What is stored passed the checks when it was saved; submitting checks it whole again, so that a row
        # changed by any other path never reaches the pool as it is.
        validate_doc(doc_of(current), video=current.video)
        if current.drafted_answer is None or current.ref_start is None:
            raise Invalid({"drafted_answer": "draft the count and mark the reference interval before submitting"})
        before = doc_of(current)
        clues = list(current.clues.all())
        count = clue_count(current, clues)
        if count == current.drafted_answer:
            current.final_start, current.final_end = final_interval(current, clues)
            current.state = QuestionState.POOLED
            outcome = "pooled"
            message = f"In the pool; final interval {current.final_start:.2f}-{current.final_end:.2f} s."
        else:
            current.state = QuestionState.ARBITRATION
            outcome = "arbitration"
            message = f"Sent to arbitration: {count} clue(s) for a count of {current.drafted_answer}."
        current.version += 1
        current.claimed_by = current.claimed_at = None
        current.save()
        audit.record(project=current.video.project_id, actor=user, action=f"question.submit.{outcome}",
                     target_type="question", target_id=current.pk, before=before, after=doc_of(current))
        hooks.question_submitted(question=current, outcome=outcome, user=user)
    return current, outcome, message


def next_question(*, project: Project, user) -> Question | None:
    """Hand the user a question to work on: theirs first, then unassigned ones, never one another person
    holds (SELECT ... FOR UPDATE SKIP LOCKED, so concurrent requests get different rows); claims expire."""
    stale = timezone.now() - CLAIM_TTL
    with transaction.atomic():
        base = Question.objects.filter(video__project=project, state__in=EDITABLE_STATES)
        free = base.filter(claimed_by__isnull=True) | base.filter(claimed_at__lt=stale) | base.filter(claimed_by=user)
        for preference in (free.filter(annotator=user), free.filter(annotator__isnull=True), free):
            question = preference.order_by("id").select_for_update(skip_locked=True, of=("self",)).first()
            if question is not None:
                question.claimed_by, question.claimed_at = user, timezone.now()
                if question.annotator_id is None:
                    question.annotator = user
                question.save(update_fields=["claimed_by", "claimed_at", "annotator"])
                return question
    return None


def claim_holder(question: Question, user):
    """Someone else's live claim on a question being worked on: who was handed it (``next_question``), or saved it
    last, less than CLAIM_TTL ago. None when the user may work on it."""
    if question.claimed_by_id is None or question.claimed_by_id == user.pk or question.claimed_at is None:
        return None
    if question.claimed_at < timezone.now() - CLAIM_TTL:
        return None
    return question.claimed_by


def editable_by(question: Question, user) -> bool:
    """Whether `user` may change the question's document now: while it is being worked on, unless someone else
    holds it (a reviewer or manager takes it over explicitly: ``take_over``); in arbitration or in the pool, when
    the user holds its arbitration or audit item (to fix the count or the clues before deciding); a second pass,
    by its annotator while they hold its double-annotation item."""
    if question.state in EDITABLE_STATES:
        return claim_holder(question, user) is None
    return hooks.held_by(question=question, user=user)


def why_not_editable(question: Question, user) -> str:
    holder = claim_holder(question, user) if question.state in EDITABLE_STATES else None
    if holder is not None:
        return (f"{holder.get_username()} is working on this question (since {question.claimed_at:%H:%M} UTC); "
                "a reviewer or a manager can take it over")
    return f"the question is {question.get_state_display().lower()}; it can no longer be edited"


def take_over(*, question: Question, user) -> Question:
    """A reviewer or manager takes a question someone else holds: the claim is theirs now, and the log says whose
    it was. The other person's next save is refused and tells them why."""
    with transaction.atomic():
        current = Question.objects.select_for_update(of=("self",)).select_related("video", "claimed_by").get(pk=question.pk)
        if current.state not in EDITABLE_STATES:
            raise NotEditable(f"the question is {current.get_state_display().lower()}; there is no claim to take")
        holder = current.claimed_by
        before = {"claimed_by": holder.get_username() if holder else None,
                  "claimed_at": current.claimed_at.isoformat() if current.claimed_at else None}
        current.claimed_by, current.claimed_at = user, timezone.now()
        current.save(update_fields=["claimed_by", "claimed_at"])
        audit.record(project=current.video.project_id, actor=user, action="question.take_over",
                     target_type="question", target_id=current.pk, before=before,
                     after={"claimed_by": user.get_username(), "claimed_at": current.claimed_at.isoformat()})
    return current


class Hidden(LookupError):
    """The question is not to be shown to this user (double annotation is blind: see ``hooks.hidden_questions``)."""


def visible(queryset, *, user):
    """The questions of `queryset` that the user may see."""
    return queryset.exclude(hooks.hidden_questions(user=user))


def may_see(question: Question, *, user) -> bool:
    return visible(Question.objects.filter(pk=question.pk), user=user).exists()


def doc_for(question: Question, user) -> dict:
    """The document as the workspace gets it: with whether this user may edit it. Hidden (see
    annotation.review.double) for a user who must not see it."""
    if not may_see(question, user=user):
        raise Hidden(question.pk)
    holder = claim_holder(question, user) if question.state in EDITABLE_STATES else None
    held = {"username": holder.get_username(), "since": question.claimed_at.isoformat()} if holder else None
    can_take_over = held is not None and selectors.can(user=user, project=question.video.project,
                                                        capability=Capability.REVIEW)
    return {**doc_of(question), "editable": editable_by(question, user), "held_by": held,
            "can_take_over": can_take_over}


def doc_of(question: Question) -> dict:
    clues = []
    for c in sorted(question.clues.all(), key=lambda c: c.pk):
        if c.kind == Category.EVENT:
            clues.append({"kind": c.kind, "start": c.start, "end": c.end})
            if c.proposal_id is not None:
                clues[-1]["proposal"] = c.proposal_id
        else:
            clues.append({"kind": c.kind, "frame_index": c.frame_index, "x1": c.x1, "y1": c.y1, "x2": c.x2,
                          "y2": c.y2, "cluster": c.cluster})
            if c.proposal_id is not None:
                clues[-1]["proposal"] = c.proposal_id
    return {
        "id": question.pk, "video": question.video_id, "text": question.text, "category": question.category,
        "modality": question.modality, "drafted_answer": question.drafted_answer, "ref_start": question.ref_start,
        "ref_end": question.ref_end, "clusters": question.clusters or [], "clues": clues, "state": question.state,
        "version": question.version,
        "rejected_proposals": sorted(
            ClueProposal.objects.filter(question=question, state=Decision.REJECTED).values_list("pk", flat=True)),
    }


def _locked_proposal(question: Question, proposal_id: int, expected_version: int) -> tuple[Question, ClueProposal]:
    """The question, locked and at the version the person saw, and one of its proposals (inside a transaction)."""
    current = Question.objects.select_for_update().select_related("video").get(pk=question.pk)
    if current.version != expected_version:
        raise Stale(current, what="question")
    proposal = ClueProposal.objects.filter(question=current, pk=proposal_id).first()
    if proposal is None:
        raise NotMember(f"question {current.pk} has no proposal {proposal_id}")
    return current, proposal


def accept_proposal(*, question: Question, proposal_id: int, expected_version: int, user,
                    cluster: str | None = None) -> Question:
    """A person accepts a machine proposal: it becomes one of their clues, linked to the proposal (its model,
    version and score), through the one write path (version, claim, limits and checks of ``save_doc``). An
    attribute proposal goes into ``cluster`` (default: the question's first cluster)."""
    with transaction.atomic():
        current, proposal = _locked_proposal(question, proposal_id, expected_version)
        doc = doc_of(current)
        if any(c.get("proposal") == proposal.pk for c in doc["clues"]):
            raise NotEditable(f"proposal {proposal.pk} is accepted already")
        if proposal.kind == Category.EVENT:
            doc["clues"].append({"kind": proposal.kind, "start": proposal.start, "end": proposal.end,
                                 "proposal": proposal.pk})
        else:
            names = [c.get("name") for c in doc["clusters"]]
            if proposal.kind == Category.ATTRIBUTE and cluster is None:
                if not names:
                    raise NotEditable("make a cluster first: an attribute clue belongs to one")
                cluster = names[0]
            doc["clues"].append({"kind": proposal.kind, "frame_index": proposal.frame_index, "x1": proposal.x1,
                                 "y1": proposal.y1, "x2": proposal.x2, "y2": proposal.y2,
                                 "cluster": cluster or "", "proposal": proposal.pk})
        doc["rejected_proposals"] = [pk for pk in doc["rejected_proposals"] if pk != proposal.pk]
        return save_doc(question=current, expected_version=expected_version, doc=doc, user=user,
                        action="question.proposal.accept")


def reject_proposal(*, question: Question, proposal_id: int, expected_version: int, user) -> Question:
    """A person rejects a machine proposal: remembered, so that a rerun does not propose the event again; a clue
    made from it is removed."""
    with transaction.atomic():
        current, proposal = _locked_proposal(question, proposal_id, expected_version)
        doc = doc_of(current)
        if proposal.pk in doc["rejected_proposals"]:
            raise NotEditable(f"proposal {proposal.pk} is rejected already")
        doc["clues"] = [c for c in doc["clues"] if c.get("proposal") != proposal.pk]
        doc["rejected_proposals"].append(proposal.pk)
        return save_doc(question=current, expected_version=expected_version, doc=doc, user=user,
                        action="question.proposal.reject")
