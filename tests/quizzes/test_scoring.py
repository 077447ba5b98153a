"""quizzes.scoring is pure: these tests run without a database (pytest-django blocks it)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizzes.scoring import (
    ChoiceKey,
    GradingMethod,
    Outcome,
    QuestionKey,
    QuestionType,
    final_grade,
    matching_choices,
    normalise_text,
    number_readings,
    parse_number,
    score_attempt,
    score_question,
    strip_diacritics,
)

ONE = Decimal(1)


def single(correct_id=1, marks=ONE, ids=(1, 2, 3, 4)):
    return QuestionKey(
        type=QuestionType.SINGLE,
        marks=marks,
        choices=tuple(ChoiceKey(id=i, fraction=Fraction(i == correct_id)) for i in ids),
    )


def multiple(right=(1, 2, 3), wrong=(4, 5), *, penalty=False, all_or_nothing=False, marks=ONE):
    share = Fraction(1, len(right))
    return QuestionKey(
        type=QuestionType.MULTIPLE,
        marks=marks,
        all_or_nothing=all_or_nothing,
        choices=tuple(ChoiceKey(id=i, fraction=share) for i in right)
        + tuple(ChoiceKey(id=i, fraction=-share if penalty else Fraction(0)) for i in wrong),
    )


# The pass mark


def test_seven_of_ten_meets_seventy_percent_pass_mark():
    keys = [single() for _ in range(10)]
    answers = [1] * 7 + [2] * 3
    result = score_attempt(keys, answers, pass_mark_percent=Decimal(70))
    assert result.earned == Decimal("7.00")
    assert result.percent == Decimal("70.00")
    assert result.passed


def test_a_hair_below_the_pass_mark_fails_even_when_rounding_would_reach_it():
    # 2/3 of the marks = 66.666...%, displayed 66.67; a 66.67 pass mark is not met.
    keys = [single() for _ in range(3)]
    result = score_attempt(keys, [1, 1, 2], pass_mark_percent=Decimal("66.67"))
    assert result.percent == Decimal("66.67")
    assert not result.passed


def test_three_partial_thirds_sum_to_exactly_full_marks():
    key = multiple(right=(1, 2, 3), wrong=())
    score = score_question(key, {1, 2, 3})
    assert score.earned == 1
    assert score.outcome == Outcome.CORRECT


# Single choice and true/false


def test_single_choice_right_wrong_and_unanswered():
    key = single(correct_id=3, marks=Decimal(2))
    assert score_question(key, 3).earned == 2
    assert score_question(key, 1).outcome == Outcome.INCORRECT
    assert score_question(key, None).outcome == Outcome.UNANSWERED


def test_single_choice_of_an_unknown_id_earns_nothing():
    assert score_question(single(), 99).earned == 0


def test_true_false():
    key = QuestionKey(
        type=QuestionType.TRUE_FALSE,
        marks=ONE,
        choices=(ChoiceKey(id=10, fraction=Fraction(1)), ChoiceKey(id=11)),
    )
    assert score_question(key, 10).outcome == Outcome.CORRECT
    assert score_question(key, 11).outcome == Outcome.INCORRECT


# Multiple response


def test_multiple_response_proportional_credit():
    score = score_question(multiple(), {1, 2})
    assert score.earned == Fraction(2, 3)
    assert score.outcome == Outcome.PARTIAL


def test_multiple_response_wrong_picks_subtract_but_never_below_zero():
    key = multiple(penalty=True)
    assert score_question(key, {1, 2, 4}).earned == Fraction(1, 3)
    assert score_question(key, {4, 5}).earned == 0


def test_multiple_response_all_or_nothing():
    key = multiple(all_or_nothing=True)
    assert score_question(key, {1, 2, 3}).earned == 1
    assert score_question(key, {1, 2}).earned == 0
    assert score_question(key, {1, 2, 3, 4}).earned == 0


# Short answer


def short(*answers, diacritics_optional=False, case_sensitive=False):
    return QuestionKey(
        type=QuestionType.SHORT_ANSWER,
        marks=ONE,
        accept_without_diacritics=diacritics_optional,
        case_sensitive=case_sensitive,
        choices=tuple(
            ChoiceKey(id=i, text=text, fraction=Fraction(fraction))
            for i, (text, fraction) in enumerate(answers)
        ),
    )


def test_short_answer_matches_after_nfc_trimming_and_case_folding():
    key = short(("Hòa Bình", 1))
    decomposed = "  ho\u0300a   BI\u0300NH "
    assert score_question(key, decomposed).outcome == Outcome.CORRECT


def test_short_answer_without_diacritics_only_when_allowed():
    assert score_question(short(("Hòa Bình", 1)), "Hoa Binh").earned == 0
    assert score_question(short(("Hòa Bình", 1), diacritics_optional=True), "hoa binh").earned == 1


def test_short_answer_case_sensitive_option():
    key = short(("HĐND", 1), case_sensitive=True)
    assert score_question(key, "HĐND").earned == 1
    assert score_question(key, "hđnd").earned == 0


def test_short_answer_takes_the_best_matching_alternative():
    key = short(("57-KL/TW", 1), ("57", Fraction(1, 2)))
    assert score_question(key, "57").earned == Fraction(1, 2)
    assert score_question(key, "57-kl/tw").earned == 1


# Numerical


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3,5", Decimal("3.5")),
        ("3.5", Decimal("3.5")),
        ("3.366,5", Decimal("3366.5")),
        ("1,000.25", Decimal("1000.25")),
        ("1.000.000", Decimal("1000000")),
        (" -2 ", Decimal("-2")),
        ("2 026", Decimal("2026")),
        ("abc", None),
        ("", None),
        ("NaN", None),
        ("Infinity", None),
    ],
)
def test_numbers_typed_the_vietnamese_or_english_way(typed, expected):
    assert parse_number(typed) == expected


def test_numerical_with_tolerance():
    key = QuestionKey(
        type=QuestionType.NUMERICAL,
        marks=ONE,
        choices=(ChoiceKey(id=1, text="77,59", tolerance=Decimal("0.01"), fraction=Fraction(1)),),
    )
    assert score_question(key, "77.6").earned == 1
    assert score_question(key, "77,58").earned == 1
    assert score_question(key, "77.5").earned == 0
    assert score_question(key, "bảy mươi").earned == 0


# Matching and ordering


def matching(all_or_nothing=False):
    return QuestionKey(
        type=QuestionType.MATCHING,
        marks=Decimal(3),
        all_or_nothing=all_or_nothing,
        choices=(
            ChoiceKey(id=1, text="57-KL/TW", match="15/6/2023"),
            ChoiceKey(id=2, text="16-KL/TW", match="14/2/2012"),
            ChoiceKey(id=3, text="71-KL/TW", match="16/2/2024"),
        ),
    )


def test_matching_partial_and_all_or_nothing():
    answer = {1: "15/6/2023", 2: "16/2/2024", 3: "14/2/2012"}
    assert score_question(matching(), answer).earned == 1
    assert score_question(matching(all_or_nothing=True), answer).earned == 0
    perfect = {1: "15/6/2023", 2: "14/2/2012", 3: "16/2/2024"}
    assert score_question(matching(all_or_nothing=True), perfect).earned == 3


def ordering(all_or_nothing=False):
    return QuestionKey(
        type=QuestionType.ORDERING,
        marks=Decimal(4),
        all_or_nothing=all_or_nothing,
        choices=tuple(ChoiceKey(id=i) for i in (11, 12, 13, 14)),
    )


def test_ordering_counts_items_in_place():
    assert score_question(ordering(), [11, 12, 13, 14]).earned == 4
    assert score_question(ordering(), [11, 12, 14, 13]).earned == 2
    assert score_question(ordering(all_or_nothing=True), [11, 12, 14, 13]).earned == 0


def test_ordering_that_is_not_a_permutation_earns_nothing():
    assert score_question(ordering(), [11, 11, 11, 11]).earned == 0
    assert score_question(ordering(), [11, 12]).earned == 0


# Essays


def test_essay_waits_for_a_trainer_and_a_grade_only_adds():
    key = QuestionKey(type=QuestionType.ESSAY, marks=Decimal(5))
    waiting = score_question(key, "Bài luận của tôi")
    assert waiting.earned is None
    assert waiting.outcome == Outcome.NEEDS_GRADING
    assert score_question(key, "Bài luận", manual_grade=Decimal("3.5")).earned == Fraction(7, 2)
    assert score_question(key, "Bài luận", manual_grade=Decimal(9)).earned == 5


def test_attempt_with_an_ungraded_essay_is_pending_and_counts_it_as_zero():
    keys = [single(), QuestionKey(type=QuestionType.ESSAY, marks=ONE)]
    result = score_attempt(keys, [1, "Ý kiến"], pass_mark_percent=Decimal(50))
    assert result.pending == 1
    assert result.percent == Decimal("50.00")
    assert result.passed
    assert not result.is_final


def test_attempt_needs_one_answer_per_question():
    with pytest.raises(ValueError, match="one answer"):
        score_attempt([single()], [], pass_mark_percent=Decimal(50))


# Grading methods


def test_final_grade_methods():
    percents = [Decimal("40.00"), Decimal("90.00"), Decimal("65.00")]
    assert final_grade(percents, GradingMethod.HIGHEST) == Decimal("90.00")
    assert final_grade(percents, GradingMethod.FIRST) == Decimal("40.00")
    assert final_grade(percents, GradingMethod.LAST) == Decimal("65.00")
    assert final_grade(percents, GradingMethod.AVERAGE) == Decimal("65.00")
    assert final_grade([Decimal(1), Decimal(2), Decimal(2)], GradingMethod.AVERAGE) == Decimal(
        "1.67"
    )
    assert final_grade([], GradingMethod.HIGHEST) is None


# Text helpers


def test_normalise_text_and_strip_diacritics():
    assert normalise_text(" Quyền   CON người ") == "quyền con người"
    assert strip_diacritics("Đắk Lắk, Thừa Thiên Huế") == "Dak Lak, Thua Thien Hue"


# Properties


marks_strategy = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(20), places=1)
fractions = st.fractions(min_value=-1, max_value=1, max_denominator=12)


@st.composite
def keyed_questions(draw):
    kind = draw(st.sampled_from([QuestionType.SINGLE, QuestionType.MULTIPLE]))
    ids = draw(st.lists(st.integers(1, 50), min_size=2, max_size=6, unique=True))
    if kind == QuestionType.SINGLE:
        right = draw(st.sampled_from(ids))
        choices = tuple(ChoiceKey(id=i, fraction=Fraction(i == right)) for i in ids)
    else:
        right = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
        penalty = draw(st.booleans())
        share = Fraction(1, len(right))
        choices = tuple(
            ChoiceKey(id=i, fraction=share if i in right else (-share if penalty else Fraction(0)))
            for i in ids
        )
    key = QuestionKey(
        type=kind,
        marks=draw(marks_strategy),
        choices=choices,
        all_or_nothing=draw(st.booleans()),
    )
    return key


def the_key(key: QuestionKey):
    right = [c.id for c in key.choices if c.fraction > 0]
    return right[0] if key.type == QuestionType.SINGLE else set(right)


@given(keyed_questions(), st.data())
def test_score_is_between_zero_and_the_marks(key, data):
    if key.type == QuestionType.SINGLE:
        answer = data.draw(st.sampled_from([c.id for c in key.choices]))
    else:
        answer = data.draw(st.sets(st.sampled_from([c.id for c in key.choices])))
    score = score_question(key, answer)
    assert 0 <= score.earned <= Fraction(key.marks)


@given(keyed_questions())
def test_the_key_earns_full_marks(key):
    score = score_question(key, the_key(key))
    assert score.earned == Fraction(key.marks)
    assert score.outcome == Outcome.CORRECT


@given(keyed_questions(), st.randoms())
def test_order_of_choices_is_irrelevant(key, rnd):
    choices = list(key.choices)
    rnd.shuffle(choices)
    shuffled = QuestionKey(
        type=key.type, marks=key.marks, choices=tuple(choices), all_or_nothing=key.all_or_nothing
    )
    answer = the_key(key)
    partial = set(list(answer)[:1]) if isinstance(answer, set) else answer
    assert score_question(shuffled, partial) == score_question(key, partial)


@given(st.lists(keyed_questions(), min_size=1, max_size=8), st.data())
def test_regrading_is_idempotent(keys, data):
    answers = [
        data.draw(st.sampled_from([c.id for c in k.choices]))
        if k.type == QuestionType.SINGLE
        else data.draw(st.sets(st.sampled_from([c.id for c in k.choices])))
        for k in keys
    ]
    first = score_attempt(keys, answers, pass_mark_percent=Decimal(60))
    again = score_attempt(keys, answers, pass_mark_percent=Decimal(60))
    assert first == again


@given(
    st.integers(0, 40),
    st.integers(1, 40),
    st.decimals(min_value=0, max_value=100, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_pass_fail_is_monotonic_in_score_and_exact_at_the_mark(right, total, mark, other_mark):
    assume(right <= total)
    keys = [single() for _ in range(total)]
    answers = [1] * right + [2] * (total - right)
    result = score_attempt(keys, answers, pass_mark_percent=mark)
    assert result.passed == (Fraction(right * 100, total) >= Fraction(mark))
    if right < total:
        better = score_attempt(
            keys, [1] * (right + 1) + [2] * (total - right - 1), pass_mark_percent=mark
        )
        assert better.passed or not result.passed
    if other_mark <= mark and result.passed:
        assert score_attempt(keys, answers, pass_mark_percent=other_mark).passed


def test_short_answer_accepts_old_and_new_style_tone_placement():
    key = short(("Hòa Bình", 1), ("Thủy lợi", 1))
    assert score_question(key, "Hoà Bình").earned == 1
    assert score_question(key, "thuỷ lợi").earned == 1


def test_tone_placement_is_unified_only_where_both_styles_exist():
    assert normalise_text("hoàng") == "hoàng"
    assert normalise_text("quý") == "quý"
    assert normalise_text("KHOẺ") == "khỏe"


def test_a_lone_three_digit_group_is_read_both_ways():
    assert number_readings("1.000") == (Decimal(1000), Decimal("1.000"))
    assert number_readings("1,000") == (Decimal("1.000"), Decimal(1000))
    assert number_readings("0.125") == (Decimal("0.125"),)
    assert parse_number("1.000") == Decimal(1000)


@pytest.mark.parametrize(
    ("key_text", "typed"), [("1000", "1.000"), ("1", "1.000"), ("1000", "1,000")]
)
def test_numerical_answers_are_right_under_either_reading(key_text, typed):
    key = QuestionKey(
        type=QuestionType.NUMERICAL,
        marks=ONE,
        choices=(ChoiceKey(id=1, text=key_text, fraction=Fraction(1)),),
    )
    assert score_question(key, typed).earned == 1


def test_matching_choices_names_the_accepted_answer_that_matched():
    key = short(("Hòa Bình", 1), ("Hà Nội", 0))
    assert [c.text for c in matching_choices(key, "hà nội")] == ["Hà Nội"]
    assert matching_choices(key, "Huế") == []
