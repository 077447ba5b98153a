"""Drawing a certificate to PDF bytes with ReportLab. No database: callers pass plain values.

* Fonts are DejaVu TTFs shipped in ``certificates/fonts``, registered once per process as
  ReportLab's own ``TTFont``s (each PDF embeds a subset with just the letters it draws).
  ReportLab says a ``TTFont`` must not serve two documents at the same time, so drawing is
  serialised within a process (a few milliseconds, once per certificate: it is then stored).
* Every string is NFC-normalised and checked against the font's character map (read with
  fontTools) before anything is drawn: a missing glyph raises ``MissingGlyph`` naming the
  character, instead of printing an empty box.
* Output is deterministic (ReportLab's invariant mode): the same inputs give the same bytes.
* The QR code is drawn as vector rectangles from segno's matrix (no raster, no ReportLab widget).
"""

import functools
import io
import string
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import segno
from fontTools.ttLib import TTFont as FontFile
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from certificates import wording

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
}
PLACEHOLDERS = (
    "name",
    "organisation",
    "position",
    "province",
    "course",
    "cohort",
    "score",
    "issue_date",
    "serial",
    "start_date",
    "end_date",
)

QR_MASK = 4
DATE_LINE_PLACEHOLDERS = ("place", "day", "month", "year")
_lock = threading.Lock()
_registered: set[str] = set()
_drawing = threading.Lock()  # one document at a time uses the registered TTFonts


class MissingGlyph(ValueError):
    def __init__(self, char: str, text: str) -> None:
        self.char, self.text = char, text
        super().__init__(
            f"The certificate font has no glyph for {char!r} (U+{ord(char):04X}) in {text!r}"
        )


@dataclass(frozen=True, slots=True)
class Signatory:
    name: str
    title: str
    signature: bytes | None = None


@dataclass(frozen=True, slots=True)
class Design:
    """How a certificate looks: the editable template, as plain values."""

    title: str
    intro: str
    body: str
    issuing_body: str = ""
    parent_body: str = ""
    place: str = ""
    motto: tuple[str, str] | None = None  # national motto header of official documents
    date_line: str = "{place}, {day}/{month}/{year}"
    register_label: str = "No."
    verify_label: str = "Verify at"
    font: str = "serif"
    primary_colour: str = "#a3161c"
    text_colour: str = "#1d2433"
    border: str = "double"  # double | single | none
    landscape: bool = True
    logo: bytes | None = None
    seal: bytes | None = None
    signatories: tuple[Signatory, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Holder:
    """What the certificate says about its holder: the snapshot taken at issue."""

    full_name: str
    course_title: str
    serial: str
    issued_on: date
    verification_url: str
    organisation: str = ""
    position: str = ""
    province: str = ""
    cohort: str = ""
    score: str = ""
    start_date: str = ""
    end_date: str = ""
    verification_code: str = ""  # printed under the QR code, for typing it in by hand


CODE_GROUP = 4


def readable_code(code: str) -> tuple[str, ...]:
    """A verification code as printed under the QR code: groups of four characters on two
    lines (``"AbCd EfGh IjKl"``, ``"MnOp QrSt Uv"``), which the verification form reads back
    whatever the spaces."""
    groups = [code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP)]
    if len(groups) <= 3:
        return (" ".join(groups),) if groups else ()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]), " ".join(groups[half:])


def register_fonts(family: str) -> tuple[str, str, str]:
    """Register a family's regular, bold and italic faces (once per process)."""
    names = tuple(f"LMS-{family}-{style}" for style in ("regular", "bold", "italic"))
    with _lock:
        if family not in _registered:
            for name, filename in zip(names, FONT_FILES[family], strict=True):
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
            _registered.add(family)
    return names


@functools.cache
def covered_characters(filename: str) -> frozenset[int]:
    """The code points a shipped font file has a glyph for (its best Unicode cmap)."""
    with FontFile(FONT_DIR / filename, lazy=True) as font:
        return frozenset(font.getBestCmap())


def check_glyphs(texts: Iterable[str], family: str) -> None:
    """Raise ``MissingGlyph`` for the first character of ``texts`` that a face of the font
    ``family`` cannot draw."""
    texts = list(texts)
    for filename in FONT_FILES[family]:
        covered = covered_characters(filename)
        for text in texts:
            for char in text:
                if char not in "\n\r\t" and ord(char) not in covered:
                    raise MissingGlyph(char, text)


def fill_placeholders(template: str, holder: Holder) -> str:
    """A body or intro with the holder's facts; empty facts leave no fragments (see
    ``certificates.wording``)."""
    values = {
        "name": holder.full_name,
        "organisation": holder.organisation,
        "position": holder.position,
        "province": holder.province,
        "course": holder.course_title,
        "cohort": holder.cohort,
        "score": holder.score,
        "issue_date": holder.issued_on.strftime("%d/%m/%Y"),
        "serial": holder.serial,
        "start_date": holder.start_date,
        "end_date": holder.end_date,
    }
    return wording.fill(template, values)


def fill_date_line(template: str, *, place: str, issued_on: date) -> str:
    values = {"place": place, "day": issued_on.day, "month": issued_on.month}
    return wording.fill(template, {**values, "year": issued_on.year})


def unknown_placeholders(template: str, *, allowed=PLACEHOLDERS) -> list[str]:
    """Placeholders in ``template`` that a certificate cannot fill (for form validation).
    A stray brace is reported as ``{``; an empty ``{}`` as ``""``."""
    try:
        fields = [
            name
            for _text, name, _spec, _conv in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError:
        return ["{"]
    return [name for name in fields if name not in allowed]


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


class _Page:
    """A thin helper over the canvas: centred, wrapped text in the certificate's fonts."""

    def __init__(self, canvas: Canvas, fonts: tuple[str, str, str], colour: str) -> None:
        self.canvas = canvas
        self.regular, self.bold, self.italic = fonts
        self.colour = HexColor(colour)

    def centred(self, text: str, x: float, y: float, *, size: float, font=None, colour=None):
        self.canvas.setFillColor(colour or self.colour)
        self.canvas.setFont(font or self.regular, size)
        self.canvas.drawCentredString(x, y, text)

    def wrapped(self, text, x, y, *, width, size, font=None, leading=None) -> float:
        """Centred paragraph(s); returns the y below the last line."""
        font = font or self.regular
        leading = leading or size * 1.45
        self.canvas.setFillColor(self.colour)
        self.canvas.setFont(font, size)
        for paragraph in text.splitlines() or [""]:
            for line in simpleSplit(paragraph, font, size, width) or [""]:
                self.canvas.drawCentredString(x, y, line)
                y -= leading
        return y


def qr_operators(data: str) -> tuple[str, int]:
    """PDF path operators drawing ``data``'s QR code in module units, and its size in modules.

    A fixed mask skips segno's search for the best of eight (which costs more than the whole
    page); every mask gives a valid, readable code. Integer coordinates keep the operators short.
    """
    qr = segno.make(data, error="m", micro=False, boost_error=False, mask=QR_MASK)
    matrix = qr.matrix
    size = len(matrix)
    runs = []
    for row_index, row in enumerate(matrix):
        bottom = size - row_index - 1
        start = None
        for col_index, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                runs.append(f"{start} {bottom} {col_index - start} 1 re")
                start = None
    return "\n".join(runs) + "\nf", size


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as vector rectangles (one per run of dark modules), ``size`` points wide."""
    operators, modules = qr_operators(data)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / modules, size / modules)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(operators)
    canvas.restoreState()


def _image(canvas: Canvas, data: bytes | None, x, y, width, height) -> None:
    if data:
        canvas.drawImage(
            ImageReader(io.BytesIO(data)),
            x,
            y,
            width,
            height,
            preserveAspectRatio=True,
            anchor="c",
            mask="auto",
        )


def render_certificate(design: Design, holder: Holder) -> bytes:
    """The certificate as PDF bytes."""
    fonts = register_fonts(design.font)
    body = _nfc(fill_placeholders(design.body, holder))
    intro = _nfc(fill_placeholders(design.intro, holder))
    date_line = _nfc(
        fill_date_line(design.date_line, place=design.place, issued_on=holder.issued_on)
    )
    texts = [
        _nfc(t)
        for t in (
            design.title,
            holder.full_name,
            design.issuing_body,
            design.parent_body,
            design.register_label,
            design.verify_label,
            holder.serial,
            holder.verification_url,
            holder.verification_code,
            *(design.motto or ()),
            *(s.name for s in design.signatories),
            *(s.title for s in design.signatories),
        )
    ] + [body, intro, date_line]
    check_glyphs(texts, design.font)
    with _drawing:
        return _draw(design, holder, fonts, body=body, intro=intro, date_line=date_line)


def _draw(
    design: Design,
    holder: Holder,
    fonts: tuple[str, str, str],
    *,
    body: str,
    intro: str,
    date_line: str,
) -> bytes:
    pagesize = landscape(A4) if design.landscape else portrait(A4)
    width, height = pagesize
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=pagesize, invariant=1, pageCompression=1)
    canvas.setTitle(_nfc(f"{design.title} – {holder.full_name}"))
    canvas.setAuthor(_nfc(design.issuing_body or design.parent_body))
    canvas.setSubject(_nfc(holder.course_title))
    canvas.setKeywords(holder.serial)
    canvas.setCreator("Wagtail LMS")
    page = _Page(canvas, fonts, design.text_colour)
    primary = HexColor(design.primary_colour)
    margin = 22

    if design.border != "none":
        canvas.setStrokeColor(primary)
        canvas.setLineWidth(2.2)
        canvas.rect(margin, margin, width - 2 * margin, height - 2 * margin)
        if design.border == "double":
            canvas.setLineWidth(0.8)
            canvas.rect(margin + 6, margin + 6, width - 2 * margin - 12, height - 2 * margin - 12)

    top = height - margin - 40
    left_x, right_x, centre = width * 0.27, width * 0.70, width / 2
    if design.motto:
        header_x = right_x if (design.issuing_body or design.parent_body) else centre
        page.centred(_nfc(design.motto[0]), header_x, top, size=11.5, font=page.bold)
        page.centred(_nfc(design.motto[1]), header_x, top - 16, size=12, font=page.bold)
        rule = pdfmetrics.stringWidth(_nfc(design.motto[1]), page.bold, 12)
        canvas.setStrokeColor(page.colour)
        canvas.setLineWidth(0.7)
        canvas.line(header_x - rule / 2, top - 20, header_x + rule / 2, top - 20)
    if design.parent_body or design.issuing_body:
        body_x = left_x if design.motto else centre
        if design.parent_body:
            page.centred(_nfc(design.parent_body), body_x, top, size=11.5)
        page.centred(_nfc(design.issuing_body), body_x, top - 16, size=12, font=page.bold)
        issuing_width = pdfmetrics.stringWidth(_nfc(design.issuing_body), page.bold, 12)
        canvas.setStrokeColor(page.colour)
        canvas.line(body_x - issuing_width / 4, top - 23, body_x + issuing_width / 4, top - 23)
    _image(canvas, design.logo, margin + 18, height - margin - 100, 64, 64)

    y = height * 0.66
    page.centred(_nfc(design.title), centre, y, size=30, font=page.bold, colour=primary)
    y -= 38
    y = page.wrapped(intro, centre, y, width=width * 0.7, size=14, font=page.italic)
    page.centred(_nfc(holder.full_name), centre, y - 8, size=24, font=page.bold, colour=primary)
    y -= 40
    page.wrapped(body, centre, y, width=width * 0.72, size=13.5)

    # Bottom left: register number and the QR code to the public verification page.
    qr_size = 74
    base = margin + 30
    draw_qr(canvas, holder.verification_url, margin + 34, base, qr_size)
    code_size = 8.5
    for number, line in enumerate(readable_code(holder.verification_code)):
        page.centred(line, margin + 34 + qr_size / 2, base - 10 - number * 9.5, size=code_size)
    canvas.setFillColor(page.colour)
    canvas.setFont(page.bold, 10.5)
    canvas.drawString(
        margin + 34 + qr_size + 12,
        base + qr_size - 10,
        _nfc(f"{design.register_label} {holder.serial}"),
    )
    canvas.setFont(page.regular, 8.5)
    canvas.drawString(margin + 34 + qr_size + 12, base + qr_size - 26, _nfc(design.verify_label))
    canvas.drawString(margin + 34 + qr_size + 12, base + qr_size - 38, holder.verification_url)

    # Bottom right: place and date, then each signatory with signature and seal.
    signatories = design.signatories or (Signatory(name="", title=""),)
    columns = len(signatories)
    area_left = width * (0.50 if columns > 1 else 0.55)
    column_width = (width - margin - 30 - area_left) / columns
    date_y = base + 150
    page.centred(
        date_line,
        area_left + (width - margin - 30 - area_left) / 2,
        date_y,
        size=11.5,
        font=page.italic,
    )
    for index, signatory in enumerate(signatories):
        x = area_left + column_width * (index + 0.5)
        page.centred(_nfc(signatory.title), x, date_y - 20, size=12, font=page.bold)
        if index == 0:
            _image(canvas, design.seal, x - 85, base + 20, 90, 90)
        _image(canvas, signatory.signature, x - 60, base + 30, 120, 60)
        page.centred(_nfc(signatory.name), x, base + 12, size=12.5, font=page.bold)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
