import pytest

from pipeline.avst.seconds import frame_at, sample_seconds


@pytest.mark.parametrize("start, end, expected", [
    (0.0, 2.5, [(0.0, 0), (1.0, 25), (2.0, 50)]),
    (0.3, 3.2, [(0.3, 7), (1.3, 32), (2.3, 57)]),           # T < end: 3.3 is past the end
    (1.39314, 4.31906, [(1.4, 34), (2.4, 59), (3.4, 84)]),  # frames at the exact time, lines at one decimal
    (9.0, 10.0, [(9.0, 225)]),
    (9.2, 10.0, [(9.2, 229)]),                              # clamped to the last frame
])
def test_seconds_and_frames_on_a_25_fps_proxy(start, end, expected):
    assert sample_seconds(start, end, fps=25.0, frame_count=230) == expected


def test_without_a_proxy_there_are_times_but_no_frames():
    assert sample_seconds(27.179, 32.90164, fps=None, frame_count=None) == [
        (27.2, None), (28.2, None), (29.2, None), (30.2, None), (31.2, None), (32.2, None)]


def test_a_video_shorter_than_its_annotation_keeps_its_own_seconds():
    assert [t for t, _ in sample_seconds(0.0, 10.0, fps=None, frame_count=None, duration=3.5)] == [0.0, 1.0, 2.0, 3.0]


def test_float_products_a_hair_below_a_frame_land_on_it():
    assert int(4.1 * 30) == 122
    assert frame_at(4.1, 30.0) == 123
    assert frame_at(4.09, 30.0) == 122
    assert frame_at(0.47, 30000 / 1001) == 14
