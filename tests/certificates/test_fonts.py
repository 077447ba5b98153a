"""The certificate fonts are ReportLab's own ``TTFont``s, used only through its public API.
No database."""

import dataclasses
import io
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from certificates import pdf
from tests.certificates.test_pdf import DESIGN, VIETNAMESE_NAMES, holder

FAMILIES = {"serif": DESIGN, "sans": dataclasses.replace(DESIGN, font="sans")}


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


@pytest.mark.parametrize("family", FAMILIES)
def test_the_fonts_in_use_are_reportlabs_own_ttfonts(family):
    for name in pdf.register_fonts(family):
        assert type(pdfmetrics.getFont(name)) is TTFont


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(
    "name",
    [VIETNAMESE_NAMES[0], VIETNAMESE_NAMES[-1], "Zoë Ñúñez Çelik Øre"],
    ids=["vietnamese", "tone-marks", "latin"],
)
def test_every_name_comes_back_out_of_the_pdf(family, name):
    data = pdf.render_certificate(FAMILIES[family], holder(full_name=name))
    assert name in text_of(data)


def test_each_pdf_embeds_only_the_letters_it_draws():
    data = pdf.render_certificate(DESIGN, holder(full_name="Đặng Thị Ngọc Hân"))
    programs = font_programs(data)
    assert len(programs) == 3  # regular, bold, italic
    for program, filename in zip(programs, pdf.FONT_FILES["serif"], strict=True):
        assert len(program) < (pdf.FONT_DIR / filename).stat().st_size / 10


def test_rendering_in_threads_gives_the_same_bytes_as_in_turn():
    holders = [holder(full_name=name) for name in VIETNAMESE_NAMES] * 2
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


def test_a_missing_glyph_is_found_in_the_font_files_own_character_map():
    assert ord("ư") in pdf.covered_characters("DejaVuSerif.ttf")
    assert 0x4E2D not in pdf.covered_characters("DejaVuSerif.ttf")  # 中: no CJK in DejaVu
    with pytest.raises(pdf.MissingGlyph) as error:
        pdf.check_glyphs(["Nguyễn 中"], "serif")
    assert error.value.char == "中"
