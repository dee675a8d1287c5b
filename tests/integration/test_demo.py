import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command

from annotation.projects.models import Membership, Project
from pipeline.jobs.models import Job, JobState
from pipeline.media import synthetic
from pipeline.videos.models import Video

pytestmark = pytest.mark.django_db


def test_demo_creates_project_accounts_and_videos_once(capsys):
    call_command("demo", "--videos", "2", "--avst-videos", "1", "--seconds", "2.5", "--wait", "--password", "demo-pass-1")
    out = capsys.readouterr().out
    assert "demo-annotator / demo-pass-1" in out

    project = Project.objects.get(name="demo")
    roles = dict(Membership.objects.filter(project=project).values_list("user__username", "role"))
    assert roles == {"demo-annotator": "annotator", "demo-reviewer": "reviewer", "demo-manager": "manager"}
    assert authenticate(username="demo-reviewer", password="demo-pass-1") is not None
    assert authenticate(username="demo-manager", password="demo-pass-1").is_staff

    avst = Project.objects.get(name="demo-avst")
    assert avst.kind == "avst" and Membership.objects.filter(project=avst).count() == 3
    avst_video = Video.objects.get(project=avst)
    assert avst_video.status == "ready" and avst_video.filter_rule == "" and avst_video.filter_group == "short"
    event = avst_video.events.get()
    truth = synthetic.truth(synthetic.demo_spec(seed=101, duration=2.5))
    assert event.start <= truth["beeps"][0]["start"] and event.end >= truth["beeps"][-1]["end"]
    names = list(event.av_objects.order_by("id").values_list("name", "audibility", "state"))
    assert names[0] == ("speaker", "audible", "proposed")
    assert {n for n, a, _ in names[1:]} == {f"{c} square" for c in truth["shapes_by_color"]}

    videos = list(Video.objects.filter(project=project).order_by("external_id"))
    assert [v.external_id for v in videos] == ["demo-1", "demo-2"]
    for number, video in enumerate(videos, start=1):
        assert (settings.MEDIA_ROOT / video.file.name).is_file()
        assert video.status == "ready" and video.proxy and video.peaks  # generated, then processed like an upload
        expected = synthetic.truth(synthetic.demo_spec(seed=number, duration=2.5))
        assert video.meta["synthetic"]["truth"] == expected
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.SUCCEEDED}

    # Running it again changes nothing and queues nothing.
    call_command("demo", "--videos", "2", "--avst-videos", "1", "--seconds", "2.5", "--wait")
    assert Job.objects.count() == 3 and Video.objects.count() == 3
    assert "demo-annotator / demo-pass-1" in capsys.readouterr().out


def test_demo_without_wait_queues_one_job_per_video(django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr("pipeline.jobs.services._send", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--videos", "3", "--avst-videos", "0", "--seconds", "3")
    assert sorted(job.target_label for job in sent) == ["Beeps and squares 1", "Beeps and squares 2", "Beeps and squares 3"]
    assert all(job.state == JobState.QUEUED and job.queue == "media" for job in sent)
    # Queued jobs are not queued twice.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--videos", "3", "--avst-videos", "0", "--seconds", "3")
    assert len(sent) == 3
