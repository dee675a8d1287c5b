"""A project's vocabulary of object and cluster names (``settings.labels``): checked where managers edit it, and
handed to the counting workspace and the R-AVST event review page, whose name fields offer it."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.counting.models import Question
from annotation.projects import settings as project_settings
from pipeline.videos.models import Video


def payload(page: bytes, script_id: str) -> dict:
    text = page.decode()
    return json.loads(text.split(f'id="{script_id}" type="application/json">')[1].split("</script>")[0])


@pytest.mark.parametrize("labels,problem", [
    ("dog", ("labels", "must be an object")),
    ({"objects": "dog"}, ("labels.objects", "must be a list of names")),
    ({"clusters": ["red", 3]}, ("labels.clusters", "must be a list of names")),
    ({"clusters": ["red", "  "]}, ("labels.clusters", "1 to 100 characters")),
    ({"clusters": ["x" * 101]}, ("labels.clusters", "1 to 100 characters")),
    ({"objects": ["dog", "dog "]}, ("labels.objects", "must not repeat")),
    ({"objects": [f"o{n}" for n in range(501)]}, ("labels.objects", "at most 500")),
    ({"colours": ["red"]}, ("labels.colours", "is not a vocabulary list")),
])
def test_a_bad_vocabulary_is_named(labels, problem):
    errors = project_settings.settings_errors({"labels": labels})
    key, message = problem
    assert key in errors and message in errors[key], errors


def test_a_good_vocabulary_passes_and_reads_trimmed():
    settings = {"labels": {"objects": [" dog", "car"], "clusters": ["red"]}}
    assert project_settings.settings_errors(settings) == {}
    assert project_settings.vocabulary(settings) == {"objects": ["dog", "car"], "clusters": ["red"]}
    assert project_settings.vocabulary({}) == {"objects": [], "clusters": []}
    # A broken list reads as empty where it is used; the other list still counts.
    assert project_settings.vocabulary({"labels": {"objects": [1], "clusters": ["red"]}}) == {
        "objects": [], "clusters": ["red"]}


def test_the_admin_and_the_api_refuse_a_bad_vocabulary(team):
    team.project.settings = {"labels": {"clusters": ["red", "red"]}}
    with pytest.raises(ValidationError, match="labels.clusters: names must not repeat"):
        team.project.full_clean()

    client = APIClient()
    client.force_authenticate(team.manager)
    url = reverse("project-detail", args=[team.project.pk])
    response = client.patch(url, {"settings": {"labels": {"objects": ""}}}, format="json")
    assert response.status_code == 400 and "labels.objects" in str(response.content)
    good = {"labels": {"objects": ["person", "dog"], "clusters": ["red shirt", "blue shirt"]}}
    assert client.patch(url, {"settings": good}, format="json").status_code == 200
    team.project.refresh_from_db()
    assert team.project.settings["labels"]["clusters"] == ["red shirt", "blue shirt"]


def test_the_workspace_offers_the_cluster_names(team, client):
    team.project.settings = {"labels": {"objects": ["person"], "clusters": ["red shirt", "blue shirt"]}}
    team.project.save(update_fields=["settings"])
    video = Video.objects.create(project=team.project, title="v", duration=60.0, fps=25.0, frame_count=1500,
                                 width=1280, height=720, status="ready", proxy="videos/proxy/v.mp4", has_audio=True)
    question = Question.objects.create(video=video, text="How many shirt colours?", category="attribute",
                                       modality="V", annotator=team.annotator)
    client.force_login(team.annotator)
    data = payload(client.get(reverse("workspace", args=[question.pk])).content, "workspace-data")
    assert data["labels"] == {"objects": ["person"], "clusters": ["red shirt", "blue shirt"]}


def test_the_event_review_offers_the_object_names(avst, team, client):
    project, _video, event = avst
    project.settings = {"labels": {"objects": ["dog", "man"]}}
    project.save(update_fields=["settings"])
    client.force_login(team.reviewer)
    data = payload(client.get(reverse("event-review", args=[event.pk])).content, "eventreview-data")
    assert data["labels"] == {"objects": ["dog", "man"], "clusters": []}


def test_the_demo_projects_come_with_a_vocabulary_of_what_their_videos_show(db):
    from config.demo import ensure_demo_project, ensure_demo_users

    ensure_demo_users("demo-password-for-labels")
    project, _jobs = ensure_demo_project(videos=1, seconds=5.0, dispatch=False)
    labels = project_settings.vocabulary(project.settings)
    assert "speaker" in labels["objects"] and "red square" in labels["objects"]
    assert "red" in labels["clusters"]
    assert project_settings.settings_errors(project.settings) == {}
