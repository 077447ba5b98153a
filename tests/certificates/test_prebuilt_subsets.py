"""certificates.prebuilt_subsets: the same pages as ReportLab's own TTFont, built once. No database.

The reference swaps ReportLab's ``TTFont`` into the font registry under the certificate's font
names (ReportLab keeps one font object per face, whatever name it is registered under).
"""

import dataclasses
import hashlib
import io
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pypdfium2
import pytest
from PIL import ImageChops
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from certificates import pdf
from certificates.prebuilt_subsets import SEED_TEXT, PrebuiltSubsetFont
from tests.certificates.test_pdf import DESIGN, VIETNAMESE_NAMES, holder

FAMILIES = {"serif": DESIGN, "sans": dataclasses.replace(DESIGN, font="sans")}


def reference_fonts(family: str) -> dict[str, TTFont]:
    names = pdf.register_fonts(family)
    return {
        name: TTFont(name, str(pdf.FONT_DIR / filename))
        for name, filename in zip(names, pdf.FONT_FILES[family], strict=True)
    }


@pytest.fixture
def render_with_reportlab_fonts(monkeypatch):
    """``render_certificate`` as it would be with ReportLab's own ``TTFont``."""

    def render(design, holder_):
        with monkeypatch.context() as patch:
            for name, font in reference_fonts(design.font).items():
                patch.setitem(pdfmetrics._fonts, name, font)
            return pdf.render_certificate(design, holder_)

    return render


def pixels(data: bytes):
    return pypdfium2.PdfDocument(data)[0].render(scale=2).to_pil().convert("RGB")


def text_of(data: bytes) -> str:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return unicodedata.normalize("NFC", page.extract_text())


def font_programs(data: bytes) -> list[bytes]:
    """The embedded TrueType programs (decoded), in the order the PDF lists its fonts."""
    resources = pypdf.PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
    fonts = [resources[key].get_object() for key in sorted(resources)]
    return [
        font["/FontDescriptor"]["/FontFile2"].get_data()
        for font in fonts
        if "/FontDescriptor" in font  # not the canvas's initial Helvetica
    ]


def registered_fonts(family: str) -> list[PrebuiltSubsetFont]:
    return [pdfmetrics.getFont(name) for name in pdf.register_fonts(family)]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(
    "name",
    [VIETNAMESE_NAMES[0], VIETNAMESE_NAMES[-1], "Zoë Ñúñez Çelik Øre"],
    ids=["vietnamese", "tone-marks", "outside-the-seed"],
)
def test_pages_are_pixel_identical_to_reportlabs_own_fonts(
    family, name, render_with_reportlab_fonts
):
    design = FAMILIES[family]
    ours = pdf.render_certificate(design, holder(full_name=name))
    reference = render_with_reportlab_fonts(design, holder(full_name=name))
    assert ImageChops.difference(pixels(ours), pixels(reference)).getbbox() is None
    assert name in text_of(ours)
    assert text_of(ours) == text_of(reference)


def test_the_fonts_in_use_are_prebuilt_subset_fonts():
    assert all(isinstance(font, PrebuiltSubsetFont) for font in registered_fonts("serif"))


def test_every_vietnamese_letter_is_in_the_seed_and_fits_one_subset():
    letters = "".join(VIETNAMESE_NAMES) + "đĐ"
    assert set(unicodedata.normalize("NFC", letters)) <= set(SEED_TEXT)
    for font in registered_fonts("serif"):
        (subset,) = font.seed_subsets()
        assert {ord(char) for char in SEED_TEXT} <= set(subset)
        assert len(subset) <= 256


def test_certificates_with_different_names_embed_the_same_font_subsets():
    first = pdf.render_certificate(DESIGN, holder(full_name="Đặng Thị Ngọc Hân"))
    second = pdf.render_certificate(DESIGN, holder(full_name="Vũ Ừ Ử Ữ Ự Ứ Ư"))
    assert len(font_programs(first)) == 3
    assert font_programs(first) == font_programs(second)


def test_a_letter_outside_the_seed_gets_its_own_subset_in_that_pdf_only():
    plain = pdf.render_certificate(DESIGN, holder(full_name="Nguyễn Văn Ước"))
    unusual = pdf.render_certificate(DESIGN, holder(full_name="Nguyễn Văn Ñ"))
    again = pdf.render_certificate(DESIGN, holder(full_name="Trần Thị Ẩn Ửng"))
    assert "Nguyễn Văn Ñ" in text_of(unusual)
    assert font_programs(unusual) != font_programs(plain)
    assert font_programs(again) == font_programs(plain)


def test_subsets_are_built_once_then_reused(monkeypatch):
    fonts = registered_fonts("serif")
    calls = []

    def counting(make_subset):
        def wrapper(subset):
            calls.append(len(subset))
            return make_subset(subset)

        return wrapper

    for font in fonts:
        font.clear_cache()
        monkeypatch.setattr(font.face, "makeSubset", counting(font.face.makeSubset))
    for name in VIETNAMESE_NAMES:
        pdf.render_certificate(DESIGN, holder(full_name=name))
    assert len(calls) == len(fonts)


def test_a_cache_miss_and_a_hit_give_the_same_bytes():
    for font in registered_fonts("serif"):
        font.clear_cache()
    built = pdf.render_certificate(DESIGN, holder())
    reused = pdf.render_certificate(DESIGN, holder())
    assert hashlib.sha256(built).digest() == hashlib.sha256(reused).digest()


def test_rendering_in_threads_gives_the_same_bytes_as_in_turn():
    holders = [holder(full_name=name) for name in VIETNAMESE_NAMES] * 2
    for font in registered_fonts("serif"):
        font.clear_cache()
    with ThreadPoolExecutor(max_workers=4) as pool:
        in_threads = list(pool.map(lambda h: pdf.render_certificate(DESIGN, h), holders))
    in_turn = [pdf.render_certificate(DESIGN, h) for h in holders]
    assert in_threads == in_turn


def test_output_without_compression_is_a_valid_pdf_with_the_same_text(monkeypatch):
    class UncompressedCanvas(pdf.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "pageCompression": 0})

    monkeypatch.setattr(pdf, "Canvas", UncompressedCanvas)
    data = pdf.render_certificate(DESIGN, holder())
    assert b"FlateDecode" not in data
    assert "Nguyễn Thị Ánh Tuyết" in text_of(data)
