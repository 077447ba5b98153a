import hashlib
import re
import unicodedata
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Replace, Upper
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


def serial_key(text: str) -> str:
    """A serial number as a visitor may type it, reduced to what tells serials apart:
    ``" ttđn - 2024 - 000123 "`` and ``"TTDN-2024-000123"`` -> ``"TTDN-2024-000123"``. Spaces go,
    Đ is D (keyboards without Vietnamese input), letters are upper case."""
    text = unicodedata.normalize("NFC", text)
    return "".join(text.split()).replace("đ", "D").replace("Đ", "D").upper()


def _stored_serial_key():
    """``serial_key`` in SQL, for the serials as stored (NFC, as every snapshot is)."""
    folded = F("serial")
    for char, replacement in ((" ", ""), ("đ", "D"), ("Đ", "D")):
        folded = Replace(folded, Value(char), Value(replacement))
    return Upper(folded)


def by_serial(text: str) -> Certificate | None:
    """The certificate whose printed serial number ("Số vào sổ") is ``text``, forgiving case,
    spaces and Đ typed as D. None when nothing, or more than one certificate, matches."""
    key = serial_key(text)
    max_length = Certificate._meta.get_field("serial").max_length
    if not key or len(key) > max_length or "\x00" in key:
        return None
    found = list(
        Certificate.objects.annotate(printed_serial_key=_stored_serial_key())
        .filter(printed_serial_key=key)
        .select_related("replaced_by")[:2]
    )
    return found[0] if len(found) == 1 else None


def by_printed_reference(text: str) -> Certificate | None:
    """The certificate a visitor names by what is printed on it: the verification code under
    its QR code (exact), else its serial number."""
    return by_verification_code(text) or by_serial(text)


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
