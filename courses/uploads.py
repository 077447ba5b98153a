"""Reading uploaded files: the size of every spreadsheet, text file and PDF users upload.

Rosters, question files and the certificate check read their uploads through these functions,
so that the limits and the messages are the same everywhere; what a spreadsheet or text file
holds is read by ``courses.spreadsheets.reader``. Every refusal is an ``UploadError`` with a
translated message for the person who uploaded.

Size
    ``read_upload`` reads at most one byte more than the limit; ``check_size`` refuses what is
    larger (or empty). ``declared_body_too_large`` lets a view refuse a request by its
    ``Content-Length`` before Django stores the body.
"""

from collections.abc import Mapping
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Bytes read by the form parser besides the file: the boundary lines, the part headers and the
# CSRF token.
MULTIPART_OVERHEAD = 64 * 1024


class UploadError(Exception):
    """The file as a whole cannot be read. ``message`` is translated, for the uploader."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


# Size


def check_size(data: bytes, *, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes``, or one holding nothing but white space."""
    if len(data) > max_bytes:
        raise UploadError(too_large_message(max_bytes))
    if not data.strip():
        raise UploadError(_("The file is empty."))


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(limit)s. Split it into smaller files.") % {
        "limit": filesizeformat(max_bytes)
    }


def read_upload(upload, *, max_bytes: int) -> bytes:
    """The bytes of an uploaded file, read no further than one byte past the limit (so that
    ``check_size`` can tell a file that is too large)."""
    upload.seek(0)
    return upload.read(max_bytes + 1)


def declared_body_too_large(meta: Mapping[str, Any], *, max_bytes: int) -> bool:
    """Whether a request announces a body too large to hold one file of ``max_bytes``.

    Django reads no more of a request than its ``Content-Length`` says, so a view can refuse
    before the form parser stores the file (the CSRF check would read it otherwise).
    """
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False  # Django reads such a body as empty
    return length > max_bytes + MULTIPART_OVERHEAD
