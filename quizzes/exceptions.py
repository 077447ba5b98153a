"""Quiz errors: plain classes with a stable code and a translated message; views map them to
messages and HTTP 400/409."""

from django.utils.translation import gettext_lazy as _

from courses.exceptions import LMSError


class QuizError(LMSError):
    code = "quiz_error"
    status = 400


class QuizNotOpen(QuizError):
    code = "quiz_not_open"
    message = _("This quiz is not open yet.")


class QuizClosed(QuizError):
    code = "quiz_closed"
    message = _("This quiz has closed.")


class NoAttemptsLeft(QuizError):
    code = "no_attempts_left"
    message = _("You have used all the attempts allowed for this quiz.")
    status = 409


class QuizMisconfigured(QuizError):
    code = "quiz_misconfigured"
    message = _(
        "This quiz cannot start because its question bank has too few questions. "
        "Please tell your trainer."
    )


class AttemptClosed(QuizError):
    code = "attempt_closed"
    message = _("This attempt has been submitted; answers can no longer be changed.")


class TimeExpired(AttemptClosed):
    code = "time_expired"
    message = _(
        "Time is up. Your attempt was submitted with the answers saved before the deadline."
    )


class NotInAttempt(QuizError):
    code = "not_in_attempt"
    message = _("This question is not part of your attempt.")


class BadAnswer(QuizError):
    code = "invalid_answer"

    def __init__(self, position: int, message: str) -> None:
        self.position = position
        super().__init__(message)


class NotGradable(QuizError):
    code = "not_gradable"
    message = _("Only submitted essay answers can be graded by hand.")


class GradeOutOfRange(QuizError):
    code = "grade_out_of_range"
