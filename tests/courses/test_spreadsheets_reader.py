"""courses/spreadsheets/reader.py, the one reader of uploaded spreadsheets and text files, is
pure: no database here.

Workbook bombs and damaged workbooks, the text encodings people save in, and fuzzing: the reader
either reads a file or refuses it with an ``UploadError``, never anything else.
"""

import codecs
import io
import unicodedata
import zipfile

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.spreadsheets import reader
from courses.spreadsheets.reader import UndecodableText, WorkbookLimits
from courses.uploads import UploadError
from tests import files

ROWS = [["Họ và tên", "Email"], ["Nguyễn Thị Hồng", "hong@example.vn"]]
GOOD = files.xlsx_bytes(ROWS, shared_strings=True)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rows(data: bytes, **kwargs) -> list[list[str]]:
    return [row[:2] for row in reader.workbook_rows(data, max_columns=5, **kwargs)]


# Workbooks


def test_a_workbook_is_read_with_shared_strings_and_inline_text():
    assert rows(GOOD) == ROWS
    assert rows(files.xlsx_bytes(ROWS)) == ROWS


def test_cells_read_as_the_text_they_show():
    data = files.xlsx_bytes([[1.0, 2.5, True, None, "Ho\u0300a  \r\nBi\u0300nh "]])

    assert next(reader.workbook_rows(data, max_columns=5)) == [
        "1",
        "2.5",
        "TRUE",
        "",
        "Hòa  \nBình",
    ]


def test_a_sheet_can_be_skipped_by_its_title():
    workbook = files.parts_of(GOOD)
    assert b"Sheet" in workbook["xl/workbook.xml"]

    with pytest.raises(UploadError, match="no sheet to read"):
        rows(GOOD, skip_sheets={"Sheet"})


def test_a_decompression_bomb_is_refused_fast_without_a_memory_spike():
    bomb = files.bomb()  # 1 MB that unpacks to 300 MiB, like the 438 MiB one reported
    assert len(bomb) < 1.5 * files.MIB

    with files.Peak() as peak, pytest.raises(UploadError) as refused:
        rows(bomb)

    assert "unpacks to more than 100 times its stored size" in refused.value.message
    assert peak.bytes < 5 * files.MIB  # reading the sheet would take hundreds of MiB
    assert peak.seconds < 2  # parsing it took 33 s; the check reads the ZIP's directory only


def test_a_workbook_unpacking_past_the_total_limit_is_refused():
    limits = WorkbookLimits(max_unpacked_bytes=2048, max_ratio=10**6)

    with pytest.raises(UploadError) as refused:
        rows(GOOD, limits=limits)

    assert refused.value.message == (
        "The workbook holds more than 2.0\xa0KB once unpacked. Remove what is not needed "
        "(other sheets, images) or split it into smaller files."
    )
    assert rows(GOOD, limits=WorkbookLimits(max_unpacked_bytes=10**6)) == ROWS


def test_small_parts_may_be_compressed_more_than_the_ratio():
    # Repetitive XML compresses well: a part under the grace size is never a bomb.
    parts = files.parts_of(GOOD)
    parts["docProps/padding.xml"] = b"<a/>" * 20_000  # 80 KB, about 400 to 1
    assert rows(files.rezip(parts, compresslevel=9)) == ROWS


def test_a_bomb_that_lies_about_its_size_is_stopped_at_the_size_it_declares():
    liar = files.lying_sizes(files.bomb())
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 1024

    with files.Peak() as peak, pytest.raises(UploadError, match="could not be read"):
        rows(liar)

    assert peak.bytes < 10 * files.MIB


def test_a_row_past_excels_last_row_is_refused():
    # openpyxl makes up a blank row for every missing one: "r=100000000" would be 10^8 rows.
    parts = files.parts_of(GOOD)
    far = b'<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>'
    parts[files.SHEET] = parts[files.SHEET].replace(b"</sheetData>", far + b"</sheetData>")
    blank = 0

    with pytest.raises(UploadError, match="could not be read"):
        for row in reader.workbook_rows(files.rezip(parts), max_columns=40):
            blank += row == []

    assert blank == 1_048_576 - len(ROWS)  # made up, and read as blank without cells


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not a zip", "not an Excel workbook (.xlsx)"),
        ("truncated", "not an Excel workbook (.xlsx)"),
        ("xls or encrypted", "(.xls) or a password-protected one"),
        ("bad content types", "could not be read"),
        ("no content types", "could not be read"),
        ("no workbook part", "could not be read"),
        ("junk workbook part", "no sheet to read"),
        ("no sheet part", "no sheet to read"),
        ("junk sheet", "could not be read"),
        ("junk shared strings", "could not be read"),
        ("junk styles", "could not be read"),
        ("junk relationships", "could not be read"),
        ("encrypted parts", "encrypted"),
        ("billion laughs in strings", "could not be read"),
        ("billion laughs in the sheet", "could not be read"),
        ("external entity", "could not be read"),
        ("bomb lying about its size", "could not be read"),
        ("too many parts", "more than 1000 parts"),
        ("dense part", "100 times its stored size"),
    ],
)
def test_each_malformed_workbook_is_refused_with_its_message(name, message):
    data = files.malformed_workbooks(GOOD)[name]

    with files.Peak() as peak, pytest.raises(UploadError) as refused:
        rows(data)

    assert message in refused.value.message
    assert peak.bytes < 10 * files.MIB


def test_the_refusals_are_translated():
    with translation.override("vi"), pytest.raises(UploadError) as refused:
        rows(files.malformed_workbooks(GOOD)["bad content types"])

    assert refused.value.message.startswith("Không đọc được tệp Excel này")


# Text encodings

ROSTER_TEXT = "Họ và tên\tTỉnh\nNguyễn Thị Hồng\tThừa Thiên Huế\nĐặng Quốc Hưng\tĐắk Lắk\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ROSTER_TEXT.encode(), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ROSTER_TEXT.encode(), id="utf-8 with a mark"),
        pytest.param(ROSTER_TEXT.encode("utf-16"), id="utf-16 as this machine writes it"),
        pytest.param(codecs.BOM_UTF16_LE + ROSTER_TEXT.encode("utf-16-le"), id="Unicode Text"),
        pytest.param(codecs.BOM_UTF16_BE + ROSTER_TEXT.encode("utf-16-be"), id="utf-16 BE"),
        pytest.param(ROSTER_TEXT.encode("utf-16-le"), id="utf-16 LE without a mark"),
        pytest.param(ROSTER_TEXT.encode("utf-16-be"), id="utf-16 BE without a mark"),
        pytest.param(ROSTER_TEXT.encode("utf-32"), id="utf-32"),
        pytest.param(files.windows_1258(ROSTER_TEXT), id="windows-1258"),
        pytest.param(
            unicodedata.normalize("NFD", ROSTER_TEXT).encode(), id="utf-8 decomposed (macOS)"
        ),
        pytest.param(ROSTER_TEXT.replace("\n", "\r\n").encode(), id="windows line ends"),
    ],
)
def test_text_is_read_in_every_encoding_people_save_in(data):
    assert reader.decode_text(data) == ROSTER_TEXT


def test_windows_1258_writes_tones_apart_and_they_come_back_composed():
    data = files.windows_1258("Huế")

    assert data == b"Hu\xea\xec"  # ê, then the combining acute accent
    assert reader.decode_text(data) == "Huế"


def test_text_that_no_encoding_decodes_is_refused_with_the_line_and_byte():
    # 0x81 is undefined in Windows-1258 and cannot start a UTF-8 character.
    data = "Họ và tên\nHồng\n".encode() + b"\x81\x81\n"

    with pytest.raises(UndecodableText) as refused:
        reader.decode_text(data)

    assert (refused.value.line, refused.value.byte) == (3, 0x81)
    assert refused.value.message == (
        "The file's text encoding cannot be read: line 3 holds a byte (0x81) that is not "
        "UTF-8, and the file is not UTF-16 or Windows-1258 either. Save the file with the "
        "encoding “UTF-8” and upload it again."
    )


def test_a_broken_utf16_file_is_refused_at_its_line():
    data = ROSTER_TEXT.encode("utf-16")[:-1]  # half of the last line's line end

    with pytest.raises(UndecodableText) as refused:
        reader.decode_text(data)

    assert (refused.value.line, refused.value.byte) == (3, 0x0A)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (GOOD, "an Excel workbook or another zip file, not a text file"),
        (files.OLE2, "an Excel workbook or another zip file, not a text file"),
        (b"GIF89a\x00\x01\x02\x03\x04\x05", "not a text file"),
    ],
)
def test_binary_files_are_not_text(data, message):
    with pytest.raises(UploadError, match=message):
        reader.decode_text(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        ("a;b\n1;2,5\n", [["a", "b"], ["1", "2,5"]]),
        ("a\tb\n“Sở Văn hóa, Thể thao”\t2\n", [["a", "b"], ["“Sở Văn hóa, Thể thao”", "2"]]),
        ('a,b\n"dòng 1\ndòng 2",x\n', [["a", "b"], ["dòng 1\ndòng 2", "x"]]),
    ],
)
def test_csv_delimiters_are_detected(text, expected):
    assert list(reader.csv_rows(text, max_columns=5)) == expected


def test_a_csv_field_beyond_the_csv_limit_is_refused():
    with pytest.raises(UploadError, match="could not be read as CSV"):
        list(reader.csv_rows('"' + "x" * 200_000 + '"\n', max_columns=5))


# Fuzzing: any bytes are read or refused with an UploadError, nothing else.


@FUZZ
@given(st.binary(max_size=3000))
def test_any_bytes_decode_or_are_refused(data):
    try:
        text = reader.decode_text(data)
    except UploadError as error:
        assert error.message
    else:
        assert unicodedata.is_normalized("NFC", text)
        assert "\r" not in text and "\x00" not in text
        list(reader.csv_rows(text, max_columns=40))


@FUZZ
@given(files.damaged(GOOD))
def test_any_damaged_workbook_is_read_or_refused(data):
    try:
        for row in reader.workbook_rows(data, max_columns=40):
            assert all(isinstance(cell, str) for cell in row)
    except UploadError as error:
        assert error.message


def test_the_malformed_workbooks_are_the_ones_named():
    assert tuple(files.malformed_workbooks(GOOD)) == files.MALFORMED


# read_rows: either kind, the same limits and refusals


def test_read_rows_reads_either_kind_as_rows_of_text():
    csv_data = "Họ và tên,Email\nNguyễn Thị Hồng,hong@example.vn\n".encode("utf-16")

    assert list(reader.read_rows(csv_data, kind="csv", max_columns=5)) == ROWS
    assert [row[:2] for row in reader.read_rows(GOOD, kind="xlsx", max_columns=5)] == ROWS


def test_read_rows_applies_the_workbook_limits():
    with pytest.raises(UploadError, match="more than 2 parts"):
        list(reader.read_rows(GOOD, kind="xlsx", max_columns=5, limits=WorkbookLimits(max_parts=2)))


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b"not a zip at all", "xlsx", "not an Excel workbook"),
        (files.OLE2, "xlsx", "Excel 97-2003 workbook"),
        (GOOD, "csv", "not a text file"),
        ("Họ và tên\n".encode() + b"\x81\n", "csv", "Save the file with the encoding “UTF-8”"),
    ],
)
def test_read_rows_refuses_what_it_cannot_read_with_a_translated_message(data, kind, message):
    with pytest.raises(UploadError, match=message):
        list(reader.read_rows(data, kind=kind, max_columns=5))
    with translation.override("vi"), pytest.raises(UploadError) as refused:
        list(reader.read_rows(data, kind=kind, max_columns=5))
    assert refused.value.message != _english(data, kind)


def _english(data: bytes, kind: str) -> str:
    with pytest.raises(UploadError) as refused:
        list(reader.read_rows(data, kind=kind, max_columns=5))
    return refused.value.message
