"""Question files: Moodle's GIFT and Aiken formats and the LMS's Excel template.

Reading a file gives a ``ParseResult``: the questions found, each with the line (GIFT, Aiken) or
row (Excel) it starts on, and every problem as a ``ParseError`` with its line or row and a
translated message. A file that cannot be read at all raises ``QuestionFileError``: the bytes
go through ``courses.uploads`` (size) and ``courses.spreadsheets.reader`` (the workbook's ZIP
limits, the text encoding) first, and their refusals become ``QuestionFileError``s with the
same message. Every question is checked with ``quizzes.keys.validate_snapshot``, the validation
the admin and the API share. Nothing here touches the database: ``quizzes.importing`` decides
what is written.

Writing takes question snapshots (``quizzes.services.versions.snapshot_of`` plus a
``"category"`` name) and gives an ``Export``: the file's bytes and the questions the format
cannot hold, with the reason.
"""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from courses import uploads
from courses.text import match_key, strip_diacritics
from quizzes.formats.text import html_to_text
from quizzes.keys import validate_snapshot
from quizzes.scoring import parse_number

# Defaults of the limits; callers may pass their own.
MAX_BYTES = 2 * 1024 * 1024
MAX_QUESTIONS = 1000

# Lengths of the model fields the questions end up in.
MAX_NAME_LENGTH = 255
MAX_CATEGORY_LENGTH = 200
MAX_MATCH_LENGTH = 500
MAX_MARKS = Decimal("9999.99")
MAX_TOLERANCE = Decimal("9999999999.9999")
CREDIT_PLACES = Decimal("0.001")
TOLERANCE_PLACES = Decimal("0.0001")
NAME_FROM_TEXT_LENGTH = 60
MAX_EXPONENT = 20


class Format(StrEnum):
    GIFT = "gift"
    AIKEN = "aiken"
    XLSX = "xlsx"


FORMAT_LABELS = {
    Format.GIFT: gettext_lazy("GIFT (Moodle)"),
    Format.AIKEN: gettext_lazy("Aiken (Moodle, single choice only)"),
    Format.XLSX: gettext_lazy("Excel template (.xlsx)"),
}
FILE_EXTENSIONS = {Format.GIFT: "gift.txt", Format.AIKEN: "aiken.txt", Format.XLSX: "xlsx"}
CONTENT_TYPES = {
    Format.GIFT: "text/plain; charset=utf-8",
    Format.AIKEN: "text/plain; charset=utf-8",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class QuestionFileError(uploads.UploadError):
    """The file as a whole cannot be read. ``message`` is translated, for the trainer."""


@dataclass(frozen=True, slots=True)
class ParseError:
    """A problem at a line (GIFT, Aiken) or row (Excel) of the file. ``message`` is translated."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class ParsedChoice:
    text: str
    match: str = ""
    is_correct: bool = False
    credit_percent: Decimal | None = None
    tolerance: Decimal | None = None
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class ParsedQuestion:
    """A question read from a file. ``text`` is rich text HTML in Wagtail's database format;
    ``category`` is the category the file names for it ("" for the one chosen on import)."""

    line: int
    type: str
    name: str
    text: str
    marks: Decimal = Decimal(1)
    general_feedback: str = ""
    all_or_nothing: bool = False
    penalise_wrong_choices: bool = False
    case_sensitive: bool = False
    accept_without_diacritics: bool = False
    wildcards: bool = False
    shuffle_choices: bool = True
    choices: tuple[ParsedChoice, ...] = ()
    category: str = ""
    errors: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def snapshot(self) -> dict[str, Any]:
        """The question in the snapshot format of ``quizzes.services.versions.snapshot_of``."""
        return {
            "type": self.type,
            "name": self.name,
            "text": self.text,
            "marks": str(self.marks),
            "general_feedback": self.general_feedback,
            "all_or_nothing": self.all_or_nothing,
            "penalise_wrong_choices": self.penalise_wrong_choices,
            "case_sensitive": self.case_sensitive,
            "accept_without_diacritics": self.accept_without_diacritics,
            "shuffle_choices": self.shuffle_choices,
            **({"wildcards": True} if self.wildcards else {}),
            "choices": [
                {
                    "id": number,
                    "text": choice.text,
                    "match": choice.match,
                    "is_correct": choice.is_correct,
                    "credit_percent": _str_or_none(choice.credit_percent),
                    "tolerance": _str_or_none(choice.tolerance),
                    "feedback": choice.feedback,
                }
                for number, choice in enumerate(self.choices, start=1)
            ],
        }


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a file holds: its questions and every problem found, in file order. ``notes`` are
    remarks that do not stop the import (e.g. formatting that was removed)."""

    questions: tuple[ParsedQuestion, ...] = ()
    errors: tuple[ParseError, ...] = ()
    notes: tuple[ParseError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.questions)


@dataclass(frozen=True, slots=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class Export:
    content: bytes
    format: Format
    count: int  # questions written
    skipped: tuple[Skipped, ...] = field(default=())

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def filename(self, stem: str) -> str:
        return f"{stem}.{FILE_EXTENSIONS[self.format]}"


def _str_or_none(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# Entry points


def parse(
    fmt: str, data: bytes, *, max_bytes: int = MAX_BYTES, max_questions: int = MAX_QUESTIONS
) -> ParseResult:
    """Read a question file. Raises ``QuestionFileError`` if the file cannot be read at all."""
    from quizzes.formats import aiken, gift, xlsx

    readers = {Format.GIFT: gift.parse, Format.AIKEN: aiken.parse, Format.XLSX: xlsx.parse}
    try:
        reader = readers[Format(fmt)]
    except ValueError:
        raise QuestionFileError(_("Unknown file format.")) from None
    try:
        uploads.check_size(data, max_bytes=max_bytes)
        return reader(data, max_questions=max_questions)
    except QuestionFileError:
        raise
    except uploads.UploadError as error:  # the file itself (``courses.spreadsheets.reader``)
        raise QuestionFileError(error.message) from error


def export(fmt: str, questions: Iterable[Mapping[str, Any]]) -> Export:
    """Write snapshots (with a ``"category"`` name each) as a question file."""
    from quizzes.formats import aiken, gift, xlsx

    writers = {Format.GIFT: gift.export, Format.AIKEN: aiken.export, Format.XLSX: xlsx.export}
    return writers[Format(fmt)](list(questions))


# Helpers shared by the readers


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def parse_decimal(value: str) -> Decimal | None:
    """A number written with a dot or a comma as decimal mark; None if it is not one."""
    text = value.strip()
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = parse_number(text)
    if number is None or not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        return None  # "1e999999" is no answer anyone means, and would print a million digits
    return number


def plain_number(value: Decimal) -> str:
    """``Decimal("2.50")`` -> ``"2.5"``, ``Decimal("1E+2")`` -> ``"100"``."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def quantize_credit(value: Decimal) -> Decimal:
    return value.quantize(CREDIT_PLACES, ROUND_HALF_UP)


def tolerance_value(value: Decimal) -> Decimal:
    """Tolerances are kept to four places, rounded away from zero so that a range's ends stay
    inside it."""
    return abs(value).quantize(TOLERANCE_PLACES, ROUND_UP)


def default_name(text_html: str) -> str:
    """A question without a name is named after the start of its text (as Moodle does)."""
    words = " ".join(html_to_text(text_html).split())
    if len(words) <= NAME_FROM_TEXT_LENGTH:
        return words
    cut = words[: NAME_FROM_TEXT_LENGTH - 1]
    if words[len(cut)] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # end on a whole word
    return cut.rstrip() + "…"


# Options that have no place in GIFT, Aiken or the template's main columns. Input vocabulary:
# the codes and the Vietnamese phrases trainers type in the Excel "options" column.
OPTION_ALIASES: dict[str, tuple[str, ...]] = {
    "all_or_nothing": ("all_or_nothing", "tất cả hoặc không"),
    "penalise_wrong_choices": ("penalise_wrong_choices", "trừ điểm khi chọn sai"),
    "case_sensitive": ("case_sensitive", "phân biệt hoa thường"),
    "accept_without_diacritics": ("accept_without_diacritics", "chấp nhận không dấu"),
    "wildcards": ("wildcards", "ký tự đại diện"),
    "no_shuffle": ("no_shuffle", "không xáo trộn"),
}


def _option_key(value: str) -> str:
    return " ".join(strip_diacritics(match_key(value)).replace("_", " ").split())


OPTION_INDEX = {
    _option_key(alias): name for name, aliases in OPTION_ALIASES.items() for alias in aliases
}


def parse_options(text: str) -> tuple[dict[str, bool], list[str]]:
    """``"all_or_nothing, không xáo trộn"`` -> the question flags it sets, and the words that
    are not options."""
    flags: dict[str, bool] = {}
    unknown: list[str] = []
    for word in text.replace(";", ",").split(","):
        if not word.strip():
            continue
        name = OPTION_INDEX.get(_option_key(word))
        if name is None:
            unknown.append(word.strip())
        elif name == "no_shuffle":
            flags["shuffle_choices"] = False
        else:
            flags[name] = True
    return flags, unknown


def format_options(question: Mapping[str, Any]) -> str:
    names = [
        name
        for name in ("all_or_nothing", "penalise_wrong_choices", "case_sensitive")
        if question.get(name)
    ]
    if question.get("accept_without_diacritics"):
        names.append("accept_without_diacritics")
    if question.get("wildcards"):
        names.append("wildcards")
    if not question.get("shuffle_choices", True):
        names.append("no_shuffle")
    return ", ".join(names)


def unknown_options_message(unknown: list[str]) -> str:
    return ngettext(
        "Unknown option: %(options)s. Options are %(known)s.",
        "Unknown options: %(options)s. Options are %(known)s.",
        len(unknown),
    ) % {"options": ", ".join(f"“{word}”" for word in unknown), "known": ", ".join(OPTION_ALIASES)}


# Checking what was read


def _limits(question: ParsedQuestion) -> list[str]:
    errors: list[str] = []
    if not question.name:
        if question.text:  # without a text, "The question needs a text." says it all
            errors.append(_("The question needs a name."))
    elif len(question.name) > MAX_NAME_LENGTH:
        errors.append(
            _("The name is longer than %(limit)d characters.") % {"limit": MAX_NAME_LENGTH}
        )
    if len(question.category) > MAX_CATEGORY_LENGTH:
        errors.append(
            _("The category name is longer than %(limit)d characters.")
            % {"limit": MAX_CATEGORY_LENGTH}
        )
    marks = question.marks
    if marks > MAX_MARKS or marks != marks.quantize(Decimal("0.01"), ROUND_HALF_UP):
        errors.append(_("Marks must be below 10000, with at most two decimals."))
    if any(len(choice.match) > MAX_MATCH_LENGTH for choice in question.choices):
        errors.append(
            _("A match is longer than %(limit)d characters.") % {"limit": MAX_MATCH_LENGTH}
        )
    if any(
        choice.tolerance is not None and choice.tolerance > MAX_TOLERANCE
        for choice in question.choices
    ):
        errors.append(_("A tolerance is too large."))
    return errors


def check_question(question: ParsedQuestion) -> ParsedQuestion:
    """The question with everything wrong with it: the shared question validation first, then
    the lengths the database allows."""
    errors = [*question.errors, *validate_snapshot(question.snapshot()), *_limits(question)]
    return replace(question, errors=tuple(dict.fromkeys(errors)))


def too_many_questions(limit: int) -> QuestionFileError:
    return QuestionFileError(
        ngettext(
            "The file has more than %(limit)d question. Split it into smaller files.",
            "The file has more than %(limit)d questions. Split it into smaller files.",
            limit,
        )
        % {"limit": limit}
    )


def finish(
    questions: Iterable[ParsedQuestion],
    errors: Iterable[ParseError] = (),
    notes: Iterable[ParseError] = (),
    *,
    max_questions: int = MAX_QUESTIONS,
) -> ParseResult:
    """Check every question and gather all problems, in file order."""
    checked = tuple(check_question(question) for question in questions)
    if len(checked) > max_questions:
        raise too_many_questions(max_questions)
    all_errors = [*errors]
    for question in checked:
        all_errors.extend(ParseError(question.line, message) for message in question.errors)
    if not checked and not all_errors:
        raise QuestionFileError(_("The file holds no questions."))
    return ParseResult(
        questions=checked,
        errors=tuple(sorted(all_errors, key=lambda error: error.line)),
        notes=tuple(sorted(notes, key=lambda note: note.line)),
    )
