"""The R-AVST overview counts events, not event-object pairs: an accepted event with two objects counts once."""

import pytest

from annotation.avst.models import AVObject, Event
from annotation.avst.selectors import overview
from annotation.projects.models import Decision, Project, ProjectKind, Source
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


def test_events_with_several_objects_count_once():
    project = Project.objects.create(name="avst-counts", kind=ProjectKind.AVST)
    video = Video.objects.create(project=project, title="v", duration=10.0, filter_group="short")
    accepted = Event.objects.create(video=video, number=1, label="a dog barks at a cat", start=1.0, end=3.0,
                                    state=Decision.ACCEPTED)
    Event.objects.create(video=video, number=2, label="a car passes", start=4.0, end=6.0)
    for name in ("dog", "cat", "owner"):
        AVObject.objects.create(event=accepted, name=name, audibility="audible", source=Source.HUMAN)
    counts = overview(project=project)["events"]
    assert counts == {"total": 2, "analysed": 1, "detected": 0, "accepted": 1}
