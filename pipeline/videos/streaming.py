"""Files served with HTTP Range, so browsers can seek in long videos and fetch audio and peaks in parts.

Single byte ranges are answered with 206 and Content-Range; an unsatisfiable
range with 416; a request with several ranges gets the whole file (200), which
RFC 9110 allows and every player handles. Bodies are streamed in chunks.

In production, set CLUEBENCH_X_ACCEL_REDIRECT_PREFIX to let nginx send the
bytes (and handle Range itself) after Django has checked permissions: see README.
"""

import mimetypes
import os
import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


def parse_range(header: str, size: int) -> tuple[int, int] | None | str:
    """(first, last) inclusive for one satisfiable range; None to send the whole file; "unsatisfiable"."""
    header = header.strip()
    if not header.startswith("bytes="):
        return None
    if "," in header:
        return None
    match = RANGE_RE.match(header.replace(" ", ""))
    if not match:
        return None  # malformed: ignore the header (RFC 9110 14.2)
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - suffix), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None  # an invalid range-spec: the header is ignored (RFC 9110 14.1.1)
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def _file_iterator(path: Path, start: int, length: int):
    with open(path, "rb") as fh:
        fh.seek(start)
        remaining = length
        while remaining > 0:
            block = fh.read(min(CHUNK, remaining))
            if not block:
                break
            remaining -= len(block)
            yield block


def ranged_file_response(request, path: Path, *, content_type: str | None = None, cache: str = "private, no-cache"):
    """Serve `path`; if `path.gz` exists and the client accepts gzip, serve that with Content-Encoding: gzip
    (ranges then apply to the compressed bytes, as HTTP defines)."""
    path = Path(path)
    content_type = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    compressed = path.with_name(path.name + ".gz")
    encoding = None
    if _accepts_gzip(request.headers.get("Accept-Encoding", "")) and compressed.is_file():
        path, encoding = compressed, "gzip"
    stat = path.stat()
    size = stat.st_size
    etag = f'"{stat.st_mtime_ns:x}-{size:x}{"-gz" if encoding else ""}"'

    prefix = settings.CLUEBENCH_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        relative = os.path.relpath(path, settings.MEDIA_ROOT)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + relative
        response["Cache-Control"] = cache
        if encoding:
            response["Content-Encoding"] = encoding
            response["Vary"] = "Accept-Encoding"
        return response

    if request.headers.get("If-None-Match") in (etag, "*"):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        response["Cache-Control"] = cache
        return response
    range_header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    wanted = parse_range(range_header, size) if range_header and (not if_range or if_range == etag) else None
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if wanted is None:
        start, length, status = 0, size, 200
    else:
        start, end = wanted
        length, status = end - start + 1, 206
    response = StreamingHttpResponse(
        _file_iterator(path, start, length) if request.method != "HEAD" else iter(()),
        status=status,
        content_type=content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = cache
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{start + length - 1}/{size}"
    if encoding or compressed.is_file():
        response["Vary"] = "Accept-Encoding"
    if encoding:
        response["Content-Encoding"] = encoding
    return response
