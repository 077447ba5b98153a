"""certificates.pdf is pure: no database here."""

import hashlib
import io
import unicodedata
from datetime import date

import pypdf
import pypdfium2
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates.pdf import (
    Design,
    Holder,
    MissingGlyph,
    Signatory,
    render_certificate,
    unknown_placeholders,
)

DESIGN = Design(
    title="GIẤY CHỨNG NHẬN",
    intro="Ban Tổ chức chứng nhận ông/bà",
    body="{position}, {organisation}\nđã hoàn thành khóa “{course}” với kết quả {score}.",
    issuing_body="BAN TUYÊN GIÁO TRUNG ƯƠNG",
    place="Hà Nội",
    motto=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
    date_line="{place}, ngày {day} tháng {month} năm {year}",
    register_label="Số vào sổ:",
    verify_label="Xác minh tại:",
    signatories=(Signatory(name="Phan Xuân Thủy", title="PHÓ TRƯỞNG BAN"),),
)


def holder(**changes) -> Holder:
    values = {
        "full_name": "Nguyễn Thị Ánh Tuyết",
        "course_title": "Thông tin đối ngoại về quyền con người",
        "serial": "TTĐN-2024-000123",
        "issued_on": date(2024, 7, 11),
        "verification_url": "https://lms.example.vn/verify/AbCdEfGhIjKlMnOpQrStUv/",
        "organisation": "Sở Văn hóa, Thể thao và Du lịch tỉnh Phú Thọ",
        "position": "Chuyên viên",
        "score": "92,5%",
    }
    return Holder(**{**values, **changes})


def text_of(pdf: bytes) -> str:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    return unicodedata.normalize("NFC", page.extract_text())


# Every vowel with every tone mark, and đ/Đ: the names a certificate must get right.
VIETNAMESE_NAMES = [
    "Đặng Thị Ngọc Hân",
    "Nguyễn Văn Ước",
    "Trần Thị Ẩn Ửng",
    "Lê Ỷ Ỳ Ỹ Ỵ Ý",
    "Phạm Ờ Ở Ỡ Ợ Ớ Ơ",
    "Vũ Ừ Ử Ữ Ự Ứ Ư",
    "Hồ Ầ Ẩ Ẫ Ậ Ấ Ằ Ẳ Ẵ Ặ Ắ",
    "Bùi Ề Ể Ễ Ệ Ế Ồ Ổ Ỗ Ộ Ố",
    "Ngô Ì Ỉ Ĩ Ị Í Ò Ỏ Õ Ọ Ó Ù Ủ Ũ Ụ Ú",
    "Dương À Ả Ã Ạ Á È Ẻ Ẽ Ẹ É",
]


@pytest.mark.parametrize("name", VIETNAMESE_NAMES)
def test_names_with_every_tone_mark_come_back_out_of_the_pdf(name):
    pdf = render_certificate(DESIGN, holder(full_name=name))
    text = text_of(pdf)
    assert name in text
    assert "Thông tin đối ngoại về quyền con người" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_decomposed_input_is_drawn_as_nfc():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hòa")
    assert "Nguyễn Thị Hòa" in text_of(render_certificate(DESIGN, holder(full_name=decomposed)))


def test_the_same_certificate_always_renders_to_the_same_bytes():
    first = render_certificate(DESIGN, holder())
    second = render_certificate(DESIGN, holder())
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()


def test_a_missing_glyph_is_refused_with_the_character_named():
    with pytest.raises(MissingGlyph) as error:
        render_certificate(DESIGN, holder(full_name="Nguyễn 漢字"))
    assert error.value.char == "漢"
    assert "U+6F22" in str(error.value)


def test_metadata_is_set():
    metadata = pypdf.PdfReader(io.BytesIO(render_certificate(DESIGN, holder()))).metadata
    assert metadata.title == "GIẤY CHỨNG NHẬN – Nguyễn Thị Ánh Tuyết"
    assert metadata.author == "BAN TUYÊN GIÁO TRUNG ƯƠNG"
    assert metadata.subject == "Thông tin đối ngoại về quyền con người"


def test_the_qr_code_decodes_back_to_the_verification_url():
    pdf = render_certificate(DESIGN, holder())
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert decoded == ["https://lms.example.vn/verify/AbCdEfGhIjKlMnOpQrStUv/"]


def test_the_qr_code_is_vector_not_an_image():
    reader = pypdf.PdfReader(io.BytesIO(render_certificate(DESIGN, holder())))
    assert not reader.pages[0].images


def test_unknown_placeholders_are_reported():
    assert unknown_placeholders("{name} {nme} {course}") == ["nme"]
    assert unknown_placeholders("no placeholders") == []
    assert unknown_placeholders("{unclosed") == ["{"]


def test_portrait_modern_design_without_motto_or_signatories_renders():
    design = Design(
        title="CERTIFICATE",
        intro="This certifies that",
        body="{course}",
        font="sans",
        border="single",
        landscape=False,
    )
    assert "CERTIFICATE" in text_of(render_certificate(design, holder()))


vietnamese_letters = st.sampled_from(
    list(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    )
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(vietnamese_letters, min_size=1, max_size=8), min_size=2, max_size=4))
def test_any_vietnamese_name_survives_the_round_trip(words):
    name = " ".join(word.capitalize() for word in words)
    assert name in text_of(render_certificate(DESIGN, holder(full_name=name)))
