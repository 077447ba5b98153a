"""courses/roster.py is pure: reading and checking rosters needs no database (no django_db)."""

import codecs
import csv
import io
import unicodedata

import openpyxl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from courses import roster
from courses.roster import RawRow, RosterFileError, RowStatus, TableEnd
from tests import files

HEADINGS = ["Họ và tên", "Cơ quan, đơn vị", "Chức vụ", "Tỉnh/thành phố", "Email"]
HONG = ["Nguyễn Thị Hồng", "Sở Ngoại vụ", "Chuyên viên", "Phú Thọ", "hong@example.vn"]
MINH = ["Trần Văn Minh", "Báo Nhân Dân", "Phóng viên", "Hà Nội", "minh@example.vn"]

PROVINCES = roster.build_province_index(
    current=[(1, "Phú Thọ"), (2, "Hà Nội"), (3, "Thành phố Hồ Chí Minh"), (4, "Huế")],
    former=[
        ("Phú Thọ", 1),
        ("Vĩnh Phúc", 1),
        ("Hòa Bình", 1),
        ("Hà Nội", 2),
        ("Bình Dương", 3),
        ("Thừa Thiên Huế", 4),
    ],
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(rows, *, delimiter=",", bom=False, encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def xlsx_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data: bytes, name: str = "roster.csv", *, max_rows=100, max_bytes=10**6):
    return roster.read_roster(data, name, max_rows=max_rows, max_bytes=max_bytes)


def check(*rows: list[str]) -> list[roster.RosterRow]:
    table = read(csv_bytes([HEADINGS, *rows]))
    return roster.validate_rows(table.rows, provinces=PROVINCES)


# Reading files


def test_reads_an_xlsx_roster_with_spreadsheet_row_numbers():
    table = read(xlsx_bytes([HEADINGS, HONG, [None] * 5, MINH]), "Danh sach.XLSX")

    assert [row.number for row in table.rows] == [2, 4]  # the blank row 3 is skipped
    assert table.rows[0] == RawRow(2, *HONG)
    assert table.rows[1].email == "minh@example.vn"


def test_reads_xlsx_numbers_and_empty_position_cells():
    table = read(
        xlsx_bytes([HEADINGS, ["Lê Văn Tám", 115, None, "Huế", "tam@example.vn"]]), "r.xlsx"
    )

    assert table.rows[0].organisation == "115"
    assert table.rows[0].position == ""


def test_reads_a_comma_separated_csv():
    table = read(csv_bytes([HEADINGS, HONG, MINH]))

    assert [row.full_name for row in table.rows] == ["Nguyễn Thị Hồng", "Trần Văn Minh"]


def test_reads_a_semicolon_separated_csv_with_a_byte_order_mark():
    # Excel in a Vietnamese or European locale saves "CSV UTF-8" like this.
    row = ["Nguyễn Thị Hồng", "Sở Văn hóa, Thể thao", "", "Phú Thọ", "h@x.vn"]
    data = csv_bytes([HEADINGS, row], delimiter=";", bom=True)

    table = read(data)

    assert table.rows[0].full_name == "Nguyễn Thị Hồng"  # no BOM glued to the first heading
    assert table.rows[0].organisation == "Sở Văn hóa, Thể thao"


def test_reads_a_csv_with_a_byte_order_mark_and_commas():
    table = read(csv_bytes([HEADINGS, HONG], bom=True))

    assert table.rows[0] == RawRow(2, *HONG)


def test_a_title_above_the_header_keeps_spreadsheet_row_numbers():
    rows = [["DANH SÁCH ĐẠI BIỂU"], [], ["STT", *HEADINGS], ["1", *HONG], ["2"], ["3", *MINH]]

    table = read(xlsx_bytes(rows), "r.xlsx")

    assert [row.number for row in table.rows] == [4, 6]  # row 5 holds only a running number
    assert table.ignored_headings == ("STT",)


@pytest.mark.parametrize(
    "headings",
    [
        ["Họ tên", "Đơn vị", "Chức vụ", "Tỉnh", "Thư điện tử"],
        ["HỌ VÀ TÊN", "CƠ QUAN", "CHỨC VỤ", "TỈNH/THÀNH PHỐ", "EMAIL"],
        ["Ho va ten", "Co quan, don vi", "Chuc vu", "Tinh / thanh pho", "E-mail"],
        ["Full name", "Organisation", "Position", "Province", "Email"],
        ["full name", "Organization", "position", "PROVINCE", "e-mail"],
        ["Họ và tên (*)", "Cơ quan/đơn vị", "Chức vụ", "Tỉnh", "Email (*)"],
        [unicodedata.normalize("NFD", heading) for heading in HEADINGS],
    ],
)
def test_recognises_header_variants_in_vietnamese_and_english(headings):
    table = read(csv_bytes([headings, HONG]))

    assert table.rows[0] == RawRow(2, *HONG)


def test_columns_may_come_in_any_order_and_position_may_be_absent():
    table = read(
        csv_bytes([["Email", "Tỉnh", "Họ và tên", "Đơn vị"], ["a@x.vn", "Huế", "An", "Sở"]])
    )

    assert table.rows[0] == RawRow(2, "An", "Sở", "", "Huế", "a@x.vn")


def test_a_missing_required_column_is_named():
    with pytest.raises(RosterFileError) as error:
        read(csv_bytes([["Họ và tên", "Cơ quan", "Chức vụ", "Tỉnh"], HONG[:4]]))

    assert "“Email”" in error.value.message
    assert "Full name" not in error.value.message


def test_several_missing_columns_are_all_named():
    with pytest.raises(RosterFileError) as error:
        read(csv_bytes([["Họ và tên", "Ghi chú"], ["An", "x"]]))

    for label in ("Organisation", "Province", "Email"):
        assert label in error.value.message


def test_a_file_without_any_known_heading_names_every_required_column():
    with pytest.raises(RosterFileError) as error:
        read(csv_bytes([["a", "b"], ["1", "2"]]))

    assert "Full name" in error.value.message
    assert "Email" in error.value.message


@pytest.mark.parametrize("name", ["roster.pdf", "roster.txt", "roster", "roster.docx"])
def test_other_file_types_are_refused(name):
    with pytest.raises(RosterFileError) as error:
        read(csv_bytes([HEADINGS, HONG]), name)

    assert ".xlsx" in error.value.message
    assert ".csv" in error.value.message


def test_old_excel_files_are_refused_with_advice():
    with pytest.raises(RosterFileError) as error:
        read(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "roster.xls")

    assert "(.xlsx)" in error.value.message


def test_a_csv_renamed_to_xlsx_is_refused():
    with pytest.raises(RosterFileError) as error:
        read(csv_bytes([HEADINGS, HONG]), "roster.xlsx")

    assert "not an Excel workbook" in error.value.message


def test_a_broken_workbook_is_refused():
    data = xlsx_bytes([HEADINGS, HONG])

    with pytest.raises(RosterFileError):
        read(data[: len(data) // 2], "roster.xlsx")


def test_excel_unicode_text_is_read():
    # Excel's "Unicode Text": UTF-16 LE with a byte order mark, tab-separated, CRLF.
    row = ["Nguyễn Thị Hồng", "Sở Văn hóa, Thể thao và Du lịch", "", "Thừa Thiên Huế", "h@x.vn"]
    text = "\r\n".join("\t".join(values) for values in [HEADINGS, row]) + "\r\n"

    table = read(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "danh-sach.csv")

    assert table.rows == (RawRow(2, *row),)


def test_a_legacy_windows_1258_csv_is_read_and_composed():
    # Windows-1258 has ê, ơ, ă... but writes tone marks as separate combining characters.
    data = files.windows_1258(
        "Họ và tên,Cơ quan,Tỉnh,Email\nLê Văn Sơn,Sở Ngoại vụ,Thừa Thiên Huế,son@x.vn\n"
    )
    assert "\u0301".encode("cp1258") in data or "\u0323".encode("cp1258") in data

    table = read(data)

    assert table.rows[0] == RawRow(2, "Lê Văn Sơn", "Sở Ngoại vụ", "", "Thừa Thiên Huế", "son@x.vn")
    assert unicodedata.is_normalized("NFC", table.rows[0].province)


def test_a_csv_that_no_encoding_reads_is_refused_with_todays_message():
    data = csv_bytes([HEADINGS, HONG]) + b"\x81\x8d\n"

    with pytest.raises(RosterFileError) as error:
        read(data)

    assert error.value.message == (
        "This CSV file is not in UTF-8. In Excel choose “Save as” and the type "
        "“CSV UTF-8 (Comma delimited)”, or upload the .xlsx file itself."
    )


@pytest.mark.parametrize("data", [b"", b"\n\n", codecs.BOM_UTF8])
def test_an_empty_csv_is_refused(data):
    with pytest.raises(RosterFileError, match="empty"):
        read(data)


def test_an_empty_workbook_is_refused():
    with pytest.raises(RosterFileError, match="empty"):
        read(xlsx_bytes([]), "roster.xlsx")


def test_a_header_without_delegates_is_refused():
    with pytest.raises(RosterFileError, match="no delegates"):
        read(csv_bytes([HEADINGS, ["", "", "", "", ""]]))


def test_too_many_rows_are_refused():
    rows = [[f"Đại biểu {n}", "Sở", "", "Huế", f"d{n}@x.vn"] for n in range(4)]

    assert len(read(csv_bytes([HEADINGS, *rows]), max_rows=4).rows) == 4
    with pytest.raises(RosterFileError, match="more than 3 delegates"):
        read(csv_bytes([HEADINGS, *rows]), max_rows=3)


def test_too_many_bytes_are_refused():
    data = csv_bytes([HEADINGS, HONG])

    with pytest.raises(RosterFileError, match="larger than"):
        read(data, max_bytes=len(data) - 1)


# The end of the table: signature blocks and notes


SIGNATURE_BLOCK = [
    [],
    ["", "", "", "Hà Nội, ngày 15 tháng 11 năm 2024"],
    ["", "", "", "NGƯỜI LẬP DANH SÁCH"],
    ["", "", "", "(Ký, ghi rõ họ tên)"],
    [],
    ["", "", "", "Phạm Thu Trang"],
]


def test_a_signature_block_under_the_table_ends_it():
    rows = [["STT", *HEADINGS], ["1", *HONG], ["2", *MINH], *SIGNATURE_BLOCK]

    table = read(xlsx_bytes(rows), "danh-sach.xlsx")

    assert [row.full_name for row in table.rows] == ["Nguyễn Thị Hồng", "Trần Văn Minh"]
    assert table.end == TableEnd(number=5, text="Hà Nội, ngày 15 tháng 11 năm 2024")


@pytest.mark.parametrize(
    "row",
    [
        ["", "", "", "", "NGƯỜI LẬP DANH SÁCH"],
        ["Người lập biểu"],
        ["", "", "", "TP. Hồ Chí Minh, ngày    tháng    năm 2025"],
        ["Ghi chú: đại biểu mang theo căn cước."],
        ["Lưu ý:", "đăng ký trước 10/11"],
        ["Tổng cộng: 2 đại biểu"],
        ["Nơi nhận:", "", "", "KT. GIÁM ĐỐC"],
        ["", "", "TM. ỦY BAN NHÂN DÂN"],
        ["XÁC NHẬN CỦA CƠ QUAN"],
        ["", "(Ký tên, đóng dấu)"],
    ],
)
def test_notes_and_signatures_end_the_table(row):
    table = read(csv_bytes([HEADINGS, HONG, row, MINH]))

    assert [r.full_name for r in table.rows] == ["Nguyễn Thị Hồng"]
    assert table.end is not None and table.end.number == 3


@pytest.mark.parametrize(
    "row",
    [
        ["Giám Thị Lan", "Sở Ngoại vụ", "", "Huế", "lan@x.vn"],  # a surname, with an email
        ["Lê Hà", "Báo Ngày Nay", "Phóng viên", "Hà Nội", ""],  # no email: an error row
        ["", "", "", "", "kt@x.vn"],
    ],
)
def test_delegate_rows_never_end_the_table(row):
    table = read(csv_bytes([HEADINGS, HONG, row, MINH]))

    assert len(table.rows) == 3
    assert table.end is None


def test_a_signature_right_under_the_header_leaves_no_delegates():
    with pytest.raises(RosterFileError, match="no delegates"):
        read(csv_bytes([HEADINGS, *SIGNATURE_BLOCK]))


# Damaged and hostile files


@pytest.mark.parametrize("name", files.MALFORMED)
def test_every_malformed_workbook_is_a_roster_file_error(name):
    good = files.xlsx_bytes([HEADINGS, HONG], shared_strings=True)

    with pytest.raises(RosterFileError) as error:
        read(files.malformed_workbooks(good)[name], "roster.xlsx")

    assert error.value.message


def test_a_bomb_is_refused_before_it_is_unpacked():
    with pytest.raises(RosterFileError, match="times its stored size"):
        read(files.bomb(), "roster.xlsx", max_bytes=5 * files.MIB)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(["r.csv", "r.xlsx", "r.xls", "r"]))
def test_any_bytes_are_read_or_refused_with_a_roster_file_error(data, name):
    try:
        table = read(data, name)
    except RosterFileError as error:
        assert error.message
    else:
        assert table.rows


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(st.text(max_size=30) | st.none() | st.integers() | st.floats(), max_size=7),
        max_size=8,
    ),
    st.sampled_from(["csv", "xlsx"]),
)
def test_any_table_is_read_or_refused_with_a_roster_file_error(rows, kind):
    rows = [HEADINGS, *rows]
    if kind == "csv":
        data = csv_bytes([["" if cell is None else cell for cell in row] for row in rows])
    else:
        try:
            data = xlsx_bytes(rows)
        except IllegalCharacterError:  # control characters openpyxl refuses to write
            return
    try:
        table = read(data, f"r.{kind}")
    except RosterFileError as error:
        assert error.message
    else:
        assert all(isinstance(row, RawRow) for row in table.rows)


# Checking rows


def test_a_good_row_is_cleaned_and_has_no_errors():
    name = unicodedata.normalize("NFD", "  Nguyễn   Thị  Hồng ")

    (row,) = check([name, " Sở  Ngoại vụ ", "", "phú thọ", " Hong@Example.VN "])

    assert row.errors == ()
    assert row.full_name == "Nguyễn Thị Hồng"
    assert unicodedata.is_normalized("NFC", row.full_name)
    assert row.organisation == "Sở Ngoại vụ"
    assert row.email == "hong@example.vn"
    assert row.province == roster.ProvinceMatch(1, "Phú Thọ")
    assert row.notes == ()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["", "Sở", "", "Huế", "a@x.vn"], "The full name is missing."),
        (["An", "", "", "Huế", "a@x.vn"], "The organisation is missing."),
        (["An", "Sở", "", "Huế", ""], "The email is missing."),
        (["An", "Sở", "", "Huế", "an.x.vn"], "“an.x.vn” is not a valid email address."),
        (["An", "Sở", "", "Huế", "an @x.vn"], "is not a valid email address."),
        (["An", "Sở", "", "", "a@x.vn"], "The province is missing."),
        (["An", "Sở", "", "Sài Gòn", "a@x.vn"], "The province “Sài Gòn” is unknown."),
        (["A" * 151, "Sở", "", "Huế", "a@x.vn"], "Full name is longer than 150 characters."),
        (["An", "S" * 201, "", "Huế", "a@x.vn"], "Organisation is longer than 200 characters."),
        (["An", "Sở", "P" * 151, "Huế", "a@x.vn"], "Position is longer than 150 characters."),
        (["An", "Sở", "", "Huế", "a" * 140 + "@example.vn"], "longer than 150 characters"),
    ],
)
def test_each_kind_of_row_error_is_reported(values, message):
    (row,) = check(values)

    assert not row.is_valid
    assert any(message in error for error in row.errors), row.errors


def test_a_row_with_several_problems_reports_each():
    (row,) = check(["", "", "", "Atlantis", "nope"])

    assert len(row.errors) == 4


def test_a_repeated_email_is_an_error_on_the_later_row_naming_the_first():
    rows = check(HONG, MINH, ["Nguyễn Hồng", "Sở", "", "Huế", "HONG@example.vn"])

    assert rows[0].errors == ()
    assert rows[1].errors == ()
    assert rows[2].errors == ("The email hong@example.vn is already in row 2.",)


@pytest.mark.parametrize(
    ("written", "province", "former"),
    [
        ("Hòa Bình", "Phú Thọ", "Hòa Bình"),
        ("Hoa Binh", "Phú Thọ", "Hòa Bình"),
        ("Hoà Bình", "Phú Thọ", "Hòa Bình"),  # the older tone-mark placement
        ("HÒA BÌNH", "Phú Thọ", "Hòa Bình"),
        ("Tỉnh Hòa Bình", "Phú Thọ", "Hòa Bình"),
        ("Vĩnh Phúc", "Phú Thọ", "Vĩnh Phúc"),
        ("Thừa Thiên Huế", "Huế", "Thừa Thiên Huế"),
        ("Bình Dương", "Thành phố Hồ Chí Minh", "Bình Dương"),
        ("Phu Tho", "Phú Thọ", ""),
        ("TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", ""),
        ("Hồ Chí Minh", "Thành phố Hồ Chí Minh", ""),
        ("Thành phố Hà Nội", "Hà Nội", ""),
        ("Hà Nội", "Hà Nội", ""),  # also a former name: the current one wins, with no note
    ],
)
def test_provinces_match_current_and_former_names(written, province, former):
    (row,) = check(["An", "Sở", "", written, "a@x.vn"])

    assert row.errors == ()
    assert row.province.name == province
    assert row.province.former_name == former
    if former:
        assert row.notes == (f"The former province {former} is now part of {province}.",)
    else:
        assert row.notes == ()


def test_classify_covers_every_outcome():
    (valid,) = check(HONG)
    (invalid,) = check(["", "Sở", "", "Huế", "a@x.vn"])

    def outcome(row, **kwargs):
        defaults = {"has_account": True, "enrolled": False, "enrolled_cohort_id": None}
        return roster.classify(row, cohort_id=7, **(defaults | kwargs))

    assert outcome(invalid, has_account=False) is RowStatus.ERROR
    assert outcome(valid, has_account=False) is RowStatus.NEW
    assert outcome(valid) is RowStatus.EXISTING
    assert outcome(valid, enrolled=True, enrolled_cohort_id=None) is RowStatus.EXISTING
    assert outcome(valid, enrolled=True, enrolled_cohort_id=7) is RowStatus.ENROLLED
    assert outcome(valid, enrolled=True, enrolled_cohort_id=8) is RowStatus.OTHER_COHORT


def test_raw_rows_survive_a_round_trip_through_json_lists():
    raw = RawRow(5, *HONG)

    assert RawRow.from_list(raw.as_list()) == raw


# The template


def test_the_xlsx_template_has_the_vietnamese_header_and_an_example_that_imports_cleanly():
    data = roster.template_xlsx()

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet.max_row == 2
    table = read(data, "delegate-roster.xlsx")
    (row,) = roster.validate_rows(table.rows, provinces=PROVINCES)
    assert row.errors == ()


def test_the_csv_template_opens_in_excel_and_imports_cleanly():
    data = roster.template_csv()

    assert data.startswith(codecs.BOM_UTF8)
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join(
        f'"{h}"' if "," in h else h for h in HEADINGS
    )
    (row,) = roster.validate_rows(read(data).rows, provinces=PROVINCES)
    assert row.errors == ()
