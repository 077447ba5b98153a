"""Videos on an offline network: an uploaded video file with a poster and captions, and an
embed address that degrades to a plain link when its provider cannot be reached."""

import io

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.models import Document
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.images.models import Image

from courses import embeds
from courses.blocks import UploadedVideoBlock, VideoBlock

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


@pytest.fixture
def offline(monkeypatch):
    calls = []

    def unreachable(url, *args, **kwargs):
        calls.append(url)
        raise EmbedNotFoundException

    monkeypatch.setattr(embeds, "get_embed", unreachable)
    monkeypatch.setattr("wagtail.embeds.embeds.get_embed", unreachable)
    cache.clear()
    yield calls
    cache.clear()


def test_an_embed_address_is_accepted_while_its_provider_is_unreachable(offline):
    block = VideoBlock()
    value = block.clean(block.to_python({"video": YOUTUBE, "caption": "Phát biểu khai mạc"}))
    assert value["video"].url == YOUTUBE


def test_a_malformed_address_is_still_refused(offline):
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"video": "không phải địa chỉ", "caption": ""}))


def test_an_unreachable_embed_renders_a_plain_link_and_is_not_asked_again_at_once(offline):
    block = VideoBlock()
    value = block.to_python({"video": YOUTUBE, "caption": "Phát biểu khai mạc"})
    html = block.render(value)
    assert f'href="{YOUTUBE}"' in html
    assert "www.youtube.com" in html and "<iframe" not in html
    block.render(value)
    assert offline == [YOUTUBE]  # the failure is remembered for a while


def test_a_reachable_embed_renders_the_providers_player(monkeypatch):
    class Found:
        html = '<iframe src="https://www.youtube.com/embed/x" title="Video"></iframe>'

    monkeypatch.setattr(embeds, "get_embed", lambda url: Found())
    cache.clear()
    block = VideoBlock()
    html = block.render(block.to_python({"video": YOUTUBE, "caption": ""}))
    assert '<div class="video"><iframe' in html


def png() -> bytes:
    output = io.BytesIO()
    PILImage.new("RGB", (32, 18), "#a3161c").save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def files(db):
    def document(name, content=b"\x00\x00\x00\x18ftypmp42"):
        return Document.objects.create(title=name, file=ContentFile(content, name=name))

    return {
        "video": document("khai-mac.mp4"),
        "captions": document("khai-mac.vtt", b"WEBVTT\n\n00:00.000 --> 00:02.000\nXin chao\n"),
        "pdf": document("bao-cao.pdf", b"%PDF-1.4"),
        "poster": Image.objects.create(title="Ảnh bìa", file=ContentFile(png(), name="bia.png")),
    }


def test_an_uploaded_video_plays_from_the_site_with_its_poster_and_captions(files):
    block = UploadedVideoBlock()
    value = block.clean(
        block.to_python(
            {
                "video": files["video"].pk,
                "poster": files["poster"].pk,
                "captions": files["captions"].pk,
                "caption": "Phát biểu khai mạc hội nghị",
            }
        )
    )
    html = block.render(value)
    assert "<video" in html and "controls" in html
    assert f'src="{files["video"].url}" type="video/mp4"' in html
    assert f'<track kind="captions" src="{files["captions"].url}"' in html
    assert 'poster="' in html
    assert "Phát biểu khai mạc hội nghị" in html


def test_an_uploaded_video_must_be_a_video_and_captions_webvtt(files):
    block = UploadedVideoBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(
            block.to_python(
                {"video": files["pdf"].pk, "poster": None, "captions": files["video"].pk}
            )
        )
    assert set(raised.value.block_errors) == {"video", "captions"}
