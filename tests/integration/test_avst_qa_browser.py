"""The R-AVST QA browser: the generated pairs per task, with their video, event, question and answer, filtered on
the page and in the API, each linking to its event's review page; members only."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from annotation.avst.models import Event, QAPair
from annotation.projects.models import Decision, Membership, Project, ProjectKind
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(team):
    project = Project.objects.create(name="avst-qa", kind=ProjectKind.AVST)
    for role in ("annotator", "reviewer", "manager"):
        Membership.objects.create(project=project, user=team.user(role), role=role)
    first = Video.objects.create(project=project, title="first", external_id="yt-first", duration=10.0)
    second = Video.objects.create(project=project, title="second", external_id="yt-second", duration=10.0)
    made = []
    for video in (first, second):
        event = Event.objects.create(video=video, number=1, label=f"a dog barks in {video.title}", start=1.0, end=4.0,
                                     state=Decision.ACCEPTED)
        for task, question in (("AVTR", "When is the moment dog makes sound and is visible?"),
                               ("AVSR", "What visible object(s) make sound between 1.0 and 4.0?")):
            made.append(QAPair.objects.create(video=video, event=event, task=task, template=task.lower(),
                                              question=question, answer={"raw": f"<answer>{video.title}</answer>"},
                                              state=Decision.ACCEPTED))
    return project, first, made


def test_the_page_lists_filters_and_links_to_the_events(team, client, pairs):
    project, first, made = pairs
    client.force_login(team.annotator)
    page = client.get(reverse("avst-qa", args=[project.pk])).content.decode()
    assert page.count('<tr data-pair="') == 4 and "4 pairs." in page
    assert reverse("event-review", args=[made[0].event_id]) in page and "&lt;answer&gt;first&lt;/answer&gt;" in page
    avtr = client.get(reverse("avst-qa", args=[project.pk]), {"task": "AVTR", "video": first.pk}).content.decode()
    assert avtr.count('<tr data-pair="') == 1 and 'data-task="AVTR"' in avtr and "yt-second" not in avtr.split("<tbody>")[1]
    found = client.get(reverse("avst-qa", args=[project.pk]), {"q": "make sound between"}).content.decode()
    assert found.count('<tr data-pair="') == 2
    assert client.get(reverse("avst-qa", args=[project.pk]), {"task": "XYZ"}).status_code == 404


def test_the_overview_links_to_it(team, client, pairs):
    project, _, _ = pairs
    client.force_login(team.annotator)
    assert reverse("avst-qa", args=[project.pk]) in client.get(reverse("avst-overview", args=[project.pk])).content.decode()


def test_the_api_filters_the_same_and_keeps_outsiders_out(team, client, pairs):
    project, first, made = pairs
    client = APIClient()
    client.force_authenticate(team.reviewer)
    listed = client.get(reverse("qapair-list"), {"project": project.pk, "task": "AVSR"}).data["results"]
    assert [p["id"] for p in listed] == [made[1].pk, made[3].pk] and listed[0]["video_name"] == "yt-first"
    assert len(client.get(reverse("qapair-list"), {"video": first.pk}).data["results"]) == 2
    assert client.get(reverse("qapair-list"), {"task": "nope"}).status_code == 400
    outsider = APIClient()
    outsider.force_authenticate(team.outsider)
    assert outsider.get(reverse("qapair-list")).data["results"] == []
    assert outsider.get(reverse("qapair-detail", args=[made[0].pk])).status_code == 404
    client.force_login(team.outsider)
    assert client.get(reverse("avst-qa", args=[project.pk])).status_code == 404
