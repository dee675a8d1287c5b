"""Media of a video: the proxy, its audio, waveform peaks, spectrogram, thumbnails and exact frames.

Each is served with permissions checked (members of the video's project, by
session or token) and, for files, HTTP Range. Frames are decoded exactly at
the requested index on the proxy and cached as JPEG on disk; a pool of open
decoders per process lets a client step forward without a seek.
"""

from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from annotation.projects import selectors
from annotation.projects.permissions import Capability
from pipeline.media.frames import DecoderPool, FrameCache, ReadAhead, frame_jpeg
from pipeline.videos.models import Video, VideoStatus
from pipeline.videos.streaming import ranged_file_response
from pipeline.videos.tasks import frame_cache_key

_decoders = DecoderPool(max_open=settings.CLUEBENCH_OPEN_DECODERS)
_frame_cache = FrameCache(Path(settings.MEDIA_ROOT) / "frames")
_read_ahead = ReadAhead(_decoders, _frame_cache)


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


def media_schema(content_type: str, *, ranged: bool = True):
    """What the API schema says of a media URL: the file's bytes; with Range, a 206 part of them or a 416."""
    responses = {(200, content_type): OpenApiTypes.BINARY, 404: OpenApiResponse(description="no such video or file")}
    if ranged:
        responses[(206, content_type)] = OpenApiTypes.BINARY
        responses[416] = OpenApiResponse(description="the range is outside the file")
    views = {"get": extend_schema(responses=responses)}
    if ranged:
        views["head"] = extend_schema(responses=responses)
    return extend_schema_view(**views)


class MediaFileView(APIView):
    """One derived file of a video, with HTTP Range support."""

    content_negotiation_class = AnyAccept
    field = ""
    content_type = ""

    def get(self, request, pk: int):
        video = _video(request, pk)
        return ranged_file_response(request, _file_of(video, self.field), content_type=self.content_type)

    def head(self, request, pk: int):
        return self.get(request, pk)


@media_schema("video/mp4")
class ProxyView(MediaFileView):
    """The 720p constant-frame-rate H.264/AAC proxy every time and frame index refers to."""

    field, content_type = "proxy", "video/mp4"


@media_schema("audio/mp4")
class AudioView(MediaFileView):
    """The proxy's audio track alone (AAC in MP4), for the waveform player."""

    field, content_type = "audio", "audio/mp4"


@media_schema("application/json")
class PeaksView(MediaFileView):
    """Waveform peaks (min/max per bucket) at several resolutions."""

    field, content_type = "peaks", "application/json"


@media_schema("application/json")
class SpectrogramView(MediaFileView):
    """Spectrogram columns (uint8 dB) computed on the server."""

    field, content_type = "spectrogram", "application/json"


@media_schema("image/jpeg")
class ThumbnailsView(MediaFileView):
    """The thumbnail strip; its index (times, tile size) is in the video's `thumbnails_index`."""

    field, content_type = "thumbnails", "image/jpeg"


@media_schema("image/jpeg", ranged=False)
class FrameView(APIView):
    """The proxy's frame at `index`, decoded exactly (the same pixels decord returns), as JPEG."""

    content_negotiation_class = AnyAccept

    def get(self, request, pk: int, index: int):
        video = _video(request, pk)
        path = _file_of(video, "proxy")
        if video.frame_count is not None and not 0 <= index < video.frame_count:
            raise Http404(f"frame {index} is outside the video (0 to {video.frame_count - 1})")
        key = frame_cache_key(video)
        try:
            data = frame_jpeg(_decoders, _frame_cache, key, path, index)
        except IndexError as exc:
            raise Http404(str(exc))
        if video.frame_count:
            _read_ahead.after(key, path, index, video.frame_count)
        response = HttpResponse(data, content_type="image/jpeg")
        # A reprocessed video keeps its frame URLs; browsers keep a frame only briefly.
        response["Cache-Control"] = "private, max-age=300"
        return response
