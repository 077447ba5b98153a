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
    questions: list[ParsedQuestion] = []
    errors: list[ParseError] = []
    draft: _Draft | None = None

    def error(line: int, message: str) -> None:
        errors.append(ParseError(line, message))
        if draft is not None:
            draft.broken = True

    for number, raw in enumerate(decode_text(data).split("\n"), start=1):
        line = raw.strip()
        if not line:
            if draft is not None and draft.broken:
                draft = None  # a blank line ends a question already in error
            continue
        option = OPTION.match(line) or _unspaced_option(line, draft)
        answer = ANSWER.match(line)
        if draft is None:
            if option or answer:
                errors.append(ParseError(number, _("This line comes before any question text.")))
                continue
            draft = _Draft(line=number, text=[line])
        elif answer:
            if not draft.broken:
                question = _question(draft, answer[1].strip(), number, errors)
                if question is not None:
                    questions.append(question)
            draft = None
        elif draft.broken:
            continue
        elif option:
            expected = LETTERS[len(draft.options)] if len(draft.options) < len(LETTERS) else ""
            if option[1] != expected:
                error(
                    number,
                    _("Option %(letter)s is out of order: the next option should be %(expected)s.")
                    % {"letter": option[1], "expected": expected},
                )
                continue
            draft.options.append((option[1], option[2].strip()))
        elif draft.options:
            error(
                number,
                _(
                    "Expected the next option (“%(letter)s. …”) or the line “ANSWER: …”. "
                    "A question ends with its ANSWER line."
                )
                % {"letter": LETTERS[min(len(draft.options), len(LETTERS) - 1)]},
            )
        else:
            draft.text.append(line)
    if draft is not None and not draft.broken:
        errors.append(
            ParseError(draft.line, _("This question has no “ANSWER: …” line after its options."))
        )
    return finish(questions, errors, max_questions=max_questions)


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
