"""Media of a video: the proxy, its audio, waveform peaks, spectrogram, thumbnails and exact frames.

Each is served with permissions checked (members of the video's project, by
session or token) and, for files, HTTP Range. Frames are decoded exactly at
the requested index on the proxy and cached as JPEG on disk; a pool of open
decoders per process lets a client step forward without a seek.
"""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from rest_framework.decorators import api_view, content_negotiation_class
from rest_framework.negotiation import BaseContentNegotiation

from annotation import selectors
from annotation.models import Video, VideoStatus
from annotation.permissions import Capability
from annotation.streaming import ranged_file_response
from pipeline.media.frames import DecoderPool, FrameCache, frame_jpeg
from pipeline.tasks import frame_cache_key

IMMUTABLE = "private, max-age=31536000, immutable"
_decoders = DecoderPool(max_open=int(getattr(settings, "CLUEBENCH_OPEN_DECODERS", 8)))


class AnyAccept(BaseContentNegotiation):
    """Media answers whatever the browser's Accept says (a <video> or <img> sends */* or image/*)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _video(request, pk: int) -> Video:
    video = Video.objects.filter(pk=pk).select_related("project").first()
    if video is None or not selectors.can(user=request.user, project=video.project, capability=Capability.VIEW):
        raise Http404("no such video")
    return video


def _file_of(video: Video, field: str) -> Path:
    name = getattr(video, field).name
    if not name:
        if video.status != VideoStatus.READY:
            raise Http404(f"the video is not ready ({video.get_status_display().lower()})")
        raise Http404("the video has no audio" if field in {"audio", "peaks", "spectrogram"} else f"no {field}")
    path = Path(settings.MEDIA_ROOT) / name
    if not path.is_file():
        raise Http404(f"the {field} file is missing on the server")
    return path


def _media_view(field: str, content_type: str, cache: str):
    @api_view(["GET", "HEAD"])
    @content_negotiation_class(AnyAccept)
    def view(request, pk: int):
        video = _video(request, pk)
        return ranged_file_response(request, _file_of(video, field), content_type=content_type, cache=cache)

    view.cls.__doc__ = f"The video's {field}, with HTTP Range support."
    return view


# The files of a video are rebuilt only by reprocessing, which changes their ETag; clients revalidate.
proxy = _media_view("proxy", "video/mp4", "private, no-cache")
audio = _media_view("audio", "audio/mp4", "private, no-cache")
peaks = _media_view("peaks", "application/json", "private, no-cache")
spectrogram = _media_view("spectrogram", "application/json", "private, no-cache")
thumbnails = _media_view("thumbnails", "image/jpeg", "private, no-cache")


@api_view(["GET"])
@content_negotiation_class(AnyAccept)
def frame(request, pk: int, index: int):
    """The proxy's frame at `index`, decoded exactly (the same pixels decord returns), as JPEG."""
    video = _video(request, pk)
    path = _file_of(video, "proxy")
    if video.frame_count is not None and not 0 <= index < video.frame_count:
        raise Http404(f"frame {index} is outside the video (0 to {video.frame_count - 1})")
    cache = FrameCache(Path(settings.MEDIA_ROOT) / "frames")
    try:
        data = frame_jpeg(_decoders, cache, frame_cache_key(video), path, index)
    except IndexError as exc:
        raise Http404(str(exc))
    response = HttpResponse(data, content_type="image/jpeg")
    # A frame of a given proxy never changes; a reprocessed video has a new proxy URL path in its cache key,
    # but the frame URL stays the same, so browsers keep it only briefly.
    response["Cache-Control"] = "private, max-age=300"
    return response
