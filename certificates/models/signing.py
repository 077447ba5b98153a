"""Digital signatures (PAdES) of certificate PDFs: who signs for an issuing body, and what
signed each certificate.

The signing key never enters the database: a PKCS#12 file is named by its path on the server
(its password in an environment variable or a secrets file), a PKCS#11 token by its module,
token and key labels (its PIN in an environment variable). What is stored is public: the
signer's certificate chain, kept when the configuration is checked, so that the verification
page can tell a certificate signed by this agency from one signed by anybody else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


def default_reason() -> str:
    return str(_("Certificate of completion of a training course issued"))


class CertificateSigner(models.Model):
    """The agency's signing certificate for the issuing body of one certificate template."""

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("PKCS#12 file")
        PKCS11 = "pkcs11", _("PKCS#11 token (USB token, HSM)")

    template = models.OneToOneField(
        "certificates.CertificateTemplate",
        on_delete=models.CASCADE,
        related_name="signer",
        verbose_name=_("certificate template"),
        help_text=_("The certificates drawn with this template are signed for its issuing body."),
    )
    enabled = models.BooleanField(_("sign certificates"), default=True)
    kind = models.CharField(_("key store"), max_length=6, choices=Kind.choices)
    pkcs12_path = models.CharField(
        _("PKCS#12 file"),
        max_length=500,
        blank=True,
        help_text=_("Path of the .p12/.pfx file on the server, outside the media folder."),
    )
    password_env = models.CharField(
        _("password environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable that holds the password."),
    )
    password_file = models.CharField(
        _("password file"),
        max_length=500,
        blank=True,
        help_text=_("Or the path of a secrets file that holds the password."),
    )
    pkcs11_module = models.CharField(_("PKCS#11 module"), max_length=500, blank=True)
    pkcs11_token_label = models.CharField(_("token label"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("key label"), max_length=100, blank=True)
    pkcs11_pin_env = models.CharField(
        _("PIN environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable that holds the token's PIN."),
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    reason = models.CharField(_("reason"), max_length=200, default=default_reason)
    location = models.CharField(_("place of signing"), max_length=100, blank=True)
    timestamp_url = models.URLField(
        _("timestamp server (RFC 3161)"),
        blank=True,
        help_text=_("Optional. The time of signing is then certified by this server."),
    )
    certificate_chain_pem = models.TextField(
        _("signing certificate chain"),
        editable=False,
        help_text=_("Read from the key store when the configuration is checked."),
    )
    certificate_fingerprint = models.CharField(
        _("SHA-256 fingerprint"), max_length=64, editable=False
    )
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, editable=False)
    certificate_not_after = models.DateTimeField(
        _("certificate valid until"), null=True, editable=False
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, editable=False)

    class Meta:
        verbose_name = _("certificate signer")
        verbose_name_plural = _("certificate signers")

    def __str__(self) -> str:
        return f"{self.signer_name} ({self.template})"


class CertificateSignature(models.Model):
    """What signed one certificate PDF, recorded when it was issued."""

    wagtail_reference_index_ignore = True

    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.PROTECT,
        related_name="signature",
        verbose_name=_("certificate"),
    )
    signer = models.ForeignKey(
        CertificateSigner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("signer"),
    )
    signer_name = models.CharField(_("signer's name"), max_length=200)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500)
    certificate_fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"))
    timestamped = models.BooleanField(_("timestamped"), default=False)

    class Meta:
        verbose_name = _("certificate signature")
        verbose_name_plural = _("certificate signatures")

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.signer_name}"
