"""SAM 3: from a text prompt to tracked instances in one model, and its tracker for a person's clicks and boxes.

    detector = Sam3Detector.load(sam3_folder, DetectConfig(device="cuda"))
    tracks = detector.detect(frames, ["guitar", "man"])   # the contract of GroundedSam2.detect
    sam = Sam3Interactive.load(sam3_folder)
    sam.box_from_point(frame, (412.0, 230.5))             # InstanceBox of the clicked object, or None
    sam.track(frames, 3, (400.0, 200.0, 480.0, 300.0))     # one box (or None) per frame; frames[3] keeps the given box

The folder (``CLUEBENCH_DETECT_SAM3_PATH``) is what ``huggingface-cli download facebook/sam3 --local-dir ...``
leaves: ``config.json`` of a ``sam3_video`` model (detector and tracker in one checkpoint), the weights and the CLIP
tokenizer files. :class:`Sam3Interactive` reads the tracker's part of the same checkpoint (transformers renames its
weights on load), or a folder holding a lone ``sam3_tracker_video`` model; it needs no tokenizer.

Detector (transformers' ``Sam3VideoModel``). For each window of at most ``config.window`` consecutive frames, one
session holds the window's frames and every name as a text prompt. On each frame the model detects every name (one
vision pass shared by all names), starts an instance from a detection that matches none of that name's instances,
follows the instances with its memory tracker, and applies its own heuristics: an instance that stays unmatched, or
duplicates an older one, in its first ``hotstart_delay`` frames is removed from every frame it was output on, and
overlapping instances are suppressed. The next window starts afresh, as in :mod:`pipeline.detect.engine`, so at most
one window of frames is on the device at once; its instances get new numbers (:mod:`pipeline.detect.distinct` links
pieces across windows). A detection's score is the query's probability times the presence score. SAM 3's own
thresholds (the folder's config: ``score_threshold_detection``, 0.5 for facebook/sam3, for a detection to count;
``new_det_thresh``, 0.7, for a detection that matches no instance to start one) are raised to ``box_threshold`` where
that is higher, never lowered: the setting's default, 0.4, is Grounding DINO's. While no instance of any name is
being followed (a window's first frame, say), every detection that counts starts one, whatever ``new_det_thresh``:
transformers does so, as SAM 3's own code does. ``text_threshold`` is Grounding DINO's and is not used. A box's score
is the score of the detection its instance started from.

No torchvision (this project never installs it): ``Sam3VideoProcessor`` and ``Sam3ImageProcessor`` import it, so
their steps are done here the same way. Frames are resized to the model's square input (bilinear, antialiased),
scaled and normalised with the folder's processor settings (mean and std 0.5, SAM 3's, when it has none); names are
tokenized with the folder's CLIP tokenizer, padded to 32 tokens; low-resolution masks are upsampled bilinearly to the
frame and thresholded at 0, and an instance is hidden at a frame where the model removed or suppressed it, as
``Sam3VideoProcessor.postprocess_outputs`` does (boxes are taken before its non-overlap step, as its boxes are).
Prompts to the tracker are scaled to the model's input: a click is a point labelled 1, a box its two corners
labelled 2 and 3, as ``Sam3TrackerVideoProcessor`` does.

transformers runs SAM 3's mask NMS and hole filling with a kernel it would fetch from the hub (kernels-community/
cv-utils, when the optional ``kernels`` package is installed); nothing here may load from a hub, so that fetch is
turned off and those steps are skipped, as transformers itself does without ``kernels``: duplicates are then left
to the hotstart heuristic. (The NMS step is then switched off outright: transformers would otherwise still compute
the mask IoU of every pair of detections, for nothing.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .engine import _OUT_OF_MEMORY, Progress, _check_frames
from .errors import DetectError, WeightsMissing
from .geometry import Box, clamp_box, mask_boxes, windows
from .interactive import follow_both_ways
from .types import DTYPES, DetectConfig, InstanceBox, ObjectTrack
from .weights import _LOAD_ERRORS, _complete_model, _first_line, check_folder, fingerprint, resolve_device

SAM3_SETTING = "CLUEBENCH_DETECT_SAM3_PATH"

_MODEL = "SAM 3 (facebook/sam3)"
_TOKENIZER = ("tokenizer.json", "vocab.json")
_TRACKER_TYPES = ("sam3_video", "sam3_tracker_video")
#: SAM 3's normalisation (its image processor's IMAGENET_STANDARD mean and std), used when the folder names none.
_MEAN = _STD = (0.5, 0.5, 0.5)
#: Sam3VideoProcessor pads every prompt to this many tokens.
_TEXT_TOKENS = 32

Point = tuple[float, float]


def load_sam3(path: str | Path, device: torch.device, dtype: torch.dtype):
    """``Sam3VideoModel``, its tokenizer and its frame preprocessing, from a local ``sam3_video`` folder."""
    from transformers import AutoTokenizer, Sam3VideoModel

    folder = check_folder(path, model=_MODEL, model_type="sam3_video", setting=SAM3_SETTING, extra=(_TOKENIZER,))
    try:
        model = _complete_model(Sam3VideoModel, folder, dtype)
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        frames = FrameInput.from_folder(folder, model.config.image_size, device, dtype)
    except _LOAD_ERRORS as exc:
        raise WeightsMissing(f"cannot load SAM 3 from {folder} ({_first_line(exc)}); fix the folder or "
                             f"{SAM3_SETTING}") from exc
    if not _no_hub_kernels():
        # Without the kernel transformers keeps every detection, but only after computing the mask IoU of every
        # pair of them (N x N x 288 x 288 booleans: 26 GB for 200 detections): skip that step, which changes nothing.
        model.det_nms_thresh = 0.0
    return model.to(device).eval(), tokenizer, frames


def load_sam3_tracker(path: str | Path, device: torch.device, dtype: torch.dtype):
    """``Sam3TrackerVideoModel`` and its frame preprocessing, from a local ``sam3_video`` folder (its tracker part)
    or ``sam3_tracker_video`` folder."""
    from transformers import Sam3TrackerVideoModel

    found = _model_type(Path(path).expanduser())
    folder = check_folder(path, model=_MODEL, model_type=found if found in _TRACKER_TYPES else _TRACKER_TYPES[0],
                          setting=SAM3_SETTING)
    try:
        model = _complete_model(Sam3TrackerVideoModel, folder, dtype)
        frames = FrameInput.from_folder(folder, model.config.image_size, device, dtype)
    except _LOAD_ERRORS as exc:
        raise WeightsMissing(f"cannot load the SAM 3 tracker from {folder} ({_first_line(exc)}); fix the folder or "
                             f"{SAM3_SETTING}") from exc
    return model.to(device).eval(), frames


def _model_type(folder: Path) -> str | None:
    try:
        return json.loads((folder / "config.json").read_text()).get("model_type")
    except (OSError, ValueError, AttributeError):
        return None  # check_folder says what is wrong


def _no_hub_kernels() -> bool:
    """Keep Sam3VideoModel from fetching its NMS / connected-components kernel from the hub at run time; whether
    the kernel is there anyway (loaded earlier in the process)."""
    from transformers.models.sam3_video import modeling_sam3_video

    if modeling_sam3_video.cv_utils_kernel is None:  # None: not tried yet; False: skipped
        modeling_sam3_video.cv_utils_kernel = False
    return bool(modeling_sam3_video.cv_utils_kernel)


def sam3_prompt(name: str) -> str:
    """The text prompt of an object name: its words, single-spaced, without a final period."""
    text = " ".join(name.split()).rstrip(". ")
    if not text:
        raise ValueError(f"an object name must hold a word, got {name!r}")
    return text


class FrameInput:
    """SAM 3's frame input, made by hand (its processors need torchvision)."""

    def __init__(self, size: int, mean: Sequence[float], std: Sequence[float], scale: float,
                 device: torch.device, dtype: torch.dtype) -> None:
        self.size = (int(size), int(size))
        self.scale = float(scale)
        self.mean = torch.tensor(mean, dtype=torch.float32, device=device).view(1, 3, 1, 1)
        self.std = torch.tensor(std, dtype=torch.float32, device=device).view(1, 3, 1, 1)
        self.device = device
        self.dtype = dtype

    @classmethod
    def from_folder(cls, folder: Path, size: int, device: torch.device, dtype: torch.dtype) -> FrameInput:
        """The folder's normalisation settings (its image processor's, overridden by its video processor's), SAM 3's
        defaults where it has none; the size is always the model's input size."""
        found: dict = {}
        for name, key in (("preprocessor_config.json", None), ("processor_config.json", "image_processor"),
                          ("video_preprocessor_config.json", None), ("processor_config.json", "video_processor")):
            if (folder / name).is_file():
                data = json.loads((folder / name).read_text())
                data = data.get(key) if key else data
                if isinstance(data, dict):
                    found.update({k: data[k] for k in ("image_mean", "image_std", "rescale_factor") if k in data})
        return cls(size, found.get("image_mean", _MEAN), found.get("image_std", _STD),
                   found.get("rescale_factor", 1 / 255), device, dtype)

    @torch.inference_mode()
    def __call__(self, frames: Sequence[np.ndarray]) -> torch.Tensor:
        """``T x 3 x S x S`` model input of ``frames`` (``H x W x 3`` uint8 RGB), on the device."""
        video = torch.from_numpy(np.stack(frames)).to(self.device).permute(0, 3, 1, 2).float()
        video = F.interpolate(video, size=self.size, mode="bilinear", antialias=True, align_corners=False)
        return ((video * self.scale - self.mean) / self.std).to(self.dtype)

    def to_input(self, coords: torch.Tensor, frame_size: tuple[int, int]) -> torch.Tensor:
        """``... x 2`` frame-pixel ``(x, y)`` points in the model input's pixels."""
        height, width = frame_size
        coords = coords.clone().float()
        coords[..., 0] *= self.size[1] / width
        coords[..., 1] *= self.size[0] / height
        return coords


def _frame_boxes(low_res: torch.Tensor, frame_size: tuple[int, int]) -> list[Box | None]:
    """The frame-pixel box of each ``N x h x w`` low-resolution mask logit map (None: empty)."""
    if low_res.shape[0] == 0:
        return []
    logits = F.interpolate(low_res.float().unsqueeze(1), size=frame_size, mode="bilinear", align_corners=False)
    height, width = frame_size
    return [None if box is None else clamp_box(box, width, height) for box in mask_boxes(logits[:, 0] > 0)]


# --- text prompt to tracked instances ----------------------------------------------------------------------------


class Sam3Detector:
    """SAM 3's video model, loaded once (a GPU worker keeps one instance for its life)."""

    model_name = "sam3"

    def __init__(self, model, tokenizer, frames: FrameInput, config: DetectConfig, model_version: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.frames = frames
        self.config = config
        self.device = frames.device
        self.dtype = frames.dtype
        self.model_version = model_version

    @classmethod
    def load(cls, path: str | Path, config: DetectConfig | None = None) -> Sam3Detector:
        """Load SAM 3 from its local folder; :class:`WeightsMissing` when the folder is not usable."""
        config = config or DetectConfig()
        device = resolve_device(config.device)
        model, tokenizer, frames = load_sam3(path, device, getattr(torch, config.dtype))
        # SAM 3's thresholds, raised to box_threshold (the model reads both attributes at every frame).
        model.score_threshold_detection = max(float(model.config.score_threshold_detection), config.box_threshold)
        model.new_det_thresh = max(float(model.config.new_det_thresh), config.box_threshold)
        version = (f"{fingerprint(path)} det={model.score_threshold_detection:g} new={model.new_det_thresh:g} "
                   f"window={config.window} {config.dtype}")
        return cls(model, tokenizer, frames, config, version)

    def detect(self, frames: Sequence[np.ndarray], names: Sequence[str],
               progress: Progress | None = None) -> list[ObjectTrack]:
        """One :class:`ObjectTrack` per name, in order, with one list of boxes per frame. ``frames`` are the
        event's frames (``H x W x 3`` uint8 RGB, all the same size), one per sampled second."""
        if self.model is None:
            raise DetectError("the detector was closed; load it again")
        _check_frames(frames)
        prompts = [sam3_prompt(name) for name in names]
        try:
            return self._detect(frames, names, prompts, progress)
        except _OUT_OF_MEMORY:
            pass
        # Outside the except block the traceback, and the window's tensors it holds, are gone: now they can be freed.
        self.release()
        raise DetectError(
            f"out of GPU memory on {self.device} with windows of {self.config.window} frames; set "
            f"CLUEBENCH_DETECT_WINDOW lower (or use a GPU with more memory)"
        )

    @torch.inference_mode()
    def _detect(self, frames: Sequence[np.ndarray], names: Sequence[str], prompts: list[str],
                progress: Progress | None) -> list[ObjectTrack]:
        tracks = [ObjectTrack(name, [[] for _ in frames]) for name in names]
        if not tracks:
            return tracks
        total, done = len(frames) * len(tracks), 0
        frame_size = frames[0].shape[:2] if frames else (0, 0)
        next_instance = [0] * len(tracks)  # per name: the number the next instance gets
        for window in windows(len(frames), self.config.window):
            session, prompt_ids = self._session([frames[i] for i in window], frame_size, prompts)
            numbers: dict[tuple[int, int], int] = {}  # (track, model's object id) -> instance number
            for output in self.model.propagate_in_video_iterator(session):
                found = self._instances(session, output, frame_size)
                index = window.start + output.frame_idx
                for t, track in enumerate(tracks):
                    for obj_id, box, score in found.get(prompt_ids[t], ()):
                        if (t, obj_id) not in numbers:
                            numbers[t, obj_id] = next_instance[t]
                            next_instance[t] += 1
                        track.frames[index].append(InstanceBox(*box, score, instance=numbers[t, obj_id]))
            for track in tracks:  # instances in the order of their numbers at each frame
                for index in window:
                    track.frames[index].sort(key=lambda box: box.instance)
            done += len(window) * len(tracks)
            if progress is not None:
                progress(done, total)
        return tracks

    def _session(self, frames: list[np.ndarray], frame_size: tuple[int, int], prompts: list[str]):
        """A Sam3VideoModel session holding ``frames`` and every prompt (tokenized here, as Sam3VideoProcessor's
        ``add_text_prompt`` does); also the prompt id of each name."""
        from transformers.models.sam3_video.modeling_sam3_video import Sam3VideoInferenceSession

        height, width = frame_size
        session = Sam3VideoInferenceSession(
            video=self.frames(frames), video_height=height, video_width=width, inference_device=self.device,
            inference_state_device=self.device, video_storage_device=self.device, dtype=self.dtype,
        )
        prompt_ids = []
        for prompt in prompts:
            prompt_id = session.add_prompt(prompt)  # one id for names with the same prompt
            if prompt_id not in session.prompt_input_ids:
                encoded = self.tokenizer(prompt, return_tensors="pt", padding="max_length", truncation=True,
                                         max_length=_TEXT_TOKENS)
                session.prompt_input_ids[prompt_id] = encoded["input_ids"].to(self.device)
                session.prompt_attention_masks[prompt_id] = encoded["attention_mask"].to(self.device)
            prompt_ids.append(prompt_id)
        return session, prompt_ids

    @staticmethod
    def _instances(session, output, frame_size: tuple[int, int]) -> dict[int, list[tuple[int, Box, float]]]:
        """``{prompt id: [(object id, box, score), ...]}`` at the output's frame: the objects shown there (not removed
        by the hotstart heuristic, not suppressed at this frame) whose mask is not empty."""
        hidden = set(session.hotstart_removed_obj_ids) | set(output.removed_obj_ids or ())
        hidden |= set(output.suppressed_obj_ids or ())
        shown = [obj_id for obj_id in sorted(output.obj_id_to_mask) if obj_id not in hidden]
        if not shown:
            return {}
        low_res = torch.cat([output.obj_id_to_mask[obj_id] for obj_id in shown], dim=0)
        found: dict[int, list[tuple[int, Box, float]]] = {}
        for obj_id, box in zip(shown, _frame_boxes(low_res, frame_size)):
            score = float(output.obj_id_to_score.get(obj_id, 0.0))
            if box is not None and score >= 0.0:  # a removed object's score is -1e4
                prompt_id = session.obj_id_to_prompt_id[obj_id]
                found.setdefault(prompt_id, []).append((obj_id, box, min(score, 1.0)))
        return found

    def release(self) -> None:
        """Give back the device memory cached by the last call (the model stays loaded): call between tasks."""
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def close(self) -> None:
        """Drop the model for good and free its device memory."""
        self.model = self.tokenizer = None
        self.release()

    def __enter__(self) -> Sam3Detector:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# --- a person's click and box: SAM 3's tracker -------------------------------------------------------------------


class Sam3Tracker:
    """``Sam3TrackerVideoModel`` driven without its processor (which would need torchvision's image processor)."""

    def __init__(self, model, frames: FrameInput) -> None:
        self.model = model
        self.frames = frames
        self.device = frames.device
        self.dtype = frames.dtype

    def _session(self, pixels: torch.Tensor, frame_size: tuple[int, int]):
        from transformers.models.sam3_tracker_video.modeling_sam3_tracker_video import (
            Sam3TrackerVideoInferenceSession,
        )

        height, width = frame_size
        return Sam3TrackerVideoInferenceSession(
            video=pixels, video_height=height, video_width=width, inference_device=self.device,
            inference_state_device=self.device, video_storage_device=self.device, dtype=self.dtype,
        )

    @torch.inference_mode()
    def point(self, frame: np.ndarray, point: Point) -> tuple[Box | None, float]:
        """The box of the mask one positive click at ``point`` gives on ``frame``, and the tracker's object score
        (sigmoid of its logit, in [0, 1])."""
        frame_size = frame.shape[:2]
        session = self._session(self.frames([frame]), frame_size)
        coords = self.frames.to_input(torch.tensor([[[list(point)]]], dtype=torch.float32), frame_size)
        session.add_point_inputs(session.obj_id_to_idx(0), 0, {
            "point_coords": coords, "point_labels": torch.tensor([[[1]]], dtype=torch.int32),
        })
        session.obj_with_new_inputs = [0]
        output = self.model(inference_session=session, frame_idx=0, run_mem_encoder=False)
        (box,) = _frame_boxes(output.pred_masks[:, 0], frame_size)
        score = 1.0
        if output.object_score_logits is not None:
            score = float(torch.sigmoid(output.object_score_logits.float().flatten()[0]))
        return box, score

    @torch.inference_mode()
    def track(self, pixels: torch.Tensor, frame_size: tuple[int, int], boxes: Sequence[Box]) -> list[list[Box | None]]:
        """Each box, prompted on the first of ``pixels``, followed through all of them: ``result[t][i]`` is the box
        of instance ``i``'s mask at frame ``t`` (frame pixels), ``None`` where the mask is empty."""
        session = self._session(pixels, frame_size)
        corners = self.frames.to_input(torch.tensor(boxes, dtype=torch.float32).reshape(1, len(boxes), 2, 2),
                                       frame_size)
        labels = torch.tensor([2, 3], dtype=torch.int32).repeat(1, len(boxes), 1)
        for obj_id in range(len(boxes)):
            session.add_point_inputs(session.obj_id_to_idx(obj_id), 0, {
                "point_coords": corners[:, obj_id : obj_id + 1], "point_labels": labels[:, obj_id : obj_id + 1],
            })
        session.obj_with_new_inputs = list(range(len(boxes)))
        return [_frame_boxes(output.pred_masks[:, 0], frame_size)
                for output in self.model.propagate_in_video_iterator(session, start_frame_idx=0)]


class Sam3Interactive:
    """One click gives a box; one box is followed through the frames around it (the SAM 3 counterpart of
    :class:`pipeline.detect.interactive.Sam2Interactive`, with the same methods).

    Tracking runs forward from the prompted frame to the end and backward from it to the first frame (on the
    reversed frames), in windows of at most ``window`` frames per direction; each following window is prompted with
    the last box found, so device memory stays bounded on long runs."""

    model_name = "sam3-tracker"

    def __init__(self, tracker: Sam3Tracker, model_version: str, window: int = 16) -> None:
        if isinstance(window, bool) or not isinstance(window, int) or window < 2:
            raise ValueError(f"window must be a whole number of frames, at least 2, got {window!r}")
        self.tracker: Sam3Tracker | None = tracker
        self.model_version = model_version
        self.window = window

    @classmethod
    def load(cls, path: str | Path, device: str | None = None, dtype: str = "float32",
             window: int = 16) -> Sam3Interactive:
        """SAM 3's tracker from its local folder; :class:`WeightsMissing` when the folder is not usable."""
        if dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
        resolved = resolve_device(device)
        model, frames = load_sam3_tracker(path, resolved, getattr(torch, dtype))
        return cls(Sam3Tracker(model, frames), f"{fingerprint(path)} {dtype}", window)

    def _ready(self) -> Sam3Tracker:
        if self.tracker is None:
            raise DetectError("the model was closed; load it again")
        return self.tracker

    def box_from_point(self, frame: np.ndarray, point: Point) -> InstanceBox | None:
        """The box of the object under ``point`` (frame pixels) on ``frame`` (``H x W x 3`` uint8 RGB): the bounding
        box of SAM 3's mask for one positive click, with the tracker's object score; None when the mask is empty."""
        tracker = self._ready()
        _check_frames([frame])
        height, width = frame.shape[:2]
        x, y = (float(v) for v in point)
        if not (0 <= x <= width - 1 and 0 <= y <= height - 1):
            raise ValueError(f"the point ({x:g}, {y:g}) lies outside the {width}x{height} frame")
        box, score = tracker.point(frame, (x, y))
        return None if box is None else InstanceBox(*box, score)

    def track(self, frames: Sequence[np.ndarray], start: int, box: Box) -> list[Box | None]:
        """``box`` given on ``frames[start]``, followed to both ends: one box per frame (None where the object's
        mask is empty); ``result[start]`` is ``box`` itself (cut to the frame)."""
        tracker = self._ready()
        _check_frames(frames)
        size = frames[0].shape[:2] if frames else (0, 0)

        def step(indices: list[int], prompt: Box) -> list[Box | None]:
            pixels = tracker.frames([frames[i] for i in indices])
            return [found[0] for found in tracker.track(pixels, size, [prompt])]

        return follow_both_ways(frames, start, box, self.window, step)

    def close(self) -> None:
        """Drop the model for good and free its device memory."""
        device = self.tracker.device if self.tracker is not None else None
        self.tracker = None
        if device is not None and device.type == "cuda":
            torch.cuda.empty_cache()

    def __enter__(self) -> Sam3Interactive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
