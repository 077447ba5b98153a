"""Text normalisation: Vietnamese is stored, compared and drawn in NFC."""

import unicodedata


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", value).strip()


def collapse_spaces(value: str) -> str:
    """NFC, trimmed, with runs of whitespace folded to one space (for names)."""
    return " ".join(nfc(value).split())


def match_key(value: str) -> str:
    """A key for case-insensitive comparison of Vietnamese names."""
    return collapse_spaces(value).casefold()


def strip_diacritics(value: str) -> str:
    """``Hòa Bình`` -> ``Hoa Binh``; ``Đ`` has no combining mark, so it is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )
