"""Checking the signature of an uploaded certificate PDF (the verification page).

A file can be proven in two ways, and the page says which held:

* by hash: it is byte for byte the PDF that was issued (``selectors.by_pdf_file``);
* by signature: it carries a signature that is intact, made with a signing certificate this
  LMS is configured with (or signed with before), over the whole document.

A genuine copy that a reader application re-saved (an incremental update appended) fails the
hash but keeps a valid signature over its first revision: the page says it was changed after
signing and still finds the certificate by the hash of that signed revision.

A signature made with a certificate of this agency is then checked for revocation where the
agency's CA publishes it (the CRL distribution points and OCSP responders named in the
certificate), with a short timeout. Only certificates the administrator configured lead to a
fetch: the addresses in a stranger's certificate are never visited. Three outcomes are told
apart: not revoked, revoked (the signature is no longer relied on), and "could not be checked"
(offline, or the CA publishes nothing): the signature is then reported valid *with that said*.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from importlib.util import find_spec
from io import BytesIO
from typing import TYPE_CHECKING

from certificates.models.signing import CertificateSignature, CertificateSigner

if TYPE_CHECKING:
    from certificates.models import Certificate

logger = logging.getLogger(__name__)

REVOCATION_TIMEOUT_SECONDS = 5


class Verdict(StrEnum):
    UNSIGNED = "unsigned"
    VALID = "valid"  # intact, trusted, covering the whole file
    MODIFIED = "modified"  # intact and trusted, but the file was changed after signing
    UNTRUSTED = "untrusted"  # intact, but not signed by a certificate this LMS knows
    BROKEN = "broken"  # the signed bytes were altered
    REVOKED = "revoked"  # intact and ours, but the signing certificate has been revoked
    UNREADABLE = "unreadable"


class Revocation(StrEnum):
    """Whether the agency's signing certificate was found not revoked (VALID, MODIFIED)."""

    NOT_CHECKED = "not_checked"  # the verdict does not depend on it
    GOOD = "good"  # the CA's CRL or OCSP responder says it is not revoked
    REVOKED = "revoked"  # ... says it is revoked
    OFFLINE = "offline"  # the CA's CRL or OCSP responder could not be reached
    NOT_PUBLISHED = "not_published"  # the certificate names no CRL or OCSP responder


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    verdict: Verdict
    signer_subject: str = ""
    signer_name: str = ""
    signed_revision_sha256: str = ""  # the bytes the signature covers
    revocation: Revocation = Revocation.NOT_CHECKED
    revoked_at: "datetime | None" = None


def known_signing_certificates():
    """The asn1crypto certificates of every configured signer's chain, and the fingerprints
    of every certificate that ever signed a certificate here."""
    from asn1crypto import pem, x509

    certificates = []
    for chain in CertificateSigner.objects.values_list("certificate_chain_pem", flat=True):
        for _type, _headers, der in pem.unarmor(chain.encode(), multiple=True):
            certificates.append(x509.Certificate.load(der))
    fingerprints = set(
        CertificateSigner.objects.values_list("certificate_fingerprint", flat=True)
    ) | set(CertificateSignature.objects.values_list("certificate_fingerprint", flat=True))
    fingerprints.discard("")
    return certificates, fingerprints


def check_signature(data: bytes) -> SignatureCheck:
    """The verdict on the last signature of ``data`` (a PDF)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as error:
        logger.info("Unreadable PDF at verification: %s", error)
        return SignatureCheck(Verdict.UNREADABLE)
    if not signatures:
        return SignatureCheck(Verdict.UNSIGNED)
    signature = signatures[-1]
    known, fingerprints = known_signing_certificates()
    context = ValidationContext(
        trust_roots=known or None, allow_fetching=False, revocation_mode="soft-fail"
    )
    start, first_length, second_start, second_length = (int(n) for n in signature.byte_range)
    revision = hashlib.sha256(data[: second_start + second_length]).hexdigest()
    try:
        status = validate_pdf_signature(signature, context)
    except (PdfError, ValueError, KeyError, TypeError) as error:
        # A malformed signature (SignatureValidationError is a ValueError) is a broken one.
        logger.info("Signature check failed: %s", error)
        return SignatureCheck(Verdict.BROKEN, signed_revision_sha256=revision)
    cert = status.signing_cert
    subject = cert.subject.human_friendly if cert is not None else ""
    name = str(signature.sig_object.get("/Name", "") or "")
    if not (status.intact and status.valid):
        verdict = Verdict.BROKEN
    elif (
        not known
        or not status.trusted
        or hashlib.sha256(cert.dump()).hexdigest() not in fingerprints
    ):
        verdict = Verdict.UNTRUSTED
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        verdict = Verdict.MODIFIED
    else:
        verdict = Verdict.VALID
    revocation, revoked_at = Revocation.NOT_CHECKED, None
    if verdict in (Verdict.VALID, Verdict.MODIFIED):
        revocation, revoked_at = revocation_of(signature, cert, trust_roots=known)
        if revoked_at is not None:
            verdict = Verdict.REVOKED
    return SignatureCheck(
        verdict,
        signer_subject=subject,
        signer_name=name,
        signed_revision_sha256=revision,
        revocation=revocation,
        revoked_at=revoked_at,
    )


def revocation_of(signature, cert, *, trust_roots) -> tuple[Revocation, datetime | None]:
    """Ask the agency's CA whether ``cert`` (a configured signing certificate) is revoked:
    (GOOD, None), (OFFLINE or NOT_PUBLISHED, None), or (REVOKED, the revocation's time)."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers import OwnedFetcherBackend
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    if not (cert.crl_distribution_points or cert.ocsp_urls):
        return Revocation.NOT_PUBLISHED, None
    # Anchored at the CAs only: a trust anchor is never checked for revocation, so the
    # signing certificate itself (in the configured chain) must not be one here.
    authorities = [c for c in trust_roots if c.ca and c.sha256 != cert.sha256]
    if not authorities:
        return Revocation.OFFLINE, None
    context = ValidationContext(
        trust_roots=authorities,
        allow_fetching=True,
        # "require": trusted only once the CA has answered about every certificate of the path.
        revocation_mode="require",
        # Owned: the validation closes the HTTP session it opened.
        fetcher_backend=OwnedFetcherBackend(
            AIOHttpFetcherBackend(per_request_timeout=REVOCATION_TIMEOUT_SECONDS)
        ),
    )
    try:
        status = validate_pdf_signature(signature, context)
    except (PdfError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("Revocation check failed: %s", error)
        return Revocation.OFFLINE, None
    if status.revoked:
        return Revocation.REVOKED, status.revocation_details.revocation_date
    if status.trusted:
        return Revocation.GOOD, None
    logger.info("Revocation of %s could not be checked.", cert.subject.human_friendly)
    return Revocation.OFFLINE, None


@dataclass(frozen=True, slots=True)
class FileVerification:
    """What an uploaded PDF proved: the certificate it is, by its hash or by its signature."""

    certificate: "Certificate | None"
    by_hash: bool
    signature: SignatureCheck | None  # None where pyHanko is not installed


def signature_checks_available() -> bool:
    return find_spec("pyhanko") is not None


def verify_pdf(data: bytes) -> FileVerification:
    from certificates.selectors import by_pdf_sha256

    certificate = by_pdf_sha256(hashlib.sha256(data).hexdigest())
    signature = check_signature(data) if signature_checks_available() else None
    by_hash = certificate is not None
    if certificate is None and signature is not None and signature.verdict == Verdict.MODIFIED:
        # A genuine copy re-saved by a reader: its signed revision is the issued file.
        certificate = by_pdf_sha256(signature.signed_revision_sha256)
    return FileVerification(certificate=certificate, by_hash=by_hash, signature=signature)
