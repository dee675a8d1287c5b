"""Tests for pipeline.detect.sam3: SAM 3 box proposals and its tracker for clicks and boxes.

Tiny random SAM 3 models (tests/sam3_models.py) are saved to folders once and loaded through the production path,
Sam3Detector.load and Sam3Interactive.load. Random weights give arbitrary boxes, so the tests assert on the contract
(shapes, boxes inside the frame, scores in [0, 1], instance numbers), on thresholds they control and on repeatability;
the assembly of tracks from the model's outputs, the hiding of removed objects and the mask-to-box step are checked
with synthetic inputs. No Django needed.
"""

from __future__ import annotations

import os

# Before transformers is imported: nothing in these tests may reach a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json  # noqa: E402
import shutil  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from pipeline.detect import DetectConfig, DetectError, InstanceBox, WeightsMissing  # noqa: E402
from pipeline.detect.sam3 import (  # noqa: E402
    FrameInput,
    Sam3Detector,
    Sam3Interactive,
    _frame_boxes,
    sam3_prompt,
)
from tests.sam3_models import IMAGE_SIZE, save_sam3, save_sam3_tracker  # noqa: E402

HEIGHT, WIDTH = 72, 128
ALL = dict(box_threshold=0.0)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("sam3-models")
    return SimpleNamespace(sam3=save_sam3(root / "sam3"), tracker=save_sam3_tracker(root / "sam3-tracker"))


@pytest.fixture
def load(folders):
    torch.set_num_threads(1)

    def load(folder=None, **config) -> Sam3Detector:
        return Sam3Detector.load(folder or folders.sam3, DetectConfig(device="cpu", **config))

    return load


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(7)
    return [rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(5)]


def assert_valid(tracks, names, count):
    assert [t.name for t in tracks] == list(names)
    for track in tracks:
        assert len(track.frames) == count
        for boxes in track.frames:
            for box in boxes:
                assert isinstance(box, InstanceBox) and len(box) == 6
                x1, y1, x2, y2, score, instance = box
                assert 0.0 <= x1 < x2 <= WIDTH - 1 and 0.0 <= y1 < y2 <= HEIGHT - 1
                assert 0.0 <= score <= 1.0
                assert all(isinstance(v, float) for v in box[:5])
                assert isinstance(instance, int) and instance >= 0
            # One object is one box at a frame.
            assert len({box.instance for box in boxes}) == len(boxes)


def assert_box_in_frame(box):
    x1, y1, x2, y2 = box[:4]
    assert 0.0 <= x1 < x2 <= WIDTH - 1 and 0.0 <= y1 < y2 <= HEIGHT - 1


def instances(track, frame_range) -> set[int]:
    return {box.instance for i in frame_range for box in track.frames[i]}


# --- the real path: Sam3VideoModel ---------------------------------------------------------------------------------


def test_end_to_end_boxes_every_name_at_every_frame(load, frames):
    detector = load(**ALL)
    progress = []
    tracks = detector.detect(frames, ["Dog", "red guitar"], progress=lambda done, total: progress.append((done, total)))
    assert_valid(tracks, ["Dog", "red guitar"], len(frames))
    assert all(track.frames[0] for track in tracks)
    assert progress[-1] == (2 * len(frames), 2 * len(frames))
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_an_instance_keeps_its_number_through_a_window_and_a_new_window_gives_new_numbers(load, frames):
    (track,) = load(**ALL, window=2).detect(frames, ["dog"])
    assert_valid([track], ["dog"], len(frames))
    first, second, third = instances(track, range(0, 2)), instances(track, range(2, 4)), instances(track, range(4, 5))
    assert first and second and third
    assert not (first & second) and not (first & third) and not (second & third)
    # Numbers run on across windows, from 0.
    assert sorted(first | second | third) == list(range(len(first | second | third)))
    # The tracker followed an instance from the first frame of a window to the second: same number at both.
    assert instances(track, [0]) & instances(track, [1])
    assert instances(track, [2]) & instances(track, [3])


def test_the_same_frames_give_the_same_tracks(load, frames):
    detector = load(**ALL, window=3)
    assert detector.detect(frames, ["dog", "man"]) == detector.detect(list(frames), ["dog", "man"])


def test_box_threshold_one_finds_nothing(load, frames):
    tracks = load(box_threshold=1.0).detect(frames, ["dog"])
    assert tracks[0].frames == [[] for _ in frames]


def _with_config(folder, tmp_path, **changes):
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    config = json.loads((copy / "config.json").read_text())
    config.update(changes)
    (copy / "config.json").write_text(json.dumps(config))
    return copy


def test_the_folders_detection_threshold_holds_over_a_lower_box_threshold(load, folders, frames, tmp_path):
    detector = load(_with_config(folders.sam3, tmp_path, score_threshold_detection=1.0), **ALL)
    assert " det=1 new=0 " in detector.model_version
    assert detector.detect(frames, ["dog"])[0].frames == [[] for _ in frames]


def test_new_instances_need_the_new_instance_threshold_once_one_is_followed(load, folders, frames, tmp_path):
    """SAM 3 starts an instance from every detection that counts while it follows none (here: at the window's first
    frame); after that, only from one scoring at least new_det_thresh, which no random detection reaches."""
    detector = load(_with_config(folders.sam3, tmp_path, new_det_thresh=1.0), **ALL)
    assert " det=0 new=1 " in detector.model_version
    (track,) = detector.detect(frames, ["dog"])
    assert track.frames[0]
    assert instances(track, range(len(frames))) == instances(track, [0])


def test_bfloat16_runs_end_to_end(load, frames):
    tracks = load(**ALL, window=2, dtype="bfloat16").detect(frames[:3], ["dog"])
    assert_valid(tracks, ["dog"], 3)
    assert tracks[0].frames[0]


def test_no_frames_or_no_names(load, frames):
    detector = load(**ALL)
    assert detector.detect(frames, []) == []
    tracks = detector.detect([], ["dog"])
    assert tracks[0].name == "dog" and tracks[0].frames == []


def test_bad_frames_and_names_are_refused(load, frames):
    detector = load(**ALL)
    with pytest.raises(ValueError, match="uint8"):
        detector.detect([frames[0].astype(np.float32)], ["dog"])
    with pytest.raises(ValueError, match="one size"):
        detector.detect([frames[0], frames[0][:10]], ["dog"])
    with pytest.raises(ValueError, match="a word"):
        detector.detect(frames, ["dog", " . "])


def test_text_prompt_is_the_names_words():
    assert sam3_prompt("  Red   guitar. ") == "Red guitar"
    with pytest.raises(ValueError):
        sam3_prompt("")


def test_provenance_names_the_folder_and_thresholds(load):
    detector = load()
    assert detector.model_name == "sam3"
    assert detector.model_version.startswith("sam3@")
    # The tiny folder's own thresholds are 0: the box threshold raises both.
    assert detector.model_version.endswith(" det=0.4 new=0.4 window=16 float32")


def test_nothing_is_fetched_from_the_hub_at_run_time(load):
    """transformers would fetch its NMS kernel from the hub (with the kernels package): loading turns that off, and
    with it the NMS step, which would keep every detection anyway after comparing all pairs of masks."""
    from transformers.models.sam3_video import modeling_sam3_video

    detector = load()
    assert modeling_sam3_video.cv_utils_kernel is False
    assert detector.model.det_nms_thresh == 0.0


def test_out_of_memory_becomes_a_detect_error_that_suggests_a_smaller_window(load, frames, monkeypatch):
    detector = load(window=8)

    def propagate(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory")

    monkeypatch.setattr(detector.model, "propagate_in_video_iterator", propagate)
    with pytest.raises(DetectError, match="CLUEBENCH_DETECT_WINDOW") as info:
        detector.detect(frames, ["dog"])
    assert "windows of 8 frames" in str(info.value)


def test_release_keeps_the_model_and_close_drops_it(load, frames):
    detector = load(box_threshold=1.0)
    detector.release()
    assert detector.detect(frames[:1], ["dog"])[0].frames == [[]]
    with detector:
        pass
    with pytest.raises(DetectError, match="closed"):
        detector.detect(frames[:1], ["dog"])


# --- assembling tracks from the model's outputs (synthetic) --------------------------------------------------------


def _mask(x1: int, y1: int, x2: int, y2: int, size: int = 8) -> torch.Tensor:
    """A 1 x size x size logit map, positive on [x1, x2] x [y1, y2] of the low-resolution grid."""
    mask = torch.full((1, size, size), -10.0)
    mask[0, y1 : y2 + 1, x1 : x2 + 1] = 10.0
    return mask


def _output(frame_idx, masks, scores, removed=(), suppressed=()):
    return SimpleNamespace(frame_idx=frame_idx, obj_id_to_mask=masks, obj_id_to_score=scores,
                           removed_obj_ids=set(removed), suppressed_obj_ids=set(suppressed))


def test_hidden_empty_and_removed_objects_give_no_box():
    session = SimpleNamespace(hotstart_removed_obj_ids={3},
                              obj_id_to_prompt_id={0: 0, 1: 0, 2: 1, 3: 0, 4: 1, 5: 1, 6: 1})
    output = _output(
        0, {0: _mask(0, 0, 3, 3), 1: _mask(4, 4, 7, 7), 2: _mask(2, 2, 5, 5), 3: _mask(0, 0, 7, 7),
            4: torch.full((1, 8, 8), -1.0), 5: _mask(1, 1, 6, 6), 6: _mask(6, 5, 7, 7)},
        {0: 0.9, 1: -1e4, 2: 0.6, 3: 0.8, 4: 0.7, 5: 0.5, 6: 1.0000001}, removed={1}, suppressed={5},
    )
    found = Sam3Detector._instances(session, output, (8, 8))
    assert found == {0: [(0, (0.0, 0.0, 3.0, 3.0), 0.9)],
                     1: [(2, (2.0, 2.0, 5.0, 5.0), 0.6), (6, (6.0, 5.0, 7.0, 7.0), 1.0)]}


def test_tracks_are_assembled_from_the_models_outputs(load, monkeypatch):
    """Deterministic stand-in for the model: objects of each prompt go to that name's track, an object keeps its
    number through a window, a new window numbers on per name, and hidden objects are left out."""
    detector = load(window=3)
    sessions = []

    def propagate(session):
        sessions.append(session)
        assert session.prompts == {0: "dog", 1: "red guitar"}
        session.obj_id_to_prompt_id.update({0: 0, 1: 1, 2: 0})
        count = session.num_frames
        for t in range(count):
            masks = {0: _mask(0, 0, 3, 3), 1: _mask(2, 2, 5, 5)}
            if t == 1:
                masks[2] = _mask(4, 0, 7, 3)
            yield _output(t, masks, {0: 0.9, 1: 0.6, 2: 0.5}, suppressed={1} if t == 2 else ())

    monkeypatch.setattr(detector.model, "propagate_in_video_iterator", propagate)
    frames = [np.zeros((HEIGHT, WIDTH, 3), dtype=np.uint8) for _ in range(4)]
    dog, guitar = detector.detect(frames, ["dog", "red  guitar"])
    assert [s.num_frames for s in sessions] == [3, 1]
    assert [[b.instance for b in boxes] for boxes in dog.frames] == [[0], [0, 1], [0], [2]]
    assert [[b.instance for b in boxes] for boxes in guitar.frames] == [[0], [0], [], [1]]
    assert [b.score for b in dog.frames[1]] == [0.9, 0.5]
    box = dog.frames[0][0]
    assert box[:4] == (0.0, 0.0, WIDTH / 2 - 1, HEIGHT / 2 - 1)  # the low-res quarter, in frame pixels


def test_frame_boxes_upsample_the_low_resolution_masks():
    low_res = torch.cat([_mask(0, 0, 1, 1, size=4), torch.full((1, 4, 4), -5.0)])
    assert _frame_boxes(low_res, (8, 8)) == [(0.0, 0.0, 3.0, 3.0), None]
    assert _frame_boxes(torch.zeros(0, 4, 4), (8, 8)) == []


def test_frame_input_reads_the_folders_settings_and_defaults_to_sam3s(folders, tmp_path):
    frames = FrameInput.from_folder(folders.sam3, IMAGE_SIZE, torch.device("cpu"), torch.float32)
    assert frames.size == (IMAGE_SIZE, IMAGE_SIZE)
    assert frames.mean.flatten().tolist() == [0.5] * 3 and frames.std.flatten().tolist() == [0.5] * 3
    (tmp_path / "video_preprocessor_config.json").write_text(json.dumps({"image_mean": [0.4, 0.4, 0.4]}))
    (tmp_path / "preprocessor_config.json").write_text(json.dumps({"image_mean": [0.1] * 3, "image_std": [0.2] * 3}))
    frames = FrameInput.from_folder(tmp_path, 64, torch.device("cpu"), torch.float32)
    assert frames.mean.flatten().tolist() == pytest.approx([0.4] * 3)  # the video processor's settings win
    assert frames.std.flatten().tolist() == pytest.approx([0.2] * 3)
    pixels = frames([np.full((HEIGHT, WIDTH, 3), 255, dtype=np.uint8)])
    assert pixels.shape == (1, 3, 64, 64)
    assert torch.allclose(pixels, torch.full_like(pixels, (1.0 - 0.4) / 0.2))
    points = frames.to_input(torch.tensor([[WIDTH / 2, HEIGHT / 4]]), (HEIGHT, WIDTH))
    assert points.tolist() == [[32.0, 16.0]]


# --- weights folders -----------------------------------------------------------------------------------------------


def test_a_missing_folder_names_itself_and_the_setting(tmp_path):
    missing = tmp_path / "nowhere"
    for load in (lambda: Sam3Detector.load(missing, DetectConfig(device="cpu")),
                 lambda: Sam3Interactive.load(missing, device="cpu")):
        with pytest.raises(WeightsMissing) as info:
            load()
        message = str(info.value)
        assert str(missing) in message and "does not exist" in message and "CLUEBENCH_DETECT_SAM3_PATH" in message


def test_an_incomplete_folder_says_what_is_missing(folders, tmp_path):
    sam3 = tmp_path / "sam3"
    shutil.copytree(folders.sam3, sam3)
    (sam3 / "model.safetensors").unlink()
    (sam3 / "tokenizer.json").unlink()
    with pytest.raises(WeightsMissing) as info:
        Sam3Detector.load(sam3, DetectConfig(device="cpu"))
    message = str(info.value)
    assert "incomplete" in message and "model.safetensors" in message and "tokenizer.json" in message
    assert str(sam3) in message and "CLUEBENCH_DETECT_SAM3_PATH" in message


def test_a_folder_holding_another_model_is_refused(folders, tmp_path):
    # The detector needs detector and tracker: a lone tracker folder is not enough.
    tracker = tmp_path / "sam3-tracker"
    shutil.copytree(folders.tracker, tracker)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(folders.sam3 / name, tracker / name)
    with pytest.raises(WeightsMissing, match="holds a 'sam3_tracker_video' model, not 'sam3_video'.*SAM3_PATH") as info:
        Sam3Detector.load(tracker, DetectConfig(device="cpu"))
    assert str(tracker) in str(info.value)
    image_only = tmp_path / "sam3-image"
    shutil.copytree(folders.sam3, image_only)
    (image_only / "config.json").write_text(json.dumps({"model_type": "sam3"}))
    with pytest.raises(WeightsMissing, match="holds a 'sam3' model, not 'sam3_video'"):
        Sam3Interactive.load(image_only, device="cpu")


@pytest.mark.parametrize("damage", ["drop", "reshape"])
def test_a_checkpoint_that_does_not_fit_the_model_is_refused(folders, tmp_path, damage):
    """from_pretrained would fill a missing weight with random values and only warn: both loaders refuse."""
    from safetensors.torch import load_file, save_file

    sam3 = tmp_path / "sam3"
    shutil.copytree(folders.sam3, sam3)
    weights = load_file(sam3 / "model.safetensors")
    key = next(k for k in sorted(weights) if k.startswith("detector_model.vision_encoder.backbone."))  # both read it
    if damage == "drop":
        del weights[key]
    else:
        weights[key] = torch.zeros(3, 3)
    save_file(weights, sam3 / "model.safetensors", metadata={"format": "pt"})
    with pytest.raises(WeightsMissing, match="cannot load SAM 3 from .*CLUEBENCH_DETECT_SAM3_PATH") as info:
        Sam3Detector.load(sam3, DetectConfig(device="cpu"))
    if damage == "drop":
        assert f"not in the checkpoint, e.g. {key}" in str(info.value)
    with pytest.raises(WeightsMissing, match="cannot load the SAM 3 tracker from .*CLUEBENCH_DETECT_SAM3_PATH"):
        Sam3Interactive.load(sam3, device="cpu")


def test_a_folder_laid_out_as_facebook_sam3_loads_both_models(folders, tmp_path, frames):
    """transformers 5.23's save_pretrained writes the tracker's weights of a Sam3VideoModel under a doubled prefix
    (tracker_model.tracker_model.*: it reverses the renaming it applies when a lone tracker loads this checkpoint);
    the converted facebook/sam3 checkpoint has them once (tracker_model.*). Both models load either, complete."""
    from safetensors.torch import load_file, save_file

    hub = tmp_path / "sam3"
    shutil.copytree(folders.sam3, hub)
    weights = load_file(hub / "model.safetensors")
    doubled = "tracker_model.tracker_model."
    assert any(key.startswith(doubled) for key in weights)
    weights = {key.removeprefix("tracker_model.") if key.startswith(doubled) else key: value
               for key, value in weights.items()}
    save_file(weights, hub / "model.safetensors", metadata={"format": "pt"})
    detector = Sam3Detector.load(hub, DetectConfig(device="cpu", **ALL))
    assert detector.detect(frames[:2], ["dog"]) == Sam3Detector.load(
        folders.sam3, DetectConfig(device="cpu", **ALL)).detect(frames[:2], ["dog"])
    box = (10.0, 10.0, 60.0, 50.0)
    assert Sam3Interactive.load(hub, device="cpu").track(frames[:3], 1, box) == Sam3Interactive.load(
        folders.sam3, device="cpu").track(frames[:3], 1, box)


def test_a_folder_without_processor_settings_loads_with_sam3s(folders, tmp_path, frames):
    sam3 = tmp_path / "sam3"
    shutil.copytree(folders.sam3, sam3)
    (sam3 / "video_preprocessor_config.json").unlink()
    detector = Sam3Detector.load(sam3, DetectConfig(device="cpu", **ALL))
    assert detector.frames.mean.flatten().tolist() == [0.5] * 3
    assert_valid(detector.detect(frames[:2], ["dog"]), ["dog"], 2)


# --- Sam3Interactive ------------------------------------------------------------------------------------------------


@pytest.fixture(params=["sam3", "tracker"])
def interactive(request, folders):
    """SAM 3's tracker from the facebook/sam3-like folder (its tracker part) and from a lone tracker folder."""
    torch.set_num_threads(1)
    return Sam3Interactive.load(getattr(folders, request.param), device="cpu", window=2)


def test_box_from_point_gives_the_masks_box_or_none(interactive, folders, frames):
    assert interactive.model_name == "sam3-tracker"
    assert interactive.model_version.endswith(" float32")
    found = interactive.box_from_point(frames[0], (60.0, 30.0))
    assert found is None or isinstance(found, InstanceBox)
    if found is not None:
        assert_box_in_frame(found)
        assert 0.0 <= found.score <= 1.0
    assert interactive.box_from_point(frames[0], (60.0, 30.0)) == found
    with pytest.raises(ValueError, match="outside"):
        interactive.box_from_point(frames[0], (WIDTH + 3.0, 30.0))
    with pytest.raises(ValueError, match="uint8"):
        interactive.box_from_point(frames[0].astype(np.float32), (60.0, 30.0))


def test_box_from_point_finds_a_box_with_the_lone_tracker(folders, frames):
    """The random tracker of seed 0 gives a non-empty mask: the box path is exercised, not only None."""
    found = Sam3Interactive.load(folders.tracker, device="cpu").box_from_point(frames[0], (60.0, 30.0))
    assert found is not None
    assert_box_in_frame(found)


def test_track_follows_the_box_both_ways_in_windows(interactive, frames, monkeypatch):
    calls = []
    real = interactive.tracker.track

    def track(pixels, frame_size, boxes):
        calls.append(len(pixels))
        return real(pixels, frame_size, boxes)

    monkeypatch.setattr(interactive.tracker, "track", track)
    boxes = interactive.track(frames, 2, (10.0, 10.0, 60.0, 50.0))
    assert len(boxes) == len(frames)
    assert boxes[2] == (10.0, 10.0, 60.0, 50.0)
    for box in boxes:
        if box is not None:
            assert_box_in_frame(box)
    assert calls and all(n == 2 for n in calls) and len(calls) <= 4  # windows of 2, forward then backward
    monkeypatch.undo()
    assert interactive.track(frames, 2, (10.0, 10.0, 60.0, 50.0)) == boxes


def test_track_at_either_end_and_bad_input(interactive, frames):
    assert interactive.track(frames[:1], 0, (10.0, 10.0, 60.0, 50.0)) == [(10.0, 10.0, 60.0, 50.0)]
    boxes = interactive.track(frames[:3], 2, (-5.0, 10.0, 500.0, 50.0))
    assert len(boxes) == 3 and boxes[2] == (0.0, 10.0, WIDTH - 1.0, 50.0)  # the given box, cut to the frame
    with pytest.raises(ValueError, match="not one of"):
        interactive.track(frames, 5, (10.0, 10.0, 60.0, 50.0))
    with pytest.raises(ValueError, match="no area"):
        interactive.track(frames, 0, (200.0, 10.0, 300.0, 50.0))
    with pytest.raises(ValueError, match="one size"):
        interactive.track([frames[0], frames[1][:10]], 0, (10.0, 10.0, 60.0, 50.0))


def test_a_closed_interactive_model_refuses(folders, frames):
    with Sam3Interactive.load(folders.tracker, device="cpu") as sam:
        pass
    with pytest.raises(DetectError, match="closed"):
        sam.box_from_point(frames[0], (60.0, 30.0))
    with pytest.raises(DetectError, match="closed"):
        sam.track(frames, 0, (10.0, 10.0, 60.0, 50.0))
    with pytest.raises(ValueError, match="dtype"):
        Sam3Interactive.load(folders.tracker, device="cpu", dtype="float64")
