from django.utils.translation import gettext_lazy as _

from quizzes.exceptions import QuizError


class AttemptStillOpen(QuizError):
    """The review of an attempt that is still open (the quiz page sends the delegate back to
    the attempt instead)."""

    code = "attempt_open"
    message = _("This attempt is still open. Submit it to see its review.")
    status = 409
