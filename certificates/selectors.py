import hashlib
import re
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from certificates.expiry import is_expired
from certificates.models import Certificate

EXPIRED = "expired"  # a public status, not a stored one: a valid certificate past its last day

# Verification codes are URL-safe base64 (services.new_verification_code). Anything else is
# unknown without asking the database (PostgreSQL refuses text with NUL characters).
_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def certificates_of(*, user, include_history: bool = False) -> QuerySet[Certificate]:
    certificates = Certificate.objects.filter(user=user).select_related("course")
    if not include_history:
        certificates = certificates.exclude(status=Certificate.Status.SUPERSEDED)
    return certificates.order_by("-issued_at", "-pk")


def by_verification_code(code: str) -> Certificate | None:
    if not code or not _CODE.fullmatch(code):
        return None
    return Certificate.objects.filter(verification_code=code).select_related("replaced_by").first()


def by_pdf_file(upload: UploadedFile) -> Certificate | None:
    """The certificate whose issued PDF is exactly this file, byte for byte."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return Certificate.objects.filter(pdf_sha256=digest.hexdigest()).first()


def public_status(certificate: Certificate | None, *, today: date | None = None) -> str:
    """valid | expired | revoked | superseded | unknown: all the public ever learns, with name,
    course and dates of a known certificate."""
    if certificate is None:
        return "unknown"
    today = today or timezone.localdate()
    if certificate.status == Certificate.Status.VALID and is_expired(certificate, today=today):
        return EXPIRED
    return certificate.status
