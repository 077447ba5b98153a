"""Item analysis of quiz attempts, as Moodle's quiz statistics report does it: plain Python, no
Django, no database, so every formula can be checked on its own.

Inputs are marks (``Decimal``, ``Fraction`` or ``int``, never ``float``): for each attempt, the
mark earned and the marks possible on each question it contained.

Precision: sums, means, variances and covariances are exact rational arithmetic (marks are first
scaled to integers by their common denominator), so "zero variance" is decided exactly and the
order of the attempts can never change a result. Each statistic is converted to a ``float`` (IEEE
754 double, about 15 significant digits) once, at the end, with a square root where the formula
has one. Percentages are on a 0-100 scale; screens and exports round them to two places.

Formulas (Moodle: docs.moodle.org/dev/Quiz_statistics_calculations and
``question/classes/statistics/questions/calculator.php``, ``mod/quiz/report/statistics``):

Per question, over the s attempts that contained it (x: its mark, r: the rest of the attempt,
i.e. the attempt's total minus x; sample variances and covariances divide by s - 1):

* facility = 100 x mean(x / max mark);
* standard deviation = 100 x sample SD of (x / max mark);
* discrimination index = 100 x cov(x, r) / sqrt(var(x) var(r)), the correlation between the
  question and the rest of the quiz; None when either variance is zero or s < 2;
* discriminative efficiency = 100 x cov(x, r) / cov_max(x, r), where cov_max pairs the sorted
  x with the sorted r (the largest covariance those marks allow); None when cov_max is zero.

Whole quiz, over the N attempts (P: the attempt's percentage, T: its total in marks):

* mean, median, standard deviation (sample) of P;
* skewness k3 / k2^(3/2) and excess kurtosis k4 / k2^2 from the k-statistics (Moodle's, the same
  as a spreadsheet's SKEW and KURT); need N > 2 and N > 3;
* Cronbach's alpha (Moodle's "coefficient of internal consistency"):
  alpha = k / (k - 1) x (1 - sum of the item variances / var(T));
* error ratio = 100 x sqrt(1 - alpha); standard error of measurement = SD(P) x sqrt(1 - alpha).

Where this differs from Moodle, on purpose:

* Questions, not slots. Moodle keys statistics by slot, so a random slot mixes every question it
  drew. Here each question has its own row wherever it appeared, and its statistics use only the
  attempts that contained it (Moodle's per-question rows for random slots, but with the rest of
  the quiz as the comparison, as Moodle does for slots).
* Missing questions (a delegate who was not drawn a random question). Alpha keeps Moodle's form
  with k the mean number of questions per attempt and "the sum of the item variances" the pooled
  within-question sum of squares divided by N - 1. With no missing questions this is exactly
  Cronbach's alpha. With missing questions it is an estimate that can, in odd data, exceed 1;
  the error ratio and standard error are then None.
* Percentages. Moodle's mean, median and SD are of the marks total rescaled to the quiz's grade;
  here they are of each attempt's own percentage. They agree whenever every attempt has the same
  maximum, the usual case; when random draws or ungraded essays make maxima differ, the
  percentage is what the delegate was graded on. Alpha and the discrimination work on marks,
  as Moodle's do.
* Answers awaiting a trainer's grade. Moodle leaves out the whole attempt until it is graded.
  Here only the ungraded answer is left out: it counts neither for its question nor in the
  attempt's total and percentage (earned and possible), so the rest of the attempt still counts.
* Questions worth no marks carry no information and are left out.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

Number = Decimal | Fraction | int

# Thresholds for the colour cues (percentages), as Moodle's documentation suggests reading them.
WEAK_DISCRIMINATION = 20.0
VERY_HARD_FACILITY = 10.0
VERY_EASY_FACILITY = 95.0


# Inputs


class ItemScore(NamedTuple):
    """One question of one attempt. ``earned`` is None while the answer awaits grading. A
    named tuple: a report makes one for each answer (200,000 for 10,000 attempts), at about
    half a frozen dataclass's cost."""

    question_id: int
    earned: Number | None
    possible: Number


# Results


@dataclass(frozen=True, slots=True)
class ItemStatistics:
    question_id: int
    attempts: int  # attempts in which the question was analysed (Moodle's s)
    facility: float  # %
    sd: float | None  # % of the question's marks; None with fewer than 2 attempts
    discrimination: float | None  # %
    efficiency: float | None  # discriminative efficiency, %


@dataclass(frozen=True, slots=True)
class QuizStatistics:
    attempts: int
    items_per_attempt: float  # k: questions analysed per attempt, on average
    mean: float | None  # % (each attempt's percentage over its analysed questions)
    median: float | None  # %
    sd: float | None  # percentage points
    skewness: float | None
    kurtosis: float | None  # excess kurtosis (0 for a normal distribution)
    alpha: float | None  # Cronbach's alpha, at most 1 when no question is missing
    error_ratio: float | None  # %
    sem: float | None  # standard error of measurement, percentage points


@dataclass(frozen=True, slots=True)
class Analysis:
    quiz: QuizStatistics
    items: tuple[ItemStatistics, ...]  # by question id

    def item(self, question_id: int) -> ItemStatistics | None:
        return next((i for i in self.items if i.question_id == question_id), None)


# Descriptive statistics on exact numbers. Each helper scales its values to integers by their
# common denominator first: Python's integers are exact and much faster than Fractions.


def _ratio(value: Number) -> tuple[int, int]:
    if isinstance(value, float):
        raise TypeError("marks must be exact (Decimal, Fraction or int), not float")
    return value.as_integer_ratio()


def _integers(values: Iterable[Number]) -> tuple[list[int], int]:
    """``values`` x their common denominator, as integers, and that denominator."""
    ratios = [_ratio(v) for v in values]
    scale = math.lcm(1, *{d for _n, d in ratios})
    return [n * (scale // d) for n, d in ratios], scale


def _n_times_ss(values: Sequence[int]) -> int:
    """n x the sum of squared deviations from the mean: n sum(x^2) - (sum x)^2."""
    return len(values) * math.sumprod(values, values) - sum(values) ** 2


def _n_times_sp(xs: Sequence[int], ys: Sequence[int]) -> int:
    """n x the sum of products of deviations: n sum(xy) - sum(x) sum(y)."""
    return len(xs) * math.sumprod(xs, ys) - sum(xs) * sum(ys)  # sumprod: exact on integers


def _pairs(xs: Sequence[Number], ys: Sequence[Number]) -> tuple[list[int], list[int]]:
    if len(xs) != len(ys):
        raise ValueError("xs and ys must pair up")
    return _integers(xs)[0], _integers(ys)[0]


def _signed_sqrt_ratio(numerator: int, denominator: int) -> float:
    """sign(numerator) x sqrt(numerator^2 / denominator), for denominator > 0, rounded once.
    Squaring first keeps huge exact sums out of float range."""
    value = math.sqrt(Fraction(numerator * numerator, denominator))
    return -value if numerator < 0 else value


def mean(values: Sequence[Number]) -> Fraction:
    """The exact arithmetic mean. Raises ValueError when there are no values."""
    if not values:
        raise ValueError("the mean of no values")
    ints, scale = _integers(values)
    return Fraction(sum(ints), len(ints) * scale)


def median(values: Sequence[Number]) -> Fraction:
    """The exact median (the mean of the two middle values for an even count)."""
    if not values:
        raise ValueError("the median of no values")
    ints, scale = _integers(values)
    ordered, middle = sorted(ints), len(ints) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle], scale)
    return Fraction(ordered[middle - 1] + ordered[middle], 2 * scale)


def sample_variance(values: Sequence[Number]) -> Fraction | None:
    """The exact sample variance (divisor n - 1); None for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    ints, scale = _integers(values)
    return Fraction(_n_times_ss(ints), n * (n - 1) * scale * scale)


def sample_covariance(xs: Sequence[Number], ys: Sequence[Number]) -> Fraction | None:
    """The exact sample covariance (divisor n - 1); None for fewer than two pairs."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys must pair up")
    n = len(xs)
    if n < 2:
        return None
    (x_ints, x_scale), (y_ints, y_scale) = _integers(xs), _integers(ys)
    return Fraction(_n_times_sp(x_ints, y_ints), n * (n - 1) * x_scale * y_scale)


def correlation(xs: Sequence[Number], ys: Sequence[Number]) -> float | None:
    """Pearson's r; None for fewer than two pairs or when either variable is constant."""
    return _correlation(*_pairs(xs, ys))


def _correlation(xs: Sequence[int], ys: Sequence[int]) -> float | None:
    if len(xs) < 2:
        return None
    product = _n_times_ss(xs) * _n_times_ss(ys)
    if product == 0:
        return None
    return _signed_sqrt_ratio(_n_times_sp(xs, ys), product)


def discriminative_efficiency(xs: Sequence[Number], ys: Sequence[Number]) -> float | None:
    """100 x cov(x, y) / cov(sorted x, sorted y): Moodle's discriminative efficiency, the share
    of the largest covariance these marks allow (pairing the lowest x with the lowest y, and so
    on) that the question achieves. None with fewer than two pairs or when that largest
    covariance is zero (either variable is constant)."""
    return _efficiency(*_pairs(xs, ys))


def _efficiency(xs: Sequence[int], ys: Sequence[int]) -> float | None:
    if len(xs) < 2:
        return None
    best = _n_times_sp(sorted(xs), sorted(ys))
    if best == 0:
        return None
    return float(Fraction(100 * _n_times_sp(xs, ys), best))


def _moment_sums(values: Sequence[Number]) -> tuple[int, int, int, int]:
    """n and the sums of the 2nd, 3rd and 4th powers of n x (x - mean), as integers, for a
    common-denominator scaling of the values. Skewness and kurtosis do not depend on scale."""
    ints, _scale = _integers(values)
    n, total = len(ints), sum(ints)
    deviations = [n * x - total for x in ints]
    squares = [d * d for d in deviations]
    return (
        n,
        sum(squares),
        sum(s * d for s, d in zip(squares, deviations, strict=True)),
        sum(s * s for s in squares),
    )


def skewness(values: Sequence[Number]) -> float | None:
    """k3 / k2^(3/2) (Moodle; a spreadsheet's SKEW). None for fewer than three values or no
    spread."""
    if len(values) < 3:
        return None
    n, s2, s3, _s4 = _moment_sums(values)
    if s2 == 0:
        return None
    m2, m3 = Fraction(s2, n**3), Fraction(s3, n**4)  # central moments of n x the values
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    return float(k3) / float(k2) ** 1.5


def kurtosis(values: Sequence[Number]) -> float | None:
    """Excess kurtosis k4 / k2^2 (Moodle; a spreadsheet's KURT). None for fewer than four
    values or no spread."""
    if len(values) < 4:
        return None
    n, s2, _s3, s4 = _moment_sums(values)
    if s2 == 0:
        return None
    m2, m4 = Fraction(s2, n**3), Fraction(s4, n**5)  # central moments of n x the values
    k2 = n * m2 / (n - 1)
    k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
    return float(k4 / (k2 * k2))


def cronbach_alpha(matrix: Sequence[Sequence[Number]]) -> float | None:
    """Cronbach's alpha of a complete score matrix (one row per attempt, one column per item):
    k / (k - 1) x (1 - sum of the item variances / variance of the totals). None with fewer than
    two items or two attempts, or when the totals do not vary."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    if any(len(row) != k for row in matrix):
        raise ValueError("every attempt needs a score for every item")
    ints, _scale = _integers([x for row in matrix for x in row])
    rows = [ints[i : i + k] for i in range(0, len(ints), k)]
    total_ss = _n_times_ss([sum(row) for row in rows])
    if total_ss == 0:
        return None
    item_ss = sum(_n_times_ss(column) for column in zip(*rows, strict=True))
    return float(Fraction(k, k - 1) * (1 - Fraction(item_ss, total_ss)))


# The analysis of a set of attempts


def _integer_attempts(attempts: Iterable[Iterable[ItemScore]]) -> list[dict[int, tuple[int, int]]]:
    """Each attempt as {question id: (earned, possible)} in integers (all marks x their common
    denominator), without ungraded answers."""
    ratios: dict[Number, tuple[int, int]] = {}  # marks repeat: convert each value once

    def ratio(value: Number) -> tuple[int, int]:
        if isinstance(value, float) or value not in ratios:
            ratios[value] = _ratio(value)
        return ratios[value]

    raw = []
    for attempt in attempts:
        items = {}
        for item in attempt:
            if item.question_id in items:
                raise ValueError(f"question {item.question_id} appears twice in one attempt")
            items[item.question_id] = item
        raw.append(
            [
                (q, ratio(item.earned), ratio(item.possible))
                for q, item in items.items()
                if item.earned is not None
            ]
        )
    scale = math.lcm(1, *{d for n, d in ratios.values()})
    return [
        {
            q: (e_num * (scale // e_den), p_num * (scale // p_den))
            for q, (e_num, e_den), (p_num, p_den) in items
        }
        for items in raw
    ]


def _item_statistics(question_id: int, rows: list[tuple[int, int, int]]) -> ItemStatistics:
    """``rows``: (earned, possible, attempt total) for each attempt containing the question."""
    s = len(rows)
    # Facility and SD on each answer's share of its marks: versions may differ in marks.
    by_possible: dict[int, list[int]] = defaultdict(list)
    for earned, possible, _total in rows:
        by_possible[possible].append(earned)
    share_sum = sum((Fraction(sum(v), p) for p, v in by_possible.items()), Fraction(0))
    sd = None
    if s > 1:
        share_squares = sum(
            (Fraction(sum(e * e for e in v), p * p) for p, v in by_possible.items()), Fraction(0)
        )
        sd = 100 * math.sqrt((share_squares - share_sum**2 / s) / (s - 1))
    marks = [earned for earned, _possible, _total in rows]
    rest = [total - earned for earned, _possible, total in rows]
    discrimination = _correlation(marks, rest)
    return ItemStatistics(
        question_id=question_id,
        attempts=s,
        facility=float(100 * share_sum / s),
        sd=sd,
        discrimination=None if discrimination is None else 100 * discrimination,
        efficiency=_efficiency(marks, rest),
    )


def _alpha(attempts: list[dict[int, tuple[int, int]]], totals: list[int]) -> Fraction | None:
    """Cronbach's alpha allowing for missing questions (see the module's docstring)."""
    n = len(attempts)
    answered = sum(len(items) for items in attempts)  # k x n, k the mean questions per attempt
    columns: dict[int, list[int]] = defaultdict(list)
    for items in attempts:
        for q, (earned, _possible) in items.items():
            columns[q].append(earned)
    if n < 2 or len(columns) < 2 or answered <= n:
        return None
    total_ss = _n_times_ss(totals)
    if total_ss == 0:
        return None
    # The pooled within-question sum of squares: / (n - 1), the sum of the item variances.
    within = sum(Fraction(_n_times_ss(column), len(column)) for column in columns.values())
    return Fraction(answered, answered - n) * (1 - n * within / total_ss)


def _quiz_statistics(attempts: list[dict[int, tuple[int, int]]]) -> QuizStatistics:
    n = len(attempts)
    if n == 0:
        return QuizStatistics(
            attempts=0,
            items_per_attempt=0.0,
            mean=None,
            median=None,
            sd=None,
            skewness=None,
            kurtosis=None,
            alpha=None,
            error_ratio=None,
            sem=None,
        )
    totals = [sum(e for e, _p in items.values()) for items in attempts]
    percents = [
        Fraction(100 * total, sum(p for _e, p in items.values()))
        for total, items in zip(totals, attempts, strict=True)
    ]
    variance = sample_variance(percents)
    sd = None if variance is None else math.sqrt(variance)
    alpha = _alpha(attempts, totals)
    error_ratio = sem = None
    if alpha is not None and alpha <= 1:
        error_ratio = 100 * math.sqrt(1 - alpha)
        if sd is not None:
            sem = sd * math.sqrt(1 - alpha)
    return QuizStatistics(
        attempts=n,
        items_per_attempt=sum(len(items) for items in attempts) / n,
        mean=float(mean(percents)),
        median=float(median(percents)),
        sd=sd,
        skewness=skewness(percents),
        kurtosis=kurtosis(percents),
        alpha=None if alpha is None else float(alpha),
        error_ratio=error_ratio,
        sem=sem,
    )


def analyse(attempts: Iterable[Iterable[ItemScore]]) -> Analysis:
    """The quiz and item statistics of a set of attempts (see the module's docstring).

    Ungraded answers (``earned`` None) and questions worth no marks are left out; so is an
    attempt left with nothing. Raises ValueError if a question appears twice in one attempt or
    earns more than its marks (or less than nothing), TypeError for float marks.
    """
    return analyse_scaled(_integer_attempts(attempts))


def analyse_scaled(attempts: Iterable[Mapping[int, tuple[int | None, int]]]) -> Analysis:
    """``analyse()`` for marks already integers on one common scale (say 1/10,000 of a mark,
    as the database can return them): each attempt as {question id: (earned, possible)}.
    The same results as ``analyse()`` for the same marks, without converting each of them
    (a national quiz's report has 200,000). The same rules and errors; TypeError for marks
    that are not integers."""
    scaled = []
    for attempt in attempts:
        kept = {}
        for q, (earned, possible) in attempt.items():
            if earned is None:
                continue
            if not (isinstance(earned, int) and isinstance(possible, int)):
                raise TypeError(f"question {q}: marks must be integers here: {earned}, {possible}")
            if possible <= 0:
                continue
            if not 0 <= earned <= possible:
                raise ValueError(f"question {q}: {earned} of {possible} marks")
            kept[q] = (earned, possible)
        if kept:
            scaled.append(kept)
    rows: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for items in scaled:
        total = sum(e for e, _p in items.values())
        for q, (earned, possible) in items.items():
            rows[q].append((earned, possible, total))
    return Analysis(
        quiz=_quiz_statistics(scaled),
        items=tuple(_item_statistics(q, rows[q]) for q in sorted(rows)),
    )


# Colour cues


class Flag(StrEnum):
    NEGATIVE_DISCRIMINATION = "negative_discrimination"
    WEAK_DISCRIMINATION = "weak_discrimination"
    VERY_HARD = "very_hard"
    VERY_EASY = "very_easy"


def item_flags(
    item: ItemStatistics,
    *,
    weak_discrimination: float = WEAK_DISCRIMINATION,
    very_hard: float = VERY_HARD_FACILITY,
    very_easy: float = VERY_EASY_FACILITY,
) -> frozenset[Flag]:
    """What a trainer should look at: a question that works against the rest of the quiz,
    separates strong from weak delegates poorly, or that almost nobody (or everybody) gets."""
    flags = set()
    if item.discrimination is not None:
        if item.discrimination < 0:
            flags.add(Flag.NEGATIVE_DISCRIMINATION)
        elif item.discrimination < weak_discrimination:
            flags.add(Flag.WEAK_DISCRIMINATION)
    if item.facility < very_hard:
        flags.add(Flag.VERY_HARD)
    elif item.facility > very_easy:
        flags.add(Flag.VERY_EASY)
    return frozenset(flags)
