"""The one reader of spreadsheets and text files people upload: rosters (``courses.roster``)
and question files (``quizzes.formats``) read them here, so that the limits, the encoding rules
and the messages are the same everywhere. ``read_rows`` reads either kind as rows of strings;
the size of an upload is checked first by ``courses.uploads``. Nothing here touches the
database; every refusal is an ``UploadError`` with a translated message for the uploader.

Workbooks (.xlsx)
    An .xlsx file is a ZIP of XML parts, and a few kilobytes of ZIP can unpack to gigabytes (a
    "decompression bomb"). ``check_workbook`` reads only the ZIP's central directory (the list
    of parts with their stored and unpacked sizes) and refuses, before any XML is parsed: more
    than ``max_parts`` parts, more than ``max_unpacked_bytes`` in all, a part unpacking to more
    than ``max_ratio`` times its stored size (Apache POI's ``ZipSecureFile`` rule: 100 to 1,
    with the same 100 KiB grace for small parts), encrypted parts and compression methods
    Excel does not write. The declared sizes cannot lie: Python's ``zipfile`` stops every part
    at its declared size and then fails its CRC check. ``workbook_rows`` then lets openpyxl
    stream the first sheet (read-only mode; XML through defusedxml, which openpyxl uses when it
    is installed, as Wagtail's Willow installs it); anything it raises on a damaged workbook
    becomes an ``UploadError``.

Text (.csv, GIFT, Aiken)
    ``decode_text`` detects the encoding in this order, and refuses only what none decodes:

    1. a byte order mark: UTF-8, UTF-32 (before UTF-16: its little-endian mark starts with
       UTF-16's) or UTF-16. Excel's "Unicode Text" is UTF-16 LE with a mark, tab-separated.
    2. NUL bytes in at least a quarter of the byte pairs, all on the same side: UTF-16 without
       a mark (text never holds NUL: they are the high bytes of ASCII letters).
    3. UTF-8. Valid UTF-8 is self-checking: text in a legacy code page with any letter beyond
       ASCII almost never forms valid UTF-8 by chance, and pure ASCII is the same in both.
    4. Windows-1258, the ANSI code page of Vietnamese Windows: what Excel's "CSV (Comma
       delimited)" and Notepad's "ANSI" write there. It decodes every byte but nine, and it
       writes tone marks as separate combining characters, which NFC composes (ế = ê + ◌́).

    A statistical detector (charset-normalizer) is not used: the candidates are known, short
    rosters give it too little text, and it would pick Windows-1252 or another code page that
    reads Vietnamese letters wrongly. Other legacy Vietnamese encodings (TCVN3, VNI) are font
    tricks that cannot be told apart from Windows-1258 by their bytes. The text comes back in
    NFC with ``\\n`` line ends.
"""

import codecs
import csv
import io
import logging
import unicodedata
import warnings
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

import openpyxl
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from courses.uploads import UploadError

logger = logging.getLogger(__name__)

ZIP_SIGNATURE = b"PK\x03\x04"
# Compound File Binary: Excel 97-2003 (.xls) workbooks, and Excel's password-protected .xlsx.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_ENCODING = "cp1258"
EXCEL_MAX_ROWS = 1_048_576
CSV_DELIMITERS = (",", ";", "\t")
DELIMITER_SAMPLE_LINES = 10


class UndecodableText(UploadError):
    """No encoding we read decodes the file; ``line`` and ``byte`` say where UTF-8 fails."""

    def __init__(self, *, line: int, byte: int) -> None:
        self.line = line
        self.byte = byte
        super().__init__(
            _(
                "The file's text encoding cannot be read: line %(line)d holds a byte "
                "(0x%(byte)02X) that is not UTF-8, and the file is not UTF-16 or Windows-1258 "
                "either. Save the file with the encoding “UTF-8” and upload it again."
            )
            % {"line": line, "byte": byte}
        )


@dataclass(frozen=True, slots=True)
class WorkbookLimits:
    """What a workbook may unpack to. The defaults hold any real roster or question file many
    times over (5,000 delegates take about 2 MB of XML)."""

    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_ratio: int = 100
    ratio_grace_bytes: int = 100 * 1024
    max_parts: int = 1000


DEFAULT_LIMITS = WorkbookLimits()


# Workbooks


def not_a_workbook_message() -> str:
    return _("This file is not an Excel workbook (.xlsx). Save it as “Excel Workbook (.xlsx)”.")


def damaged_workbook_message() -> str:
    return _(
        "This Excel workbook could not be read: it is damaged or was not written by a "
        "spreadsheet program. Open it in Excel and save it again as “Excel Workbook (.xlsx)”."
    )


def check_workbook(data: bytes, *, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Refuse what is not a workbook, or one that would unpack to too much, from the ZIP's
    central directory alone (nothing is decompressed)."""
    if data.startswith(OLE2_SIGNATURE):
        raise UploadError(
            _(
                "This is an Excel 97-2003 workbook (.xls) or a password-protected one. Save it "
                "without a password as “Excel Workbook (.xlsx)”."
            )
        )
    parts = _untrusted(lambda: _directory(data), refusal=not_a_workbook_message)
    if len(parts) > limits.max_parts:
        raise UploadError(
            _("The workbook has more than %(limit)d parts; it cannot be read safely.")
            % {"limit": limits.max_parts}
        )
    unpacked = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise UploadError(
                _("This workbook is encrypted. Save it without a password and upload it again.")
            )
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadError(damaged_workbook_message())
        unpacked += part.file_size
        if part.file_size > limits.ratio_grace_bytes and (
            part.file_size > limits.max_ratio * max(part.compress_size, 1)
        ):
            raise UploadError(
                _(
                    "A part of this workbook unpacks to more than %(ratio)d times its stored "
                    "size, which no real spreadsheet does; it is not read. Copy the data into a "
                    "new workbook and upload that."
                )
                % {"ratio": limits.max_ratio}
            )
    if unpacked > limits.max_unpacked_bytes:
        raise UploadError(
            _(
                "The workbook holds more than %(limit)s once unpacked. Remove what is not "
                "needed (other sheets, images) or split it into smaller files."
            )
            % {"limit": filesizeformat(limits.max_unpacked_bytes)}
        )


def _directory(data: bytes) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


def cell_text(value: Any) -> str:
    """A cell as the text it shows: whole numbers without ``.0``, dates in ISO form, text in
    NFC with ``\\n`` line ends."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def workbook_rows(
    data: bytes,
    *,
    max_columns: int,
    skip_sheets: Collection[str] = (),
    limits: WorkbookLimits = DEFAULT_LIMITS,
) -> Iterator[list[str]]:
    """The rows of the first sheet not named in ``skip_sheets``, as text, from row 1 (a blank
    row is ``[]``; others have ``max_columns`` cells).

    The workbook is checked (``check_workbook``) before openpyxl opens it; close the iterator
    when stopping early, so the workbook is closed.
    """
    check_workbook(data, limits=limits)
    workbook = _untrusted(lambda: _load(data))
    try:
        sheets = [sheet for sheet in workbook.worksheets if sheet.title not in skip_sheets]
        if not sheets:
            raise UploadError(_("The workbook has no sheet to read."))
        # A generator's own ``except`` never sees the caller's errors, only openpyxl's.
        for number, values in enumerate(_sheet_rows(sheets[0], max_columns), start=1):
            if number > EXCEL_MAX_ROWS:  # openpyxl would make up blank rows up to any number
                raise UploadError(damaged_workbook_message())
            # Blank rows come cheap: a sheet may hold a million of them.
            blank = values.count(None) == len(values)
            yield [] if blank else [cell_text(value) for value in values]
    except UploadError:
        raise
    except Exception as error:  # noqa: BLE001 - see _untrusted
        raise _refusal(error, damaged_workbook_message) from error
    finally:
        workbook.close()


def _load(data: bytes):
    with warnings.catch_warnings():
        # "Workbook contains no default style" and the like: harmless, common in exports.
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _sheet_rows(sheet, max_columns: int) -> Iterator[tuple]:
    if hasattr(sheet, "reset_dimensions"):  # charts sheets have none
        sheet.reset_dimensions()  # some writers record a wrong size: read what is there
    return sheet.iter_rows(min_row=1, max_col=max_columns, values_only=True)


def _untrusted(call, refusal=damaged_workbook_message):
    """Run a zipfile or openpyxl call on an uploaded workbook.

    Neither documents every exception a damaged file can cause: it surfaces as whatever the
    ZIP, XML or value parsing raises (BadZipFile, NotImplementedError for a ZIP version,
    ParseError, KeyError, IndexError, ValueError, TypeError, zlib's errors, defusedxml's
    refusals...). For an upload they all mean the same thing, so they become one translated
    refusal; the cause is logged for whoever looks into it.
    """
    try:
        return call()
    except UploadError:
        raise
    except Exception as error:  # noqa: BLE001 - the boundary to parsers of untrusted bytes
        raise _refusal(error, refusal) from error


def _refusal(error: Exception, message) -> UploadError:
    logger.info("Unreadable workbook upload: %r", error)
    return UploadError(message())


# Text


def not_text_message() -> str:
    return _(
        "This is an Excel workbook or another zip file, not a text file. Upload it as an "
        "Excel workbook (.xlsx)."
    )


def decode_text(data: bytes) -> str:
    """The text of an uploaded file (see the module's notes on the encodings), in NFC, with
    ``\\n`` line ends. Raises ``UndecodableText`` or ``UploadError``."""
    if data.startswith((ZIP_SIGNATURE, OLE2_SIGNATURE)):
        raise UploadError(not_text_message())
    encoding = _declared_encoding(data) or _utf16_without_mark(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            line = data[: error.start].decode(encoding, "replace").count("\n") + 1
            raise UndecodableText(line=line, byte=data[error.start]) from error
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            try:
                text = data.decode(LEGACY_ENCODING)
            except UnicodeDecodeError:
                line = data[: utf8_error.start].count(b"\n") + 1
                raise UndecodableText(line=line, byte=data[utf8_error.start]) from utf8_error
    if "\x00" in text:
        raise UploadError(_("This is not a text file."))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _declared_encoding(data: bytes) -> str | None:
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    return None


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 when at least a quarter of the byte pairs hold a NUL, always on the same side:
    the high byte of the ASCII letters, digits and spaces that most Vietnamese text is made
    of. A binary file's NULs fall anywhere."""
    if len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    pairs = len(data) // 2
    if odd * 4 >= pairs and not even:
        return "utf-16-le"  # "A" is 41 00
    if even * 4 >= pairs and not odd:
        return "utf-16-be"
    return None


def csv_rows(text: str, *, max_columns: int) -> Iterator[list[str]]:
    """The rows of CSV text (comma, semicolon or tab separated, whichever the first lines use
    most: Excel writes semicolons in many locales and tabs as "Unicode Text")."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for values in reader:
            yield [cell_text(value) for value in values[:max_columns]]
    except csv.Error as error:
        raise UploadError(_("This file could not be read as CSV.")) from error


def _delimiter(text: str) -> str:
    sample = "\n".join(text.split("\n", DELIMITER_SAMPLE_LINES)[:DELIMITER_SAMPLE_LINES])
    return max(CSV_DELIMITERS, key=sample.count)


# Either kind


def read_rows(
    data: bytes,
    *,
    kind: Literal["xlsx", "csv"],
    max_columns: int,
    skip_sheets: Collection[str] = (),
    limits: WorkbookLimits = DEFAULT_LIMITS,
) -> Iterator[list[str]]:
    """The rows of a workbook's first sheet (not named in ``skip_sheets``) or of a CSV file, as
    text cells (see ``cell_text``), from row 1; close the iterator when stopping early."""
    if kind == "xlsx":
        return workbook_rows(data, max_columns=max_columns, skip_sheets=skip_sheets, limits=limits)
    return csv_rows(decode_text(data), max_columns=max_columns)
