"""The database itself refuses rows that break the domain's rules, whatever code writes them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotation.avst.models import AVObject, BoxProposal, Event
from annotation.counting.models import CandidateQuestion, Clue, Question, QuestionState
from annotation.projects.models import Membership, Project, Role, Source
from annotation.review.models import ReviewItem
from benchmark.releases.models import Release, ReleaseState
from pipeline.jobs.models import Job, JobState, LLMCall
from pipeline.videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=30.0, fps=25.0)


@pytest.fixture
def question(video):
    return Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")


@pytest.fixture
def event(video):
    return Event.objects.create(video=video, label="a dog barks", start=1.0, end=4.0)


def refused(factory):
    with pytest.raises(IntegrityError) as info:
        with transaction.atomic():
            factory()
    return str(info.value)


def test_membership_is_unique_and_role_valid(team):
    assert "membership_unique_per_project" in refused(
        lambda: Membership.objects.create(project=team.project, user=team.annotator, role=Role.REVIEWER)
    )
    assert "membership_role_valid" in refused(
        lambda: Membership.objects.create(project=team.other_project, user=team.annotator, role="owner")
    )


def test_project_kind_and_name(db):
    assert "project_kind_valid" in refused(lambda: Project.objects.create(name="x", kind="other"))
    assert "project_name_not_empty" in refused(lambda: Project.objects.create(name="", kind="counting"))


def test_video_rules(team, video):
    sha = "ab" * 32
    Video.objects.filter(pk=video.pk).update(sha256=sha)
    assert "video_unique_content_per_project" in refused(
        lambda: Video.objects.create(project=team.project, title="copy", sha256=sha)
    )
    # The same content may sit in another project.
    Video.objects.create(project=team.other_project, title="copy", sha256=sha)
    assert "video_sha256_hex" in refused(lambda: Video.objects.create(project=team.project, title="x", sha256="XYZ"))
    assert "video_duration_pos" in refused(lambda: Video.objects.create(project=team.project, title="x", duration=0))
    assert "video_failed_has_error" in refused(
        lambda: Video.objects.create(project=team.project, title="x", status=VideoStatus.FAILED)
    )
    assert "video_ready_has_proxy" in refused(
        lambda: Video.objects.create(project=team.project, title="x", status=VideoStatus.READY)
    )


def test_candidate_needs_provenance_and_a_valid_interval(video):
    assert "candidate_model_provenance" in refused(
        lambda: CandidateQuestion.objects.create(
            video=video, text="How many?", category="event", modality="A", source=Source.MODEL
        )
    )
    assert "candidate_interval_ok" in refused(
        lambda: CandidateQuestion.objects.create(
            video=video, text="How many?", category="event", modality="A", source=Source.HUMAN,
            query_start=10, query_end=5,
        )
    )
    assert "candidate_modality_valid" in refused(
        lambda: CandidateQuestion.objects.create(video=video, text="How many?", category="event", modality="X", source="human")
    )


def test_question_workflow_rules(video, question):
    assert "question_ref_interval_ok" in refused(lambda: Question.objects.filter(pk=question.pk).update(ref_start=5, ref_end=5))
    assert "question_answered_has_draft" in refused(
        lambda: Question.objects.filter(pk=question.pk).update(state=QuestionState.ANSWERED)
    )
    Question.objects.filter(pk=question.pk).update(state=QuestionState.ANSWERED, drafted_answer=3, ref_start=1, ref_end=9)
    assert "question_pooled_has_final_interval" in refused(
        lambda: Question.objects.filter(pk=question.pk).update(state=QuestionState.POOLED)
    )
    assert "question_version_pos" in refused(lambda: Question.objects.filter(pk=question.pk).update(version=0))


def test_clue_shape_follows_its_kind(question):
    Clue.objects.create(question=question, kind="event", start=1.0, end=2.0)
    Clue.objects.create(question=question, kind="object", frame_index=25, timestamp=1.02, x1=1, y1=2, x2=30, y2=40)
    Clue.objects.create(
        question=question, kind="attribute", frame_index=25, timestamp=1.02, x1=1, y1=2, x2=30, y2=40, cluster="red"
    )
    assert "clue_shape_matches_kind" in refused(lambda: Clue.objects.create(question=question, kind="event", start=2, end=1))
    assert "clue_shape_matches_kind" in refused(
        lambda: Clue.objects.create(question=question, kind="event", start=1, end=2, frame_index=3)
    )
    assert "clue_shape_matches_kind" in refused(
        lambda: Clue.objects.create(question=question, kind="object", frame_index=3, timestamp=0.1, x1=10, y1=0, x2=5, y2=9)
    )
    assert "clue_shape_matches_kind" in refused(
        lambda: Clue.objects.create(question=question, kind="object", x1=1, y1=0, x2=5, y2=9)
    )
    assert "clue_attribute_has_cluster" in refused(
        lambda: Clue.objects.create(question=question, kind="attribute", frame_index=3, timestamp=0.1, x1=1, y1=0, x2=5, y2=9)
    )


def test_avst_rules(event):
    assert "event_interval_ok" in refused(
        lambda: Event.objects.create(video=event.video, number=2, label="x", start=3, end=1)
    )
    assert "event_number_pos" in refused(lambda: Event.objects.create(video=event.video, number=0, start=5, end=6))
    obj = AVObject.objects.create(event=event, name="dog", audibility="audible", source=Source.HUMAN)
    assert "avobject_unique_name_per_event" in refused(
        lambda: AVObject.objects.create(event=event, name="dog", audibility="visible_only", source=Source.HUMAN)
    )
    assert "avobject_model_provenance" in refused(
        lambda: AVObject.objects.create(event=event, name="cat", audibility="audible", source=Source.MODEL)
    )
    BoxProposal.objects.create(
        avobject=obj, timestamp=1.5, frame_index=37, x1=0, y1=0, x2=10, y2=10, score=0.8, source=Source.MODEL,
        model="grounded-sam2",
    )
    assert "box_score_unit" in refused(
        lambda: BoxProposal.objects.create(
            avobject=obj, timestamp=2.5, frame_index=62, x1=0, y1=0, x2=10, y2=10, score=1.5, source="model", model="g"
        )
    )
    assert "box_coordinates_ok" in refused(
        lambda: BoxProposal.objects.create(avobject=obj, timestamp=2.5, frame_index=62, x1=-1, y1=0, x2=10, y2=10, source="human")
    )
    assert "box_model_provenance" in refused(
        lambda: BoxProposal.objects.create(avobject=obj, timestamp=2.5, frame_index=62, x1=0, y1=0, x2=10, y2=10, source="model")
    )


def test_review_item_rules(team, question):
    assert "reviewitem_one_subject" in refused(lambda: ReviewItem.objects.create(project=team.project, queue="arbitration"))
    assert "reviewitem_claim_has_owner" in refused(
        lambda: ReviewItem.objects.create(project=team.project, queue="audit", question=question, state="claimed")
    )
    assert "reviewitem_done_has_decision" in refused(
        lambda: ReviewItem.objects.create(project=team.project, queue="audit", question=question, state="done")
    )


def test_job_rules(team):
    assert "job_progress_bounded" in refused(
        lambda: Job.objects.create(kind="k", queue="media", progress_done=5, progress_total=3)
    )
    assert "job_failed_has_error" in refused(
        lambda: Job.objects.create(kind="k", queue="media", state=JobState.FAILED, finished_at=timezone.now())
    )
    assert "job_finished_dated" in refused(lambda: Job.objects.create(kind="k", queue="media", state=JobState.SUCCEEDED))


def test_llm_call_rules(team):
    assert "llmcall_hash_hex" in refused(
        lambda: LLMCall.objects.create(provider="openai", model="m", prompt_version="v1", input_hash="nothex", outcome="ok")
    )
    assert "llmcall_failure_has_reason" in refused(
        lambda: LLMCall.objects.create(provider="openai", model="m", prompt_version="v1", input_hash="0" * 64, outcome="invalid")
    )


def test_release_rules(team):
    Release.objects.create(project=team.project, version="1.2.3", format="r-avst")
    assert "release_unique_version" in refused(
        lambda: Release.objects.create(project=team.project, version="1.2.3", format="r-avst")
    )
    assert "release_version_semver" in refused(
        lambda: Release.objects.create(project=team.project, version="v1", format="r-avst")
    )
    assert "release_frozen_has_manifest" in refused(
        lambda: Release.objects.create(project=team.project, version="2.0.0", format="r-avst", state=ReleaseState.FROZEN)
    )
