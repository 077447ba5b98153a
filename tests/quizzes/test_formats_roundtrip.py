"""Export -> import gives the same questions back, for generated questions with Vietnamese text
and the characters GIFT must escape. Pure: no database (the database round trips are in
test_importing.py)."""

from decimal import Decimal
from html import escape

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.formats import aiken, export, gift, parse, xlsx
from quizzes.formats.text import plain_to_html
from quizzes.keys import key_from_snapshot
from quizzes.scoring import parse_number

LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÂƯ"
)
# GIFT's special characters, a weight-like "%", format-marker brackets and HTML's own; no ">",
# so that no generated text holds "->" or "=>" (which separate matching pairs).
SPECIAL = "~=#{}:\\%[]&<\"'/*"
word = st.text(st.sampled_from(LETTERS + "0123456789" + SPECIAL), min_size=1, max_size=7)
phrase = st.lists(word, min_size=1, max_size=4).map(" ".join)
maybe = st.one_of(st.just(""), phrase)
RIGHT = Decimal(100)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def choice(text, *, right=False, credit=None, tolerance=None, match="", feedback=""):
    return {
        "text": text,
        "match": match,
        "is_correct": right,
        "credit_percent": None if credit is None else str(credit),
        "tolerance": None if tolerance is None else str(tolerance),
        "feedback": feedback,
    }


@st.composite
def question_text(draw, *, rich=True):
    if rich and draw(st.booleans()):
        first, second = draw(phrase), draw(phrase)
        return f"<p>{escape(first)} <b>{escape(second)}</b></p><ul><li>{escape(first)}</li></ul>"
    paragraphs = draw(st.lists(phrase, min_size=1, max_size=2 if rich else 1))
    return plain_to_html("\n\n".join(paragraphs))


@st.composite
def choices_of(draw, kind):
    feedback = st.one_of(st.just(""), phrase)
    if kind == "single":
        texts = draw(st.lists(phrase, min_size=2, max_size=5))
        right = draw(st.integers(0, len(texts) - 1))
        partial = draw(st.one_of(st.none(), st.integers(0, len(texts) - 1)))
        return [
            choice(
                text,
                right=i in (right, partial),
                credit=Decimal(50) if i == partial and i != right else None,
                feedback=draw(feedback),
            )
            for i, text in enumerate(texts)
        ], {}
    if kind == "multiple":
        texts = draw(st.lists(phrase, min_size=2, max_size=5))
        right = draw(st.sets(st.integers(0, len(texts) - 1), min_size=1))
        if draw(st.booleans()):  # the default: right choices share the marks
            return [
                choice(text, right=i in right, feedback=draw(feedback))
                for i, text in enumerate(texts)
            ], {"penalise_wrong_choices": draw(st.booleans())}
        credits = draw(
            st.lists(st.integers(1, 99), min_size=len(texts), max_size=len(texts), unique=True)
        )
        penalties = draw(
            st.lists(st.sampled_from([0, -10, -25]), min_size=len(texts), max_size=len(texts))
        )
        return [
            choice(
                text,
                right=i in right,
                credit=Decimal(credits[i]) if i in right else (Decimal(penalties[i]) or None),
                feedback=draw(feedback),
            )
            for i, text in enumerate(texts)
        ], {}
    if kind == "true_false":
        true = draw(st.booleans())
        return [
            choice(gift.true_label(), right=true, feedback=draw(feedback)),
            choice(gift.false_label(), right=not true, feedback=draw(feedback)),
        ], {}
    if kind == "short_answer":
        texts = draw(st.lists(phrase, min_size=1, max_size=3))
        return [
            choice(
                text, right=True, credit=None if i == 0 else Decimal(50), feedback=draw(feedback)
            )
            for i, text in enumerate(texts)
        ], {"wildcards": True} if draw(st.booleans()) else {}
    if kind == "numerical":
        numbers = draw(
            st.lists(st.decimals(min_value=-1000, max_value=1000, places=2), min_size=1, max_size=3)
        )
        return [
            choice(
                format(number.normalize(), "f"),
                right=True,
                credit=None if i == 0 else Decimal(50),
                tolerance=draw(st.decimals(min_value=0, max_value=10, places=4)),
                feedback=draw(feedback),
            )
            for i, number in enumerate(numbers)
        ], {}
    if kind == "matching":
        pairs = draw(st.lists(st.tuples(phrase, phrase), min_size=2, max_size=4))
        distractors = draw(st.lists(phrase, max_size=2))  # matches without an item
        return [
            *(choice(item, match=match, right=True) for item, match in pairs),
            *(choice("", match=match, right=True) for match in distractors),
        ], {}
    if kind == "ordering":
        return [choice(text) for text in draw(st.lists(phrase, min_size=2, max_size=4))], {}
    return [], {}


@st.composite
def questions(draw, kinds, *, rich=True, category=True):
    kind = draw(st.sampled_from(kinds))
    choices, extra = draw(choices_of(kind))
    return {
        "type": kind,
        "name": draw(phrase),
        "text": draw(question_text(rich=rich)),
        "marks": str(draw(st.decimals(min_value=0, max_value=100, places=2))),
        "general_feedback": draw(maybe),
        "all_or_nothing": draw(st.booleans()),
        "penalise_wrong_choices": False,
        "case_sensitive": draw(st.booleans()),
        "accept_without_diacritics": draw(st.booleans()),
        "shuffle_choices": draw(st.booleans()),
        "choices": [{"id": i, **c} for i, c in enumerate(choices, start=1)],
        "category": draw(maybe) if category else "",
        **extra,
    }


def comparable(snapshot, *, with_category=True):
    """What must survive a round trip: scoring-equivalent choices (exact fractions) and all
    the text."""
    key = key_from_snapshot(snapshot)
    numerical = snapshot["type"] == "numerical"
    return {
        "type": snapshot["type"],
        "name": snapshot["name"],
        "text": snapshot["text"],
        "marks": Decimal(snapshot["marks"]),
        "general_feedback": snapshot["general_feedback"],
        "flags": [
            snapshot[name]
            for name in ("all_or_nothing", "case_sensitive", "accept_without_diacritics")
        ]
        + [snapshot["shuffle_choices"], snapshot.get("wildcards", False)],
        "category": snapshot.get("category", "") if with_category else "",
        "choices": [
            (
                parse_number(c["text"]) if numerical else c["text"],
                c["match"],
                bool(c["is_correct"]) if snapshot["type"] not in {"matching", "ordering"} else None,
                k.fraction,
                k.tolerance,
                c["feedback"],
            )
            for c, k in zip(snapshot["choices"], key.choices, strict=True)
        ],
    }


def round_trip(fmt, originals):
    exported = export(fmt, originals)
    result = parse(fmt, exported.content)
    assert not result.errors, (exported.content, result.errors)
    return exported, [{**q.snapshot(), "category": q.category} for q in result.questions]


GIFT_TYPES = ["single", "multiple", "true_false", "short_answer", "numerical", "matching", "essay"]
ALL_TYPES = [*GIFT_TYPES, "ordering"]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(questions(GIFT_TYPES), min_size=1, max_size=4))
def test_gift_round_trip(originals):
    exported, imported = round_trip("gift", originals)

    assert exported.count == len(originals) and not exported.skipped
    assert [comparable(q) for q in imported] == [comparable(q) for q in originals]


@FAST
@given(st.lists(questions(ALL_TYPES), min_size=1, max_size=4))
def test_xlsx_round_trip(originals):
    exported, imported = round_trip("xlsx", originals)

    assert exported.count == len(originals) and not exported.skipped
    assert [comparable(q) for q in imported] == [comparable(q) for q in originals]
    # The grading options travel in their own column: wrong picks subtracting too.
    assert [q["penalise_wrong_choices"] for q in imported] == [
        q["penalise_wrong_choices"] for q in originals
    ]


def aiken_comparable(snapshot):
    key = key_from_snapshot(snapshot)
    return {
        "text": snapshot["text"],
        "choices": [
            (c["text"], k.fraction) for c, k in zip(snapshot["choices"], key.choices, strict=True)
        ],
    }


def without_partial_credit(question):
    choices = question["choices"]
    right = next(i for i, c in enumerate(choices) if c["is_correct"] and not c["credit_percent"])
    return {
        **question,
        "choices": [
            {**c, "is_correct": i == right, "credit_percent": None} for i, c in enumerate(choices)
        ],
    }


@FAST
@given(st.lists(questions(["single"], rich=False, category=False), min_size=1, max_size=4))
def test_aiken_round_trip_of_single_choice_without_partial_credit(originals):
    originals = [without_partial_credit(q) for q in originals]

    exported, imported = round_trip("aiken", originals)

    assert exported.count == len(originals)
    assert [aiken_comparable(q) for q in imported] == [aiken_comparable(q) for q in originals]
    assert {q["type"] for q in imported} == {"single"}


@FAST
@given(questions(["ordering"]))
def test_gift_skips_ordering_questions(question):
    exported = gift.export([question])

    assert exported.count == 0 and len(exported.skipped) == 1


def test_aiken_skips_every_other_type():
    kinds = ["multiple", "true_false", "short_answer", "numerical", "matching", "ordering", "essay"]
    originals = [
        {"type": kind, "name": kind, "text": "<p>?</p>", "marks": "1", "choices": []}
        for kind in kinds
    ]

    exported = aiken.export(originals)

    assert exported.count == 0
    assert [s.name for s in exported.skipped] == kinds


def test_xlsx_skips_matching_items_holding_a_separator():
    question = {
        "type": "matching",
        "name": "Ghép",
        "text": "<p>?</p>",
        "marks": "1",
        "choices": [choice("a => b", match="c"), choice("d", match="e")],
    }

    assert xlsx.export([question]).skipped[0].name == "Ghép"
    assert gift.export([{**question, "choices": [choice("a -> b", match="c")]}]).skipped
