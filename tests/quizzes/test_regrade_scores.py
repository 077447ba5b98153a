"""A regrade scores each distinct answer once (``QuestionScores``): the same results as scoring
every answer, whatever the answers and their order. Pure: no database."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from quizzes.answers import for_scoring
from quizzes.scoring import (
    ChoiceKey,
    QuestionKey,
    QuestionType,
    score_attempt,
    score_question,
    total_score,
)
from quizzes.services.regrading import QuestionScores

KEYS = {
    1: QuestionKey(
        type=QuestionType.SINGLE,
        marks=Decimal(1),
        choices=tuple(ChoiceKey(id=i, fraction=Fraction(i == 1)) for i in (1, 2, 3)),
    ),
    2: QuestionKey(
        type=QuestionType.MULTIPLE,
        marks=Decimal(2),
        choices=(
            ChoiceKey(id=4, fraction=Fraction(1, 2)),
            ChoiceKey(id=5, fraction=Fraction(1, 2)),
            ChoiceKey(id=6, fraction=Fraction(-1, 2)),
        ),
    ),
}
# Stored answers as the database returns them (JSON): ids, lists of ids, a stray boolean.
STORED = {
    1: st.one_of(st.none(), st.sampled_from([1, 2, 3, True, False])),
    2: st.one_of(st.none(), st.lists(st.sampled_from([4, 5, 6]), max_size=3, unique=True)),
}
ANSWER = st.sampled_from(sorted(KEYS)).flatmap(
    lambda version: st.tuples(st.just(version), STORED[version])
)


@given(st.lists(st.lists(ANSWER, min_size=1, max_size=6), min_size=1, max_size=8))
def test_each_answer_scored_once_scores_as_scoring_every_answer(attempts):
    scores = QuestionScores(KEYS)
    for answers in attempts:
        kept = [scores.of(version, stored, None) for version, stored in answers]
        direct = [
            score_question(KEYS[version], for_scoring(KEYS[version].type, stored))
            for version, stored in answers
        ]
        assert [question for question, _pair in kept] == direct
        assert [pair for _question, pair in kept] == [
            (question.earned_decimal, question.outcome.value) for question in direct
        ]
        pass_mark = Decimal(50)
        assert total_score(direct, pass_mark_percent=pass_mark) == score_attempt(
            [KEYS[version] for version, _stored in answers],
            [for_scoring(KEYS[version].type, stored) for version, stored in answers],
            pass_mark_percent=pass_mark,
        )
