"""Text normalisation: Vietnamese is stored, compared and drawn in NFC. No Django imports."""

import re
import unicodedata

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# Old-style spelling puts the tone of a final "oa", "oe", "uy" on the second vowel (hoà, khoẻ,
# thuỷ), new-style on the first (hòa, khỏe, thủy). Both are correct Vietnamese; compare them as
# one. "qu" is a consonant (quý) and a following consonant fixes the tone's place (hoàng). In NFD
# a dot below sorts before a circumflex or breve (hoặc = o a ◌̣ ◌̆ c), so a tone followed by any
# other mark belongs to a different vowel and is left alone.
OLD_STYLE_TONE = re.compile(
    rf"(?<![qQ])([oOuU])([aAeEyY])([{TONE_MARKS}])(?![^\W\d_]|[\u0300-\u036f])"
)


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", value).strip()


def collapse_spaces(value: str) -> str:
    """NFC, trimmed, with runs of whitespace folded to one space (for names)."""
    return " ".join(nfc(value).split())


def unify_tone_placement(value: str) -> str:
    """``hoà`` → ``hòa``, ``Thuỷ`` → ``Thủy``: the new-style placement, for comparisons."""
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFC", OLD_STYLE_TONE.sub(r"\1\3\2", decomposed))


def match_key(value: str) -> str:
    """A key for comparing Vietnamese names: case, spacing and tone placement ignored."""
    return unify_tone_placement(collapse_spaces(value)).casefold()


def strip_diacritics(value: str) -> str:
    """``Hòa Bình`` -> ``Hoa Binh``; ``Đ`` has no combining mark, so it is mapped by hand."""
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )
