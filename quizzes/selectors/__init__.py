"""The quizzes app's reads: ``attempts`` (quiz pages, attempts and reviews; its names are
re-exported here) and ``statistics`` (the inputs of the statistics screens, who may see them)."""

from quizzes.selectors.attempts import (
    QuestionOnPage,
    QuestionState,
    QuizStatus,
    ReviewedQuestion,
    attempt_for,
    attempts_of,
    attempts_visible_to,
    page_questions,
    question_count,
    question_states,
    quiz_status,
    quizzes_visible_to,
    review,
    right_answer_texts,
    startable_quiz,
)

__all__ = [
    "QuestionOnPage",
    "QuestionState",
    "QuizStatus",
    "ReviewedQuestion",
    "attempt_for",
    "attempts_of",
    "startable_quiz",
    "attempts_visible_to",
    "page_questions",
    "question_count",
    "question_states",
    "quiz_status",
    "quizzes_visible_to",
    "review",
    "right_answer_texts",
]
