"""A tiny random-initialised CLAP model and its processor, built from configs and saved to a folder, for the tests
of pipeline/assist/clap.py (loaded back through the production path: ClapScorer.load). The tokenizer's vocabulary
and merges are written here: letters, so any text tokenizes."""

import json
import string
from pathlib import Path


def save_clap(folder: Path, *, seed: int = 0) -> Path:
    import torch
    from transformers import (
        ClapAudioConfig, ClapConfig, ClapFeatureExtractor, ClapModel, ClapProcessor, ClapTextConfig, RobertaTokenizer,
    )

    folder.mkdir(parents=True, exist_ok=True)
    tokens = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"] + list(string.ascii_letters + string.digits + "?.,!'-")
    tokens += ["\u0120" + c for c in string.ascii_letters]
    (folder / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    (folder / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = RobertaTokenizer(vocab_file=str(folder / "vocab.json"), merges_file=str(folder / "merges.txt"))
    text = ClapTextConfig(vocab_size=len(tokens), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                          intermediate_size=37, max_position_embeddings=130, projection_dim=16)
    audio = ClapAudioConfig(window_size=4, num_mel_bins=64, spec_size=64, patch_size=4, patch_stride=(4, 4),
                            hidden_size=32, projection_dim=16, depths=[1, 1], num_attention_heads=[2, 2],
                            patch_embeds_hidden_size=16, num_hidden_layers=2, enable_fusion=False)
    config = ClapConfig(text_config=text.to_dict(), audio_config=audio.to_dict(), projection_dim=16)
    torch.manual_seed(seed)
    model = ClapModel(config).eval()
    model.save_pretrained(folder)
    extractor = ClapFeatureExtractor(feature_size=64, sampling_rate=48000, hop_length=960, max_length_s=1,
                                     fft_window_size=1024, truncation="rand_trunc", padding="repeatpad")
    ClapProcessor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    return folder
