"""The split into one app per domain moves models between apps, not data: a database made by the migrations from
before the split (every model with rows in it) migrates forward with every row intact, and what pointed at a
moved model's content type (a job's target) still finds it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

#: The last migrations before the split.
BEFORE = [("annotation", "0009_second_pass_draft"), ("pipeline", "0001_initial"),
          ("benchmark", "0004_submission_scored_indices")]
#: The apps the split made; before it, none of their migrations had run.
DOMAIN_APPS = ["projects", "jobs", "videos", "counting", "avst", "review", "releases"]
#: Old model (app label, name) -> the model that holds its table now.
MOVED = {
    ("annotation", "Project"): "projects.Project", ("annotation", "Membership"): "projects.Membership",
    ("annotation", "AuditEntry"): "projects.AuditEntry", ("annotation", "Video"): "videos.Video",
    ("annotation", "CandidateQuestion"): "counting.CandidateQuestion", ("annotation", "Question"): "counting.Question",
    ("annotation", "Clue"): "counting.Clue", ("annotation", "Event"): "avst.Event",
    ("annotation", "AVObject"): "avst.AVObject", ("annotation", "BoxProposal"): "avst.BoxProposal",
    ("annotation", "QAPair"): "avst.QAPair", ("annotation", "ReviewItem"): "review.ReviewItem",
    ("annotation", "Comment"): "review.Comment", ("pipeline", "Job"): "jobs.Job", ("pipeline", "LLMCall"): "jobs.LLMCall",
    ("benchmark", "Release"): "releases.Release", ("benchmark", "ReleaseFile"): "releases.ReleaseFile",
    ("benchmark", "Submission"): "releases.Submission",
}


def _fill(apps) -> None:
    """One row or more of every model of the old apps, through the models as they were before the split."""
    M = lambda label: apps.get_model(*label.split("."))  # noqa: E731
    now = timezone.now()
    user = M("auth.User").objects.create(username="before-the-split")
    project = M("annotation.Project").objects.create(name="old", kind="counting", settings={"audit_share": 0.5})
    M("annotation.Membership").objects.create(project=project, user=user, role="manager")
    video = M("annotation.Video").objects.create(
        project=project, title="v", status="ready", fps=25.0, frame_count=250, duration=10.0, width=1280, height=720,
        has_audio=True, proxy="videos/1/proxy.mp4", sha256="a" * 64, meta={"synthetic": {"beeps": 3}})
    call = M("pipeline.LLMCall").objects.create(project=project, provider="openai", model="gpt", prompt_version="v1",
                                                input_hash="b" * 64, outcome="ok", tokens_in=10, cost_usd="0.001")
    candidate = M("annotation.CandidateQuestion").objects.create(
        video=video, text="How many beeps?", category="event", modality="A", source="model", llm_call=call,
        model="gpt", prompt_version="stage1_questions/v1", state="accepted", decided_by=user, decided_at=now)
    question = M("annotation.Question").objects.create(
        video=video, candidate=candidate, text="How many beeps?", category="event", modality="A", drafted_answer=1,
        ref_start=1.0, ref_end=5.0, final_start=1.0, final_end=5.0, state="pooled", annotator=user)
    second = M("annotation.Question").objects.create(
        video=video, text="How many beeps?", category="event", modality="A", ref_start=1.0, ref_end=5.0,
        state="second_pass", second_pass_of=question, annotator=user)
    M("annotation.Clue").objects.create(question=question, kind="event", start=2.0, end=2.5, created_by=user)
    M("annotation.Clue").objects.create(question=second, kind="event", start=2.1, end=2.4, created_by=user)
    event = M("annotation.Event").objects.create(video=video, number=1, label="a dog barks", start=0.5, end=3.5,
                                                 audibility_call=call, state="accepted", reviewed_by=user,
                                                 reviewed_at=now)
    obj = M("annotation.AVObject").objects.create(event=event, name="dog", audibility="audible", source="model",
                                                  model="gpt", prompt_version="avst_audibility/v1", llm_call=call)
    M("annotation.BoxProposal").objects.create(avobject=obj, timestamp=0.5, frame_index=12, x1=1, y1=2, x2=30, y2=40,
                                               score=0.9, source="model", model="gsam2")
    pair = M("annotation.QAPair").objects.create(video=video, event=event, task="AVTR", template="avtr",
                                                 question="When?", answer={"raw": "<answer/>"}, state="accepted")
    item = M("annotation.ReviewItem").objects.create(project=project, queue="audit", question=question)
    M("annotation.ReviewItem").objects.create(project=project, queue="qa", qa_pair=pair, state="claimed",
                                              claimed_by=user, claimed_at=now)
    M("annotation.Comment").objects.create(project=project, question=question, review_item=item, author=user,
                                           text="check 2 s", time=2.0)
    M("annotation.AuditEntry").objects.create(project=project, actor=user, action="question.save",
                                              target_type="question", target_id=question.pk, after={"text": "x"})
    video_type = M("contenttypes.ContentType").objects.get_or_create(app_label="annotation", model="video")[0]
    M("pipeline.Job").objects.create(kind="media.process_video", queue="media", project=project,
                                     target_type=video_type, target_id=video.pk, target_label="v", state="succeeded",
                                     finished_at=now, params={"video_id": video.pk})
    release = M("benchmark.Release").objects.create(project=project, version="1.0.0", format="cg-av-counting",
                                                    created_by=user)
    M("benchmark.ReleaseFile").objects.create(release=release, path="cg-av-counting.json", sha256="c" * 64,
                                              size_bytes=12)
    M("benchmark.Submission").objects.create(release=release, model_name="model", state="scored",
                                             metrics={"long_acc/acc": 0.5})


def _rows(apps, label: str) -> list[dict]:
    model = apps.get_model(*label.split("."))
    return list(model.objects.order_by("pk").values())


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_split_moves_forward_with_every_row():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE + [(app, None) for app in DOMAIN_APPS])
        executor.loader.build_graph()
        old_apps = executor.loader.project_state(BEFORE).apps
        _fill(old_apps)
        before = {old: _rows(old_apps, f"{old[0]}.{old[1]}") for old in MOVED}
        assert all(before.values()), "every old model has rows"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    from django.apps import apps

    for old, new in MOVED.items():
        # Columns added by later migrations (a job's lease, say) are not the split's business.
        after = [{key: row[key] for key in was} for row, was in zip(_rows(apps, new), before[old])]
        assert len(_rows(apps, new)) == len(before[old]) and after == before[old], f"{old} -> {new}"
    job = apps.get_model("jobs", "Job").objects.get()
    assert job.target_type == ContentType.objects.get(app_label="videos", model="video")
    assert job.target == apps.get_model("videos", "Video").objects.get()
    assert not ContentType.objects.filter(app_label__in=["annotation", "pipeline", "benchmark"]).exists()
