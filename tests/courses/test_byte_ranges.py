"""Lesson videos answer byte-range requests (206), as Safari on a phone needs to play them and
every browser to seek; Wagtail's view restrictions still come first."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from hypothesis import given
from hypothesis import strategies as st
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction

from courses.byte_ranges import ByteRange, UnsatisfiableRange, requested_range
from fixtures.content.media import FILES

VIDEO = FILES["video"].path.read_bytes()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, 999)),
        ("bytes=-10", ByteRange(990, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=900-5000", ByteRange(900, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=5-2", None),  # invalid: the whole file
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_the_range_asked_of_a_thousand_bytes(header, expected):
    assert requested_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=2000-3000", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header):
    with pytest.raises(UnsatisfiableRange):
        requested_range(header, 1000)


@given(
    size=st.integers(min_value=1, max_value=10**9),
    first=st.integers(min_value=0, max_value=10**9),
    length=st.integers(min_value=1, max_value=10**9),
)
def test_a_satisfiable_range_lies_within_the_file(size, first, length):
    header = f"bytes={first}-{first + length - 1}"
    try:
        byte_range = requested_range(header, size)
    except UnsatisfiableRange:
        assert first >= size
        return
    assert 0 <= byte_range.start == first <= byte_range.end < size
    assert byte_range.length == min(length, size - first)


@pytest.fixture
def video(db):
    return Document.objects.create(
        title="Video",
        file=ContentFile(VIDEO, name="giai-phap.mp4"),
        file_hash=hashlib.sha1(VIDEO, usedforsecurity=False).hexdigest(),
    )


def test_a_range_of_the_video_is_sent_as_partial_content(client, video):
    response = client.get(video.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response.content == VIDEO[:100]
    assert response["Content-Range"] == f"bytes 0-99/{len(VIDEO)}"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_rest_of_the_video_from_where_it_was_left(client, video):
    response = client.get(video.url, HTTP_RANGE=f"bytes={len(VIDEO) - 10}-")
    assert response.status_code == 206
    assert response.content == VIDEO[-10:]


def test_a_long_video_is_sent_a_part_at_a_time(client, video, monkeypatch):
    monkeypatch.setattr("courses.byte_ranges.MAX_PART_SIZE", 1000)
    first = client.get(video.url, HTTP_RANGE="bytes=0-")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-999/{len(VIDEO)}"
    following = client.get(video.url, HTTP_RANGE="bytes=1000-")
    assert first.content + following.content == VIDEO[:2000]


def test_a_range_past_the_end_answers_416(client, video):
    response = client.get(video.url, HTTP_RANGE=f"bytes={len(VIDEO)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


def test_without_a_range_or_for_another_version_the_whole_video_is_sent(client, video):
    whole = client.get(video.url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == VIDEO
    stale = client.get(video.url, HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE='"another-version"')
    assert stale.status_code == 200


def test_a_restricted_video_stays_restricted_with_a_range(client, video):
    collection = Collection.get_first_root_node().add_child(name="Nội bộ")
    video.collection = collection
    video.save()
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    response = client.get(video.url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 302
    assert "login" in response["Location"]
