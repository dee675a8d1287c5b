"""Tests for pipeline.detect: Grounded-SAM2 box proposals.

Tiny random Grounding DINO and SAM2 video models (tests/detect_models.py) are saved to a folder once and loaded
through the production path, GroundedSam2.load. Random weights give arbitrary boxes, so the tests assert on
invariants (shapes, boxes inside the frame, scores in [0, 1]) and on thresholds they control; the window logic,
the mask-to-box step and the assembly of tracks are also checked with synthetic inputs.
No Django needed.
"""

from __future__ import annotations

import os

# Before transformers is imported: nothing in these tests may reach a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import shutil  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from pipeline.detect import (  # noqa: E402
    DetectConfig,
    DetectError,
    GroundedSam2,
    InstanceBox,
    WeightsMissing,
)
from pipeline.detect.geometry import clamp_box, mask_boxes, windows  # noqa: E402
from pipeline.detect.grounding import Detection, text_prompt  # noqa: E402
from tests.detect_models import save_dino, save_sam2  # noqa: E402

HEIGHT, WIDTH = 72, 128
FOUND_ALL = dict(box_threshold=0.0, text_threshold=0.0)


@pytest.fixture(scope="session")
def model_folders(tmp_path_factory):
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("detect-models")
    return save_dino(root / "grounding-dino-tiny"), save_sam2(root / "sam2.1-hiera-tiny")


@pytest.fixture
def load(model_folders):
    torch.set_num_threads(1)

    def load(**config) -> GroundedSam2:
        return GroundedSam2.load(*model_folders, DetectConfig(device="cpu", **config))

    return load


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(5)]


def spy(monkeypatch, obj, name: str) -> list:
    """Record the arguments of every call of ``obj.name`` (which still runs)."""
    calls = []
    real = getattr(obj, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, wrapper)
    return calls


def frame_index(frames, frame) -> int:
    return next(i for i, f in enumerate(frames) if f is frame)


def assert_valid(tracks, names, count):
    assert [t.name for t in tracks] == list(names)
    for track in tracks:
        assert len(track.frames) == count
        for boxes in track.frames:
            for box in boxes:
                assert isinstance(box, InstanceBox) and len(box) == 6
                x1, y1, x2, y2, score, instance = box
                assert instance >= 0
                assert 0.0 <= x1 < x2 <= WIDTH - 1 and 0.0 <= y1 < y2 <= HEIGHT - 1
                assert 0.0 <= score <= 1.0
                assert all(isinstance(v, float) for v in box[:5])


# --- the real path: Grounding DINO + SAM2 video ------------------------------------------------------------------


def test_end_to_end_boxes_every_name_at_every_frame(load, frames):
    detector = load(**FOUND_ALL, window=16)
    progress = []
    tracks = detector.detect(frames, ["Dog", "red guitar"], progress=lambda done, total: progress.append((done, total)))
    assert_valid(tracks, ["Dog", "red guitar"], len(frames))
    assert all(track.frames[0] for track in tracks)
    # Several Grounding DINO detections of one name are several boxes at one frame.
    assert max(len(boxes) for track in tracks for boxes in track.frames) >= 2
    assert progress[-1] == (2 * len(frames), 2 * len(frames))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_box_threshold_one_finds_nothing(load, frames):
    tracks = load(box_threshold=1.0, text_threshold=0.0).detect(frames, ["dog"])
    assert tracks[0].frames == [[] for _ in frames]


def test_text_threshold_filters_boxes_without_a_word_of_the_name(load, frames):
    tracks = load(box_threshold=0.0, text_threshold=1.0).detect(frames, ["dog"])
    assert tracks[0].frames == [[] for _ in frames]


def test_scores_come_from_detections_above_the_box_threshold(load, frames):
    detector = load(box_threshold=0.5, text_threshold=0.0)
    found = detector.grounding.detect(frames[0], "dog", box_threshold=0.5, text_threshold=0.0)
    assert found and all(d.score > 0.5 for d in found)
    assert [d.score for d in found] == sorted((d.score for d in found), reverse=True)
    tracks = detector.detect(frames[:1], ["dog"])
    assert {box.score for box in tracks[0].frames[0]} <= {d.score for d in found}


def test_detection_runs_at_the_start_of_each_window_and_tracking_stays_inside_it(load, frames, monkeypatch):
    detector = load(**FOUND_ALL, window=2)
    detected = spy(monkeypatch, detector.grounding, "detect")
    tracked = spy(monkeypatch, detector.tracker, "track")
    tracks = detector.detect(frames, ["dog"])
    assert [frame_index(frames, args[0]) for args in detected] == [0, 2, 4]
    assert [len(args[0]) for args in tracked] == [2, 2, 1]
    assert_valid(tracks, ["dog"], len(frames))


def test_frames_before_the_first_detection_of_a_window_get_nothing(load, frames, monkeypatch):
    detector = load(**FOUND_ALL, window=3)
    real = detector.grounding.detect
    seen = []

    def detect(frame, name, **kwargs):
        seen.append(frame_index(frames, frame))
        return [] if seen[-1] in (0, 3) else real(frame, name, **kwargs)

    monkeypatch.setattr(detector.grounding, "detect", detect)
    tracked = spy(monkeypatch, detector.tracker, "track")
    tracks = detector.detect(frames, ["dog"])
    assert seen == [0, 1, 3, 4]
    assert [len(args[0]) for args in tracked] == [2, 1]  # frames 1-2 of [0, 3), frame 4 of [3, 5)
    assert tracks[0].frames[0] == [] and tracks[0].frames[3] == []
    assert tracks[0].frames[1] and tracks[0].frames[4]


def test_bfloat16_runs_end_to_end(load, frames):
    tracks = load(**FOUND_ALL, window=2, dtype="bfloat16").detect(frames[:3], ["dog"])
    assert_valid(tracks, ["dog"], 3)
    assert tracks[0].frames[0]


def test_no_frames_or_no_names(load, frames):
    detector = load(**FOUND_ALL)
    assert detector.detect(frames, []) == []
    tracks = detector.detect([], ["dog"])
    assert tracks[0].name == "dog" and tracks[0].frames == []


def test_bad_frames_are_refused(load, frames):
    detector = load(**FOUND_ALL)
    with pytest.raises(ValueError, match="uint8"):
        detector.detect([frames[0].astype(np.float32)], ["dog"])
    with pytest.raises(ValueError, match="one size"):
        detector.detect([frames[0], frames[0][:10]], ["dog"])


def test_provenance_names_both_models(load):
    detector = load()
    assert detector.model_name == "grounding-dino+sam2"
    assert detector.model_version.startswith("grounding-dino-tiny@")
    assert "+sam2.1-hiera-tiny@" in detector.model_version
    assert "box=0.4 text=0.3 window=16 float32" in detector.model_version


def test_out_of_memory_becomes_a_detect_error_that_suggests_a_smaller_window(load, frames, monkeypatch):
    detector = load(window=8)

    def detect(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(detector.grounding, "detect", detect)
    with pytest.raises(DetectError, match="CLUEBENCH_DETECT_WINDOW") as info:
        detector.detect(frames, ["dog"])
    assert "windows of 8 frames" in str(info.value)


def test_release_keeps_the_models_and_close_drops_them(load, frames):
    detector = load(box_threshold=1.0)
    detector.release()
    assert detector.detect(frames[:1], ["dog"])[0].frames == [[]]
    with detector:
        pass
    with pytest.raises(DetectError, match="closed"):
        detector.detect(frames[:1], ["dog"])


# --- weights folders ---------------------------------------------------------------------------------------------


def test_a_missing_folder_names_itself_and_the_setting(model_folders, tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(WeightsMissing) as info:
        GroundedSam2.load(missing, model_folders[1], DetectConfig(device="cpu"))
    message = str(info.value)
    assert str(missing) in message and "does not exist" in message and "CLUEBENCH_DETECT_DINO_PATH" in message

    with pytest.raises(WeightsMissing, match="CLUEBENCH_DETECT_SAM2_PATH"):
        GroundedSam2.load(model_folders[0], missing, DetectConfig(device="cpu"))


def test_an_incomplete_folder_says_what_is_missing(model_folders, tmp_path):
    dino = tmp_path / "dino"
    shutil.copytree(model_folders[0], dino)
    (dino / "model.safetensors").unlink()
    (dino / "tokenizer.json").unlink()
    with pytest.raises(WeightsMissing) as info:
        GroundedSam2.load(dino, model_folders[1], DetectConfig(device="cpu"))
    message = str(info.value)
    assert "incomplete" in message and "model.safetensors" in message and "tokenizer.json" in message
    assert str(dino) in message and "CLUEBENCH_DETECT_DINO_PATH" in message


def test_a_grounding_dino_folder_laid_out_as_on_the_hub_loads(model_folders, tmp_path, frames):
    """IDEA-Research/grounding-dino-tiny keeps its image processor in preprocessor_config.json and has a
    vocab.txt, where save_pretrained here writes processor_config.json and tokenizer.json."""
    import json

    dino = tmp_path / "grounding-dino-tiny"
    shutil.copytree(model_folders[0], dino)
    image_processor = json.loads((dino / "processor_config.json").read_text())["image_processor"]
    image_processor["processor_class"] = "GroundingDinoProcessor"
    (dino / "preprocessor_config.json").write_text(json.dumps(image_processor))
    vocab = json.loads((dino / "tokenizer.json").read_text())["model"]["vocab"]
    (dino / "vocab.txt").write_text("".join(word + "\n" for word in sorted(vocab, key=vocab.get)))
    (dino / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "BertTokenizer", "do_lower_case": True}))
    (dino / "processor_config.json").unlink()
    (dino / "tokenizer.json").unlink()
    detector = GroundedSam2.load(dino, model_folders[1], DetectConfig(device="cpu", **FOUND_ALL))
    assert_valid(detector.detect(frames[:2], ["dog"]), ["dog"], 2)


def test_a_folder_holding_another_model_is_refused(model_folders, tmp_path):
    sam2 = tmp_path / "sam2"
    shutil.copytree(model_folders[1], sam2)
    shutil.copy(model_folders[0] / "config.json", sam2 / "config.json")
    with pytest.raises(WeightsMissing, match="holds a 'grounding-dino' model, not 'sam2_video'.*CLUEBENCH_DETECT_SAM2"):
        GroundedSam2.load(model_folders[0], sam2, DetectConfig(device="cpu"))


@pytest.mark.parametrize("damage", ["drop", "reshape"])
def test_a_checkpoint_that_does_not_fit_the_model_is_refused(model_folders, tmp_path, damage):
    """from_pretrained would fill a missing weight with random values and only warn: the detector refuses."""
    from safetensors.torch import load_file, save_file

    sam2 = tmp_path / "sam2"
    shutil.copytree(model_folders[1], sam2)
    weights = load_file(sam2 / "model.safetensors")
    key = sorted(weights)[0]
    if damage == "drop":
        del weights[key]
    else:
        weights[key] = torch.zeros(3, 3)
    save_file(weights, sam2 / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(WeightsMissing, match="cannot load SAM2 video from .*CLUEBENCH_DETECT_SAM2_PATH") as info:
        GroundedSam2.load(model_folders[0], sam2, DetectConfig(device="cpu"))
    if damage == "drop":
        assert f"not in the checkpoint, e.g. {key}" in str(info.value)


# --- pure helpers ------------------------------------------------------------------------------------------------


def test_windows_cover_the_frames_in_order():
    assert windows(5, 2) == [range(0, 2), range(2, 4), range(4, 5)]
    assert windows(4, 16) == [range(0, 4)]
    assert windows(0, 3) == []
    with pytest.raises(ValueError):
        windows(3, 0)


def test_mask_boxes_one_box_per_mask():
    masks = torch.zeros(4, 10, 20, dtype=torch.bool)
    masks[0, 2:5, 3:9] = True
    masks[1, 1:3, 0:2] = True
    masks[1, 8:10, 18:20] = True  # two blobs of one instance: one box around both
    masks[3, 4, 2:9] = True  # one row thick: no box of positive size
    assert mask_boxes(masks) == [(3.0, 2.0, 8.0, 4.0), (0.0, 1.0, 19.0, 9.0), None, None]


def test_clamp_box_keeps_boxes_inside_the_frame():
    assert clamp_box((-5.0, 2.0, 300.0, 9.5), 128, 72) == (0.0, 2.0, 127.0, 9.5)
    assert clamp_box((130.0, 2.0, 300.0, 9.0), 128, 72) is None
    assert clamp_box((10.0, 5.0, 10.0, 9.0), 128, 72) is None


def test_text_prompt_is_lower_case_and_ends_with_a_period():
    assert text_prompt("  Red   Guitar ") == "red guitar."
    assert text_prompt("man.") == "man."
    with pytest.raises(ValueError):
        text_prompt(" . ")


def test_tracks_are_assembled_from_detections_and_masks(load, monkeypatch):
    """Deterministic stand-ins for both models: instance i keeps its detection's score at every frame, an empty
    mask drops only that instance, and windows are stitched back at their offsets."""
    detector = load(window=3)
    calls = []

    def detect(frame, name, **kwargs):
        return [Detection((1.0, 1.0, 5.0, 5.0), 0.9), Detection((2.0, 2.0, 6.0, 6.0), 0.6)]

    def track(pixels, frame_size, boxes):
        calls.append((len(pixels), frame_size))
        return [[(1.0, 1.0, 4.0, 4.0), None] if t == 1 else [(1.0, 1.0, 4.0, 4.0), (2.0, 2.0, 7.0, 7.0)]
                for t in range(len(pixels))]

    monkeypatch.setattr(detector.grounding, "detect", detect)
    monkeypatch.setattr(detector.tracker, "track", track)
    frames = [np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(4)]
    (track_,) = detector.detect(frames, ["dog"])
    both = [InstanceBox(1.0, 1.0, 4.0, 4.0, 0.9, 0), InstanceBox(2.0, 2.0, 7.0, 7.0, 0.6, 1)]
    # The second window's detections are new instances: numbered on from the first window's.
    again = [InstanceBox(1.0, 1.0, 4.0, 4.0, 0.9, 2), InstanceBox(2.0, 2.0, 7.0, 7.0, 0.6, 3)]
    assert track_.frames == [both, both[:1], both, again]
    assert calls == [(3, (HEIGHT, WIDTH)), (1, (HEIGHT, WIDTH))]


