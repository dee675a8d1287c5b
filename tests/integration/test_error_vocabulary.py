"""One error vocabulary for every endpoint: stale 409 with the current document, invalid 400 with errors keyed by
field path, not editable 409, not allowed 403, not a member 404; request bodies described by serializers, so
OPTIONS and the OpenAPI schema work for every operation."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting import workspace
from annotation.counting.models import CandidateQuestion, Question
from annotation.projects.models import Source
from annotation.review.models import Comment
from pipeline.jobs.models import Job
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def video(team):
    return Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                width=1280, height=720)


@pytest.fixture
def question(video):
    return Question.objects.create(video=video, text="How many beeps?", category="event", modality="A")


def test_a_question_out_of_work_is_not_editable_alike_on_save_and_on_submit(team, video, question):
    Question.objects.filter(pk=question.pk).update(state="rejected")
    question.refresh_from_db()
    body = {**workspace.doc_of(question)}
    saved = api(team.annotator).put(reverse("questiondoc-detail", args=[question.pk]), body, format="json")
    submitted = api(team.annotator).post(reverse("questiondoc-submit", args=[question.pk]),
                                         {"version": question.version}, format="json")
    assert saved.status_code == submitted.status_code == 409
    for response in (saved, submitted):
        assert "rejected" in response.data["detail"]
        assert response.data["current"]["id"] == question.pk and response.data["current"]["state"] == "rejected"


@pytest.mark.parametrize("version", [True, "1", 1.0, None])
def test_every_versioned_endpoint_wants_a_whole_number(team, video, question, version):
    candidate = CandidateQuestion.objects.create(video=video, text="How many?", category="event", modality="A",
                                                 source=Source.HUMAN)
    client = api(team.annotator)
    answers = [
        client.put(reverse("questiondoc-detail", args=[question.pk]), {**workspace.doc_of(question), "version": version},
                   format="json"),
        client.post(reverse("questiondoc-submit", args=[question.pk]), {"version": version}, format="json"),
        client.patch(reverse("question-detail", args=[question.pk]), {"version": version, "text": "How many?"},
                     format="json"),
        client.post(reverse("candidate-accept", args=[candidate.pk]), {"version": version}, format="json"),
    ]
    for response in answers:
        assert response.status_code == 400, response.content
        assert "version" in response.data["errors"] and response.data["detail"].startswith("version")
    question.refresh_from_db()
    candidate.refresh_from_db()
    assert question.version == 1 and candidate.state == "proposed"


def test_event_document_wants_a_whole_version_and_a_boolean_accept(avst, team):
    _, _, event = avst
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api(team.reviewer).get(url).json()
    for bad in ({"version": True}, {"version": doc["version"], "accept": "yes"}):
        response = api(team.reviewer).put(url, {"objects": [], **bad}, format="json")
        assert response.status_code == 400
        assert set(response.data["errors"]) == {next(iter(bad)) if "accept" not in bad else "accept"}


def test_invalid_documents_name_the_field_path(team, video, question, avst):
    body = {**workspace.doc_of(question),
            "clues": [{"kind": "event", "start": 1.0, "end": 2.0}, {"kind": "event", "start": 5.0, "end": 4.0}]}
    response = api(team.annotator).put(reverse("questiondoc-detail", args=[question.pk]), body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"clues[1]"} and response.data["detail"].startswith("nothing was saved")
    _, _, event = avst
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api(team.reviewer).get(url).json()
    objects = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"], "boxes": []} for o in doc["objects"]]
    objects[1]["boxes"] = [{"frame_index": 99999, "x1": 0, "y1": 0, "x2": 10, "y2": 10}]
    response = api(team.reviewer).put(url, {"version": doc["version"], "objects": objects}, format="json")
    assert response.status_code == 400 and set(response.data["errors"]) == {"objects[1].boxes[0]"}


def test_a_stale_save_gets_the_current_document_on_both_documents(team, video, question, avst):
    url = reverse("questiondoc-detail", args=[question.pk])
    body = workspace.doc_of(question)
    assert api(team.annotator).put(url, {**body, "text": "How many barks?"}, format="json").status_code == 200
    stale = api(team.reviewer).put(url, {**body, "text": "How many dogs?"}, format="json")
    assert stale.status_code == 409 and stale.data["current"]["text"] == "How many barks?"
    _, _, event = avst
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api(team.reviewer).get(url).json()
    keep = [{"id": o["id"], "name": o["name"], "audibility": o["audibility"], "boxes": []} for o in doc["objects"]]
    assert api(team.reviewer).put(url, {"version": doc["version"], "objects": keep}, format="json").status_code == 200
    stale = api(team.reviewer).put(url, {"version": doc["version"], "objects": keep[:1]}, format="json")
    assert stale.status_code == 409 and stale.data["current"]["version"] == doc["version"] + 1
    assert len(stale.data["current"]["objects"]) == 2


def test_roles_and_membership_answer_403_and_404(team, video, question, avst):
    _, _, event = avst
    url = reverse("eventdoc-detail", args=[event.pk])
    doc = api(team.reviewer).get(url).json()
    body = {"version": doc["version"], "objects": []}
    assert api(team.annotator).put(url, body, format="json").status_code == 403
    assert api(team.outsider).put(url, body, format="json").status_code == 404
    assert api(team.outsider).get(reverse("questiondoc-detail", args=[question.pk])).status_code == 404


@pytest.mark.parametrize("route", ["questiondoc-detail", "questiondoc-submit", "eventdoc-detail", "candidate-accept",
                                   "question-detail", "comment-resolve", "job-retry"])
def test_options_describes_every_operation(team, video, question, avst, route):
    _, _, event = avst
    candidate = CandidateQuestion.objects.create(video=video, text="How many?", category="event", modality="A",
                                                 source=Source.HUMAN)
    comment = Comment.objects.create(project=team.project, question=question, author=team.reviewer, text="look")
    job = Job.objects.create(kind="media.process_video", queue="media", project=team.project)
    target = {"questiondoc": question, "eventdoc": event, "candidate": candidate, "question": question,
              "comment": comment, "job": job}[route.split("-")[0]]
    user = team.manager if route != "eventdoc-detail" else team.reviewer
    response = api(user).options(reverse(route, args=[target.pk]))
    assert response.status_code == 200, response.content
    # The writes the user may make are described field by field, from the serializer of the request body.
    if route != "question-detail":  # a question's fields change by PATCH, which OPTIONS does not describe
        writes = response.data["actions"]
        assert set(writes) & {"PUT", "POST"}
        if route not in ("comment-resolve", "job-retry"):
            version = next(iter(writes.values()))["version"]
            assert version["type"] == "integer" and version["required"] is True


def test_the_schema_describes_every_operation_without_a_warning():
    out = io.StringIO()
    # --fail-on-warn raises on any warning or error of the generator (a view it cannot describe, for one).
    call_command("spectacular", "--fail-on-warn", "--validate", stdout=out)
    schema = out.getvalue()
    for path in ("/api/v1/question-docs/{id}/submit/", "/api/v1/event-docs/{id}/", "/api/v1/videos/{id}/proxy.mp4"):
        assert path in schema
    assert "QuestionDocument" in schema and "EventDocument" in schema
