"""The quality page (per-annotator throughput from active time, arbitration rate, audit outcomes, agreement) and the
funnel page (counting and R-AVST), on the real PostgreSQL."""

from datetime import datetime, timedelta
from datetime import timezone as tz

import pytest
from django.urls import reverse
from django.utils import timezone

from annotation.avst.models import Event, QAPair
from annotation.counting.models import CandidateQuestion, Clue, Question
from annotation.projects.models import AuditEntry, Membership, Project, ProjectKind, Role, Source
from annotation.review import quality
from annotation.review.models import ReviewItem
from benchmark.releases.models import Release
from pipeline.jobs.models import LLMCall
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=tz.utc)


def minutes(*offsets):
    return [T0 + timedelta(minutes=m) for m in offsets]


def test_active_time_cuts_sessions_at_gaps_over_ten_minutes():
    assert quality.active_time([]) == (timedelta(0), 0)
    assert quality.active_time(minutes(0)) == (timedelta(minutes=2), 1)
    # 0-3 is one session (3 min + 2), exactly 10 minutes later still the same session, 20.5 minutes later a new one.
    active, sessions = quality.active_time(minutes(13, 0, 3, 1, 33.5))
    assert sessions == 2
    assert active == timedelta(minutes=13 + 2) + timedelta(minutes=2)


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720, status="ready", proxy="videos/proxy/v.mp4", has_audio=True)


@pytest.fixture
def second(team, django_user_model):
    user = django_user_model.objects.create_user(username="second-annotator", password="x")
    Membership.objects.create(project=team.project, user=user, role=Role.ANNOTATOR)
    return user


def question(video, annotator, state="pooled", **kwargs):
    fields = {"drafted_answer": 1, "ref_start": 1.0, "ref_end": 9.0}
    if state == "pooled":
        fields.update(final_start=1.0, final_end=9.0)
    fields.update(kwargs)
    return Question.objects.create(video=video, text="How many beeps?", category="event", modality="A",
                                   annotator=annotator, state=state, **fields)


def log(project, actor, action, target, at):
    entry = AuditEntry.objects.create(project=project, actor=actor, action=action, target_type="question",
                                      target_id=target.pk, after={"id": target.pk})
    AuditEntry.objects.filter(pk=entry.pk).update(at=at)


def done(project, queue, q, decision, result=None):
    return ReviewItem.objects.create(project=project, queue=queue, question=q, state="done", decision=decision,
                                     decided_at=timezone.now(), result=result or {})


@pytest.fixture
def worked(team, video, second):
    project, annotator = team.project, team.annotator
    q1 = question(video, annotator)
    q2 = question(video, annotator, state="arbitration")
    for m in (0, 5):
        log(project, annotator, "question.save", q1, T0 + timedelta(minutes=m))
    log(project, annotator, "question.submit.pooled", q1, T0 + timedelta(minutes=8))
    log(project, annotator, "question.save", q2, T0 + timedelta(minutes=40))
    log(project, annotator, "question.submit.arbitration", q2, T0 + timedelta(minutes=40))
    # A second pass (of the other annotator's question) counts as work and as a submission, not in the
    # arbitration rate.
    theirs = question(video, second)
    blind = question(video, annotator, state="second_pass", second_pass_of=theirs)
    log(project, annotator, "question.save", blind, T0 + timedelta(minutes=44))
    log(project, annotator, "double.submit", blind, T0 + timedelta(minutes=45))
    # Other actions are not work in the workspace.
    log(project, annotator, "review.arbitration.keep", q2, T0 + timedelta(minutes=90))
    for k in range(3):
        Clue.objects.create(question=q1, kind="event", start=1.0 + k, end=1.5 + k, created_by=annotator)

    done(project, "audit", q1, "approve")
    done(project, "audit", q2, "approve")
    done(project, "audit", q1, "send_back")
    done(project, "audit", q1, "restored")
    ReviewItem.objects.create(project=project, queue="audit", question=q2)

    # Two pairs with the second annotator: one item on the first pass, one on the second pass.
    pass1 = question(video, second, state="second_pass", second_pass_of=q1)
    q3 = question(video, annotator)
    pass3 = question(video, second, state="second_pass", second_pass_of=q3)
    done(project, "double", q1, "measured", {"wcs": 0.8, "exact": True, "off_by_one": True})
    done(project, "double", pass3, "measured", {"wcs": 0.6, "exact": False, "note": "x"})
    return {"q1": q1, "q2": q2, "pass1": pass1}


def test_annotator_rows(team, worked, second):
    rows = {r.username: r for r in quality.annotator_quality(project=team.project)}
    assert set(rows) == {"annotator-user", "reviewer-user", "manager-user", "second-annotator"}
    mine = rows["annotator-user"]
    assert mine.sessions == 2 and mine.active == timedelta(minutes=(8 + 2) + (5 + 2))
    assert mine.submitted == 3 and mine.first_passes == 2 and mine.arbitrated == 1 and mine.arbitration_rate == 0.5
    assert mine.clues == 3
    assert mine.submitted_per_hour == pytest.approx(3 / (17 / 60)) and mine.clues_per_hour == pytest.approx(3 / (17 / 60))
    assert mine.audit == {"approve": 2, "fix": 0, "send_back": 1}
    assert mine.pairs == 2
    assert mine.agreement == {"wcs": pytest.approx(0.7), "exact": 0.5, "off_by_one": 1.0}
    assert rows["second-annotator"].agreement == mine.agreement
    idle = rows["reviewer-user"]
    assert idle.active == timedelta(0) and idle.submitted_per_hour is None and idle.arbitration_rate is None
    assert idle.agreement == {"wcs": None, "exact": None, "off_by_one": None}


def test_a_single_annotators_row(team, worked):
    [row] = quality.annotator_quality(project=team.project, user=team.annotator)
    assert row.username == "annotator-user" and row.submitted == 3 and row.pairs == 2


def test_quality_pages(team, worked, client):
    client.force_login(team.reviewer)
    page = client.get(reverse("quality", args=[team.project.pk])).content.decode()
    assert 'data-user="annotator-user"' in page and 'data-user="second-annotator"' in page
    assert 'data-col="arbitration-rate">50% (1/2)' in page
    assert 'data-col="wcs">0.700' in page

    client.force_login(team.annotator)
    assert client.get(reverse("quality", args=[team.project.pk])).status_code == 403
    page = client.get(reverse("quality-me", args=[team.project.pk])).content.decode()
    assert 'data-user="annotator-user"' in page and 'data-user="second-annotator"' not in page
    assert 'data-col="clues-per-hour">10.6' in page

    client.force_login(team.manager)
    page = client.get(reverse("quality-me", args=[team.project.pk])).content.decode()
    assert 'data-col="wcs">—' in page and 'data-col="arbitration-rate">—' in page


def test_counting_funnel(team, video, worked, django_assert_max_num_queries):
    for state in ("proposed", "accepted", "accepted", "rejected"):
        CandidateQuestion.objects.create(video=video, text="How many?", category="event", modality="A",
                                         source=Source.HUMAN, state=state, decided_at=timezone.now(),
                                         reject_reason="vague" if state == "rejected" else "")
    Question.objects.create(video=video, text="Draft", category="event", modality="A")
    question(video, team.annotator, state="rejected")
    Release.objects.create(project=team.project, version="1.0.0", format="cg-av-counting", state="frozen",
                           manifest={"counts": {"questions": 1}}, frozen_at=timezone.now() - timedelta(days=1))
    Release.objects.create(project=team.project, version="1.1.0", format="cg-av-counting", state="frozen",
                           manifest={"counts": {"questions": 2}}, frozen_at=timezone.now())
    Release.objects.create(project=team.project, version="1.2.0", format="cg-av-counting")

    with django_assert_max_num_queries(3):
        steps = {s.key: s for s in quality.funnel(project=team.project)}
    counts = {key: s.count for key, s in steps.items()}
    # q1, q2, q3, theirs and the rejected one are answered; the draft is not; second passes are left out.
    assert counts == {"proposed": 4, "accepted": 2, "candidates_rejected": 1, "answered": 5, "clued": 1,
                      "pooled": 3, "arbitration": 1, "rejected": 1, "released": 2}
    assert steps["accepted"].share == 0.5 and steps["clued"].share == 0.2 and steps["pooled"].share == 3.0
    assert steps["released"].share == pytest.approx(2 / 3) and "1.1.0" in steps["released"].note
    assert steps["proposed"].share is None and steps["answered"].scale == 1.0 and steps["proposed"].scale == 0.8


def test_funnel_page(team, video, client):
    client.force_login(team.annotator)
    assert client.get(reverse("funnel", args=[team.project.pk])).status_code == 403
    client.force_login(team.reviewer)
    page = client.get(reverse("funnel", args=[team.project.pk])).content.decode()
    assert 'data-step="proposed"' in page and "no frozen release yet" in page


def test_avst_funnel(team, django_user_model, client):
    project = Project.objects.create(name="gamma", kind=ProjectKind.AVST)
    Membership.objects.create(project=project, user=team.reviewer, role=Role.REVIEWER)
    videos = [Video.objects.create(project=project, title=f"u{k}", external_id=f"u{k}") for k in range(4)]
    Video.objects.filter(pk=videos[0].pk).update(filter_group="short")
    Video.objects.filter(pk=videos[1].pk).update(filter_group="long")
    Video.objects.filter(pk=videos[2].pk).update(filter_group="short", filter_rule="too_many_events",
                                                 filter_reason="12 events")
    call = LLMCall.objects.create(project=project, provider="openai", model="gpt-4o-mini", prompt_version="avst-v1",
                                  input_hash="b" * 64, outcome="ok")
    events = [Event.objects.create(video=videos[0], number=k + 1, label="dog", start=k, end=k + 1) for k in range(3)]
    Event.objects.filter(pk__in=[e.pk for e in events[:2]]).update(audibility_call=call)
    Event.objects.filter(pk=events[0].pk).update(detected_at=timezone.now(), state="accepted")
    for state in ("proposed", "accepted", "accepted"):
        QAPair.objects.create(video=videos[0], event=events[0], task="AVTR", template="t", question="When?",
                              answer={"raw": "1"}, state=state)
    Release.objects.create(project=project, version="0.1.0", format="r-avst", state="frozen",
                           manifest={"counts": {"qa_pairs": 2, "videos": 1}}, frozen_at=timezone.now())

    counts = {s.key: s.count for s in quality.funnel(project=project)}
    assert counts == {"imported": 4, "kept": 2, "events": 3, "analysed": 2, "detected": 1, "events_accepted": 1,
                      "pairs": 3, "pairs_accepted": 2, "released": 2}
    client.force_login(team.reviewer)
    page = client.get(reverse("funnel", args=[project.pk])).content.decode()
    assert 'data-step="analysed"' in page and "Videos kept by filtering" in page

    # As the R-AVST overview counts them: objects given by hand make an event analysed, a reviewer's box makes it
    # boxed, and events of a removed video are out.
    from annotation.avst import selectors as avst_selectors
    from annotation.avst.models import AVObject, BoxProposal

    by_hand = AVObject.objects.create(event=events[2], name="cat", audibility="audible", source="human")
    BoxProposal.objects.create(avobject=by_hand, timestamp=2.5, frame_index=0, x1=1, y1=1, x2=5, y2=5,
                               source="human")
    Event.objects.create(video=videos[2], number=1, label="removed", start=0, end=1)
    counts = {s.key: s.count for s in quality.funnel(project=project)}
    assert (counts["events"], counts["analysed"], counts["detected"]) == (3, 3, 2)
    overview = avst_selectors.overview(project=project)["events"]
    assert (overview["total"], overview["analysed"], overview["detected"]) == (3, 3, 2)
    rows = {v.pk: v.n_detected for v in avst_selectors.video_rows(project=project)}
    assert rows[videos[0].pk] == 2 and rows[videos[1].pk] == 0


def test_project_home_links(team, client):
    home = reverse("project-home", args=[team.project.pk])
    client.force_login(team.reviewer)
    page = client.get(home).content.decode()
    assert reverse("quality", args=[team.project.pk]) in page and reverse("funnel", args=[team.project.pk]) in page
    client.force_login(team.annotator)
    page = client.get(home).content.decode()
    assert reverse("quality-me", args=[team.project.pk]) in page
    assert reverse("funnel", args=[team.project.pk]) not in page
