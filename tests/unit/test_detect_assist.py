"""Object proposals' engine parts (distinct instances over sampled frames) and SAM 2's answers to a person's
prompts (click-to-box, tracking), with a tiny random SAM 2 video model loaded through the production path; and the
question text to the phrase looked for."""

import numpy as np
import pytest

from pipeline.detect import DetectError, InstanceBox, WeightsMissing
from pipeline.detect.distinct import DistinctInstance, distinct_instances, first_clear, iou, link

torch = pytest.importorskip("torch")
torch.set_num_threads(1)

HEIGHT, WIDTH = 72, 128


def box(x1, y1, x2, y2, score=0.9, instance=-1):
    return InstanceBox(float(x1), float(y1), float(x2), float(y2), score, instance)


def test_iou():
    assert iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert iou((0, 0, 10, 10), (10, 0, 20, 10)) == 0.0
    assert abs(iou((0, 0, 10, 10), (5, 0, 15, 10)) - 50 / 150) < 1e-12
    assert iou((0, 0, 0, 10), (0, 0, 10, 10)) == 0.0


def test_link_joins_pieces_across_a_window_boundary_and_keeps_distinct_objects_apart():
    frames = [
        [box(0, 0, 10, 10, instance=0), box(50, 50, 60, 60, instance=1)],
        [box(1, 0, 11, 10, instance=0), box(50, 51, 60, 61, instance=1)],
        # A new window: the tracker numbers its detections afresh.
        [box(2, 0, 12, 10, instance=2), box(51, 51, 61, 61, instance=3), box(90, 5, 99, 20, instance=4)],
    ]
    objects = link(frames)
    assert len(objects) == 3
    assert [[p for p, _ in o] for o in objects] == [[0, 1, 2], [0, 1, 2], [2]]
    assert [b.instance for _, b in objects[0]] == [0, 0, 2]
    assert [b.instance for _, b in objects[1]] == [1, 1, 3]


def test_link_leaves_a_gap_or_a_poor_overlap_as_two_objects():
    gap = [[box(0, 0, 10, 10, instance=0)], [], [box(0, 0, 10, 10, instance=1)]]
    assert len(link(gap)) == 2
    moved = [[box(0, 0, 10, 10, instance=0)], [box(8, 0, 18, 10, instance=1)]]
    assert len(link(moved)) == 2
    # Two candidates for one continuation: the better overlap wins, the other stays an object of its own.
    fork = [[box(0, 0, 10, 10, instance=0), box(2, 0, 12, 10, instance=1)], [box(0, 0, 10, 10, instance=2)]]
    objects = link(fork)
    assert sorted(len(o) for o in objects) == [1, 2]
    assert next(o for o in objects if len(o) == 2)[0][1].instance == 0


def test_untracked_boxes_are_objects_of_their_own():
    assert len(link([[box(0, 0, 10, 10), box(0, 0, 10, 10)]])) == 2


def test_first_clear_appearance_skips_a_partly_visible_start():
    sightings = [(0, box(0, 0, 3, 10)), (1, box(0, 0, 10, 10)), (2, box(0, 0, 10, 10)), (3, box(0, 0, 11, 10))]
    assert first_clear(sightings)[0] == 1
    weak = [(0, box(0, 0, 10, 10, score=0.3)), (1, box(0, 0, 10, 10, score=0.9))]
    assert first_clear(weak)[0] == 1


@pytest.fixture(scope="module")
def sam2_folder(tmp_path_factory):
    from tests.detect_models import save_sam2

    return save_sam2(tmp_path_factory.mktemp("models") / "sam2")


@pytest.fixture(scope="module")
def dino_folder(tmp_path_factory):
    from tests.detect_models import save_dino

    return save_dino(tmp_path_factory.mktemp("models") / "dino")


@pytest.fixture
def frames():
    rng = np.random.default_rng(3)
    return [rng.integers(0, 255, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(7)]


def test_distinct_instances_through_grounded_sam2(dino_folder, sam2_folder, frames):
    from pipeline.detect import DetectConfig, GroundedSam2

    detector = GroundedSam2.load(dino_folder, sam2_folder, DetectConfig(box_threshold=0.0, text_threshold=0.0,
                                                                        window=3, device="cpu"))
    numbers = [10, 35, 60, 85, 110, 135, 160]
    found = distinct_instances(list(zip(numbers, frames)), "dog", detector)
    assert found and all(isinstance(f, DistinctInstance) for f in found)
    (track,) = detector.detect(frames, ["dog"])
    for instance in found:
        assert instance.frame_index in numbers and instance.label == "dog"
        assert instance.frame_index in instance.seen and list(instance.seen) == sorted(instance.seen)
        at = track.frames[numbers.index(instance.frame_index)]
        # A box the detector gave at that frame, scoring no more than the instance's best over its frames.
        assert any(iou(b[:4], instance.box) > 0.999 and b.score <= instance.score <= 1 for b in at)
    # Every tracked instance number is covered by exactly one proposal's sightings count, none twice.
    assert len(found) <= len({b.instance for boxes in track.frames for b in boxes})
    assert distinct_instances(list(zip(numbers, frames)), "dog", detector, min_score=1.01) == []
    assert distinct_instances([], "dog", detector) == []
    with pytest.raises(ValueError):
        distinct_instances([(5, frames[0]), (5, frames[1])], "dog", detector)


def test_distinct_instances_in_chunks_draw_one_window_of_frames_at_a_time(dino_folder, sam2_folder, frames,
                                                                          monkeypatch):
    from pipeline.detect import DetectConfig, GroundedSam2

    detector = GroundedSam2.load(dino_folder, sam2_folder, DetectConfig(box_threshold=0.0, text_threshold=0.0,
                                                                        window=3, device="cpu"))
    numbers = [10, 35, 60, 85, 110, 135, 160]
    whole = distinct_instances(list(zip(numbers, frames)), "dog", detector)
    assert len(whole) >= 2  # random frames and weights with no thresholds: several instances, over several windows

    drawn, calls, reports = [], [], []

    def lazily():
        for number, pixels in zip(numbers, frames):
            drawn.append(number)
            yield number, pixels

    detect = detector.detect

    def counted(batch, names, progress=None):
        calls.append((len(batch), len(drawn)))
        return detect(batch, names, progress=progress)

    monkeypatch.setattr(detector, "detect", counted)
    chunked = distinct_instances(lazily(), "dog", detector, chunk=3, total=len(numbers),
                                 progress=lambda done, total: reports.append((done, total)))
    # Each call saw only its own window's frames drawn: 3, then 3 more, then the last one.
    assert calls == [(3, 3), (3, 6), (1, 7)]
    # The detector's windows start afresh anyway, so the proposals are the same as in one call.
    assert chunked == whole
    assert reports[-1] == (7, 7) and [d for d, _ in reports] == sorted(d for d, _ in reports)
    with pytest.raises(ValueError, match="time order"):
        distinct_instances(iter([(50, frames[0]), (60, frames[1]), (55, frames[2])]), "dog", detector, chunk=2)
    with pytest.raises(ValueError, match="chunk"):
        distinct_instances([], "dog", detector, chunk=0)


def test_click_to_box_and_tracking_with_sam2(sam2_folder, frames):
    from pipeline.detect.interactive import Sam2Interactive

    sam = Sam2Interactive.load(sam2_folder, device="cpu", window=3)
    found = sam.box_from_point(frames[0], (5.0, 5.0))
    assert found is not None, "the tiny model's mask under this point is not empty"
    assert 0 <= found.x1 < found.x2 <= WIDTH - 1 and 0 <= found.y1 < found.y2 <= HEIGHT - 1
    assert 0 <= found.score <= 1
    # The same frame and point give the same box.
    assert sam.box_from_point(frames[0], (5.0, 5.0)) == found
    with pytest.raises(ValueError, match="outside"):
        sam.box_from_point(frames[0], (WIDTH + 5.0, 3.0))
    given = (10.0, 10.0, 60.0, 50.0)
    followed = sam.track(frames, 3, given)
    assert len(followed) == len(frames) and followed[3] == given
    # Windows of three frames in each direction: the prompt is handed on, so every frame gets an answer.
    assert all(b is not None for b in followed)
    for b in followed:
        assert 0 <= b[0] < b[2] <= WIDTH - 1 and 0 <= b[1] < b[3] <= HEIGHT - 1
    assert sam.track(frames, 0, given)[0] == given and sam.track(frames, 6, given)[6] == given
    with pytest.raises(ValueError):
        sam.track(frames, 7, given)
    with pytest.raises(ValueError, match="no area"):
        sam.track(frames, 0, (500.0, 500.0, 600.0, 600.0))
    sam.close()
    with pytest.raises(DetectError):
        sam.box_from_point(frames[0], (5.0, 5.0))


def test_a_missing_folder_names_the_setting(tmp_path):
    from pipeline.detect.interactive import Sam2Interactive

    with pytest.raises(WeightsMissing, match="CLUEBENCH_DETECT_SAM2_PATH"):
        Sam2Interactive.load(tmp_path / "nothing", device="cpu")
