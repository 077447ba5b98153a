from quizzes.models.attempts import Attempt, Response, counts_now
from quizzes.models.bank import (
    Choice,
    Question,
    QuestionCategory,
    QuestionVersion,
    TaggedQuestion,
)
from quizzes.models.quiz import QuizFeedbackBand, QuizPage, QuizSlot
from quizzes.models.regrades import RegradeJob

__all__ = [
    "Attempt",
    "Choice",
    "Question",
    "QuestionCategory",
    "QuestionVersion",
    "QuizFeedbackBand",
    "QuizPage",
    "QuizSlot",
    "RegradeJob",
    "Response",
    "counts_now",
    "TaggedQuestion",
]
