"""Scoring candidate sound events against the sound a question names, with a CLAP model (transformers'
``ClapModel`` and ``ClapProcessor``) loaded from a local folder only: never from a hub.

A candidate's score is the cosine similarity of its audio embedding and the text's, mapped to [0, 1]
(``(cos + 1) / 2``). Plain Python: no Django.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np


class ClapUnavailable(RuntimeError):
    """The configured folder holds no loadable CLAP model; the message says what to change."""


@dataclass
class ClapScorer:
    model: object
    processor: object
    name: str
    version: str
    device: str = "cpu"

    @classmethod
    def load(cls, folder: Union[str, os.PathLike], *, device: str = "cpu") -> "ClapScorer":
        path = Path(folder)
        if not (path / "config.json").is_file():
            raise ClapUnavailable(f"no CLAP model in {path} (config.json missing): set CLUEBENCH_ASSIST_CLAP_PATH "
                                  "to a folder saved with save_pretrained, or unset it")
        from transformers import ClapModel, ClapProcessor

        try:
            model = ClapModel.from_pretrained(path, local_files_only=True).to(device).eval()
            processor = ClapProcessor.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as error:
            raise ClapUnavailable(f"the CLAP model in {path} could not be loaded: {error}") from error
        digest = hashlib.sha256((path / "config.json").read_bytes()).hexdigest()[:12]
        return cls(model=model, processor=processor, name=f"clap:{path.name}", version=digest, device=device)

    @property
    def sampling_rate(self) -> int:
        return int(self.processor.feature_extractor.sampling_rate)

    def similarities(self, clips: list[np.ndarray], sample_rate: int, text: str) -> list[float]:
        """Cosine similarity of each clip (mono float samples at ``sample_rate``) with ``text``."""
        if not clips:
            return []
        import librosa
        import torch

        target = self.sampling_rate
        audio = [librosa.resample(np.asarray(c, dtype=np.float32), orig_sr=sample_rate, target_sr=target)
                 if sample_rate != target else np.asarray(c, dtype=np.float32) for c in clips]
        with torch.inference_mode():
            text_in = self.processor(text=[text], return_tensors="pt", padding=True)
            text_emb = self.model.get_text_features(**{k: v.to(self.device) for k, v in text_in.items()})
            audio_in = self.processor(audio=audio, sampling_rate=target, return_tensors="pt")
            audio_emb = self.model.get_audio_features(**{k: v.to(self.device) for k, v in audio_in.items()})
            text_emb = _tensor(text_emb)
            audio_emb = _tensor(audio_emb)
            text_emb = text_emb / text_emb.norm(dim=-1, keepdim=True)
            audio_emb = audio_emb / audio_emb.norm(dim=-1, keepdim=True)
            cos = (audio_emb @ text_emb.T).reshape(-1)
        return [float(v) for v in cos.cpu()]

    def scores(self, clips: list[np.ndarray], sample_rate: int, text: str) -> list[float]:
        """Similarities mapped to [0, 1]."""
        return [(s + 1.0) / 2.0 for s in self.similarities(clips, sample_rate, text)]


def _tensor(value):
    # transformers 5 may return a model output with the pooled embedding rather than a bare tensor.
    for name in ("pooler_output", "text_embeds", "audio_embeds"):
        if hasattr(value, name) and getattr(value, name) is not None:
            return getattr(value, name)
    return value
