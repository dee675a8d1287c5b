"""Event clue proposals through the app: computed when an event question enters stage 3, stored with model,
version and score; accepted (a clue that keeps its provenance) and rejected (remembered across reruns) through the
API with the document's version like every other edit; the propose_clues command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from annotation.counting import proposals, workspace
from annotation.counting.models import Clue, ClueProposal, Question, QuestionState
from pipeline.jobs.models import Job, JobState
from pipeline.jobs.services import run_job_here

pytestmark = pytest.mark.django_db

# The ready_video fixture: 4 s, beeps at 0.5-0.7 s and 2.0-2.2 s.
BEEPS = [(0.5, 0.7), (2.0, 2.2)]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(q, tail=""):
    return f"/api/v1/question-docs/{q.pk}/{tail}"


def stage3(team, video, *, count=2, interval=(0.0, 3.5)):
    """An event question drafted through the API: entering stage 3 queues its proposals, run here."""
    q = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    body = {**workspace.doc_of(q), "drafted_answer": count, "ref_start": interval[0], "ref_end": interval[1]}
    response = api(team.annotator).put(url(q), body, format="json")
    assert response.status_code == 200, response.content
    job = Job.objects.get(kind=proposals.KIND_ACOUSTIC, target_id=q.pk)
    assert job.state == JobState.QUEUED and job.queue == "media"
    job = run_job_here(job=job)
    assert job.state == JobState.SUCCEEDED, job.error
    q.refresh_from_db()
    return q


def test_entering_stage_3_computes_the_proposals(team, ready_video):
    q = stage3(team, ready_video)
    rows = list(ClueProposal.objects.filter(question=q).order_by("start"))
    assert len(rows) == 2
    for row, (start, end) in zip(rows, BEEPS):
        assert abs(row.start - start) < 0.05 and abs(row.end - end) < 0.05
        assert row.model == "acoustic-onsets" and row.model_version and 0 < row.score <= 1
        assert row.state == "proposed"
    # Saving again without changing the interval queues nothing; moving it queues again.
    doc = workspace.doc_of(q)
    api(team.annotator).put(url(q), {**doc, "text": "How many beeps sound?"}, format="json")
    assert Job.objects.filter(target_id=q.pk, kind=proposals.KIND_ACOUSTIC).count() == 1
    q.refresh_from_db()
    api(team.annotator).put(url(q), {**workspace.doc_of(q), "ref_start": 1.0}, format="json")
    assert Job.objects.filter(target_id=q.pk, kind=proposals.KIND_ACOUSTIC).count() == 2


def test_list_accept_reject_and_a_stale_version(team, ready_video):
    q = stage3(team, ready_video)
    client = api(team.annotator)
    listed = client.get(url(q, "proposals/"))
    assert listed.status_code == 200
    first, second = listed.data["proposals"]
    assert listed.data["can_request"] is False and listed.data["computing"] is False

    accepted = client.post(url(q, f"proposals/{first['id']}/accept/"), {"version": q.version}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert accepted.data["version"] == q.version + 1
    assert accepted.data["clues"] == [{"kind": "event", "start": first["start"], "end": first["end"],
                                       "proposal": first["id"]}]
    clue = Clue.objects.get(question=q)
    assert clue.proposal_id == first["id"] and clue.created_by == team.annotator
    assert clue.proposal.model == "acoustic-onsets" and clue.proposal.score == first["score"]
    row = ClueProposal.objects.get(pk=first["id"])
    assert row.state == "accepted" and row.decided_by == team.annotator and row.decided_at is not None

    # The old version is stale: 409 with the current document, nothing changed.
    stale = client.post(url(q, f"proposals/{second['id']}/reject/"), {"version": q.version}, format="json")
    assert stale.status_code == 409
    assert stale.data["current"]["version"] == q.version + 1
    assert ClueProposal.objects.get(pk=second["id"]).state == "proposed"

    rejected = client.post(url(q, f"proposals/{second['id']}/reject/"), {"version": q.version + 1}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert rejected.data["rejected_proposals"] == [second["id"]] and len(rejected.data["clues"]) == 1
    assert ClueProposal.objects.get(pk=second["id"]).state == "rejected"

    # Deciding twice, an unknown proposal, no version, another question's proposal.
    assert client.post(url(q, f"proposals/{second['id']}/reject/"), {"version": q.version + 2},
                       format="json").status_code == 409
    assert client.post(url(q, "proposals/999999/accept/"), {"version": q.version + 2},
                       format="json").status_code == 404
    assert client.post(url(q, f"proposals/{first['id']}/accept/"), {}, format="json").status_code == 400
    other = Question.objects.create(video=ready_video, text="Other?", category="event", modality="A")
    assert client.post(url(other, f"proposals/{first['id']}/accept/"), {"version": 1},
                       format="json").status_code == 404


def test_the_document_carries_decisions_with_undo_and_validation(team, ready_video):
    q = stage3(team, ready_video)
    a, b = ClueProposal.objects.filter(question=q).order_by("start")
    client = api(team.annotator)
    doc = workspace.doc_of(q)
    assert doc["rejected_proposals"] == []
    # The workspace accepts and rejects by saving the document (its autosave).
    body = {**doc, "clues": [{"kind": "event", "start": a.start, "end": a.end + 0.05, "proposal": a.pk}],
            "rejected_proposals": [b.pk]}
    saved = client.put(url(q), body, format="json")
    assert saved.status_code == 200, saved.content
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state) == ("accepted", "rejected")
    # Undo: the clue gone and the rejection taken back return both to proposed.
    undone = client.put(url(q), {**saved.data, "clues": [], "rejected_proposals": []}, format="json")
    assert undone.status_code == 200
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state, a.decided_at) == ("proposed", "proposed", None)
    # A client that leaves rejected_proposals out keeps the rejections as they are.
    client.put(url(q), {**undone.data, "rejected_proposals": [b.pk]}, format="json")
    q.refresh_from_db()
    kept = {k: v for k, v in workspace.doc_of(q).items() if k != "rejected_proposals"}
    assert client.put(url(q), kept, format="json").status_code == 200
    b.refresh_from_db()
    assert b.state == "rejected"
    # A link to a proposal that does not exist (any more: a rerun removed it) keeps the clue as a person's.
    q.refresh_from_db()
    gone = client.put(url(q), {**workspace.doc_of(q), "clues": [
        {"kind": "event", "start": 1.0, "end": 2.0, "proposal": 987654}]}, format="json")
    assert gone.status_code == 200 and "proposal" not in gone.data["clues"][0]
    # Bad links are refused with the field path, nothing applied.
    q.refresh_from_db()
    both = client.put(url(q), {**workspace.doc_of(q), "clues": [
        {"kind": "event", "start": 1.0, "end": 2.0, "proposal": b.pk}], "rejected_proposals": [b.pk]}, format="json")
    assert both.status_code == 400 and "rejected_proposals" in both.data["errors"]


def test_a_rerun_keeps_decisions_and_never_brings_a_rejection_back(team, ready_video):
    q = stage3(team, ready_video)
    a, b = ClueProposal.objects.filter(question=q).order_by("start")
    workspace.reject_proposal(question=q, proposal_id=b.pk, expected_version=q.version, user=team.annotator)
    first = proposals.run(question_id=q.pk)
    second = proposals.run(question_id=q.pk)
    assert first == second and second["created"] == 0 and second["already_decided"] == 1
    rows = list(ClueProposal.objects.filter(question=q).order_by("start"))
    assert [(r.pk, r.state) for r in rows] == [(a.pk, "proposed"), (b.pk, "rejected")]
    # A hand-drawn clue over the first beep: the machine does not propose it again either.
    q.refresh_from_db()
    workspace.save_doc(question=q, expected_version=q.version, user=team.annotator, doc={
        **workspace.doc_of(q), "clues": [{"kind": "event", "start": 0.45, "end": 0.75}]})
    proposals.run(question_id=q.pk)
    assert list(ClueProposal.objects.filter(question=q).values_list("pk", flat=True)) == [b.pk]


def test_managers_request_a_rerun_and_others_may_not(team, ready_video):
    q = stage3(team, ready_video)
    assert api(team.annotator).post(url(q, "proposals/request/"), {}, format="json").status_code == 403
    assert api(team.outsider).get(url(q, "proposals/")).status_code == 404
    response = api(team.manager).post(url(q, "proposals/request/"), {}, format="json")
    assert response.status_code == 202 and response.data["queue"] == "media"
    job = Job.objects.get(pk=response.data["job"])
    assert job.params == {"question_id": q.pk}
    # An object question has no event proposals.
    objects = Question.objects.create(video=ready_video, text="How many squares?", category="object", modality="V")
    assert api(team.manager).post(url(objects, "proposals/request/"), {}, format="json").status_code == 409


def test_accepting_goes_through_the_write_path(team, ready_video):
    q = stage3(team, ready_video)
    a = ClueProposal.objects.filter(question=q).first()
    # Someone else holds the question: not editable for the reviewer (409 with the document).
    response = api(team.reviewer).post(url(q, f"proposals/{a.pk}/accept/"), {"version": q.version}, format="json")
    assert response.status_code == 409 and response.data["current"]["id"] == q.pk
    # Submitted questions take no decision.
    q.refresh_from_db()
    workspace.accept_proposal(question=q, proposal_id=a.pk, expected_version=q.version, user=team.annotator)
    q.refresh_from_db()
    Question.objects.filter(pk=q.pk).update(state=QuestionState.POOLED, final_start=0.0, final_end=3.5)
    b = ClueProposal.objects.filter(question=q, state="proposed").first()
    response = api(team.annotator).post(url(q, f"proposals/{b.pk}/accept/"), {"version": q.version}, format="json")
    assert response.status_code == 409


def test_the_command_prints_one_json_object_per_proposal(team, ready_video):
    q = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                drafted_answer=2, ref_start=0.0, ref_end=4.0, state=QuestionState.ANSWERED)
    out = StringIO()
    call_command("propose_clues", "--project", team.project.name, "--question", str(q.pk), "--wait", stdout=out,
                 stderr=StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 2
    for line, (start, end) in zip(lines, BEEPS):
        assert set(line) == {"question", "kind", "start", "end", "score", "model"}
        assert line["question"] == q.pk and line["kind"] == "event" and line["model"] == "acoustic-onsets"
        assert abs(line["start"] - start) < 0.05 and abs(line["end"] - end) < 0.05
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("propose_clues", "--project", "nope", stdout=StringIO())


def test_with_a_clap_folder_the_gpu_queue_scores_against_the_question(team, ready_video, settings, tmp_path):
    import torch

    torch.set_num_threads(1)
    from tests.clap_models import save_clap

    settings.CLUEBENCH_ASSIST_CLAP_PATH = str(save_clap(tmp_path / "clap-tiny"))
    settings.CLUEBENCH_ASSIST_CLAP_MIN_SCORE = 0.0
    q = Question.objects.create(video=ready_video, text="How many beeps?", category="event", modality="A",
                                drafted_answer=2, ref_start=0.0, ref_end=4.0, state=QuestionState.ANSWERED)
    job = proposals.request(question=q, dispatch=False)
    assert job.kind == proposals.KIND_CLAP and job.queue == "gpu"
    job = run_job_here(job=job)
    assert job.state == JobState.SUCCEEDED, job.error
    rows = list(ClueProposal.objects.filter(question=q))
    assert len(rows) == 2 and {r.model for r in rows} == {"clap:clap-tiny"}
    settings.CLUEBENCH_ASSIST_CLAP_MIN_SCORE = 1.01
    job = run_job_here(job=proposals.request(question=q, dispatch=False))
    assert job.state == JobState.SUCCEEDED and not ClueProposal.objects.filter(question=q).exists()
    settings.CLUEBENCH_ASSIST_CLAP_PATH = str(tmp_path / "missing")
    proposals._scorers.clear()
    job = run_job_here(job=proposals.request(question=q, dispatch=False))
    assert job.state == JobState.FAILED and "CLUEBENCH_ASSIST_CLAP_PATH" in job.error


def test_the_demo_question_gets_proposals_with_no_model_weights(team, settings):
    """The demo's event question is in stage 3 before its video exists; opening it in the workspace once the video
    is ready computes its proposals (acoustic onsets: no weights), which match the known beeps."""
    from config.demo import DEMO_QUESTION, ensure_demo_project, ensure_demo_users
    from pipeline.media import synthetic

    ensure_demo_users("demo-test-password")
    project, jobs = ensure_demo_project(videos=1, seconds=20.0, dispatch=False)
    question = Question.objects.get(video__project=project, text=DEMO_QUESTION)
    assert question.state == QuestionState.ANSWERED and (question.ref_start, question.ref_end) == (0.0, 20.0)
    assert proposals.ensure(question=question) is None  # no video yet
    assert run_job_here(job=jobs[0]).state == JobState.SUCCEEDED
    question.refresh_from_db()
    spec = synthetic.demo_spec(seed=1, duration=20.0)
    assert question.drafted_answer == len(spec.beeps)

    client = APIClient()
    client.force_login(question.video.project.memberships.get(role="annotator").user)
    assert client.get(f"/questions/{question.pk}/workspace/").status_code == 200
    job = Job.objects.get(kind=proposals.KIND_ACOUSTIC, target_id=question.pk)
    assert client.get(f"/questions/{question.pk}/workspace/").status_code == 200  # no second job
    assert Job.objects.filter(kind=proposals.KIND_ACOUSTIC, target_id=question.pk).count() == 1
    assert run_job_here(job=job).state == JobState.SUCCEEDED
    from pipeline.assist.events import match

    found = [(p.start, p.end) for p in ClueProposal.objects.filter(question=question)]
    truth = [(b.start, b.end) for b in spec.beeps]
    assert match(found, truth) == len(truth) == len(found)


def test_the_admin_shows_proposals_read_only(team, ready_video, django_user_model):
    from django.test import Client

    q = stage3(team, ready_video)
    a = ClueProposal.objects.filter(question=q).first()
    workspace.accept_proposal(question=q, proposal_id=a.pk, expected_version=q.version, user=team.annotator)
    admin = django_user_model.objects.create_superuser("root-assist", password="pw-root")
    client = Client()
    client.force_login(admin)
    page = client.get(f"/admin/counting/question/{q.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "acoustic-onsets" in html
    # The clue's provenance is shown, not a choice of every proposal of every project.
    assert 'name="clues-0-proposal"' not in html


def test_a_computation_finished_after_a_category_change_stores_nothing(team, ready_video):
    from pipeline.assist.events import SoundEvent
    from pipeline.assist.propose import EventProposals

    q = stage3(team, ready_video)
    interval = (q.ref_start, q.ref_end)
    ClueProposal.objects.filter(question=q).delete()
    # While the job computed, the annotator made it an object question.
    doc = api(team.annotator).get(url(q)).json()
    assert api(team.annotator).put(url(q), {**doc, "category": "object", "clues": []}, format="json").status_code == 200
    result = EventProposals(events=[SoundEvent(start=0.5, end=0.7, score=0.9)], candidates=1, model="acoustic",
                            model_version="v1")
    outcome = proposals.store(question_id=q.pk, result=result, interval=interval)
    assert outcome["stored"] == 0 and "changed" in outcome["skipped"]
    assert not ClueProposal.objects.filter(question=q, kind="event").exists()


def test_an_event_proposal_that_runs_to_the_videos_end_can_be_accepted(team, ready_video):
    import numpy as np

    from pipeline.assist.events import detect_events
    from pipeline.assist.propose import EventProposals

    duration = 4.0106  # not a whole number of milliseconds, as probed lengths rarely are
    ready_video.duration = duration
    ready_video.save(update_fields=["duration"])
    q = stage3(team, ready_video, interval=(2.0, duration))
    rate = 16000
    t = np.arange(int(duration * rate)) / rate
    x = np.random.default_rng(0).normal(0, 0.01, len(t)).astype(np.float32)
    x[t > 3.7] += (0.5 * np.sin(2 * np.pi * 1000 * t[t > 3.7])).astype(np.float32)
    found = detect_events(x, rate, start=q.ref_start, end=q.ref_end)
    ClueProposal.objects.filter(question=q).delete()
    proposals.store(question_id=q.pk, result=EventProposals(events=found, candidates=len(found), model="acoustic",
                                                            model_version="v1"),
                    interval=(q.ref_start, q.ref_end))
    last = ClueProposal.objects.filter(question=q).order_by("-end").first()
    assert last is not None and last.end <= duration
    version = api(team.annotator).get(url(q)).json()["version"]
    response = api(team.annotator).post(url(q, f"proposals/{last.pk}/accept/"), {"version": version}, format="json")
    assert response.status_code == 200, response.content
    assert Clue.objects.filter(question=q, proposal=last, end=last.end).exists()
