"""Answers as stored (JSON) and checked: one validation for the HTML form and the API.

Stored forms, by question type:
  single, true_false: choice id (int)      multiple: sorted list of choice ids
  short_answer, numerical, essay: text     ordering: list of item ids in the delegate's order
  matching: {"<item id>": "<chosen option text>"}
A blank answer is ``None``.
"""

import unicodedata
from collections.abc import Collection, Mapping
from typing import Any

from django.utils.translation import gettext as _

from quizzes.scoring import Answer, QuestionType

MAX_SHORT_ANSWER = 500
MAX_ESSAY = 20_000


class InvalidAnswer(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise InvalidAnswer(_("This answer is not one of the question's choices."))
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's 1e999 is infinity
        raise InvalidAnswer(_("This answer is not one of the question's choices.")) from None


def _storable(text: str) -> bool:
    """No NUL character (PostgreSQL's JSON cannot hold one) and no lone surrogate (not UTF-8);
    neither can be typed into a form, but JSON escapes can send both."""
    return "\x00" not in text and not any("\ud800" <= char <= "\udfff" for char in text)


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        raise InvalidAnswer(_("The answer must be text."))
    if not _storable(value):
        raise InvalidAnswer(_("The answer contains characters that are not allowed."))
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) > limit:
        raise InvalidAnswer(
            _("The answer is too long (%(limit)s characters at most).") % {"limit": limit}
        )
    return text or None


def _not_a_choice() -> InvalidAnswer:
    return InvalidAnswer(_("This answer is not one of the question's choices."))


def _one_choice(value: Any, choice_ids: Collection[int], options: Collection[str]) -> int:
    choice = _as_int(value)
    if choice not in choice_ids:
        raise _not_a_choice()
    return choice


def _some_choices(
    value: Any, choice_ids: Collection[int], options: Collection[str]
) -> list[int] | None:
    if not isinstance(value, list | tuple | set | frozenset):
        raise _not_a_choice()
    chosen = sorted({_as_int(v) for v in value})
    if any(c not in choice_ids for c in chosen):
        raise _not_a_choice()
    return chosen or None


def _short_text(value: Any, choice_ids: Collection[int], options: Collection[str]) -> str | None:
    return _text(value, MAX_SHORT_ANSWER)


def _essay(value: Any, choice_ids: Collection[int], options: Collection[str]) -> str | None:
    return _text(value, MAX_ESSAY)


def _order(value: Any, choice_ids: Collection[int], options: Collection[str]) -> list[int]:
    if not isinstance(value, list | tuple):
        raise InvalidAnswer(_("Put every item in a position."))
    order = [_as_int(v) for v in value]
    if sorted(order) != sorted(choice_ids):
        raise InvalidAnswer(_("Put every item in a different position."))
    return order


def _matches(
    value: Any, choice_ids: Collection[int], options: Collection[str]
) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        raise _not_a_choice()
    matched: dict[str, str] = {}
    for item, option in value.items():
        if _as_int(item) not in choice_ids:
            raise _not_a_choice()
        if option in (None, ""):
            continue
        if not isinstance(option, str) or option not in options:
            raise _not_a_choice()
        matched[str(_as_int(item))] = option
    return matched or None


# One cleaner per question type: (value, choice_ids, options) -> the answer as stored.
CLEANERS = {
    QuestionType.SINGLE: _one_choice,
    QuestionType.TRUE_FALSE: _one_choice,
    QuestionType.MULTIPLE: _some_choices,
    QuestionType.SHORT_ANSWER: _short_text,
    QuestionType.NUMERICAL: _short_text,
    QuestionType.ESSAY: _essay,
    QuestionType.ORDERING: _order,
    QuestionType.MATCHING: _matches,
}


def clean_answer(
    kind: QuestionType, value: Any, *, choice_ids: Collection[int], options: Collection[str] = ()
) -> Any:
    """Check a submitted answer against the question it claims to answer; return it as stored.
    Raises ``InvalidAnswer`` for anything a real form could not have sent."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    try:
        cleaner = CLEANERS[kind]
    except KeyError:
        raise InvalidAnswer(_("Unknown question type.")) from None
    return cleaner(value, choice_ids, options)


def for_scoring(kind: QuestionType, stored: Any) -> Answer:
    """The stored JSON answer in the shape ``quizzes.scoring`` expects."""
    if stored is None:
        return None
    if kind == QuestionType.MATCHING:
        return {int(item): option for item, option in stored.items()}
    if kind == QuestionType.MULTIPLE:
        return frozenset(stored)
    return stored
