"""UnAV-100 import and the paper's filtering, on a generated annotation file with a known answer for each rule."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotation.avst.ingest import AvstImportError, apply_filtering, import_unav100
from annotation.avst.models import Event
from annotation.projects.models import Membership, Project, ProjectKind, Role
from pipeline.jobs.models import Job
from pipeline.videos.models import Video, VideoStatus

pytestmark = pytest.mark.django_db

# video id -> (duration, events, the rule that removes it or "" when kept, its group)
CASES = {
    "kept_short": (10.0, [(1.0, 6.0, "dog barking")], "", "short"),
    "kept_medium": (45.0, [(0.0, 2.0, "man speaking"), (10.0, 12.0, "car horn"), (30.0, 31.0, "bell")], "", "medium"),
    "kept_long": (120.0, [(3.0, 9.0, "playing guitar"), (5.0, 15.0, "singing")], "", "long"),
    "too_many": (50.0, [(0, 5, "a"), (5, 10, "b"), (10, 15, "c"), (15, 20, "d")], "too_many_events", "medium"),
    # 2 s of 100 s, and the two events overlap: the union covers 2%, not 3%.
    "low_coverage": (100.0, [(10.0, 12.0, "thunder"), (10.5, 11.5, "rain")], "low_coverage", "long"),
    "too_long": (700.0, [(0.0, 300.0, "engine")], "duration", None),
    "no_events": (20.0, [], "no_events", "short"),
}


def unav_file(tmp_path, cases=CASES):
    database = {
        vid: {"duration": duration, "subset": "test", "url": f"https://example.invalid/{vid}",
              "annotations": [{"segment": [s, e], "label": label} for s, e, label in events]}
        for vid, (duration, events, _, _) in cases.items()
    }
    path = tmp_path / "unav100_annotations.json"
    path.write_text(json.dumps({"version": "UnAV-100", "database": database}))
    return path


def test_import_keeps_and_removes_each_video_for_the_expected_rule(tmp_path):
    report = import_unav100(project_name="avst", annotations=unav_file(tmp_path), dispatch=False)
    project = Project.objects.get(name="avst")
    assert project.kind == ProjectKind.AVST
    assert report.videos_created == 7 and report.events_created == 13
    assert report.kept == 3
    assert report.removed == {"duration": 1, "low_coverage": 1, "no_events": 1, "too_many_events": 1}
    for vid, (duration, events, rule, group) in CASES.items():
        video = Video.objects.get(project=project, external_id=vid)
        assert video.filter_rule == rule, vid
        assert video.status == VideoStatus.METADATA and not video.file
        assert video.duration == duration
        if rule == "":
            assert video.filter_group == group and video.filter_reason == ""
        assert list(video.events.order_by("id").values_list("number", "start", "end", "label")) == [
            (n, s, e, label) for n, (s, e, label) in enumerate(events, start=1)
        ]
    reasons = dict(Video.objects.filter(project=project).values_list("external_id", "filter_reason"))
    assert reasons["too_many"] == "4 events; at most 3 allowed"
    assert "2.0%" in reasons["low_coverage"] and "8%" in reasons["low_coverage"]
    assert "outside every group" in reasons["too_long"]
    # A second import of the same file adds nothing.
    again = import_unav100(project_name="avst", annotations=unav_file(tmp_path), dispatch=False)
    assert again.videos_created == 0 and again.videos_existing == 7
    assert Event.objects.filter(video__project=project).count() == 13


def test_project_bounds_change_the_outcome_and_queue_newly_kept_files(tmp_path, sources):
    videos = tmp_path / "videos"
    videos.mkdir()
    shutil.copy(sources / "beeps.mp4", videos / "kept_short.mp4")
    shutil.copy(sources / "silent.mp4", videos / "too_many.mp4")
    report = import_unav100(project_name="avst", annotations=unav_file(tmp_path), videos_dir=videos, dispatch=False)
    assert (report.files_found, report.files_missing) == (2, 5)
    kept = Video.objects.get(external_id="kept_short")
    removed = Video.objects.get(external_id="too_many")
    # The kept video's file is stored and queued; the removed one's is stored but not processed.
    assert kept.status == VideoStatus.UPLOADED and kept.file and len(kept.sha256) == 64
    assert removed.status == VideoStatus.METADATA and removed.file
    assert list(Job.objects.filter(kind="media.process_video").values_list("target_id", flat=True)) == [kept.pk]
    assert Video.objects.filter(project=kept.project).count() == 7  # the files filled the imported rows
    project = kept.project
    project.settings = {"filtering": {"max_events": 4, "min_coverage": 0.01}}
    project.save()
    summary = apply_filtering(project=project, dispatch=False)
    assert summary.kept == 5
    removed.refresh_from_db()
    assert removed.filter_rule == "" and removed.status == VideoStatus.UPLOADED
    assert Job.objects.filter(kind="media.process_video", target_id=removed.pk).count() == 1


def test_bad_inputs_get_clear_errors_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"database": {"v1": {"duration": 10, "subset": "test",
                                                    "annotations": [{"segment": [5, 2], "label": "x"}]}}}))
    with pytest.raises(AvstImportError, match="v1"):
        import_unav100(project_name="avst", annotations=bad, dispatch=False)
    assert not Project.objects.filter(name="avst").exists()
    Project.objects.create(name="counting", kind=ProjectKind.COUNTING)
    with pytest.raises(AvstImportError, match="not R-AVST"):
        import_unav100(project_name="counting", annotations=unav_file(tmp_path), dispatch=False)
    project = Project.objects.create(name="typo", kind=ProjectKind.AVST, settings={"filtering": {"max_event": 3}})
    with pytest.raises(AvstImportError, match="max_event"):
        import_unav100(project_name=project.name, annotations=unav_file(tmp_path), dispatch=False)
    assert not Video.objects.exists()


def test_command_prints_the_outcome_and_fails_cleanly(tmp_path):
    out = StringIO()
    call_command("import_unav100", "--project", "cmd", str(unav_file(tmp_path)), stdout=out)
    assert "7 new videos" in out.getvalue() and "kept 3" in out.getvalue()
    assert "1 too_many_events" in out.getvalue()
    with pytest.raises(CommandError, match="not JSON|JSON"):
        (tmp_path / "junk.json").write_text("{not json")
        call_command("import_unav100", "--project", "cmd", str(tmp_path / "junk.json"))


def test_filtering_report_page_shows_counts_and_reasons(tmp_path, client, django_user_model, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    import_unav100(project_name="avst", annotations=unav_file(tmp_path), dispatch=False)
    project = Project.objects.get(name="avst")
    user = django_user_model.objects.create_user(username="viewer", password="pw")
    Membership.objects.create(project=project, user=user, role=Role.ANNOTATOR)
    client.force_login(user)
    page = client.get(reverse("avst-filtering", args=[project.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="kept-count">3<' in html
    assert 'href="?rule=too_many_events">1<' in html
    assert "4 events; at most 3 allowed" in html
    only = client.get(reverse("avst-filtering", args=[project.pk]) + "?rule=low_coverage").content.decode()
    assert 'data-video="low_coverage"' in only and 'data-video="too_many"' not in only
    overview = client.get(reverse("avst-overview", args=[project.pk])).content.decode()
    assert 'data-count="kept">3<' in overview and 'data-video-id="' in overview
    # No key: the page says what the LLM is for in an R-AVST project (not stage 1's questions).
    assert "No API key" in overview and "analyse the events&#x27; audibility" in overview
    assert "propose questions" not in overview
    # An annotator may look but not start anything.
    assert client.post(reverse("avst-overview", args=[project.pk]), {"action": "filter"}).status_code == 403


def test_settings_are_checked_where_people_edit_them(team):
    from django.core.exceptions import ValidationError
    from rest_framework.test import APIClient

    project = team.project
    client = APIClient()
    client.force_authenticate(team.manager)
    url = reverse("project-detail", args=[project.pk])
    refused = client.patch(url, {"settings": {"filtering": {"min_coverage": 8}}}, format="json")
    assert refused.status_code == 400 and "min_coverage" in str(refused.json())
    project.settings = {"filtering": {"max_events": 0}, "audit_share": 2}
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert "max_events" in str(caught.value) and "audit_share" in str(caught.value)
    assert client.patch(url, {"settings": {"filtering": {"max_events": 4}}}, format="json").status_code == 200
