from django.db.models import QuerySet

from certificates.models import Certificate


def certificates_of(*, user, include_history: bool = False) -> QuerySet[Certificate]:
    certificates = Certificate.objects.filter(user=user).select_related("course")
    if not include_history:
        certificates = certificates.exclude(status=Certificate.Status.SUPERSEDED)
    return certificates.order_by("-issued_at")


def by_verification_code(code: str) -> Certificate | None:
    if not code or len(code) > 40:
        return None
    return Certificate.objects.filter(verification_code=code).select_related("replaced_by").first()


def public_status(certificate: Certificate | None) -> str:
    """valid | revoked | superseded | unknown: all the public ever learns, with name, course
    and date of a known certificate."""
    return certificate.status if certificate else "unknown"
