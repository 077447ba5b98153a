"""Flags a delegate puts on questions of their open attempt, to come back to them before
submitting (Moodle's "flag question"). Stored on the response, so they survive a reload and
show in the API; they never change a score."""

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from quizzes import exceptions
from quizzes.models import Attempt


def flag_questions(
    *, attempt_id: int, user: AbstractBaseUser, flags: Mapping[int, bool]
) -> dict[int, bool]:
    """Set or clear the flags by position; all or nothing. Raises ``Attempt.DoesNotExist`` for
    someone else's attempt, ``AttemptClosed`` once it is submitted and ``NotInAttempt`` for a
    position it does not have. Returns the flags now stored for those positions. No flags, no
    query: the autosave calls this on every save."""
    if not flags:
        return {}
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
        if attempt is None:
            raise Attempt.DoesNotExist
        if not attempt.is_open:
            raise exceptions.AttemptClosed()
        responses = attempt.responses.filter(position__in=list(flags))
        if responses.count() != len(flags):
            raise exceptions.NotInAttempt()
        for value in (True, False):
            positions = [position for position, flagged in flags.items() if flagged is value]
            if positions:
                responses.filter(position__in=positions).update(flagged=value)
    return dict(flags)
