"""Moodle's Aiken format (https://docs.moodle.org/en/Aiken_format): single-choice questions
only, as plain text::

    Thủ đô của Việt Nam là thành phố nào?
    A. Hà Nội
    B) Huế
    ANSWER: A

The question text is the line (or lines) before the options; options are a capital letter, a
dot or a closing parenthesis and a space; ``ANSWER:`` names the right letter and ends the
question. Files typed by hand often leave out the space (``A)Hà Nội``, ``B.Huế``), which
Moodle's older reader accepted: such a line is an option when its letter is the one expected
next, and text otherwise (so a text line like "B.Sc …" before the options stays text).
Blank lines between questions are optional. The format has no names, marks, feedback or rich
text: names come from the text, marks are 1, and written text is flattened to one line.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from courses.spreadsheets import decode_text
from quizzes.formats import (
    Export,
    Format,
    ParsedChoice,
    ParsedQuestion,
    ParseError,
    ParseResult,
    Skipped,
    default_name,
    finish,
)
from quizzes.formats.text import html_to_text, one_line, plain_to_html
from quizzes.keys import key_from_snapshot
from quizzes.scoring import QuestionType

OPTION = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
UNSPACED_OPTION = re.compile(r"^([A-Z])[.)](\S.*)$")
ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(slots=True)
class _Draft:
    line: int
    text: list[str] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    broken: bool = False


def parse(data: bytes, *, max_questions: int) -> ParseResult:
    reader = _Reader()
    for number, raw in enumerate(decode_text(data).split("\n"), start=1):
        reader.read(number, raw.strip())
    reader.end()
    return finish(reader.questions, reader.errors, max_questions=max_questions)


@dataclass(slots=True)
class _Reader:
    """Reads a file line by line; ``draft`` is the question being read, if any."""

    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    draft: _Draft | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(line, message))
        if self.draft is not None:
            self.draft.broken = True

    def read(self, number: int, line: str) -> None:
        draft = self.draft
        if not line:
            if draft is not None and draft.broken:
                self.draft = None  # a blank line ends a question already in error
            return
        option = OPTION.match(line) or _unspaced_option(line, draft)
        answer = ANSWER.match(line)
        if draft is None:
            if option or answer:
                self.errors.append(
                    ParseError(number, _("This line comes before any question text."))
                )
            else:
                self.draft = _Draft(line=number, text=[line])
        elif answer:
            self.end_question(number, answer[1].strip())
        elif not draft.broken:
            self.read_into(draft, number, line, option)

    def end_question(self, number: int, answer: str) -> None:
        """The ANSWER line: the question is complete (unless it is already in error)."""
        if not self.draft.broken:
            question = _question(self.draft, answer, number, self.errors)
            if question is not None:
                self.questions.append(question)
        self.draft = None

    def read_into(
        self, draft: _Draft, number: int, line: str, option: re.Match[str] | None
    ) -> None:
        """A line of a question before its ANSWER line: an option, or more of its text."""
        if option:
            if message := _add_option(draft, option):
                self.error(number, message)
        elif draft.options:
            self.error(
                number,
                _(
                    "Expected the next option (“%(letter)s. …”) or the line “ANSWER: …”. "
                    "A question ends with its ANSWER line."
                )
                % {"letter": LETTERS[min(len(draft.options), len(LETTERS) - 1)]},
            )
        else:
            draft.text.append(line)

    def end(self) -> None:
        if self.draft is not None and not self.draft.broken:
            self.errors.append(
                ParseError(
                    self.draft.line, _("This question has no “ANSWER: …” line after its options.")
                )
            )


def _add_option(draft: _Draft, option: re.Match[str]) -> str:
    """Add the option to the question; or, if its letter is not the one expected next, leave
    the question as it is and return why."""
    expected = LETTERS[len(draft.options)] if len(draft.options) < len(LETTERS) else ""
    if option[1] != expected:
        return _("Option %(letter)s is out of order: the next option should be %(expected)s.") % {
            "letter": option[1],
            "expected": expected,
        }
    draft.options.append((option[1], option[2].strip()))
    return ""


def _unspaced_option(line: str, draft: _Draft | None) -> re.Match[str] | None:
    """``A)Text``: an option if ``A`` is the letter expected next in the question."""
    option = UNSPACED_OPTION.match(line)
    if option is None or draft is None or draft.broken or len(draft.options) >= len(LETTERS):
        return None
    return option if option[1] == LETTERS[len(draft.options)] else None


def _question(
    draft: _Draft, answer: str, number: int, errors: list[ParseError]
) -> ParsedQuestion | None:
    if not draft.options:
        errors.append(ParseError(number, _("This question has no options (“A. …”).")))
        return None
    letters = [letter for letter, _text in draft.options]
    if answer not in letters:
        errors.append(
            ParseError(
                number,
                _(
                    "The answer “%(answer)s” is not one of the options %(letters)s; "
                    "Aiken questions have exactly one right option."
                )
                % {"answer": answer, "letters": ", ".join(letters)},
            )
        )
        return None
    text = plain_to_html("\n".join(draft.text))
    return ParsedQuestion(
        line=draft.line,
        type=QuestionType.SINGLE,
        name=default_name(text),
        text=text,
        choices=tuple(
            ParsedChoice(text=option, is_correct=letter == answer)
            for letter, option in draft.options
        ),
    )


def export(questions: Sequence[Mapping[str, Any]]) -> Export:
    blocks: list[str] = []
    skipped: list[Skipped] = []
    for question in questions:
        reason = unsuitable(question)
        if reason:
            skipped.append(Skipped(question["name"], reason))
            continue
        choices = question["choices"]
        key = key_from_snapshot(question)
        right = next(i for i, choice in enumerate(key.choices) if choice.fraction == 1)
        lines = [one_line(html_to_text(question["text"]))]
        lines += [f"{LETTERS[i]}. {one_line(choice['text'])}" for i, choice in enumerate(choices)]
        lines.append(f"ANSWER: {LETTERS[right]}")
        blocks.append("\n".join(lines) + "\n")
    return Export(
        content="\n".join(blocks).encode("utf-8"),
        format=Format.AIKEN,
        count=len(blocks),
        skipped=tuple(skipped),
    )


def unsuitable(question: Mapping[str, Any]) -> str:
    """Why a question cannot be written as Aiken ("" if it can)."""
    if question["type"] != QuestionType.SINGLE:
        return _("Aiken holds single-choice questions only.")
    choices = question.get("choices", [])
    if len(choices) > len(LETTERS):
        return _("Aiken allows at most 26 options.")
    key = key_from_snapshot(question)
    fractions = sorted(choice.fraction for choice in key.choices)
    if fractions.count(1) != 1 or any(fraction not in (0, 1) for fraction in fractions):
        return _("Aiken has one right option and no partial credit.")
    if not all(one_line(choice.get("text", "")) for choice in choices):
        return _("An option has no text.")
    text = one_line(html_to_text(question.get("text", "")))
    if not text or OPTION.match(text) or ANSWER.match(text):
        return _("The question text would be read as an option or an answer line.")
    return ""
