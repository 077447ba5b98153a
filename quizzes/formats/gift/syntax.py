"""GIFT at the level of characters and lines: escapes, format markers, categories, true/false
words, and splitting a file into the blocks of its questions."""

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import pgettext

from quizzes.formats.text import (
    TextFormat,
)

# Escaped characters become private-use placeholders while the structure is parsed (as
# Moodle's escapedchar_pre does), and turn back into the characters afterwards.
ESCAPABLE = "\\~=#{}:"


PLACEHOLDERS = {char: chr(0xF0000 + i) for i, char in enumerate(ESCAPABLE)}


RESTORE = str.maketrans({value: key for key, value in PLACEHOLDERS.items()})


ESCAPE_SEQUENCE = re.compile(r"\\([\\~=#{}:n])")


FORMAT_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)


WEIGHT = re.compile(r"^\s*%\s*(-?\d+(?:[.,]\d+)?)\s*%")


DIRECTIVE = re.compile(r"^//\s*@(\w+)\s*:?\s*(.*)$")


CATEGORY_LINE = re.compile(r"^\s*\$CATEGORY:(.*)$")


CONTEXT_SEGMENT = re.compile(r"^\$\w+\$$")


TRUE_ANSWERS = {"T", "TRUE"}


FALSE_ANSWERS = {"F", "FALSE"}


HUNDRED = Decimal(100)


SHARE_SLACK = Decimal("0.01")  # percentages Moodle writes with five decimals (33.33333)


def true_label() -> str:
    return pgettext("true/false choice", "True")


def false_label() -> str:
    return pgettext("true/false choice", "False")


class DescriptionItem(Exception):  # noqa: N818 (not an error: a kind of item)
    """Text without answers: Moodle's "description", which the bank has no type for."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        super().__init__(offset)


class GiftSyntaxError(Exception):
    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message
        super().__init__(message)


def protect(text: str) -> str:
    return ESCAPE_SEQUENCE.sub(
        lambda m: "\n" if m[1] == "n" else PLACEHOLDERS[m[1]],
        text,
    )


def restore(text: str) -> str:
    return text.translate(RESTORE)


@dataclass(slots=True)
class Block:
    """The lines of one question, joined, with where each line starts."""

    text: str
    starts: list[int]
    numbers: list[int]

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def split_blocks(text: str) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def category_name(path: str) -> str:
    """``$course$/top/Chương 1/Bài 2`` -> ``Chương 1/Bài 2``: the bank's categories are flat,
    so Moodle's context and ``top`` are dropped and the rest of the path is the name. ``//``
    is a slash within a name."""
    segments, current, i = [], "", 0
    path = path.strip()
    while i < len(path):
        if path.startswith("//", i):
            current += "/"
            i += 2
        elif path[i] == "/":
            segments.append(current)
            current = ""
            i += 1
        else:
            current += path[i]
            i += 1
    segments.append(current)
    segments = [" ".join(segment.split()) for segment in segments if segment.strip()]
    if segments and CONTEXT_SEGMENT.match(segments[0]):
        segments = segments[1:]
    if segments and segments[0].lower() == "top":
        segments = segments[1:]
    return "/".join(segments)


def category_path(name: str) -> str:
    """The ``$CATEGORY:`` path of a category: its name with ``/`` doubled, behind Moodle's
    context and ``top`` when the name itself starts like them."""
    path = name.replace("/", "//")
    first = name.split("/", 1)[0].strip()
    if first.lower() == "top" or CONTEXT_SEGMENT.match(first):
        return "$course$/top/" + path
    return path


def text_format(text: str, inherited: TextFormat) -> tuple[str, TextFormat]:
    marker = FORMAT_MARKER.match(text)
    if not marker:
        return text, inherited
    name = marker[1].lower()
    fmt = {"html": TextFormat.HTML, "markdown": TextFormat.MARKDOWN}.get(name, TextFormat.PLAIN)
    return text[marker.end() :], fmt


def escape(text: str) -> str:
    """GIFT's escapes, as Moodle writes them: ``\\ # = ~ { } :`` and line breaks."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


TRUE_WORDS = {"t", "true", "dung", "yes", "co", "1"}


FALSE_WORDS = {"f", "false", "sai", "no", "khong", "0"}


def truth(text: str) -> bool | None:
    """``"Đúng"``, ``"True"``, ``"T"`` -> True; ``"Sai"``, ``"False"`` -> False; else None."""
    from courses.text import match_key, strip_diacritics

    def word(value: str) -> str:
        return strip_diacritics(match_key(value))

    if word(text) in TRUE_WORDS or word(text) == word(true_label()):
        return True
    if word(text) in FALSE_WORDS or word(text) == word(false_label()):
        return False
    return None


def is_true_choice(text: str, position: int) -> bool:
    """Whether a true/false choice stands for "true": by its text (Đúng, True, ...), else by
    its place (the first choice is "true")."""
    value = truth(text)
    return position == 0 if value is None else value
