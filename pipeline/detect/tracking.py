"""SAM2 video propagation of box prompts through a short run of frames.

``Sam2VideoProcessor`` cannot be built here (its image processor needs torchvision), so two of its steps are
done in this module the same way: frames are resized to the model's square input (bilinear, antialiased), scaled
to [0, 1] and normalised with the video processor's mean and std; box prompts are scaled to the model's input size
and given as the two corner points labelled 2 and 3, as ``process_new_points_or_boxes_for_video_frame`` does.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .geometry import Box, mask_boxes


class Sam2Tracker:
    def __init__(self, model, video_processor, device: torch.device, dtype: torch.dtype) -> None:
        self.model = model
        self.device = device
        self.dtype = dtype
        self.size = (video_processor.size["height"], video_processor.size["width"])
        self.scale = float(video_processor.rescale_factor)
        self.mean = torch.tensor(video_processor.image_mean, device=device).view(1, 3, 1, 1)
        self.std = torch.tensor(video_processor.image_std, device=device).view(1, 3, 1, 1)

    @torch.inference_mode()
    def preprocess(self, frames: Sequence[np.ndarray]) -> torch.Tensor:
        """``T x 3 x S x S`` model input of ``frames`` (``H x W x 3`` uint8 RGB), on the device."""
        video = torch.from_numpy(np.stack(frames)).to(self.device).permute(0, 3, 1, 2).float()
        video = F.interpolate(video, size=self.size, mode="bilinear", antialias=True, align_corners=False)
        return ((video * self.scale - self.mean) / self.std).to(self.dtype)

    @torch.inference_mode()
    def track(self, pixels: torch.Tensor, frame_size: tuple[int, int], boxes: Sequence[Box]) -> list[list[Box | None]]:
        """Each box, prompted on the first of ``pixels``, followed through all of them: ``result[t][i]`` is the
        bounding box of instance ``i``'s mask at frame ``t`` (frame pixels), ``None`` where the mask is empty."""
        from transformers.models.sam2_video.modeling_sam2_video import Sam2VideoInferenceSession

        height, width = frame_size
        session = Sam2VideoInferenceSession(
            video=pixels, video_height=height, video_width=width, inference_device=self.device,
            inference_state_device=self.device, video_storage_device=self.device, dtype=self.dtype,
        )
        corners = torch.tensor(boxes, dtype=torch.float32).reshape(1, len(boxes), 2, 2)
        corners[..., 0] *= self.size[1] / width
        corners[..., 1] *= self.size[0] / height
        labels = torch.tensor([2, 3], dtype=torch.int32).repeat(1, len(boxes), 1)
        for obj_id in range(len(boxes)):
            session.add_point_inputs(
                session.obj_id_to_idx(obj_id), 0,
                {"point_coords": corners[:, obj_id : obj_id + 1], "point_labels": labels[:, obj_id : obj_id + 1]},
            )
        session.obj_with_new_inputs = list(range(len(boxes)))
        result = []
        for output in self.model.propagate_in_video_iterator(session, start_frame_idx=0):
            logits = F.interpolate(output.pred_masks.float(), size=(height, width), mode="bilinear",
                                   align_corners=False)
            result.append(mask_boxes(logits[:, 0] > 0))
        return result
