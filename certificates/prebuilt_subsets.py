"""A ReportLab TrueType font whose embedded subsets are built once per process, not per PDF.

ReportLab embeds, in each PDF, a subset of each TrueType face holding just the letters that PDF
draws. Certificates differ in their names, so every certificate used to build, compress and
embed three new subsets: about 6 ms of a ~10 ms render (``benchmarks/README.md``).

``PrebuiltSubsetFont`` starts each PDF's subsets from the same seed (ASCII and every Vietnamese
letter, in a fixed order), so every certificate embeds the same subset of each face, and the
parts that are then identical (the font program, its ToUnicode map and its Widths array,
compressed and formatted) are built once and reused. A letter outside the seed still works:
ReportLab adds it to that PDF's subset as usual, and that subset is built afresh.

This subclasses ReportLab's ``TTFont`` and leans on two of its internals: the per-document
subset state (``TTFont.State``: ``assignments``, ``subsets``, ``nextCode``) and ``addObjects``,
reproduced below from ReportLab 5.1 with the caching added. ReportLab is pinned
(requirements.lock); ``tests/certificates/test_prebuilt_subsets.py`` compares pages drawn with
this class and with ReportLab's own ``TTFont`` pixel by pixel, so an upgrade that changes
either internal fails there.
"""

import functools
import threading
import unicodedata
import zlib
from dataclasses import dataclass

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont
from reportlab.pdfbase.ttfonts import makeToUnicodeCMap as make_to_unicode_cmap

_VOWELS = "aăâeêioôơuưy"
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_ASCII = "".join(chr(code) for code in range(32, 127))


def _vietnamese_letters() -> str:
    letters = {
        unicodedata.normalize("NFC", letter + mark)
        for vowel in _VOWELS
        for letter in (vowel, vowel.upper())
        for mark in ("", *_TONE_MARKS)
    }
    return "".join(sorted(letters - set(_ASCII))) + "đĐ"


# Every letter a Vietnamese certificate is expected to use, and the usual typographic marks:
# ~240 glyphs, which fit the first 256-code subset next to ASCII.
SEED_TEXT = _ASCII + _vietnamese_letters() + "“”‘’–—…°"

# Distinct subsets kept per face. Certificates whose letters all lie in the seed share one; each
# unusual letter makes another, so the cache is bounded rather than growing with every name.
CACHED_SUBSETS = 8


class _SeedKey:
    """A throwaway document key for ``TTFont.state``, a ``WeakKeyDictionary`` (so not a plain
    ``object()``, which cannot be weakly referenced)."""


class _Formatted(pdfdoc.PDFObject):
    """A PDF value formatted once (a subset's Widths array)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document) -> bytes:
        return self.data


@dataclass(frozen=True, slots=True)
class _SubsetParts:
    """What a subset puts in a PDF that does not depend on the PDF."""

    base_font_name: str
    widths: _Formatted
    program: bytes  # the TrueType subset, Flate-compressed if ``compressed``
    program_length: int  # uncompressed (the stream's /Length1)
    to_unicode: bytes
    compressed: bool


def _stream(content: bytes, *, compressed: bool, **entries) -> pdfdoc.PDFStream:
    """A stream whose content is already encoded: ReportLab applies no filter to a stream
    whose dictionary names one."""
    dictionary = pdfdoc.PDFDictionary(dict(entries))
    if compressed:
        dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    return pdfdoc.PDFStream(dictionary, content)


class PrebuiltSubsetFont(TTFont):
    """A ``TTFont`` whose PDFs all start from the same subset, built once per process."""

    def __init__(self, name: str, filename: str, *, seed: str = SEED_TEXT) -> None:
        super().__init__(name, filename)
        self._seed_text = seed
        self._seed: tuple[dict, list[list[int]], int] | None = None
        self._lock = threading.Lock()
        self._parts = functools.lru_cache(maxsize=CACHED_SUBSETS)(self._build_parts)

    # Seeding: every document's subsets begin as the seed's.

    def splitString(self, text, doc, encoding="utf-8"):  # ReportLab's name and signature
        if doc not in self.state:
            self.state[doc] = self._seeded_state()
        return super().splitString(text, doc, encoding)

    def _seeded_state(self) -> TTFont.State:
        if self._seed is None:
            with self._lock:
                if self._seed is None:
                    self._seed = self._make_seed()
        assignments, subsets, next_code = self._seed
        state = TTFont.State(self._asciiReadable, self)
        state.assignments = dict(assignments)
        state.subsets = [list(subset) for subset in subsets]
        state.nextCode = next_code
        return state

    def _make_seed(self) -> tuple[dict, list[list[int]], int]:
        key = _SeedKey()
        self.state[key] = TTFont.State(self._asciiReadable, self)
        super().splitString(self._seed_text, key)
        state = self.state.pop(key)
        return dict(state.assignments), [list(s) for s in state.subsets], state.nextCode

    def seed_subsets(self) -> list[tuple[int, ...]]:
        """The subsets every document starts with (for tests and diagnostics)."""
        return [tuple(subset) for subset in self._seeded_state().subsets]

    def clear_cache(self) -> None:
        self._parts.cache_clear()

    # The PDF objects: as ReportLab's TTFont.addObjects and TTFontFace.addSubsetObjects, with
    # the document-independent parts taken from the cache.

    def addObjects(self, doc) -> None:  # ReportLab's name and signature
        state = self._assignState(doc)
        state.frozen = 1
        face = self.face
        fonts = doc.idToObject["BasicFonts"].dict
        for number, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(number, doc)[1:]
            parts = self._parts(number, tuple(subset), bool(doc.compression))
            base_name = parts.base_font_name

            font_file = _stream(
                parts.program, compressed=parts.compressed, Length1=parts.program_length
            )
            descriptor = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(base_name),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": doc.Reference(font_file, f"fontFile:{face.filename}({base_name})"),
                    "MissingWidth": face.defaultWidth,
                }
            )
            to_unicode = _stream(parts.to_unicode, compressed=parts.compressed)

            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = parts.widths
            pdf_font.ToUnicode = doc.Reference(to_unicode, "toUnicodeCMap:" + base_name)
            pdf_font.FontDescriptor = doc.Reference(descriptor, "fontDescriptor:" + base_name)
            doc.Reference(pdf_font, internal_name)
            fonts[internal_name] = pdf_font
        del self.state[doc]

    def _build_parts(self, number: int, subset: tuple[int, ...], compressed: bool) -> _SubsetParts:
        face = self.face
        base_name = b"".join((SUBSETN(number), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        with self._lock:  # makeSubset reads the font file through the face's shared position
            program = face.makeSubset(list(subset))
        to_unicode = make_to_unicode_cmap(base_name, list(subset)).encode("utf-8")
        # Plain numbers: formatted the same in every document, so none is needed.
        widths = pdfdoc.PDFArray([face.getCharWidth(code) for code in subset]).format(None)
        return _SubsetParts(
            base_font_name=base_name,
            widths=_Formatted(widths),
            program=zlib.compress(program) if compressed else program,
            program_length=len(program),
            to_unicode=zlib.compress(to_unicode) if compressed else to_unicode,
            compressed=compressed,
        )
