"""Reading UnAV-100 annotation files and finding a video file by id."""

from __future__ import annotations

import json

import pytest

from pipeline.avst.unav100 import END_TOLERANCE, FormatError, UnavEvent, UnavVideo, find_video, load, loads


def database(**videos) -> str:
    return json.dumps({"version": "UnAV-100", "database": videos})


def video(duration=60.0, subset="train", annotations=(), **extra) -> dict:
    return {"duration": duration, "subset": subset, "annotations": list(annotations), **extra}


def event(start, end, label="dog barking", **extra) -> dict:
    return {"segment": [start, end], "label": label, **extra}


def test_reads_videos_and_events_in_file_order(tmp_path):
    text = database(
        zLfhRM6G0OU=video(
            45.1, "test",
            [event(30.0, 44.4319, "playing trombone", label_id=7), event(0.0, 12.5, "man speaking")],
            url="https://www.youtube.com/watch?v=zLfhRM6G0OU", resolution="640x360", fps=29.97,
        ),
        **{"-0_vEaaXndY": video(10, "Validation", [])},
    )
    path = tmp_path / "unav100_annotations.json"
    path.write_text(text)
    assert load(path) == loads(text) == [
        UnavVideo(
            "zLfhRM6G0OU", 45.1, "test",
            (UnavEvent(30.0, 44.4319, "playing trombone"), UnavEvent(0.0, 12.5, "man speaking")),
        ),
        UnavVideo("-0_vEaaXndY", 10.0, "validation", ()),
    ]


def test_segment_end_a_little_past_the_duration_is_clamped():
    [v] = loads(database(a=video(20.0, annotations=[event(15.0, 20.0 + END_TOLERANCE), event(1.0, 20.2)])))
    assert [(e.start, e.end) for e in v.events] == [(15.0, 20.0), (1.0, 20.0)]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "not valid JSON"),
        (b"\xff\xfe{", "not valid JSON"),
        ('{"database": {"a": {"duration": NaN, "subset": "train", "annotations": []}}}', "not valid JSON"),
        ("[]", 'a "database" key'),
        ('{"videos": {}}', 'a "database" key'),
        ('{"database": []}', '"database" must be an object'),
        (database(a=[]), "video 'a': expected an object"),
        (database(**{"../x": video()}), "video '../x': an id is"),
        (database(a={"subset": "train", "annotations": []}), "video 'a': missing 'duration'"),
        (database(a={"duration": 5, "annotations": []}), "video 'a': missing 'subset'"),
        (database(a={"duration": 5, "subset": "train"}), "video 'a': missing 'annotations'"),
        (database(a=video(-1.0)), "video 'a': 'duration' must be a positive number of seconds, got -1.0"),
        (database(a=video(0)), "video 'a': 'duration' must be a positive"),
        (database(a=video("60")), "video 'a': 'duration' must be a positive"),
        (database(a=video(True)), "video 'a': 'duration' must be a positive"),
        (database(a=video(subset="dev")), "video 'a': 'subset' must be one of train, validation, test, got 'dev'"),
        (database(a=video() | {"annotations": {}}), "video 'a': 'annotations' must be a list"),
        (database(a=video(annotations=["x"])), "video 'a' annotations[0]: expected an object"),
        (database(a=video(annotations=[{"label": "x"}])), "video 'a' annotations[0]: missing 'segment'"),
        (database(a=video(annotations=[{"segment": [0, 1]}])), "video 'a' annotations[0]: missing 'label'"),
        (database(a=video(annotations=[{"segment": [0], "label": "x"}])), "'segment' must be [start, end], two"),
        (database(a=video(annotations=[{"segment": [0, "1"], "label": "x"}])), "'segment' must be [start, end]"),
        (database(a=video(annotations=[{"segment": [0, 1, 2], "label": "x"}])), "'segment' must be [start, end]"),
        (
            database(a=video(annotations=[event(0, 1), event(5, 5)])),
            "video 'a' annotations[1]: 'segment' start 5.0 is not before its end 5.0",
        ),
        (database(a=video(annotations=[event(6, 5)])), "start 6.0 is not before its end 5.0"),
        (database(a=video(annotations=[event(-0.5, 5)])), "start -0.5 is negative"),
        (database(a=video(10.0, annotations=[event(10, 10.5)])), "start 10.0 is at or after the end of the video"),
        (database(a=video(10.0, annotations=[event(5, 11.5)])), "end 11.5 is more than 1 s after the end of the video"),
        (database(a=video(annotations=[event(0, 1, label="  ")])), "video 'a' annotations[0]: 'label' must be"),
        (database(a=video(annotations=[event(0, 1, label=None)])), "'label' must be a non-empty string, got None"),
    ],
)
def test_format_errors_name_the_video_and_the_field(text, message):
    with pytest.raises(FormatError) as info:
        loads(text)
    assert message in str(info.value)


def test_find_video(tmp_path):
    (tmp_path / "abc.webm").write_bytes(b"")
    (tmp_path / "abc.mp4").write_bytes(b"")
    (tmp_path / "v_-xyz_1.mkv").write_bytes(b"")
    (tmp_path / "both.mov").write_bytes(b"")
    (tmp_path / "v_both.mov").write_bytes(b"")
    (tmp_path / "dir.mp4").mkdir()
    assert find_video(tmp_path, "abc") == tmp_path / "abc.mp4"
    assert find_video(tmp_path, "-xyz_1") == tmp_path / "v_-xyz_1.mkv"
    assert find_video(str(tmp_path), "both") == tmp_path / "both.mov"
    assert find_video(tmp_path, "dir") is None
    assert find_video(tmp_path, "missing") is None
    with pytest.raises(ValueError):
        find_video(tmp_path, "../abc")
