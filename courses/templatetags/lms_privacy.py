"""Template filters of ``courses.privacy``."""

from django import template

from courses.models import ErasedAccount

register = template.Library()


@register.filter
def holder_erased(record) -> bool:
    """Whether the person a record (a certificate, an enrolment) belongs to was erased."""
    user_id = getattr(record, "user_id", None)
    return user_id is not None and ErasedAccount.objects.filter(user_id=user_id).exists()
