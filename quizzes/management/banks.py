"""What the question commands (``import_questions``, ``export_questions``) share: which question
bank their ``--course`` option names."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from quizzes import importing


def bank_of(code: str | None) -> int | None:
    """The id of the course whose bank ``--course`` names, ``None`` for the shared bank; a
    ``CommandError`` saying so when no course has the code."""
    try:
        return importing.bank_by_code(code)
    except LookupError:
        raise CommandError(_("No course has the code “%(code)s”.") % {"code": code}) from None
