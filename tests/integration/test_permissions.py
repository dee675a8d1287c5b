"""Every page and endpoint against every kind of user: anonymous, non-member, annotator, reviewer, manager.

A non-member gets 404 for anything of a project (its existence is not
disclosed) and empty lists; a member whose role is too low gets 403.
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotation.counting.models import CandidateQuestion, Question
from annotation.counting.workspace import doc_of
from annotation.projects.models import Membership, Role, Source
from annotation.review.models import ReviewItem, ReviewQueue
from benchmark.releases.models import Release, Submission
from pipeline.jobs.models import Job, JobState, LLMCall
from pipeline.videos.models import Video

ROLES = ["anonymous", "outsider", "annotator", "reviewer", "manager"]
RANK = {"annotator": 1, "reviewer": 2, "manager": 3}


@pytest.fixture
def world(team):
    project = team.project
    video = Video.objects.create(project=project, title="v", duration=60.0, fps=25.0)
    candidate = CandidateQuestion.objects.create(
        video=video, text="How many beeps?", category="event", modality="A", source=Source.HUMAN
    )
    question = Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")
    review = ReviewItem.objects.create(project=project, queue=ReviewQueue.ARBITRATION, question=question)
    job = Job.objects.create(
        kind="media.synthesize_video", queue="media", project=project, state=JobState.FAILED,
        error="ValueError: boom", finished_at=timezone.now(),
    )
    call = LLMCall.objects.create(
        project=project, provider="openai", model="gpt-4o-mini", prompt_version="stage1-v1", input_hash="a" * 64,
        outcome="ok",
    )
    release = Release.objects.create(project=project, version="1.0.0", format="cg-av-counting")
    submission = Submission.objects.create(release=release, model_name="m")
    membership = Membership.objects.get(project=project, user=team.annotator)
    return {
        "team": team, "project": project, "video": video, "candidate": candidate, "question": question,
        "review": review, "job": job, "call": call, "release": release, "submission": submission,
        "membership": membership,
    }


@dataclass
class Case:
    name: str
    method: str
    url: Callable[[dict], str]
    minimum: str  # the lowest role allowed
    data: Callable[[dict], dict] | None = None
    page: bool = False
    ok: int = 200
    multipart: bool = False


def detail(basename: str, key: str):
    return lambda w: reverse(f"{basename}-detail", args=[w[key].pk])


CASES = [
    # pages
    Case("project home", "get", lambda w: reverse("project-home", args=[w["project"].pk]), "annotator", page=True),
    Case("project jobs page", "get", lambda w: reverse("project-jobs", args=[w["project"].pk]), "annotator", page=True),
    Case("project videos page", "get", lambda w: reverse("project-videos", args=[w["project"].pk]), "annotator", page=True),
    Case("video page", "get", lambda w: reverse("video-detail-page", args=[w["video"].pk]), "annotator", page=True),
    Case("stage 1 overview", "get", lambda w: reverse("stage1", args=[w["project"].pk]), "annotator", page=True),
    Case("stage 1 of a video", "get", lambda w: reverse("stage1-video", args=[w["video"].pk]), "annotator", page=True),
    Case("workspace page", "get", lambda w: reverse("workspace", args=[w["question"].pk]), "annotator", page=True),
    Case("next question", "get", lambda w: reverse("workspace-next", args=[w["project"].pk]), "annotator", page=True,
         ok=302),
    Case("question document", "get", lambda w: reverse("questiondoc-detail", args=[w["question"].pk]), "annotator"),
    Case(
        "save question document", "put", lambda w: reverse("questiondoc-detail", args=[w["question"].pk]), "annotator",
        data=lambda w: {**doc_of(w["question"]), "text": "How many beeps in all?"},
    ),
    Case("question proposals", "get", lambda w: reverse("questiondoc-proposals", args=[w["question"].pk]),
         "annotator"),
    # Permission passes, then the service refuses (an event question has no click-to-box): 409, not 403.
    Case("click-to-box", "post", lambda w: reverse("questiondoc-click-box", args=[w["question"].pk]), "annotator",
         data=lambda w: {"frame_index": 0, "x": 1, "y": 1}, ok=409),
    Case("ask for proposals again", "post", lambda w: reverse("questiondoc-request-proposals",
                                                             args=[w["question"].pk]), "manager", data=lambda w: {},
         ok=409),
    Case("releases page", "get", lambda w: reverse("project-releases", args=[w["project"].pk]), "annotator", page=True),
    Case("release page", "get", lambda w: reverse("release", args=[w["release"].pk]), "annotator", page=True),
    Case("submission page", "get", lambda w: reverse("submission", args=[w["submission"].pk]), "annotator", page=True),
    Case("LLM spend page", "get", lambda w: reverse("llm-spend", args=[w["project"].pk]), "manager", page=True),
    # API: reads
    Case("project detail", "get", detail("project", "project"), "annotator"),
    Case("project summary", "get", lambda w: reverse("project-summary", args=[w["project"].pk]), "annotator"),
    Case("membership detail", "get", detail("membership", "membership"), "annotator"),
    Case("video detail", "get", detail("video", "video"), "annotator"),
    Case("candidate detail", "get", detail("candidate", "candidate"), "annotator"),
    Case("question detail", "get", detail("question", "question"), "annotator"),
    Case("job detail", "get", detail("job", "job"), "annotator"),
    Case("release detail", "get", detail("release", "release"), "annotator"),
    Case("submission detail", "get", detail("submission", "submission"), "annotator"),
    Case("review item detail", "get", detail("reviewitem", "review"), "reviewer"),
    Case("llm call detail", "get", detail("llmcall", "call"), "manager"),
    # API: writes
    Case(
        "create question", "post", lambda w: reverse("question-list"), "annotator",
        data=lambda w: {"video": w["video"].pk, "text": "How many squares?", "category": "object", "modality": "V"},
        ok=201,
    ),
    Case(
        "edit question", "patch", detail("question", "question"), "annotator",
        data=lambda w: {"version": w["question"].version, "text": "How many beeps are heard?"},
    ),
    Case(
        "accept candidate", "post", lambda w: reverse("candidate-accept", args=[w["candidate"].pk]), "annotator",
        data=lambda w: {"version": 1},
    ),
    Case(
        "reject candidate", "post", lambda w: reverse("candidate-reject", args=[w["candidate"].pk]), "annotator",
        data=lambda w: {"version": 1, "reason": "vague"},
    ),
    Case(
        "edit candidate", "patch", lambda w: reverse("candidate-detail", args=[w["candidate"].pk]), "annotator",
        data=lambda w: {"version": 1, "text": "How many beeps in all?"},
    ),
    Case(
        "add question by hand", "post", lambda w: reverse("candidate-list"), "annotator",
        data=lambda w: {"video": w["video"].pk, "text": "How many cars?", "category": "object", "modality": "V"},
        ok=201,
    ),
    Case("edit project", "patch", detail("project", "project"), "manager", data=lambda w: {"description": "new"}),
    Case(
        "add member", "post", lambda w: reverse("membership-list"), "manager",
        data=lambda w: {"project": w["project"].pk, "username": w["team"].outsider.username, "role": Role.ANNOTATOR},
        ok=201,
    ),
    Case("change member role", "patch", detail("membership", "membership"), "manager", data=lambda w: {"role": "reviewer"}),
    Case("remove member", "delete", detail("membership", "membership"), "manager", ok=204),
    Case(
        "upload video", "post", lambda w: reverse("video-list"), "manager",
        data=lambda w: {"project": w["project"].pk, "file": SimpleUploadedFile("x.mp4", b"not a video")},
        ok=201, multipart=True,
    ),
    Case("retry job", "post", lambda w: reverse("job-retry", args=[w["job"].pk]), "manager", ok=202),
]


def comment_of(w: dict):
    """A reviewer's comment on the world's question (which has no annotator), made on first use."""
    from annotation.review.models import Comment

    if "comment" not in w:
        w["comment"] = Comment.objects.create(project=w["project"], question=w["question"], author=w["team"].reviewer,
                                              text="A beep is missing at 12 s", time=12.0)
    return w["comment"]


CASES += [
    # quality control: comments, quality and funnel pages
    Case("comments of a question", "get", lambda w: reverse("comment-list") + f"?question={w['question'].pk}",
         "annotator"),
    Case("comment detail", "get", lambda w: reverse("comment-detail", args=[comment_of(w).pk]), "annotator"),
    # The world's question has no annotator: only reviewers and managers may comment on it or resolve others'.
    Case(
        "add comment", "post", lambda w: reverse("comment-list"), "reviewer",
        data=lambda w: {"question": w["question"].pk, "text": "Check the beep at 3 s", "time": 3.0}, ok=201,
    ),
    Case("resolve comment", "post", lambda w: reverse("comment-resolve", args=[comment_of(w).pk]), "reviewer"),
    Case("quality page", "get", lambda w: reverse("quality", args=[w["project"].pk]), "reviewer", page=True),
    Case("my quality page", "get", lambda w: reverse("quality-me", args=[w["project"].pk]), "annotator", page=True),
    Case("funnel page", "get", lambda w: reverse("funnel", args=[w["project"].pk]), "reviewer", page=True),
]


def review_item_of(w: dict, queue: str):
    """An item of the world's question in `queue`, made on first use."""
    key = f"{queue}_item"
    if key not in w:
        w[key] = ReviewItem.objects.create(project=w["project"], queue=queue, question=w["question"])
    return w[key]


CASES += [
    # quality control: sampling, audit and double annotation, agreement and the human baseline
    Case("review queues page", "get", lambda w: reverse("review-queues", args=[w["project"].pk]), "reviewer",
         page=True),
    Case("sample now", "post", lambda w: reverse("review-sample", args=[w["project"].pk]), "manager", page=True,
         ok=302),
    Case("take a double-annotation item", "post", lambda w: reverse("double-next", args=[w["project"].pk]),
         "annotator", page=True, ok=302),
    Case("arbitration item page", "get", lambda w: reverse("review-item", args=[w["review"].pk]), "reviewer",
         page=True),
    Case("audit item page", "get", lambda w: reverse("review-item", args=[review_item_of(w, "audit").pk]), "reviewer",
         page=True),
    Case("double-annotation item page", "get", lambda w: reverse("review-item", args=[review_item_of(w, "double").pk]),
         "reviewer", page=True),
    Case("agreement page", "get", lambda w: reverse("agreement", args=[w["project"].pk]), "reviewer", page=True),
    Case("build the human baseline", "post", lambda w: reverse("release-human-baseline", args=[w["release"].pk]),
         "manager", page=True, ok=302),
]


def avst_of(w: dict) -> dict:
    """An R-AVST project with the same members as the world's, a processed video and one event, made on first use."""
    if "avst" not in w:
        from annotation.avst.models import Event
        from annotation.projects.models import Project, ProjectKind

        team = w["team"]
        project = Project.objects.create(name="avst-matrix", kind=ProjectKind.AVST)
        for role in ("annotator", "reviewer", "manager"):
            Membership.objects.create(project=project, user=team.user(role), role=role)
        video = Video.objects.create(project=project, title="yt1", external_id="yt1", duration=10.0, fps=25.0,
                                     frame_count=250, width=640, height=360, has_audio=True, status="ready",
                                     proxy="videos/proxy/none.mp4", filter_group="short")
        event = Event.objects.create(video=video, number=1, label="dog barking", start=1.0, end=3.5)
        w["avst"] = {"project": project, "video": video, "event": event}
    return w["avst"]


CASES += [
    # R-AVST pipeline pages and the event document
    Case("R-AVST overview", "get", lambda w: reverse("avst-overview", args=[avst_of(w)["project"].pk]), "annotator",
         page=True),
    Case("apply the filtering", "post", lambda w: reverse("avst-overview", args=[avst_of(w)["project"].pk]),
         "manager", page=True, ok=302, data=lambda w: {"action": "filter"}, multipart=True),
    Case("filtering report", "get", lambda w: reverse("avst-filtering", args=[avst_of(w)["project"].pk]),
         "annotator", page=True),
    Case("R-AVST video page", "get", lambda w: reverse("avst-video", args=[avst_of(w)["video"].pk]), "annotator",
         page=True),
    Case("event review page", "get", lambda w: reverse("event-review", args=[avst_of(w)["event"].pk]), "annotator",
         page=True),
    Case("event history", "get", lambda w: reverse("event-history", args=[avst_of(w)["event"].pk]), "annotator",
         page=True),
    Case("event document", "get", lambda w: reverse("eventdoc-detail", args=[avst_of(w)["event"].pk]), "annotator"),
    Case("save an event document", "put", lambda w: reverse("eventdoc-detail", args=[avst_of(w)["event"].pk]),
         "reviewer", data=lambda w: {"version": 1, "objects": [{"id": None, "name": "dog", "audibility": "audible",
                                                                 "boxes": []}]}),
    Case("R-AVST audit item page", "get", lambda w: reverse("review-item", args=[event_audit_item_of(w).pk]),
         "reviewer", page=True),
]


def event_audit_item_of(w: dict):
    """An audit item of the R-AVST world's event, made on first use."""
    if "event_audit_item" not in w:
        avst = avst_of(w)
        w["event_audit_item"] = ReviewItem.objects.create(project=avst["project"], queue=ReviewQueue.AUDIT,
                                                          event=avst["event"])
    return w["event_audit_item"]


def expected_status(case: Case, role: str) -> int:
    if role == "anonymous":
        return 302 if case.page else 401
    if role == "outsider":
        return 404
    if RANK[role] >= RANK[case.minimum]:
        return case.ok
    return 403


@pytest.fixture(autouse=True)
def _no_dispatch(monkeypatch):
    # The retry endpoint would send a task to Redis; here only the permission decision matters.
    monkeypatch.setattr("pipeline.jobs.services._send", lambda job: None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_permission_matrix(world, case, role):
    client = APIClient()
    user = world["team"].user(role)
    if user is not None:
        client.force_login(user) if case.page else client.force_authenticate(user)
    data = case.data(world) if case.data else None
    response = getattr(client, case.method)(case.url(world), data=data, format="multipart" if case.multipart else "json")
    assert response.status_code == expected_status(case, role), response.content[:300]
    if case.page and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


LISTS = ["project", "membership", "video", "candidate", "question", "job", "release", "submission"]


@pytest.mark.parametrize("basename", LISTS)
@pytest.mark.parametrize("role", ROLES)
def test_lists_show_only_projects_of_the_user(world, basename, role):
    client = APIClient()
    user = world["team"].user(role)
    if user is not None:
        client.force_authenticate(user)
    response = client.get(reverse(f"{basename}-list"))
    if role == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    results = response.data["results"]
    if role == "outsider":
        project_ids = {r.get("project") for r in results} | {r["id"] for r in results if basename == "project"}
        assert world["project"].pk not in project_ids if basename in {"project", "membership", "video", "job", "release"} else results == []
    else:
        assert len(results) >= 1


@pytest.mark.parametrize("role,visible", [("annotator", False), ("reviewer", True), ("manager", True), ("outsider", False)])
def test_review_queue_list_needs_reviewer(world, role, visible):
    client = APIClient()
    client.force_authenticate(world["team"].user(role))
    ids = [r["id"] for r in client.get(reverse("reviewitem-list")).data["results"]]
    assert (world["review"].pk in ids) is visible


@pytest.mark.parametrize("role,visible", [("annotator", False), ("reviewer", False), ("manager", True)])
def test_llm_call_log_needs_manager(world, role, visible):
    client = APIClient()
    client.force_authenticate(world["team"].user(role))
    ids = [r["id"] for r in client.get(reverse("llmcall-list")).data["results"]]
    assert (world["call"].pk in ids) is visible


@pytest.mark.parametrize("role", ROLES)
def test_home_and_jobs_pages(world, client, role):
    user = world["team"].user(role)
    if user is not None:
        client.force_login(user)
    for name in ("home", "jobs"):
        response = client.get(reverse(name))
        if role == "anonymous":
            assert response.status_code == 302
            continue
        assert response.status_code == 200
        shown = world["project"].name in response.content.decode()
        assert shown is (role != "outsider")


@pytest.mark.parametrize("role,status", [("anonymous", 401), ("outsider", 200), ("annotator", 200)])
def test_schema_and_docs_need_login(world, role, status):
    client = APIClient()
    user = world["team"].user(role)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("schema")).status_code == status
    docs = client.get(reverse("swagger-ui"))
    assert docs.status_code == (status if status != 401 else 401)


@pytest.mark.parametrize(
    "role,status", [("anonymous", 302), ("outsider", 302), ("annotator", 302), ("reviewer", 302), ("manager", 200)]
)
def test_admin_only_for_managers(world, client, role, status):
    from annotation.projects.admin import managers_group

    team = world["team"]
    team.manager.is_staff = True
    team.manager.save()
    team.manager.groups.add(managers_group())
    user = team.user(role)
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("admin:counting_question_changelist")).status_code == status


def test_admin_shows_a_manager_only_their_projects(world, client):
    from annotation.projects.admin import managers_group

    team = world["team"]
    Video.objects.create(project=team.other_project, title="secret video of beta")
    team.manager.is_staff = True
    team.manager.save()
    team.manager.groups.add(managers_group())
    client.force_login(team.manager)
    page = client.get(reverse("admin:videos_video_changelist")).content.decode()
    assert "secret video of beta" not in page
    other = Video.objects.get(title="secret video of beta")
    assert client.get(reverse("admin:videos_video_change", args=[other.pk])).status_code == 302


@pytest.mark.parametrize("role,allowed", [("annotator", False), ("reviewer", False), ("manager", True)])
def test_only_managers_start_stage1(world, client, role, allowed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-real")
    client.force_login(world["team"].user(role))
    response = client.post(reverse("stage1", args=[world["project"].pk]))
    assert response.status_code == (302 if allowed else 403)
    assert Job.objects.filter(kind="llm.propose_questions").exists() is False  # the video is not ready: skipped


def test_admin_choices_hold_only_the_managers_projects(world, client):
    from annotation.projects.admin import managers_group

    team = world["team"]
    foreign = Video.objects.create(project=team.other_project, title="video of beta")
    team.manager.is_staff = True
    team.manager.save()
    team.manager.groups.add(managers_group())
    client.force_login(team.manager)
    form = client.get(reverse("admin:counting_question_change", args=[world["question"].pk])).content.decode()
    assert world["video"].title in form and "video of beta" not in form
    assert f'value="{foreign.pk}"' not in form.split('name="video"')[1].split("</select>")[0]
