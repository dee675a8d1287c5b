"""Tiny random Grounding DINO and SAM2 video models, saved as the folders the detector loads.

Used by tests/unit/test_detect.py and bench/detect.py. Everything is built from configs: nothing is downloaded.
The tokenizer's vocabulary (written here) holds the letters as word pieces, so any name tokenizes into real
tokens rather than [UNK].
"""

from __future__ import annotations

import string
from pathlib import Path


def _vocab() -> dict[str, int]:
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *string.ascii_lowercase,
             *("##" + c for c in string.ascii_lowercase)]
    return {word: index for index, word in enumerate(words)}


def _tokenizer():
    from transformers import BertTokenizer

    return BertTokenizer(vocab=_vocab())


def tiny_dino_config(num_queries: int = 6):
    from transformers import BertConfig, GroundingDinoConfig, SwinConfig

    swin = SwinConfig(image_size=64, patch_size=4, embed_dim=8, depths=[1, 1, 1, 1], num_heads=[1, 1, 1, 1],
                      window_size=2, out_features=["stage2", "stage3", "stage4"])
    bert = BertConfig(vocab_size=len(_vocab()), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                      intermediate_size=32, max_position_embeddings=64)
    # d_model stays a multiple of 32 (GroupNorm(32) in the input projection); two decoder layers, because the
    # box heads of later layers are tied to the first one.
    return GroundingDinoConfig(
        backbone_config=swin, text_config=bert, d_model=32, encoder_layers=1, decoder_layers=2,
        encoder_ffn_dim=32, decoder_ffn_dim=32, encoder_attention_heads=2, decoder_attention_heads=2,
        num_queries=num_queries, max_text_len=32, encoder_n_points=1, decoder_n_points=1,
    )


def tiny_sam2_config():
    from transformers import Sam2VideoConfig

    # A 128-pixel input: the Hiera backbone (stride 4, three 2x poolings) gives 32/16/8-pixel feature maps.
    # The memory attention reads 64-channel memories whatever the config says, and object pointers are split
    # into memory-sized pieces, so the hidden size must be a multiple of 64 larger than it: 128.
    vision = dict(
        model_type="sam2_vision_model",
        backbone_config=dict(
            model_type="sam2_hiera_det_model", hidden_size=8, num_attention_heads=1, blocks_per_stage=[1, 1, 1, 2],
            embed_dim_per_stage=[8, 16, 32, 64], num_attention_heads_per_stage=[1, 1, 1, 1],
            window_size_per_stage=[2, 2, 2, 2], global_attention_blocks=[4],
            window_positional_embedding_background_size=[2, 2], image_size=[128, 128],
        ),
        backbone_channel_list=[64, 32, 16, 8], fpn_hidden_size=128, backbone_feature_sizes=[[32, 32], [16, 16], [8, 8]],
    )
    return Sam2VideoConfig(
        vision_config=vision, image_size=128,
        prompt_encoder_config=dict(hidden_size=128, image_size=128, patch_size=16),
        mask_decoder_config=dict(hidden_size=128, mlp_dim=64, num_attention_heads=2, iou_head_hidden_dim=32),
        memory_attention_hidden_size=128, memory_attention_num_layers=1, memory_attention_feed_forward_hidden_size=64,
        memory_attention_rope_feat_sizes=[8, 8], memory_encoder_hidden_size=128, memory_encoder_output_channels=64,
        mask_downsampler_embed_dim=128, memory_fuser_embed_dim=128, memory_fuser_intermediate_dim=64,
    )


def save_dino(folder: Path, config=None, *, image_size: tuple[int, int] = (64, 96), seed: int = 0) -> Path:
    """A random Grounding DINO with its processor in ``folder``; ``image_size``: the processor's
    (shortest, longest) edge."""
    import torch
    from transformers import GroundingDinoForObjectDetection, GroundingDinoProcessor
    from transformers.models.grounding_dino.image_processing_pil_grounding_dino import (
        GroundingDinoImageProcessorPil,
    )

    torch.manual_seed(seed)
    GroundingDinoForObjectDetection(config or tiny_dino_config()).save_pretrained(folder)
    image_processor = GroundingDinoImageProcessorPil(
        size={"shortest_edge": image_size[0], "longest_edge": image_size[1]})
    GroundingDinoProcessor(image_processor=image_processor, tokenizer=_tokenizer()).save_pretrained(folder)
    return folder


def save_sam2(folder: Path, config=None, *, seed: int = 0) -> Path:
    """A random SAM2 video model and its video processor settings in ``folder``."""
    import torch
    from transformers import Sam2VideoModel
    from transformers.models.sam2_video.video_processing_sam2_video import Sam2VideoVideoProcessor

    torch.manual_seed(seed)
    model = Sam2VideoModel(config or tiny_sam2_config())
    model.save_pretrained(folder)
    size = model.config.image_size
    Sam2VideoVideoProcessor(size={"height": size, "width": size}).save_pretrained(folder)
    return folder
