"""Checking the signature of an uploaded certificate PDF (the verification page).

A file can be proven in two ways, and the page says which held:

* by hash: it is byte for byte the PDF that was issued (``selectors.by_pdf_file``);
* by signature: it carries a signature that is intact, made with a signing certificate this
  LMS is configured with (or signed with before), over the whole document.

A genuine copy that a reader application re-saved (an incremental update appended) fails the
hash but keeps a valid signature over its first revision: the page says it was changed after
signing and still finds the certificate by the hash of that signed revision.
"""

import hashlib
import logging
from dataclasses import dataclass
from enum import StrEnum
from importlib.util import find_spec
from io import BytesIO
from typing import TYPE_CHECKING

from certificates.models.signing import CertificateSignature, CertificateSigner

if TYPE_CHECKING:
    from certificates.models import Certificate

logger = logging.getLogger(__name__)


class Verdict(StrEnum):
    UNSIGNED = "unsigned"
    VALID = "valid"  # intact, trusted, covering the whole file
    MODIFIED = "modified"  # intact and trusted, but the file was changed after signing
    UNTRUSTED = "untrusted"  # intact, but not signed by a certificate this LMS knows
    BROKEN = "broken"  # the signed bytes were altered
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    verdict: Verdict
    signer_subject: str = ""
    signer_name: str = ""
    signed_revision_sha256: str = ""  # the bytes the signature covers


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
    return SignatureCheck(
        verdict, signer_subject=subject, signer_name=name, signed_revision_sha256=revision
    )


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
