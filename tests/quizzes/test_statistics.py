"""quizzes/statistics/ and quizzes/charts.py are pure: no database (no django_db mark).

The hand-worked example: five delegates, three one-mark questions.

    delegate  Q1 Q2 Q3  total
    A          1  1  1    3
    B          1  1  0    2
    C          1  0  0    1
    D          0  0  0    0
    E          1  0  1    2

Item variances (n - 1): Q1 0.2, Q2 0.3, Q3 0.3 (sum 0.8); variance of the totals 1.3.
Cronbach's alpha = 3/2 x (1 - 0.8/1.3) = 15/26.
Q1 against the rest (2, 1, 0, 0, 1): cov 0.2, var(rest) 0.7, r = 0.2 / sqrt(0.2 x 0.7) = sqrt(2/7).
Q2 against the rest (2, 1, 1, 0, 2): cov 0.15, var(rest) 0.7, r = 0.15 / sqrt(0.21).
Q2 sorted (0, 0, 0, 1, 1) against the sorted rest (0, 1, 1, 2, 2): cov 0.4, so its
discriminative efficiency is 0.15 / 0.4 = 37.5 %; Q1's sorted covariance equals its own: 100 %.
"""

import math
import random
import statistics as stdlib
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizzes import statistics
from quizzes.charts import bar_chart
from quizzes.statistics import (
    ChoiceOption,
    Flag,
    ItemScore,
    ItemStatistics,
    analyse,
    analyse_scaled,
    cronbach_alpha,
    distractor_analysis,
    item_flags,
)

MATRIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 0, 1]]


def attempts_from(matrix, *, possible=Decimal(1)):
    return [
        [
            ItemScore(question_id=q + 1, earned=Decimal(x), possible=possible)
            for q, x in enumerate(row)
        ]
        for row in matrix
    ]


# The hand-worked example


def test_facility_and_sd_of_each_question():
    items = analyse(attempts_from(MATRIX)).items

    assert [i.question_id for i in items] == [1, 2, 3]
    assert [i.attempts for i in items] == [5, 5, 5]
    assert [i.facility for i in items] == [80.0, 40.0, 40.0]
    assert items[0].sd == pytest.approx(100 * math.sqrt(0.2))
    assert items[1].sd == pytest.approx(100 * math.sqrt(0.3))


def test_discrimination_is_the_correlation_with_the_rest_of_the_quiz():
    items = analyse(attempts_from(MATRIX)).items

    assert items[0].discrimination == pytest.approx(100 * math.sqrt(2 / 7))
    assert items[1].discrimination == pytest.approx(100 * 0.15 / math.sqrt(0.21))
    assert items[1].discrimination == pytest.approx(
        100 * stdlib.correlation([1, 1, 0, 0, 0], [2, 1, 1, 0, 2])
    )


def test_discriminative_efficiency_compares_with_the_sorted_marks():
    items = analyse(attempts_from(MATRIX)).items

    assert items[0].efficiency == pytest.approx(100.0)
    assert items[1].efficiency == pytest.approx(37.5)


def test_quiz_summary_of_the_example():
    quiz = analyse(attempts_from(MATRIX)).quiz
    percents = [100, 200 / 3, 100 / 3, 0, 200 / 3]

    assert quiz.attempts == 5
    assert quiz.items_per_attempt == 3
    assert quiz.mean == pytest.approx(stdlib.mean(percents))
    assert quiz.median == pytest.approx(200 / 3)
    assert quiz.sd == pytest.approx(stdlib.stdev(percents))
    assert quiz.sd == pytest.approx(100 / 3 * math.sqrt(1.3))
    assert quiz.alpha == pytest.approx(15 / 26)
    assert quiz.error_ratio == pytest.approx(100 * math.sqrt(11 / 26))
    assert quiz.sem == pytest.approx(quiz.sd * math.sqrt(11 / 26))


def test_cronbach_alpha_of_the_example():
    assert cronbach_alpha(MATRIX) == pytest.approx(15 / 26)


def test_doubling_every_mark_changes_nothing():
    doubled = analyse(attempts_from([[x * 2 for x in row] for row in MATRIX], possible=Decimal(2)))

    assert doubled == analyse(attempts_from(MATRIX))


# Skewness and kurtosis: Moodle's k-statistics equal the usual sample formulas


def g1(values):
    n, m = len(values), stdlib.fmean(values)
    m2 = sum((v - m) ** 2 for v in values) / n
    m3 = sum((v - m) ** 3 for v in values) / n
    return math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5


def excess_kurtosis(values):
    """The spreadsheet KURT formula, with the sample standard deviation."""
    n, m, s = len(values), stdlib.fmean(values), stdlib.stdev(values)
    fourth = sum(((v - m) / s) ** 4 for v in values)
    return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * fourth - 3 * (n - 1) ** 2 / (
        (n - 2) * (n - 3)
    )


@pytest.mark.parametrize("values", [[3, 2, 1, 0, 2], [1, 2, 3, 10], [5, 5, 6, 9, 20, 21, 40]])
def test_skewness_and_kurtosis_match_the_textbook_formulas(values):
    assert statistics.skewness(values) == pytest.approx(g1(values))
    if len(values) > 3:
        assert statistics.kurtosis(values) == pytest.approx(excess_kurtosis(values))


def test_skewness_of_a_known_set():
    assert statistics.skewness([1, 2, 3, 10]) == pytest.approx(1.7636326, rel=1e-6)


def test_higher_moments_need_enough_values_and_some_spread():
    assert statistics.skewness([1, 2]) is None
    assert statistics.kurtosis([1, 2, 3]) is None
    assert statistics.skewness([4, 4, 4]) is None
    assert statistics.kurtosis([4, 4, 4, 4]) is None


# Descriptive helpers against the standard library


def test_helpers_match_the_standard_library():
    xs = [Decimal("0.5"), Decimal(1), Decimal(0), Decimal("0.25"), Decimal(1)]
    ys = [3, 4, 1, 2, 4]

    assert statistics.mean(xs) == stdlib.mean(xs)
    assert statistics.median(xs) == stdlib.median(xs)
    assert statistics.median([1, 2, 3, 4]) == Fraction(5, 2)
    assert statistics.sample_variance(xs) == Fraction(stdlib.variance(xs))
    assert float(statistics.sample_covariance(xs, ys)) == pytest.approx(
        stdlib.covariance([float(x) for x in xs], ys)
    )
    assert statistics.correlation(xs, ys) == pytest.approx(
        stdlib.correlation([float(x) for x in xs], ys)
    )


def test_helpers_say_none_when_undefined():
    assert statistics.sample_variance([1]) is None
    assert statistics.sample_covariance([1], [2]) is None
    assert statistics.correlation([1, 1, 1], [1, 2, 3]) is None
    assert statistics.discriminative_efficiency([1, 2], [5, 5]) is None
    with pytest.raises(ValueError):
        statistics.mean([])
    with pytest.raises(ValueError):
        statistics.correlation([1, 2], [1])


# Rules of the analysis


def test_an_answer_awaiting_grading_is_left_out_of_its_question_and_its_attempt():
    essay = 9
    attempts = [
        [ItemScore(1, Decimal(1), Decimal(1)), ItemScore(essay, None, Decimal(5))],
        [ItemScore(1, Decimal(0), Decimal(1)), ItemScore(essay, Decimal(5), Decimal(5))],
    ]

    analysis = analyse(attempts)

    assert analysis.item(essay).attempts == 1
    assert analysis.item(1).attempts == 2
    # The first attempt scores 1 of 1 (not 1 of 6); the second 5 of 6.
    assert analysis.quiz.mean == pytest.approx((100 + 500 / 6) / 2)


def test_an_attempt_with_nothing_graded_is_left_out():
    analysis = analyse([[ItemScore(9, None, Decimal(5))], [ItemScore(9, Decimal(2), Decimal(5))]])

    assert analysis.quiz.attempts == 1
    assert analysis.item(9).facility == 40.0


def test_questions_worth_no_marks_are_left_out():
    analysis = analyse(
        [[ItemScore(1, Decimal(1), Decimal(1)), ItemScore(2, Decimal(0), Decimal(0))]]
    )

    assert analysis.item(2) is None
    assert analysis.quiz.mean == 100.0


def test_facility_uses_each_versions_marks():
    # Version 1 was worth 1 mark, version 2 worth 2: half marks on each is 50 %.
    analysis = analyse(
        [[ItemScore(1, Decimal("0.5"), Decimal(1))], [ItemScore(1, Decimal(1), Decimal(2))]]
    )

    assert analysis.item(1).facility == 50.0
    assert analysis.item(1).sd == 0.0


def test_random_questions_count_only_where_they_were_drawn():
    # Questions 1 and 2 for everyone; 3 and 4 drawn at random, one each.
    rows = [
        {1: 1, 2: 1, 3: 1},
        {1: 1, 2: 0, 4: 0},
        {1: 0, 2: 0, 3: 0},
        {1: 1, 2: 1, 4: 1},
    ]
    attempts = [[ItemScore(q, Decimal(x), Decimal(1)) for q, x in row.items()] for row in rows]

    analysis = analyse(attempts)

    assert analysis.item(3).attempts == 2
    assert analysis.item(3).facility == 50.0
    # Q3's rest: 2 and 0; its marks 1 and 0: a perfect correlation.
    assert analysis.item(3).discrimination == pytest.approx(100.0)
    assert analysis.quiz.items_per_attempt == 3
    # Alpha: k = 3; pooled within-question sums of squares 0.75 + 1 + 0.5 + 0.5 over n - 1 = 3;
    # totals 3, 1, 0, 3 have variance 2.25.
    expected = 3 / 2 * (1 - (2.75 / 3) / 2.25)
    assert analysis.quiz.alpha == pytest.approx(expected)


def test_alpha_needs_two_questions_and_two_attempts():
    assert analyse(attempts_from([[1], [0], [1]])).quiz.alpha is None
    assert analyse(attempts_from([[1, 0]])).quiz.alpha is None
    assert analyse(attempts_from([[1, 0], [0, 1]])).quiz.alpha is None  # totals do not vary
    assert cronbach_alpha([[1, 0, 1]]) is None
    assert cronbach_alpha([[1], [0]]) is None


def test_no_attempts_give_empty_statistics():
    analysis = analyse([])

    assert analysis.items == ()
    assert analysis.quiz.attempts == 0
    assert analysis.quiz.mean is None
    assert analysis.quiz.alpha is None


def test_one_attempt_has_a_mean_but_no_spread():
    analysis = analyse(attempts_from([[1, 0]]))

    assert analysis.quiz.mean == 50.0
    assert analysis.quiz.sd is None
    assert analysis.item(1).sd is None
    assert analysis.item(1).discrimination is None


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="twice"):
        analyse([[ItemScore(1, Decimal(1), Decimal(1)), ItemScore(1, Decimal(0), Decimal(1))]])
    with pytest.raises(ValueError, match="marks"):
        analyse([[ItemScore(1, Decimal(2), Decimal(1))]])
    with pytest.raises(TypeError):
        analyse([[ItemScore(1, 0.5, Decimal(1))]])
    with pytest.raises(ValueError):
        cronbach_alpha([[1, 0], [1]])


# Properties

marks = st.sampled_from([Decimal(1), Decimal(2), Decimal("0.5"), Decimal("1.25")])
shares = st.sampled_from([Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(1)])


@st.composite
def score_matrices(draw, min_attempts=2, min_items=2):
    items = draw(st.integers(min_items, 6))
    possible = [draw(marks) for _ in range(items)]
    attempts = draw(st.integers(min_attempts, 12))
    matrix = []
    for _ in range(attempts):
        row = []
        for i in range(items):
            share = draw(shares)
            row.append(possible[i] * share.numerator / share.denominator)
        matrix.append(row)
    return matrix, possible


def as_attempts(matrix, possible):
    return [
        [
            ItemScore(question_id=i, earned=Decimal(x), possible=possible[i])
            for i, x in enumerate(row)
        ]
        for row in matrix
    ]


@given(score_matrices(min_attempts=1, min_items=1))
def test_facility_stays_between_0_and_100(case):
    matrix, possible = case
    for item in analyse(as_attempts(matrix, possible)).items:
        assert 0 <= item.facility <= 100
        assert item.discrimination is None or -100 - 1e-9 <= item.discrimination <= 100 + 1e-9
        assert item.efficiency is None or item.efficiency <= 100 + 1e-9


@given(score_matrices())
def test_alpha_is_at_most_one_and_matches_the_complete_matrix_formula(case):
    matrix, possible = case
    alpha = analyse(as_attempts(matrix, possible)).quiz.alpha
    assert alpha == cronbach_alpha(matrix)
    assert alpha is None or alpha <= 1


@given(st.lists(st.integers(0, 4), min_size=2, max_size=15), st.integers(2, 5))
def test_identical_items_have_alpha_one(scores, items):
    assume(len(set(scores)) > 1)
    matrix = [[Decimal(s) / 4] * items for s in scores]
    assert analyse(as_attempts(matrix, [Decimal(1)] * items)).quiz.alpha == 1.0


@given(score_matrices(), st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1)]))
def test_an_item_everyone_scores_the_same_on_has_no_discrimination(case, constant):
    matrix, possible = case
    rows = [[*row, constant] for row in matrix]
    analysis = analyse(as_attempts(rows, [*possible, Decimal(1)]))
    item = analysis.item(len(possible))
    assert item.discrimination is None
    assert item.efficiency is None
    assert item.sd == 0


@given(score_matrices(), st.randoms(use_true_random=False))
def test_the_order_of_delegates_changes_nothing(case, rng: random.Random):
    matrix, possible = case
    shuffled = matrix[:]
    rng.shuffle(shuffled)
    assert analyse(as_attempts(shuffled, possible)) == analyse(as_attempts(matrix, possible))


@given(score_matrices())
def test_summary_agrees_with_the_standard_library(case):
    matrix, possible = case
    total = sum(possible)
    percents = [float(100 * sum(row) / total) for row in matrix]
    quiz = analyse(as_attempts(matrix, possible)).quiz
    assert quiz.mean == pytest.approx(stdlib.fmean(percents))
    assert quiz.median == pytest.approx(stdlib.median(percents))
    assert quiz.sd == pytest.approx(stdlib.stdev(percents), abs=1e-9)


# Integer marks (what the report reads from the database)

SCALE = 10_000


@st.composite
def graded_attempts(draw):
    """Attempts with random draws, answers awaiting grading and questions worth no marks."""
    possible = draw(st.lists(marks | st.just(Decimal(0)), min_size=1, max_size=6))
    attempts = []
    for _ in range(draw(st.integers(0, 10))):
        drawn = draw(st.sets(st.integers(0, len(possible) - 1), min_size=1))
        row = {}
        for q in sorted(drawn):
            share = draw(shares)
            earned = possible[q] * share.numerator / share.denominator
            row[q] = (draw(st.sampled_from([earned, earned, None])), possible[q])
        attempts.append(row)
    return attempts


@given(graded_attempts())
def test_integer_marks_give_what_decimal_marks_give(attempts):
    as_items = [
        [ItemScore(q, earned, possible) for q, (earned, possible) in row.items()]
        for row in attempts
    ]
    as_integers = [
        {
            q: (None if earned is None else int(earned * SCALE), int(possible * SCALE))
            for q, (earned, possible) in row.items()
        }
        for row in attempts
    ]
    assert analyse_scaled(as_integers) == analyse(as_items)


def test_integer_marks_are_checked_as_decimal_ones_are():
    assert analyse_scaled([{1: (None, 5), 2: (3, 0)}]).quiz.attempts == 0
    with pytest.raises(ValueError, match="marks"):
        analyse_scaled([{1: (20_000, 10_000)}])
    with pytest.raises(ValueError, match="marks"):
        analyse_scaled([{1: (-1, 10_000)}])
    with pytest.raises(TypeError):
        analyse_scaled([{1: (0.5, 10_000)}])
    with pytest.raises(TypeError):
        analyse_scaled([{1: (Decimal(1), 10_000)}])


# Colour cues


def item(**kwargs):
    values = {"question_id": 1, "attempts": 10, "facility": 50.0, "sd": 30.0}
    values |= {"discrimination": 40.0, "efficiency": 60.0} | kwargs
    return ItemStatistics(**values)


@pytest.mark.parametrize(
    ("stats", "flags"),
    [
        (item(), set()),
        (item(discrimination=19.9), {Flag.WEAK_DISCRIMINATION}),
        (item(discrimination=20.0), set()),
        (item(discrimination=-5.0), {Flag.NEGATIVE_DISCRIMINATION}),
        (item(discrimination=None), set()),
        (item(facility=9.0), {Flag.VERY_HARD}),
        (item(facility=96.0, discrimination=10.0), {Flag.VERY_EASY, Flag.WEAK_DISCRIMINATION}),
    ],
)
def test_weak_items_are_flagged(stats, flags):
    assert item_flags(stats) == flags


# Distractors

OPTIONS = [
    ChoiceOption(id=10, text="15/6/2023", credit=Fraction(1)),
    ChoiceOption(id=11, text="14/2/2012"),
    ChoiceOption(id=12, text="16/2/2024", credit=Fraction(1, 2)),
]


def test_distractor_counts_choices_and_blanks():
    analysis = distractor_analysis(OPTIONS, [{10}, {10}, {11}, None, frozenset(), {99}])

    assert analysis.responses == 6
    assert [(f.option.id, f.count) for f in analysis.choices] == [(10, 2), (11, 1), (12, 0)]
    assert analysis.choices[0].percent == pytest.approx(100 * 2 / 6)
    assert analysis.unanswered == 2
    assert analysis.unanswered_percent == pytest.approx(100 * 2 / 6)
    assert OPTIONS[0].is_right and not OPTIONS[0].is_partly_right
    assert OPTIONS[2].is_partly_right and not OPTIONS[1].is_right


def test_multiple_response_counts_each_pick():
    analysis = distractor_analysis(OPTIONS, [{10, 12}, {10}])

    assert [f.count for f in analysis.choices] == [2, 0, 1]
    assert sum(f.percent for f in analysis.choices) == 150


def test_no_responses_have_no_percentages():
    analysis = distractor_analysis(OPTIONS, [])

    assert analysis.choices[0].percent is None
    assert analysis.unanswered_percent is None


# The chart's geometry


def test_bars_are_proportional_to_their_values():
    chart = bar_chart([("1", [75.0, 40.0]), ("2", [100.0, None])], width=720, label_width=64)
    plot = chart.plot_right - chart.plot_left
    facility, discrimination = chart.groups[0].bars

    assert chart.zero_x == chart.plot_left
    assert facility.width == pytest.approx(0.75 * plot, abs=0.1)
    assert discrimination.width == pytest.approx(0.40 * plot, abs=0.1)
    assert discrimination.y > facility.y
    assert chart.groups[1].bars[1].width == 0
    assert chart.groups[1].bars[1].value is None
    assert [t.value for t in chart.ticks] == [0, 20, 40, 60, 80, 100]
    assert chart.groups[1].label_y > chart.groups[0].label_y
    assert chart.height > chart.plot_bottom > chart.plot_top


def test_a_negative_value_extends_the_axis_left_of_zero():
    chart = bar_chart([("1", [60.0, -25.0])])
    bar = chart.groups[0].bars[1]

    assert chart.ticks[0].value == -40
    assert bar.x < chart.zero_x
    assert bar.x + bar.width == pytest.approx(chart.zero_x, abs=0.1)
    assert bar.label_x > chart.zero_x  # its label sits right of zero, clear of the names


def test_every_group_needs_a_value_per_series():
    with pytest.raises(ValueError):
        bar_chart([("1", [1.0, 2.0]), ("2", [1.0])])
