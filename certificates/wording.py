"""Filling a certificate's texts (body, intro, place and date line) with a delegate's facts,
without leaving empty fragments behind. Pure: no Django, no database.

The texts are ``str.format`` templates (``{cohort}``, ``{score}``...). Not every delegate has every
fact (no cohort, no position, no score when the course has no quiz, no place of issue), so:

* **Optional parts.** Text in square brackets that holds a placeholder is printed only when every
  placeholder in it has a value, and without the brackets: ``“{course}”[ ({cohort})]`` prints
  ``“Course” (Cohort)`` or ``“Course”``. Brackets around text without a placeholder are printed
  as they are.
* **Tidy lines.** On a line where a placeholder was left empty, what it leaves dangling goes:
  empty brackets and quotes, separators (``, ; :``) at the start or end of the line or before
  the final full stop, doubled spaces. A line left empty is dropped; a line left with only its
  final punctuation gives it to the line before. Other lines are printed exactly as written.
"""

import re
import string
from collections.abc import Mapping

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_EMPTY_PAIRS = re.compile(r"\(\s*\)|“\s*”|\"\s*\"|‘\s*’")
_LEADING_SEPARATORS = re.compile(r"^[\s,;:]+")
_DANGLING_SEPARATORS = re.compile(r"[\s,;:]*[,;:][\s,;:]*(?=[.!?)]*\s*$)")
_DOUBLED_SEPARATORS = re.compile(r"\s*([,;:])(?:\s*[,;:])+")
_SPACES = re.compile(r"[ \t]{2,}")
_PUNCTUATION_ONLY = re.compile(r"^[.!?]+$")


def placeholders(text: str) -> list[str]:
    """The placeholder names in ``text``, in order. Raises ValueError for a stray brace."""
    return [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name]


def _blank(values: Mapping[str, object], name: str) -> bool:
    return not str(values.get(name, "")).strip()


def _keep_or_drop(match: re.Match, values: Mapping[str, object]) -> str:
    inner = match.group(1)
    names = placeholders(inner)
    if not names:
        return match.group(0)  # plain text in brackets
    return "" if any(_blank(values, name) for name in names) else inner


def _tidy(line: str) -> str:
    line = _EMPTY_PAIRS.sub("", line)
    line = _DOUBLED_SEPARATORS.sub(r"\1", line)
    line = _DANGLING_SEPARATORS.sub("", line)
    line = _LEADING_SEPARATORS.sub("", line)
    line = _SPACES.sub(" ", line)
    return re.sub(r"\s+([.!?])$", r"\1", line.strip())


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` filled with ``values`` (see the module's rules)."""
    lines: list[str] = []
    with_optional_parts = _OPTIONAL.sub(lambda m: _keep_or_drop(m, values), template)
    for line in with_optional_parts.split("\n"):
        names = placeholders(line)
        filled = line.format_map(values)
        if not any(_blank(values, name) for name in names):
            lines.append(filled)
            continue
        tidy = _tidy(filled)
        if not tidy:
            continue
        if _PUNCTUATION_ONLY.match(tidy) and lines:
            lines[-1] = lines[-1].rstrip() + tidy
            continue
        lines.append(tidy)
    return "\n".join(lines)
