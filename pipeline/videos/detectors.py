"""The gpu worker's vision models, loaded from the settings once per process and kept for its life.

``detector()`` is the box stage's text-to-boxes detector (``CLUEBENCH_DETECT_BACKEND``: Grounded-SAM2 or SAM 3),
used for R-AVST boxes and for object clue proposals; ``interactive()`` answers a person's click (a box) and follows
one box through frames (SAM 2, or SAM 3's tracker with the sam3 backend). Both are loaded on first use, after the
worker forked, and again only if the settings they were made from change; torch never loads in the web process.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from pipeline.detect import DetectConfig

_lock = threading.Lock()
_loaded: dict[str, tuple[tuple, object]] = {}


def _torch_threads() -> None:
    import torch

    if settings.CLUEBENCH_DETECT_TORCH_THREADS:
        # More threads than the worker's share of the cores made SAM2 several times slower here.
        torch.set_num_threads(settings.CLUEBENCH_DETECT_TORCH_THREADS)


def _cached(name: str, key: tuple, load):
    with _lock:
        held = _loaded.get(name)
        if held is None or held[0] != key:
            _torch_threads()
            if held is not None:
                held[1].close()
                del _loaded[name]
            _loaded[name] = (key, load())
        return _loaded[name][1]


def detect_config() -> DetectConfig:
    return DetectConfig(
        box_threshold=settings.CLUEBENCH_DETECT_BOX_THRESHOLD,
        text_threshold=settings.CLUEBENCH_DETECT_TEXT_THRESHOLD,
        window=settings.CLUEBENCH_DETECT_WINDOW,
        device=settings.CLUEBENCH_DETECT_DEVICE or None,
    )


def weights_missing() -> str | None:
    """Why the configured backend's model folders cannot be loaded (a quick look for their config.json, no torch),
    or None."""
    if settings.CLUEBENCH_DETECT_BACKEND == "sam3":
        folders = {"CLUEBENCH_DETECT_SAM3_PATH": settings.CLUEBENCH_DETECT_SAM3_PATH}
    else:
        folders = {"CLUEBENCH_DETECT_DINO_PATH": settings.CLUEBENCH_DETECT_DINO_PATH,
                   "CLUEBENCH_DETECT_SAM2_PATH": settings.CLUEBENCH_DETECT_SAM2_PATH}
    for setting, folder in folders.items():
        if not folder or not (Path(folder).expanduser() / "config.json").is_file():
            return f"no detector model in {setting} ({Path(folder).name or 'not set'})"
    return None


def interactive_missing() -> str | None:
    """Why the click-to-box and tracking model cannot be loaded, or None."""
    setting = "CLUEBENCH_DETECT_SAM3_PATH" if settings.CLUEBENCH_DETECT_BACKEND == "sam3" else \
        "CLUEBENCH_DETECT_SAM2_PATH"
    folder = getattr(settings, setting)
    if not folder or not (Path(folder).expanduser() / "config.json").is_file():
        return f"no segmentation model in {setting} ({Path(folder).name or 'not set'})"
    return None


def detector():
    """The configured text-to-boxes detector; :class:`~pipeline.detect.DetectError` when it cannot load."""
    backend = settings.CLUEBENCH_DETECT_BACKEND
    config = detect_config()
    if backend == "sam3":
        key = (backend, settings.CLUEBENCH_DETECT_SAM3_PATH, config)

        def load():
            # torch and the models load in the gpu worker only, after it forked.
            from pipeline.detect.sam3 import Sam3Detector

            return Sam3Detector.load(settings.CLUEBENCH_DETECT_SAM3_PATH, config)
    else:
        key = (backend, settings.CLUEBENCH_DETECT_DINO_PATH, settings.CLUEBENCH_DETECT_SAM2_PATH, config)

        def load():
            from pipeline.detect import GroundedSam2

            return GroundedSam2.load(settings.CLUEBENCH_DETECT_DINO_PATH, settings.CLUEBENCH_DETECT_SAM2_PATH, config)
    return _cached("detector", key, load)


def release_interactive() -> None:
    """Give back the device memory the last click or track cached (the models stay loaded)."""
    held = _loaded.get("interactive")
    if held is not None and getattr(held[1], "tracker", None) is not None:
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def interactive():
    """The click-to-box and tracking model of the configured backend."""
    backend = settings.CLUEBENCH_DETECT_BACKEND
    device = settings.CLUEBENCH_DETECT_DEVICE or None
    window = settings.CLUEBENCH_DETECT_WINDOW
    if backend == "sam3":
        key = (backend, settings.CLUEBENCH_DETECT_SAM3_PATH, device, window)

        def load():
            from pipeline.detect.sam3 import Sam3Interactive

            return Sam3Interactive.load(settings.CLUEBENCH_DETECT_SAM3_PATH, device=device, window=max(2, window))
    else:
        key = (backend, settings.CLUEBENCH_DETECT_SAM2_PATH, device, window)

        def load():
            from pipeline.detect.interactive import Sam2Interactive

            return Sam2Interactive.load(settings.CLUEBENCH_DETECT_SAM2_PATH, device=device, window=window)
    return _cached("interactive", key, load)
