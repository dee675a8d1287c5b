"""Tiny random SAM 3 models, saved as the folders pipeline.detect.sam3 loads.

Used by tests/unit/test_detect_sam3.py and bench/detect_sam3.py. Everything is built from configs: nothing is
downloaded. ``save_sam3`` writes a ``sam3_video`` folder laid out as facebook/sam3 is (detector and tracker in one
checkpoint, a CLIP tokenizer, the video processor's settings); ``save_sam3_tracker`` a lone ``sam3_tracker_video``
model. The tokenizer's vocabulary (written here) holds the letters, alone and word-final, so any name tokenizes
into real tokens.
"""

from __future__ import annotations

import string
from pathlib import Path

#: The model's square input: a multiple of the 14-pixel patch, 8 x 8 patches.
IMAGE_SIZE = 112
PATCH = 14
#: The tracker reads 64-channel memories whatever the config says, and splits its object pointers into
#: memory-sized pieces, so its hidden size (which is also the FPN's, shared with the detector) is a multiple of 64
#: larger than 64.
HIDDEN = 128
_SPECIAL = ["<|startoftext|>", "<|endoftext|>"]


def _vocab() -> dict[str, int]:
    words = [*_SPECIAL, *string.ascii_lowercase, *(c + "</w>" for c in string.ascii_lowercase)]
    return {word: index for index, word in enumerate(words)}


def tokenizer():
    from transformers import CLIPTokenizer

    return CLIPTokenizer(vocab=_vocab(), merges=[])


def _vision() -> dict:
    grid = IMAGE_SIZE // PATCH
    backbone = dict(
        model_type="sam3_vit_model", hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        image_size=IMAGE_SIZE, patch_size=PATCH, pretrain_image_size=IMAGE_SIZE, window_size=grid // 2,
        global_attn_indexes=[1],
    )
    return dict(model_type="sam3_vision_model", backbone_config=backbone, fpn_hidden_size=HIDDEN,
                backbone_feature_sizes=[[4 * grid] * 2, [2 * grid] * 2, [grid] * 2])


def tiny_sam3_tracker_config():
    from transformers import Sam3TrackerVideoConfig

    return Sam3TrackerVideoConfig(
        vision_config=_vision(), image_size=IMAGE_SIZE,
        prompt_encoder_config=dict(hidden_size=HIDDEN, image_size=IMAGE_SIZE, patch_size=PATCH),
        mask_decoder_config=dict(hidden_size=HIDDEN, mlp_dim=64, num_attention_heads=2, iou_head_hidden_dim=32),
        memory_attention_hidden_size=HIDDEN, memory_attention_num_layers=1, memory_attention_feed_forward_hidden_size=64,
        memory_encoder_hidden_size=HIDDEN, memory_encoder_output_channels=64, mask_downsampler_embed_dim=HIDDEN,
        memory_fuser_embed_dim=HIDDEN, memory_fuser_intermediate_dim=64,
    )


def tiny_sam3_config(num_queries: int = 6, score_threshold_detection: float = 0.0, new_det_thresh: float = 0.0):
    """A ``sam3_video`` config. Random weights score every detection near 0.25, so SAM 3's own thresholds are 0
    unless asked otherwise: the detector's box threshold decides."""
    from transformers import Sam3VideoConfig

    vocab = _vocab()
    layer = dict(hidden_size=HIDDEN, num_layers=1, num_attention_heads=2, intermediate_size=64)
    text = dict(model_type="clip_text_model", vocab_size=len(vocab), hidden_size=32, intermediate_size=64,
                projection_dim=32, num_hidden_layers=1, num_attention_heads=2, max_position_embeddings=32,
                bos_token_id=vocab[_SPECIAL[0]], eos_token_id=vocab[_SPECIAL[1]], pad_token_id=vocab[_SPECIAL[1]])
    detector = dict(
        model_type="sam3", vision_config=_vision(), text_config=text, geometry_encoder_config=layer,
        detr_encoder_config=layer, detr_decoder_config=dict(layer, num_queries=num_queries),
        mask_decoder_config=dict(hidden_size=HIDDEN, num_upsampling_stages=2, num_attention_heads=2),
    )
    return Sam3VideoConfig(detector_config=detector, tracker_config=tiny_sam3_tracker_config().to_dict(),
                           low_res_mask_size=4 * (IMAGE_SIZE // PATCH),
                           score_threshold_detection=score_threshold_detection, new_det_thresh=new_det_thresh)


def _save_video_processor(folder: Path, size: int) -> None:
    from transformers.models.sam2_video.video_processing_sam2_video import Sam2VideoVideoProcessor

    Sam2VideoVideoProcessor(size={"height": size, "width": size}, image_mean=[0.5] * 3,
                            image_std=[0.5] * 3).save_pretrained(folder)


def save_sam3(folder: Path, config=None, *, seed: int = 0) -> Path:
    """A random SAM 3 video model (detector and tracker), its tokenizer and video processor settings in
    ``folder``."""
    import torch
    from transformers import Sam3VideoModel

    torch.manual_seed(seed)
    model = Sam3VideoModel(config or tiny_sam3_config())
    model.save_pretrained(folder)
    tokenizer().save_pretrained(folder)
    _save_video_processor(folder, model.config.image_size)
    return folder


def save_sam3_tracker(folder: Path, config=None, *, seed: int = 0) -> Path:
    """A random lone SAM 3 tracker (``sam3_tracker_video``) and its video processor settings in ``folder``."""
    import torch
    from transformers import Sam3TrackerVideoModel

    torch.manual_seed(seed)
    model = Sam3TrackerVideoModel(config or tiny_sam3_tracker_config())
    model.save_pretrained(folder)
    _save_video_processor(folder, model.config.image_size)
    return folder
