"""Byte ranges of the documents Wagtail serves, so that lesson videos play and seek on phones.

Wagtail's document view answers every request with the whole file (status 200), as Django's
``FileResponse`` does. Safari on iPhone and iPad plays a video only from a server that answers a
``Range`` request with 206 Partial Content, and every browser needs ranges to seek in a video.
A ``before_serve_document`` hook (``courses.wagtail_hooks``), ordered after Wagtail's own
check of the document's view restrictions, answers a single ``bytes=`` range of a document whose
file the site serves itself. Anything else (no range, several ranges, an ``If-Range`` for
another version, documents redirected to a remote storage) goes on to Wagtail's view, which
sends the whole file, as RFC 9110 allows.

The hook must answer with an ``HttpResponse`` (not a streaming one), so one answer holds at most
``MAX_PART_SIZE`` bytes: a browser asking for ``bytes=0-`` of a long video gets its first part,
and Content-Range tells it to ask for the next, as browsers do with media.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
MAX_PART_SIZE = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class UnsatisfiableRange(Exception):  # noqa: N818 (a condition, answered with 416)
    """The range starts past the end of the file."""


def requested_range(header: str, size: int) -> ByteRange | None:
    """The one byte range that a ``Range`` header asks of a file of ``size`` bytes (RFC 9110
    §14.1.2: ``bytes=10-19``, ``bytes=10-``, or the last N bytes ``bytes=-N``), clipped to the
    file. None when the header is not a single valid byte range: the whole file is then sent.
    Raises UnsatisfiableRange when no byte of the file is in the range."""
    match = RANGE.match(header.strip())
    if match is None or match[1] == match[2] == "":
        return None
    first, last = match[1], match[2]
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise UnsatisfiableRange
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise UnsatisfiableRange
    end = min(int(last), size - 1) if last else size - 1
    return ByteRange(start, end)


def _read(document, byte_range: ByteRange) -> bytes:
    with document.file.open("rb") as handle:
        handle.seek(byte_range.start)
        return handle.read(byte_range.length)


def partial_document_response(document, request: HttpRequest) -> HttpResponse | None:
    """206 with the requested bytes of ``document`` (416 for a range past its end), or None to
    let Wagtail's view send the whole file."""
    header = request.headers.get("Range")
    if not header or request.method not in ("GET", "HEAD"):
        return None
    if getattr(settings, "WAGTAILDOCS_SERVE_METHOD", None) in ("redirect", "direct"):
        return None
    if_range = request.headers.get("If-Range")
    if if_range and if_range.strip('"') != (document.file_hash or ""):
        return None  # the client holds another version: it gets the whole new one
    size = document.file.size
    try:
        byte_range = requested_range(header, size)
    except UnsatisfiableRange:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if byte_range is None:
        return None
    byte_range = ByteRange(
        byte_range.start, min(byte_range.end, byte_range.start + MAX_PART_SIZE - 1)
    )
    body = b"" if request.method == "HEAD" else _read(document, byte_range)
    response = HttpResponse(body, status=206, content_type=document.content_type)
    response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
    response["Content-Length"] = str(byte_range.length)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = document.content_disposition
    if document.file_hash:
        response["ETag"] = f'"{document.file_hash}"'
    # As Wagtail's view: no script runs from a document, and no type guessing.
    if getattr(settings, "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT", True):
        response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
