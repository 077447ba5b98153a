"""Short-answer wildcards and matching distractors, scored as Moodle scores them. Pure: no
database."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from quizzes.keys import key_from_snapshot, public_view, validate_snapshot
from quizzes.scoring import (
    ChoiceKey,
    Outcome,
    QuestionKey,
    QuestionType,
    literal_answer,
    score_question,
    wildcard_match,
)

ONE = Decimal(1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def short(*answers, wildcards=True, case_sensitive=False, diacritics_optional=False):
    return QuestionKey(
        type=QuestionType.SHORT_ANSWER,
        marks=ONE,
        wildcards=wildcards,
        case_sensitive=case_sensitive,
        accept_without_diacritics=diacritics_optional,
        choices=tuple(
            ChoiceKey(id=i, text=text, fraction=Fraction(fraction))
            for i, (text, fraction) in enumerate(answers, start=1)
        ),
    )


def earned(key, answer) -> Fraction:
    return score_question(key, answer).earned


# Wildcards


@pytest.mark.parametrize(
    ("accepted", "typed", "matches"),
    [
        ("Hà*Nội", "Hà Nội", True),
        ("Hà*Nội", "Hà-Nội", True),
        ("Hà*Nội", "HàNội", True),  # "*" matches nothing too
        ("Hà*Nội", "Hà Nội cũ", False),  # the whole answer must match
        ("*57*", "Kết luận 57-KL/TW", True),
        ("*", "bất cứ gì", True),
        ("a**c", "abc", True),  # a run of asterisks is one wildcard
        ("2\\*3", "2*3", True),  # an escaped asterisk is an asterisk
        ("2\\*3", "2x3", False),
        ("1.5", "1x5", False),  # regular expression characters are literal
        ("(a)", "(a)", True),
        ("[ab]", "a", False),
    ],
)
def test_a_wildcard_answer_matches_as_in_moodle(accepted, typed, matches):
    assert (earned(short((accepted, 1)), typed) == 1) is matches


def test_wildcards_ignore_case_unless_the_question_is_case_sensitive():
    assert earned(short(("hđnd*", 1)), "HĐND tỉnh") == 1
    assert earned(short(("HĐND*", 1), case_sensitive=True), "hđnd tỉnh") == 0
    assert earned(short(("HĐND*", 1), case_sensitive=True), "HĐND tỉnh") == 1


def test_wildcards_combine_with_answers_without_diacritics():
    key = short(("Hòa Bình*", 1), diacritics_optional=True)
    assert earned(key, "hoa binh province") == 1
    assert earned(short(("Hòa Bình*", 1)), "hoa binh province") == 0


def test_without_the_wildcard_option_an_asterisk_is_just_a_character():
    key = short(("2*3", 1), wildcards=False)
    assert earned(key, "2*3") == 1
    assert earned(key, "2x3") == 0


def test_the_first_matching_answer_decides_as_in_moodle():
    catch_all_last = short(("Hà Nội", 1), ("*", 0))
    catch_all_first = short(("*", Fraction(1, 2)), ("Hà Nội", 1))

    assert earned(catch_all_last, "Hà Nội") == 1
    assert earned(catch_all_last, "Huế") == 0
    assert score_question(catch_all_last, "Huế").outcome == Outcome.INCORRECT
    assert earned(catch_all_first, "Hà Nội") == Fraction(1, 2)


SAFE = st.text(st.characters(codec="utf-8", exclude_characters="*\\"), max_size=12)


@given(SAFE, SAFE)
def test_without_asterisks_a_wildcard_answer_is_plain_equality(accepted, typed):
    assert wildcard_match(typed, accepted) == (typed == accepted)


@given(SAFE, SAFE, SAFE)
def test_an_asterisk_matches_any_middle(start, middle, end):
    assert wildcard_match(start + middle + end, f"{start}*{end}")


@given(st.text(max_size=12), st.text(max_size=12))
@example(accepted="\\*", typed="*")  # an escaped asterisk is shown as one, not as a wildcard
def test_any_answer_and_pattern_can_be_compared(accepted, typed):
    assert wildcard_match(typed, accepted) in {True, False}
    # Each wildcard becomes a space; only the escaped asterisks remain, one each.
    assert literal_answer(accepted).count("*") == accepted.count("\\*")


def test_the_right_answer_shown_reads_as_typed():
    assert literal_answer("Hà*Nội") == "Hà Nội"
    assert literal_answer("2\\*3") == "2*3"


def test_the_key_reads_the_option_from_the_snapshot_and_old_snapshots_have_none():
    snapshot = {"type": "short_answer", "marks": "1", "text": "<p>?</p>", "choices": []}
    assert key_from_snapshot(snapshot).wildcards is False
    assert key_from_snapshot({**snapshot, "wildcards": True}).wildcards is True


# Matching distractors


def matching_snapshot(*, distractors=("16/2/2024", "1/1/2000"), all_or_nothing=False):
    pairs = [("57-KL/TW", "15/6/2023"), ("16-KL/TW", "14/2/2012")]
    choices = [{"text": item, "match": match} for item, match in pairs]
    choices += [{"text": "", "match": match} for match in distractors]
    return {
        "type": "matching",
        "marks": "2",
        "text": "<p>Ghép mỗi văn bản với ngày ban hành.</p>",
        "all_or_nothing": all_or_nothing,
        "choices": [
            {"id": number, "is_correct": True, **choice}
            for number, choice in enumerate(choices, start=1)
        ],
    }


def test_a_matching_question_with_distractors_is_valid():
    assert validate_snapshot(matching_snapshot()) == []


def test_distractors_alone_do_not_make_a_matching_question():
    snapshot = matching_snapshot()
    snapshot["choices"] = snapshot["choices"][1:]
    assert "A matching question needs at least two pairs." in validate_snapshot(snapshot)


def test_an_empty_pair_is_still_refused():
    snapshot = matching_snapshot()
    snapshot["choices"].append({"id": 9, "text": "", "match": "", "is_correct": True})
    assert "Every choice needs a text." in validate_snapshot(snapshot)


def test_delegates_see_the_items_and_every_match_including_distractors():
    view = public_view(matching_snapshot(), choice_order=[4, 3, 2, 1])

    assert [item["text"] for item in view["items"]] == ["57-KL/TW", "16-KL/TW"]
    assert view["options"] == ["1/1/2000", "14/2/2012", "15/6/2023", "16/2/2024"]


def test_distractors_earn_nothing_and_cost_nothing():
    key = key_from_snapshot(matching_snapshot())

    assert earned(key, {1: "15/6/2023", 2: "14/2/2012"}) == 2
    assert earned(key, {1: "15/6/2023", 2: "16/2/2024"}) == 1
    all_or_nothing = key_from_snapshot(matching_snapshot(all_or_nothing=True))
    assert earned(all_or_nothing, {1: "15/6/2023", 2: "14/2/2012"}) == 2
    assert earned(all_or_nothing, {1: "15/6/2023", 2: "1/1/2000"}) == 0
