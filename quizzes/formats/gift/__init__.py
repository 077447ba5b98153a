"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format), read and written the way
Moodle's own ``qformat_gift`` does, for the question types the bank has:

    ::Title:: Question text {=right ~wrong#feedback ####general feedback}   single choice
    {~%50%right ~%50%also right ~%-100%wrong}                               multiple response
    {T} {FALSE#feedback if wrong#feedback if right}                         true/false
    {=answer =%50%close =%25%clo*}                                          short answer
    {#2.5:0.1} {#1..5} {#=2.5:0.1 =%50%2:1}                                 numerical
    {=item -> match =other -> its match = -> wrong option}                  matching
    {}                                                                      essay

A ``*`` in a short answer's accepted answer is a wildcard and ``\\*`` an asterisk, as in Moodle
(the question's ``wildcards`` option). A matching "pair" without an item is an extra wrong
option. Text without braces is Moodle's description item: the bank has no such type, so it is
noted and skipped.

Questions are separated by blank lines; ``//`` starts a comment line; ``$CATEGORY: path``
names the category of the questions below it; ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal
characters and ``\\n`` a line break. ``[html]``, ``[markdown]``, ``[plain]`` and ``[moodle]``
before a text give its format (see ``quizzes.formats.text``); choices and feedback inherit the
question text's format, as in Moodle.

GIFT has no syntax for marks, ordering questions or the grading options. The writer puts marks
and options in comment lines that Moodle ignores and this reader understands, placed before the
question they belong to::

    // @marks: 2
    // @options: all_or_nothing, case_sensitive, no_shuffle

Ordering questions are written as a comment and listed as skipped.

The package: ``syntax`` (characters, escapes, lines and blocks), ``reader`` (a file into
questions), ``answers`` (the braces into choices, per type), ``writer``.
"""

from quizzes.formats.gift.answers import multiple_credits, numerical_answer, short_answer_wildcards
from quizzes.formats.gift.reader import parse
from quizzes.formats.gift.syntax import (
    DescriptionItem,
    GiftSyntaxError,
    category_name,
    category_path,
    escape,
    false_label,
    is_true_choice,
    protect,
    restore,
    true_label,
    truth,
)
from quizzes.formats.gift.writer import export, percent, unsuitable

__all__ = [
    "DescriptionItem",
    "GiftSyntaxError",
    "category_name",
    "category_path",
    "escape",
    "export",
    "false_label",
    "is_true_choice",
    "multiple_credits",
    "numerical_answer",
    "parse",
    "percent",
    "protect",
    "restore",
    "short_answer_wildcards",
    "true_label",
    "truth",
    "unsuitable",
]
