"""courses/uploads.py, the size of every upload, is pure: no database here."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from courses import uploads
from courses.uploads import UploadError


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# Size


def test_size_is_checked_before_anything_is_read():
    uploads.check_size(b"x" * 10, max_bytes=10)
    with pytest.raises(UploadError, match=r"larger than 10\xa0bytes"):
        uploads.check_size(b"x" * 11, max_bytes=10)
    with pytest.raises(UploadError, match="empty"):
        uploads.check_size(b" \r\n\t", max_bytes=10)


def test_an_upload_is_read_no_further_than_one_byte_past_the_limit():
    upload = SimpleUploadedFile("big.csv", b"x" * 1000)
    upload.read(3)

    assert uploads.read_upload(upload, max_bytes=10) == b"x" * 11


@pytest.mark.parametrize(
    ("length", "too_large"),
    [("", False), ("abc", False), ("1000", False), (str(10**6 + 64 * 1024 + 1), True)],
)
def test_a_request_body_is_judged_by_its_declared_length(length, too_large):
    meta = {"CONTENT_LENGTH": length}

    assert uploads.declared_body_too_large(meta, max_bytes=10**6) is too_large
