"""Signing certificate PDFs (PAdES baseline B-B, or B-T with a timestamp server) with pyHanko.

pyHanko is imported only here, and only when a signer is configured: a site that signs
nothing needs no ``signing`` extra. The signature covers the whole document and embeds the
signer's certificate chain, so Acrobat, Foxit and poppler's ``pdfsig`` can check it offline.

Two kinds of failure, both leaving nothing issued (the caller's transaction rolls back):

* ``SignerMisconfigured``: the configuration is wrong (a wrong password, a missing file, an
  expired certificate). An administrator must fix it; retrying does not help.
* ``SignerUnavailable``: the token is not plugged in, the timestamp server does not answer.
  The issuing task tries again later.
"""

import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.exceptions import CertificateError
from certificates.models.signing import CertificateSigner

SIGNATURE_FIELD = "LMSCertificateSignature"
TIMESTAMP_TIMEOUT_SECONDS = 10


class SigningError(CertificateError):
    code = "signing_error"
    message = gettext_lazy("The certificate could not be signed.")


class SignerMisconfigured(SigningError):
    code = "signer_misconfigured"


class SignerUnavailable(SigningError):
    """Temporary: the same signature may succeed later."""

    code = "signer_unavailable"


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """The public facts of a signing certificate, kept in the database."""

    chain_pem: str
    fingerprint: str
    subject: str
    not_after: datetime


@dataclass(frozen=True, slots=True)
class SignedPdf:
    data: bytes
    identity: SigningIdentity
    timestamped: bool


def signer_for_template(template) -> CertificateSigner | None:
    """The enabled signer of a saved template, or None (certificates are then unsigned)."""
    if template is None or template.pk is None:
        return None
    return CertificateSigner.objects.filter(template=template, enabled=True).first()


# Loading the key


def _secret(*, env: str, path: str, what: str) -> bytes | None:
    if env:
        value = os.environ.get(env)
        if value is None:
            raise SignerMisconfigured(
                _("The environment variable %(name)s that should hold the %(what)s is not set.")
                % {"name": env, "what": what}
            )
        return value.encode()
    if path:
        try:
            return Path(path).read_bytes().rstrip(b"\r\n")
        except OSError as error:
            raise SignerMisconfigured(
                _("The %(what)s file %(path)s cannot be read (%(error)s).")
                % {"what": what, "path": path, "error": error.strerror or error}
            ) from error
    return None


def _load_pkcs12(config: CertificateSigner):
    from pyhanko.sign import signers

    password = _secret(env=config.password_env, path=config.password_file, what=_("password"))
    try:
        data = Path(config.pkcs12_path).read_bytes()
    except OSError as error:
        raise SignerMisconfigured(
            _("The PKCS#12 file %(path)s cannot be read (%(error)s).")
            % {"path": config.pkcs12_path, "error": error.strerror or error}
        ) from error
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=password)
    except ValueError as error:
        raise SignerMisconfigured(
            _(
                "The PKCS#12 file %(path)s cannot be opened: the password is wrong or the file "
                "is damaged."
            )
            % {"path": config.pkcs12_path}
        ) from error


def _load_pkcs11(config: CertificateSigner):
    try:
        from pkcs11 import exceptions as token_errors
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11
    except ImportError as error:  # python-pkcs11 is not installed
        raise SignerMisconfigured(
            _("Signing with a PKCS#11 token needs the python-pkcs11 package on the server.")
        ) from error
    pin = _secret(env=config.pkcs11_pin_env, path="", what=_("PIN"))
    try:
        session = pkcs11.open_pkcs11_session(
            config.pkcs11_module,
            token_criteria=TokenCriteria(label=config.pkcs11_token_label),
            user_pin=pin.decode() if pin is not None else None,
        )
    except (
        token_errors.PinIncorrect,
        token_errors.PinInvalid,
        token_errors.PinLenRange,
        token_errors.PinExpired,
        token_errors.PinLocked,
    ) as error:
        # Not retried: every wrong try counts towards the token locking itself.
        raise SignerMisconfigured(
            _(
                "The PIN of the signing token “%(label)s” was refused (%(error)s). Correct it "
                "before the token locks itself after too many wrong tries."
            )
            % {"label": config.pkcs11_token_label, "error": type(error).__name__}
        ) from error
    except Exception as error:  # the token is unplugged, or the module absent
        raise SignerUnavailable(
            _("The signing token “%(label)s” is not available: %(error)s")
            % {"label": config.pkcs11_token_label, "error": error}
        ) from error
    # The certificate on the token carries the key's label, as agencies' tokens are issued;
    # every other certificate on it (the issuing CA's) joins the embedded chain. The digest is
    # computed here and the token signs it ("raw" RSA PKCS#1 v1.5 or ECDSA): every token has
    # those mechanisms, not every one has the hash-and-sign ones (SoftHSM lacks ECDSA-SHA256).
    signer = pkcs11.PKCS11Signer(
        session,
        key_label=config.pkcs11_key_label,
        cert_label=config.pkcs11_key_label,
        other_certs_to_pull=None,
        use_raw_mechanism=True,
    )
    try:
        signer.signing_cert  # noqa: B018 (reads the key and certificate from the token)
    except Exception as error:
        session.close()
        raise SignerMisconfigured(
            _("The token “%(label)s” holds no key and certificate labelled “%(key)s”: %(error)s")
            % {"label": config.pkcs11_token_label, "key": config.pkcs11_key_label, "error": error}
        ) from error
    return signer, session


@contextmanager
def opened_signer(config: CertificateSigner):
    """A pyHanko signer for ``config`` (a token's session is closed after the block); raises
    ``SigningError``."""
    if config.kind != CertificateSigner.Kind.PKCS11:
        yield _load_pkcs12(config)
        return
    signer, session = _load_pkcs11(config)
    try:
        yield signer
    finally:
        session.close()


def identity_of(signer) -> SigningIdentity:
    from asn1crypto import pem

    cert = signer.signing_cert
    chain = [cert, *(c for c in signer.cert_registry if c != cert)]
    return SigningIdentity(
        chain_pem="".join(pem.armor("CERTIFICATE", c.dump()).decode() for c in chain),
        fingerprint=hashlib.sha256(cert.dump()).hexdigest(),
        subject=cert.subject.human_friendly,
        not_after=cert.not_valid_after,
    )


def _check_validity(identity: SigningIdentity, signer, *, now: datetime) -> None:
    not_before = signer.signing_cert.not_valid_before
    if now > identity.not_after:
        raise SignerMisconfigured(
            _("The signing certificate “%(subject)s” expired on %(date)s.")
            % {"subject": identity.subject, "date": f"{identity.not_after:%d/%m/%Y}"}
        )
    if now < not_before:
        raise SignerMisconfigured(
            _("The signing certificate “%(subject)s” is valid only from %(date)s.")
            % {"subject": identity.subject, "date": f"{not_before:%d/%m/%Y}"}
        )


# Signing


def sign_pdf(pdf: bytes, *, config: CertificateSigner, now: datetime | None = None) -> SignedPdf:
    """Sign ``pdf`` for ``config``'s agency. Raises ``SignerMisconfigured`` or
    ``SignerUnavailable``."""
    with opened_signer(config) as signer:
        identity = identity_of(signer)
        _check_validity(identity, signer, now=(now or timezone.now()).astimezone(UTC))
        out = _sign_with(signer, pdf, config=config)
    return SignedPdf(data=out.getvalue(), identity=identity, timestamped=bool(config.timestamp_url))


def _sign_with(signer, pdf: bytes, *, config: CertificateSigner) -> BytesIO:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as PyHankoSigningError
    from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

    timestamper = (
        HTTPTimeStamper(config.timestamp_url, timeout=TIMESTAMP_TIMEOUT_SECONDS)
        if config.timestamp_url
        else None
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        name=config.signer_name,
        reason=config.reason,
        location=config.location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        # Agency certificates carry digitalSignature, nonRepudiation or both.
        signer_key_usage={"digital_signature"}
        if _has_usage(signer, "digital_signature")
        else {"non_repudiation"},
    )
    pdf_signer = signers.PdfSigner(metadata, signer=signer, timestamper=timestamper)
    try:
        try:
            out = pdf_signer.sign_pdf(
                IncrementalPdfFileWriter(BytesIO(pdf)),
                bytes_reserved=signature_space(signer, timestamped=timestamper is not None),
            )
        except PyHankoSigningError:  # the space was too small: let pyHanko measure it
            out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)))
    except TimestampRequestError as error:
        raise SignerUnavailable(
            _("The timestamp server %(url)s did not answer: %(error)s")
            % {"url": config.timestamp_url, "error": error}
        ) from error
    except PyHankoSigningError as error:  # e.g. a certificate without a signing key usage
        raise SignerMisconfigured(
            _("The document cannot be signed with this certificate: %(error)s") % {"error": error}
        ) from error
    return out


def signature_space(signer, *, timestamped: bool) -> int:
    """Bytes to reserve for the signature: the embedded chain, the signature and its attributes,
    and a timestamp token (which carries the TSA's own chain). Reserving them saves pyHanko a
    rehearsal signature to measure it, about half the signing time."""
    chain = sum(len(cert.dump()) for cert in signer.cert_registry) + len(signer.signing_cert.dump())
    der_bytes = chain + 4096 + (16384 if timestamped else 0)
    return 2 * der_bytes  # counted in the file, where the DER is written in hexadecimal


def _has_usage(signer, usage: str) -> bool:
    key_usage = signer.signing_cert.key_usage_value
    return key_usage is not None and usage in key_usage.native


def check_configuration(
    config: CertificateSigner, *, now: datetime | None = None
) -> SigningIdentity:
    """Sign a one-page test PDF with ``config`` (the timestamp server included): the admin
    learns of a wrong password, an expired certificate or an unreachable server on saving,
    not when a delegate's certificate is due. Raises ``SigningError``."""
    from reportlab.pdfgen.canvas import Canvas

    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "LMS signing check")
    canvas.save()
    return sign_pdf(buffer.getvalue(), config=config, now=now).identity


def remember_identity(config: CertificateSigner, identity: SigningIdentity) -> None:
    config.certificate_chain_pem = identity.chain_pem
    config.certificate_fingerprint = identity.fingerprint
    config.certificate_subject = identity.subject[:500]
    config.certificate_not_after = identity.not_after
    config.checked_at = timezone.now()
