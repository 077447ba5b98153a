from quizzes.models.attempts import Attempt, Response, counts_now
from quizzes.models.bank import (
    Choice,
    Question,
    QuestionCategory,
    QuestionVersion,
    TaggedQuestion,
)
from quizzes.models.quiz import QuizFeedbackBand, QuizPage, QuizSlot

__all__ = [
    "Attempt",
    "Choice",
    "Question",
    "QuestionCategory",
    "QuestionVersion",
    "QuizFeedbackBand",
    "QuizPage",
    "QuizSlot",
    "Response",
    "counts_now",
    "TaggedQuestion",
]
