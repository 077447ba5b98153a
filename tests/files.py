"""Upload files for tests: real workbooks and the broken, hostile and legacy ones people send.

Everything is built in memory with ``zipfile`` and openpyxl, so a test shows exactly what is
wrong with its file.
"""

import io
import struct
import time
import tracemalloc
import unicodedata
import zipfile
from functools import cache

import openpyxl
from hypothesis import strategies as st

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
MIB = 1024 * 1024


def xlsx_bytes(rows, *, shared_strings: bool = False) -> bytes:
    """A workbook whose first sheet holds ``rows``. With ``shared_strings`` the text sits in
    ``xl/sharedStrings.xml`` as Excel writes it (openpyxl writes it inline otherwise)."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return _with_shared_strings(data) if shared_strings else data


def parts_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(parts: dict[str, bytes | None], **options) -> bytes:
    """A ZIP of ``parts`` in order; a part set to None is left out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, **options) as archive:
        for name, content in parts.items():
            if content is not None:
                archive.writestr(name, content)
    return buffer.getvalue()


def replaced(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """``data`` with some parts replaced (None: left out)."""
    current = parts_of(data)
    for name, content in parts.items():
        assert name in current, name
        current[name] = content
    return rezip(current)


def _with_shared_strings(data: bytes) -> bytes:
    parts = parts_of(data)
    sheet = parts[SHEET].decode()
    strings: list[str] = []
    while (start := sheet.find('t="inlineStr"><is><t>')) != -1:
        end = sheet.index("</t></is>", start)
        text = sheet[start + len('t="inlineStr"><is><t>') : end]
        strings.append(text)
        sheet = f'{sheet[:start]}t="s"><v>{len(strings) - 1}</v>{sheet[end + len("</t></is>") :]}'
    parts[SHEET] = sheet.encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        b"</Relationships>",
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return rezip(parts)


class Peak:
    """Peak memory allocated by Python (zlib's and expat's buffers included) and the time
    spent inside the ``with`` block."""

    def __enter__(self):
        tracemalloc.start()
        tracemalloc.reset_peak()
        self.baseline = tracemalloc.get_traced_memory()[0]
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.bytes = tracemalloc.get_traced_memory()[1] - self.baseline
        tracemalloc.stop()


# Decompression bombs


BOMB_MIB = 300


@cache
def bomb() -> bytes:
    """A roster of about 1 MB whose shared strings unpack to ``BOMB_MIB`` (300) MiB, as in the
    report: a 1.5 MB workbook that inflated to 438 MiB. openpyxl loads every shared string
    when it opens a workbook, before a single row is read."""
    header = ["Họ và tên", "Cơ quan, đơn vị", "Chức vụ", "Tỉnh/thành phố", "Email"]
    parts = parts_of(xlsx_bytes([header], shared_strings=True))
    strings = parts.pop("xl/sharedStrings.xml")
    head, items = strings.split(b">", 1)
    items = items.removesuffix(b"</sst>")
    filler = b"<si><t>" + b"A" * 40 + b"</t></si>"
    chunk = filler * (MIB // len(filler))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        with archive.open("xl/sharedStrings.xml", "w") as shared:
            shared.write(head + b">" + items)
            for _ in range(BOMB_MIB):
                shared.write(chunk)
            shared.write(b"</sst>")
    return buffer.getvalue()


def dense_part(good: bytes, unpacked_mib: int = 5) -> bytes:
    """``good`` with a part far more compressed than any spreadsheet's (about 1000 to 1), but
    small enough in all to pass the size limit."""
    parts = parts_of(good)
    parts["xl/media/padding.bin"] = b"\0" * (unpacked_mib * MIB)
    return rezip(parts, compresslevel=9)


def lying_sizes(data: bytes, part: str = "xl/sharedStrings.xml", size: int = 1024) -> bytes:
    """``data`` with ``part``'s unpacked size set to ``size`` in its local header and in the
    central directory: a bomb that hides its size. ``zipfile`` stops reading the part there
    and fails its CRC check."""
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(part).header_offset
    struct.pack_into("<I", buffer, local + 22, size)
    start = 0
    while (start := buffer.find(b"PK\x01\x02", start)) != -1:
        (name_length,) = struct.unpack_from("<H", buffer, start + 28)
        if buffer[start + 46 : start + 46 + name_length] == part.encode():
            struct.pack_into("<I", buffer, start + 24, size)
        start += 4
    return bytes(buffer)


def many_parts(good: bytes, count: int) -> bytes:
    parts = parts_of(good)
    for number in range(count):
        parts[f"customXml/item{number}.xml"] = b"<a/>"
    return rezip(parts)


def encrypted_flag(data: bytes) -> bytes:
    """``data`` with every part marked encrypted (general purpose flag bit 0)."""
    buffer = bytearray(data)
    for signature, offset in ((b"PK\x01\x02", 8), (b"PK\x03\x04", 6)):
        start = 0
        while (start := buffer.find(signature, start)) != -1:
            (flags,) = struct.unpack_from("<H", buffer, start + offset)
            struct.pack_into("<H", buffer, start + offset, flags | 0x1)
            start += 4
    return bytes(buffer)


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # .xls, or Excel's encrypted .xlsx

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def with_doctype(data: bytes, part: str, doctype: str, old: str, new: str) -> bytes:
    """``part`` of ``data`` behind a DOCTYPE declaring entities, with ``old`` (its first
    occurrence) replaced by ``new``, a reference to them."""
    parts = parts_of(data)
    xml = parts[part].decode()
    if xml.startswith("<?xml"):
        xml = xml[xml.index("?>") + 2 :]
    assert old in xml, (part, old)
    parts[part] = (doctype + xml.replace(old, new, 1)).encode()
    return rezip(parts)


@cache
def malformed_workbooks(good: bytes) -> dict[str, bytes]:
    """Workbooks broken in each way a file can be broken, from a good one with shared
    strings (see ``MALFORMED``)."""
    return {
        "not a zip": b"Ho va ten,Email\nAn,an@example.vn\n",
        "truncated": good[: len(good) // 2],
        "xls or encrypted": OLE2,
        "bad content types": replaced(good, {"[Content_Types].xml": b"<Types"}),
        "no content types": replaced(good, {"[Content_Types].xml": None}),
        "no workbook part": replaced(good, {"xl/workbook.xml": None}),
        "junk workbook part": replaced(good, {"xl/workbook.xml": b"<x/>"}),
        "no sheet part": replaced(good, {SHEET: None}),
        "junk sheet": replaced(good, {SHEET: b"<worksheet"}),
        "junk shared strings": replaced(good, {"xl/sharedStrings.xml": b"\xff\xfe<sst"}),
        "junk styles": replaced(good, {"xl/styles.xml": b"<styleSheet><fonts count='x'>"}),
        "junk relationships": replaced(good, {"xl/_rels/workbook.xml.rels": b"<Relationships"}),
        "encrypted parts": encrypted_flag(good),
        "billion laughs in strings": with_doctype(
            good, "xl/sharedStrings.xml", BILLION_LAUGHS, "<t>", "<t>&lol9;"
        ),
        "billion laughs in the sheet": with_doctype(
            good, SHEET, BILLION_LAUGHS, "<v>0</v>", "<v>&lol9;</v>"
        ),
        "external entity": with_doctype(
            good, "xl/sharedStrings.xml", EXTERNAL_ENTITY, "<t>", "<t>&e;"
        ),
        "bomb lying about its size": lying_sizes(bomb()),
        "too many parts": many_parts(good, 1001),
        "dense part": dense_part(good),
    }


MALFORMED = (
    "not a zip",
    "truncated",
    "xls or encrypted",
    "bad content types",
    "no content types",
    "no workbook part",
    "junk workbook part",
    "no sheet part",
    "junk sheet",
    "junk shared strings",
    "junk styles",
    "junk relationships",
    "encrypted parts",
    "billion laughs in strings",
    "billion laughs in the sheet",
    "external entity",
    "bomb lying about its size",
    "too many parts",
    "dense part",
)


def damaged(good: bytes) -> st.SearchStrategy[bytes]:
    """``good`` with bytes overwritten, cut short, or a part replaced by near-XML or bytes."""
    positions = st.integers(min_value=0, max_value=len(good) - 1)
    overwritten = st.lists(st.tuples(positions, st.integers(0, 255)), min_size=1, max_size=8)
    xmlish = st.text(alphabet="<>/=\"' &;#xabcdefghijklmnopqrstuvwz0123456789:!-[]?", max_size=300)
    part = st.sampled_from(sorted(parts_of(good)))

    def overwrite(changes):
        data = bytearray(good)
        for position, value in changes:
            data[position] = value
        return bytes(data)

    return st.one_of(
        overwritten.map(overwrite),
        positions.map(lambda end: good[:end]),
        st.tuples(part, xmlish).map(lambda change: replaced(good, {change[0]: change[1].encode()})),
        st.tuples(part, st.binary(max_size=300)).map(
            lambda change: replaced(good, {change[0]: change[1]})
        ),
    )


# Text in the encodings people save


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """``text`` as Vietnamese Windows saves it: letters with a circumflex, breve or horn are
    one byte, tone marks follow as combining characters (ế = ê + U+0301)."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in TONE_MARKS)
        base = unicodedata.normalize(
            "NFC", "".join(mark for mark in decomposed if mark not in TONE_MARKS)
        )
        out += (base + tones).encode("cp1258")
    return bytes(out)
