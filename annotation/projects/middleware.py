"""Requests too large to take: refused with 413 before a byte of the body is read."""

from django.conf import settings
from django.http import JsonResponse


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


class RequestSizeLimit:
    """A file upload (multipart) may be as large as CLUEBENCH_MAX_UPLOAD_BYTES, any other body as large as
    DATA_UPLOAD_MAX_MEMORY_SIZE (CLUEBENCH_MAX_REQUEST_BYTES). DRF reads JSON bodies from the stream, past
    Django's own check, so the declared length is checked here for every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        limit = settings.CLUEBENCH_MAX_UPLOAD_BYTES if upload else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and length > limit:
            what = "an upload" if upload else "a request"
            return JsonResponse(
                {"detail": f"{what} of {_size(length)} is more than this server takes ({_size(limit)})"}, status=413
            )
        return self.get_response(request)
