"""Writes for quizzes. Views and the API call these; neither re-implements their rules."""

from quizzes.services.attempts import (
    SaveResult,
    close_overdue_attempts,
    deadline_for,
    is_overdue,
    quiz_grade,
    rescore,
    save_answers,
    start_attempt,
    submit_attempt,
)
from quizzes.services.flags import flag_questions
from quizzes.services.grading import grade_response
from quizzes.services.regrading import RegradeChange, regrade_quiz
from quizzes.services.versions import choices_in_order, current_versions, snapshot_of

__all__ = [
    "RegradeChange",
    "SaveResult",
    "choices_in_order",
    "close_overdue_attempts",
    "current_versions",
    "deadline_for",
    "flag_questions",
    "grade_response",
    "is_overdue",
    "quiz_grade",
    "regrade_quiz",
    "rescore",
    "save_answers",
    "snapshot_of",
    "start_attempt",
    "submit_attempt",
]
