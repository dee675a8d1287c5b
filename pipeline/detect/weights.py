"""Loading the two models from local folders (never from a hub) and naming what was loaded.

A folder is what ``huggingface-cli download IDEA-Research/grounding-dino-tiny --local-dir ...`` (or
``facebook/sam2.1-hiera-tiny``) leaves: ``config.json``, the weights, and for Grounding DINO its image processor
and tokenizer files. Anything missing or unreadable raises :class:`WeightsMissing` naming the folder and the
setting that points at it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

from .errors import WeightsMissing

DINO_SETTING = "CLUEBENCH_DETECT_DINO_PATH"
SAM2_SETTING = "CLUEBENCH_DETECT_SAM2_PATH"

_WEIGHTS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin")
_TOKENIZER = ("tokenizer.json", "vocab.txt")


def resolve_device(device: str | None) -> torch.device:
    """``device``, or CUDA when torch sees a GPU and ``device`` is empty."""
    if not device:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def check_folder(
    path: str | Path, *, model: str, model_type: str, setting: str, extra: tuple[tuple[str, ...], ...] = ()
) -> Path:
    """The folder as a Path once it holds ``config.json`` of a ``model_type`` model, weights and one file of each
    group of ``extra``."""
    folder = Path(path).expanduser()
    hint = f"download {model} into it, or point {setting} at the folder that holds it"
    if not folder.is_dir():
        raise WeightsMissing(f"the {model} folder {folder} does not exist: {hint}")
    missing = [
        " or ".join(group)
        for group in (("config.json",), _WEIGHTS, *extra)
        if not any((folder / name).is_file() for name in group)
    ]
    if missing:
        raise WeightsMissing(f"the {model} folder {folder} is incomplete (no {', no '.join(missing)}): {hint}")
    try:
        found = json.loads((folder / "config.json").read_text()).get("model_type")
    except (OSError, ValueError, AttributeError) as exc:
        raise WeightsMissing(f"the {model} folder {folder} has an unreadable config.json ({exc}): {hint}") from exc
    if found != model_type:
        raise WeightsMissing(f"the {model} folder {folder} holds a {found!r} model, not {model_type!r}: {hint}")
    return folder


def load_dino(path: str | Path, device: torch.device, dtype: torch.dtype):
    """Grounding DINO and its processor. The image processor is the PIL one: the default (fast) one needs
    torchvision, which this project does not install."""
    from transformers import AutoTokenizer, GroundingDinoForObjectDetection, GroundingDinoProcessor
    from transformers.models.grounding_dino.image_processing_pil_grounding_dino import (
        GroundingDinoImageProcessorPil,
    )

    folder = check_folder(path, model="Grounding DINO (IDEA-Research/grounding-dino-tiny)",
                          model_type="grounding-dino", setting=DINO_SETTING,
                          extra=(("preprocessor_config.json", "processor_config.json"), _TOKENIZER))
    try:
        model = _complete_model(GroundingDinoForObjectDetection, folder, dtype)
        processor = GroundingDinoProcessor(
            image_processor=GroundingDinoImageProcessorPil.from_pretrained(folder, local_files_only=True),
            tokenizer=AutoTokenizer.from_pretrained(folder, local_files_only=True),
        )
    except _LOAD_ERRORS as exc:
        raise WeightsMissing(f"cannot load Grounding DINO from {folder} ({_first_line(exc)}); fix the folder or "
                             f"{DINO_SETTING}") from exc
    return model.to(device).eval(), processor


def load_sam2(path: str | Path, device: torch.device, dtype: torch.dtype):
    """The SAM2 video model and the settings of its frame preprocessing. Only the video processor's settings are
    used: its image-processor sibling needs torchvision (see :mod:`pipeline.detect.tracking`)."""
    from transformers import Sam2VideoModel
    from transformers.models.sam2_video.video_processing_sam2_video import Sam2VideoVideoProcessor

    folder = check_folder(path, model="SAM2 video (facebook/sam2.1-hiera-tiny)",
                          model_type="sam2_video", setting=SAM2_SETTING)
    try:
        model = _complete_model(Sam2VideoModel, folder, dtype)
        if (folder / "video_preprocessor_config.json").is_file():
            video_processor = Sam2VideoVideoProcessor.from_pretrained(folder, local_files_only=True)
        else:
            size = model.config.image_size
            video_processor = Sam2VideoVideoProcessor(size={"height": size, "width": size})
    except _LOAD_ERRORS as exc:
        raise WeightsMissing(f"cannot load SAM2 video from {folder} ({_first_line(exc)}); fix the folder or "
                             f"{SAM2_SETTING}") from exc
    return model.to(device).eval(), video_processor


# What from_pretrained raises on a folder it cannot use (a weight of the wrong shape is a RuntimeError).
_LOAD_ERRORS = (OSError, ValueError, KeyError, TypeError, RuntimeError)


def _complete_model(model_class, folder: Path, dtype: torch.dtype):
    """The model, refused when the checkpoint leaves any weight of it uninitialised: from_pretrained would fill
    those with random values and only warn, and a detector with random parts proposes garbage boxes."""
    model, info = model_class.from_pretrained(folder, local_files_only=True, dtype=dtype, output_loading_info=True)
    if info["missing_keys"]:
        missing = sorted(info["missing_keys"])
        raise ValueError(f"{len(missing)} weights of {model_class.__name__} are not in the checkpoint, "
                         f"e.g. {missing[0]}")
    return model


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def fingerprint(path: str | Path) -> str:
    """``<folder name>@<8 hex>``: the hash covers config.json and the weight files' names and sizes, so a
    different model in a folder of the same name reads differently without hashing gigabytes."""
    folder = Path(path).expanduser()
    digest = hashlib.sha256((folder / "config.json").read_bytes())
    for name in _WEIGHTS:
        weights = folder / name
        if weights.is_file():
            digest.update(f"{name}:{weights.stat().st_size}".encode())
    return f"{folder.name}@{digest.hexdigest()[:8]}"
