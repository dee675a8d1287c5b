"""Import an existing release, export it again, freeze it; the database refuses changes to a frozen release."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from annotation.avst.models import AVObject, BoxProposal, Event, QAPair
from annotation.counting.models import Question
from annotation.projects.models import Project
from benchmark.formats import cgav, ravst
from benchmark.releases.models import Release, ReleaseFile, ReleaseState
from pipeline.videos.models import Video
from tests.published import RAVST_TEST_SPLIT

pytestmark = pytest.mark.django_db

PUBLISHED = RAVST_TEST_SPLIT

CGAV_ITEMS = [
    {"index": 0, "video": "demo_0001.mp4", "question": "How many times does the bell ring?",
     "question_en": "How many times does the bell ring?", "answer": 3, "type": "A", "category": "event",
     "query_interval": [12.0, 61.5],
     "clue": [{"start": 14.2, "end": 15.0}, {"start": 33.9, "end": 34.6}, {"start": 58.0, "end": 59.1}]},
    {"index": 1, "video": "demo_0001.mp4", "question": "How many red balls appear?",
     "question_en": "How many red balls appear?", "answer": 2, "type": "V", "category": "object",
     "query_interval": [70.0, 95.0],
     "clue": [{"timestamp": 71.5, "bbox": [100, 200, 180, 280]}, {"timestamp": 88.0, "bbox": [640, 300, 700, 360]}]},
    {"index": 2, "video": "demo_0002.mp4", "question": "How many different shirt colours do the singers wear?",
     "question_en": "How many different shirt colours do the singers wear?", "answer": 2, "type": "AV",
     "category": "attribute", "query_interval": [5.0, 40.0],
     "clue": [[{"timestamp": 6.0, "bbox": [10, 20, 110, 300]}, {"timestamp": 6.0, "bbox": [400, 30, 520, 330]}],
              [{"timestamp": 21.0, "bbox": [800, 40, 900, 320]}]]},
]


def canonical(items):
    """Items compared as content: numbers as floats, clue lists as sets (their order carries no meaning)."""
    def norm(value):
        if isinstance(value, bool) or not isinstance(value, (int, float, list, dict)):
            return value
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, dict):
            return {k: norm(v) for k, v in sorted(value.items())}
        return [norm(v) for v in value]

    out = []
    for item in items:
        item = norm(item)
        clue = item["clue"]
        if item["category"] == "attribute":
            clue = sorted((sorted(c, key=json.dumps) for c in clue), key=json.dumps)
        else:
            clue = sorted(clue, key=json.dumps)
        out.append({**item, "clue": clue})
    return out


def test_published_ravst_split_round_trips(tmp_path):
    call_command("import_ravst", "--project", "ravst", str(PUBLISHED))
    assert Video.objects.filter(project__name="ravst").count() == 1070
    assert QAPair.objects.count() == 1638
    assert Event.objects.filter(label="").count() == Event.objects.count() > 0
    # An object's boxes come from the first question that lists it (AVSR and AVSTR repeat them);
    # the [0, 0, 0, 0] "not found" lines are not boxes.
    expected = 0
    for video in ravst.load(PUBLISHED):
        for event in video.events:
            seen = set()
            for qas in event.qa.values():
                for qa in qas:
                    for obj in qa.answer.objects:
                        if obj.name not in seen:
                            seen.add(obj.name)
                            expected += sum(1 for _, box in (obj.where or []) if box[2] > box[0] and box[3] > box[1])
    assert BoxProposal.objects.count() == expected > 15000
    assert AVObject.objects.filter(audibility="visible_only").exists()

    call_command("release", "--project", "ravst", "--version", "1.0.0", "--format", "r-avst", "--out", str(tmp_path / "a"))
    exported = (tmp_path / "a" / "r-avst.json").read_bytes()
    assert exported == PUBLISHED.read_bytes()

    call_command("release", "--project", "ravst", "--version", "1.0.1", "--format", "r-avst", "--out", str(tmp_path / "b"))
    assert (tmp_path / "b" / "r-avst.json").read_bytes() == exported
    call_command("verify_release", str(tmp_path / "a"))


def test_cgav_round_trip_and_frozen_release(tmp_path):
    source = tmp_path / "cg-av-counting.json"
    source.write_text(json.dumps(CGAV_ITEMS))
    call_command("import_cgav", "--project", "counting", str(source))
    assert Question.objects.filter(state="pooled").count() == 3

    out = tmp_path / "release"
    call_command(
        "release", "--project", "counting", "--version", "1.0.0", "--format", "cg-av-counting", "--out", str(out),
        "--metadata-only",
    )
    exported = json.loads((out / "cg-av-counting.json").read_text())
    assert canonical(exported) == canonical(CGAV_ITEMS)
    assert cgav.validate_items(exported) == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["format"] == "cg-av-counting" and manifest["counts"]["questions"] == 3
    assert set(manifest["files"]) == {"cg-av-counting.json"}

    release = Release.objects.get(version="1.0.0")
    assert release.state == ReleaseState.FROZEN and ReleaseFile.objects.filter(release=release).count() == 1
    with pytest.raises(IntegrityError, match="frozen"):
        with transaction.atomic():
            Release.objects.filter(pk=release.pk).update(version="9.9.9")
    with pytest.raises(IntegrityError, match="frozen"):
        with transaction.atomic():
            ReleaseFile.objects.filter(release=release).update(sha256="0" * 64)
    with pytest.raises(IntegrityError, match="frozen"):
        with transaction.atomic():
            ReleaseFile.objects.create(release=release, path="extra.txt", sha256="0" * 64, size_bytes=1)

    # The same selection exported again: byte-identical data.
    again = tmp_path / "again"
    call_command(
        "release", "--project", "counting", "--version", "1.0.1", "--format", "cg-av-counting", "--out", str(again),
        "--metadata-only",
    )
    assert (again / "cg-av-counting.json").read_bytes() == (out / "cg-av-counting.json").read_bytes()


def test_manifest_check_catches_a_changed_file(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(json.dumps(CGAV_ITEMS[:1]))
    call_command("import_cgav", "--project", "counting", str(source))
    out = tmp_path / "release"
    call_command("release", "--project", "counting", "--version", "1.0.0", "--format", "cg-av-counting",
                 "--out", str(out), "--metadata-only")
    call_command("verify_release", str(out))
    data = (out / "cg-av-counting.json").read_text().replace("bell", "bells")
    (out / "cg-av-counting.json").write_text(data)
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("verify_release", str(out))


def test_release_errors_are_clear(tmp_path, team):
    with pytest.raises(CommandError, match="not a semantic version"):
        call_command("release", "--project", team.project.name, "--version", "v1", "--format", "cg-av-counting",
                     "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="released as"):
        call_command("release", "--project", team.project.name, "--version", "1.0.0", "--format", "r-avst",
                     "--out", str(tmp_path / "y"))
    bad = tmp_path / "bad.json"
    bad.write_text('[{"video": "a.mp4"}]')
    with pytest.raises(CommandError, match="item 0"):
        call_command("import_cgav", "--project", "counting", str(bad))


def test_release_with_media_ships_the_720p_video_and_exact_clips(team, ready_video, tmp_path):
    import av

    from annotation.counting.models import Clue, QuestionState

    question = Question.objects.create(
        video=ready_video, text="How many beeps?", category="event", modality="A", drafted_answer=2,
        ref_start=0.4, ref_end=2.6, final_start=0.4, final_end=2.6, state=QuestionState.POOLED,
    )
    Clue.objects.create(question=question, kind="event", start=0.5, end=0.7)
    Clue.objects.create(question=question, kind="event", start=2.0, end=2.2)
    Video.objects.filter(pk=ready_video.pk).update(external_id="beeps.mp4")
    out = tmp_path / "release"
    call_command("release", "--project", team.project.name, "--version", "1.0.0", "--format", "cg-av-counting",
                 "--out", str(out))
    items = json.loads((out / "cg-av-counting.json").read_text())
    assert items[0]["video"] == "beeps.mp4" and items[0]["query_interval"] == [0.4, 2.6]
    assert (out / "cg_videos_720p" / "beeps.mp4").read_bytes()[:64] == Path(
        settings.MEDIA_ROOT, ready_video.proxy.name).read_bytes()[:64]
    clip = out / "ref_videos" / "beeps_0.40_2.60.mp4"
    with av.open(str(clip)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    # Frames shown during [0.4, 2.6) at 25 fps: indices 10 .. 64.
    assert frames == 55
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == {"cg-av-counting.json", "cg_videos_720p/beeps.mp4", "ref_videos/beeps_0.40_2.60.mp4"}
    assert manifest["sources"] == {"beeps.mp4": ready_video.sha256}
    call_command("verify_release", str(out))


def test_metadata_export_queries_do_not_grow_with_questions(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmark.releases.exporters import export_cgav

    def queries_for(copies: int) -> int:
        source = tmp_path / f"items-{copies}.json"
        items = [dict(item, index=i) for i, item in enumerate(CGAV_ITEMS * copies)]
        source.write_text(json.dumps(items))
        call_command("import_cgav", "--project", f"p{copies}", str(source))
        release = Release.objects.create(project=Project.objects.get(name=f"p{copies}"), version="1.0.0",
                                         format="cg-av-counting", metadata_only=True)
        folder = tmp_path / f"out-{copies}"
        folder.mkdir()
        with CaptureQueriesContext(connection) as captured:
            export_cgav(release, folder)
        assert len(json.loads((folder / "cg-av-counting.json").read_text())) == 3 * copies
        return len(captured)

    assert queries_for(1) == queries_for(40)


def test_hf_parquet_release_loads_with_datasets(tmp_path, monkeypatch):
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    call_command("import_ravst", "--project", "ravst", str(PUBLISHED))
    out = tmp_path / "hf"
    call_command("release", "--project", "ravst", "--version", "1.0.0", "--format", "hf-parquet", "--out", str(out))
    loaded = datasets.load_dataset("parquet", data_dir=str(out / "data"), cache_dir=str(tmp_path / "cache"))
    split = loaded["train"] if "train" in loaded else next(iter(loaded.values()))
    assert split.num_rows == 1638
    assert {"video_name", "task", "question", "answer"} <= set(split.column_names)
    assert (out / "README.md").read_text().startswith("---")
