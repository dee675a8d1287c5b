"""Every operation the OpenAPI schema documents answers without a 5xx: with no body, with a body of the wrong
shape, and OPTIONS, for each role. The rows the paths name exist (so the views reach their logic); the bodies are
junk (so the logic must refuse them in words)."""

import json

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from annotation.avst.models import AVObject, Event
from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import Membership, Source
from annotation.review.models import Comment, ReviewItem
from benchmark.releases.models import Release, Submission
from pipeline.jobs.models import Job, LLMCall
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db

JUNK = [None, {}, {"version": True, "text": 5, "clues": "x", "objects": {"a": 1}, "project": "nope"}, [1, 2],
        "a string"]


@pytest.fixture
def rows(team):
    video = Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                 width=1280, height=720)
    question = Question.objects.create(video=video, text="How many?", category="event", modality="A")
    event = Event.objects.create(video=video, number=1, label="a dog barks", start=1.0, end=3.0)
    AVObject.objects.create(event=event, name="dog", audibility="audible", source=Source.HUMAN)
    release = Release.objects.create(project=team.project, version="1.0.0", format="cg-av-counting")
    return {
        "auth": None, "candidates": CandidateQuestion.objects.create(
            video=video, text="How many?", category="event", modality="A", source=Source.HUMAN),
        "comments": Comment.objects.create(project=team.project, question=question, text="see", author=team.reviewer),
        "event-docs": event, "jobs": Job.objects.create(kind="media.process_video", queue="media", project=team.project),
        "llm-calls": LLMCall.objects.create(project=team.project, provider="openai", model="m", prompt_version="v",
                                            input_hash="a" * 64, outcome="ok"),
        "memberships": Membership.objects.get(project=team.project, user=team.annotator),
        "projects": team.project, "question-docs": question, "questions": question, "releases": release,
        "review-items": ReviewItem.objects.create(project=team.project, queue="arbitration", question=question),
        "submissions": Submission.objects.create(release=release, model_name="m"), "videos": video,
    }


def operations() -> list[tuple[str, str]]:
    import io

    out = io.StringIO()
    call_command("spectacular", stdout=out)
    schema = yaml.safe_load(out.getvalue())
    return [(path, method) for path, ops in schema["paths"].items() for method in ops
            if method in ("get", "post", "put", "patch", "delete")]


@pytest.mark.parametrize("role", ["annotator", "reviewer", "manager", "outsider"])
def test_every_documented_operation_answers_without_a_server_error(team, rows, role):
    client = APIClient()
    client.force_authenticate(team.user(role))
    failures = []
    for path, method in operations():
        resource = path.split("/")[3]
        target = rows.get(resource)
        url = path.replace("{id}", str(target.pk if target is not None else 1)).replace("{index}", "0")
        for body in ([None] if method in ("get", "delete") else JUNK):
            if method == "delete" and role == "manager":
                continue  # a delete that works is not a junk request
            data = None if body is None else json.dumps(body)
            response = client.generic(method.upper(), url, data or "", content_type="application/json")
            if response.status_code >= 500:
                failures.append((method, url, body, response.status_code))
        options = client.options(url)
        if options.status_code >= 500:
            failures.append(("options", url, None, options.status_code))
    assert failures == []
