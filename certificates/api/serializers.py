"""Output shapes of the certificates API. Certificates show the facts printed on them (the
snapshot taken at issue), not today's course titles or profiles."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from certificates import selectors, tasks
from certificates.badges import keys
from certificates.conf import verification_url
from certificates.models import BulkDownload, Certificate, CertificateSignature
from certificates.views.bulk import job_text
from courses.api.toolkit import absolute_url


def api_url(context, name: str, pk: int) -> str:
    return absolute_url(context, reverse(f"lms_api:{name}", args=[pk]))


class SignatureSerializer(serializers.ModelSerializer):
    """Who signed the certificate's PDF (PAdES), recorded when it was issued."""

    class Meta:
        model = CertificateSignature
        fields = ["signer_name", "certificate_subject", "signed_at", "timestamped"]
        read_only_fields = fields


VALIDITY_CHOICES = [
    (Certificate.Status.VALID, _("Valid")),
    ("expired", _("Expired")),
    (Certificate.Status.REVOKED, _("Revoked")),
    (Certificate.Status.SUPERSEDED, _("Superseded")),
]


class CertificateSerializer(serializers.ModelSerializer):
    """One of my certificates: its state, its proof (digital signature, Open Badges 3.0
    credential) and its validity."""

    state = serializers.SerializerMethodField(
        help_text=_(
            "Always `issued`: a certificate exists once rendered, signed and stored. Those still "
            "being prepared are listed at `preparing`."
        )
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    validity = serializers.SerializerMethodField(
        help_text=_("valid, expired, revoked or superseded, as the verification page says.")
    )
    expired = serializers.SerializerMethodField()
    signed = serializers.SerializerMethodField(help_text=_("Whether the PDF is digitally signed."))
    signature = serializers.SerializerMethodField(help_text=_("Null when the PDF is unsigned."))
    verification_url = serializers.SerializerMethodField(
        help_text=_("The public page that confirms the certificate (its QR code).")
    )
    pdf_url = serializers.SerializerMethodField(help_text=_("Download the issued PDF."))
    share_url = serializers.SerializerMethodField(
        help_text=_(
            "The credential's public page, to share. Null when the site issues no Open Badges."
        )
    )

    pdf_url_name = "my-certificate-pdf"

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "status",
            "status_label",
            "full_name",
            "course",
            "course_title",
            "cohort",
            "cohort_name",
            "score",
            "issued_on",
            "state",
            "valid_until",
            "validity",
            "expired",
            "signed",
            "signature",
            "verification_url",
            "pdf_url",
            "share_url",
        ]
        read_only_fields = fields

    def get_state(self, certificate) -> str:
        return "issued"

    def get_validity(self, certificate) -> str:
        return selectors.public_status(certificate)

    def get_expired(self, certificate) -> bool:
        return selectors.public_status(certificate) == selectors.EXPIRED

    def get_signed(self, certificate) -> bool:
        return self.signature_of(certificate) is not None

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_signature(self, certificate) -> dict | None:
        signature = self.signature_of(certificate)
        return SignatureSerializer(signature).data if signature is not None else None

    def signature_of(self, certificate) -> CertificateSignature | None:
        try:
            return certificate.signature
        except CertificateSignature.DoesNotExist:
            return None

    def get_share_url(self, certificate) -> str | None:
        if keys.configured_pem() is None:
            return None
        path = reverse("certificates:badge_public", args=[certificate.verification_code])
        return absolute_url(self.context, path)

    def get_verification_url(self, certificate) -> str:
        return verification_url(certificate.verification_code, course=certificate.course)

    def get_pdf_url(self, certificate) -> str:
        return api_url(self.context, self.pdf_url_name, certificate.pk)


class MyCertificateSerializer(CertificateSerializer):
    """One of my certificates, with its Open Badges 3.0 credential (only its holder downloads
    it, as on "My certificates")."""

    credential_url = serializers.SerializerMethodField(
        help_text=_("The signed Open Badges 3.0 credential. Null when the site issues none.")
    )

    class Meta(CertificateSerializer.Meta):
        fields = [*CertificateSerializer.Meta.fields, "credential_url"]
        read_only_fields = fields

    def get_credential_url(self, certificate) -> str | None:
        if keys.configured_pem() is None:
            return None
        return api_url(self.context, "my-certificate-credential", certificate.pk)


class PreparingCertificateSerializer(serializers.Serializer):
    """A completed course whose certificate is being prepared (issued by a task, waiting for
    the signer)."""

    enrollment = serializers.IntegerField(source="pk", read_only=True)
    course = serializers.IntegerField(source="course_id", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    completed_at = serializers.DateTimeField(read_only=True)
    state = serializers.SerializerMethodField(help_text=_("Always `preparing`."))

    def get_state(self, enrollment) -> str:
        return "preparing"


class CredentialSerializer(serializers.Serializer):
    """The Open Badges 3.0 ``OpenBadgeCredential`` and its VC-JWT (what wallets import)."""

    credential = serializers.DictField(read_only=True)
    jwt = serializers.CharField(read_only=True, help_text=_("The credential signed as VC-JWT."))


class RegisterCertificateSerializer(CertificateSerializer):
    """A certificate of the register, as HR sees it (the columns of its export and more)."""

    pdf_url_name = "certificate-pdf"

    class Meta(CertificateSerializer.Meta):
        fields = [
            *CertificateSerializer.Meta.fields,
            "user",
            "organisation",
            "position",
            "province",
            "issued_at",
            "issued_by",
            "revoked_at",
            "revocation_reason",
            "replaces",
        ]
        read_only_fields = fields


# Public verification

VERIFICATION_STATUSES = [
    *Certificate.Status.choices,
    ("expired", _("Expired")),
    ("unknown", _("Unknown")),
]


def verification_message(certificate: Certificate | None, status: str) -> str:
    """What the public verification page says (the same texts)."""
    if status == Certificate.Status.VALID:
        return gettext("Valid certificate.")
    if status == Certificate.Status.REVOKED:
        when = formats.date_format(timezone.localtime(certificate.revoked_at), "SHORT_DATE_FORMAT")
        return gettext("This certificate was revoked on %(date)s.") % {"date": when}
    if status == Certificate.Status.SUPERSEDED:
        return gettext("This certificate was replaced by a newer one and is no longer valid.")
    if status == "expired":
        when = formats.date_format(certificate.valid_until, "SHORT_DATE_FORMAT")
        return gettext("This certificate expired on %(date)s.") % {"date": when}
    return gettext("No certificate matches. Check the code, or ask the issuing organisation.")


class VerificationSerializer(serializers.Serializer):
    """All the public learns of a certificate: its status and, if it exists, the name, course
    and issue date printed on it. An unknown code and a malformed one are answered alike."""

    # The instance is {"certificate": Certificate | None, "status": selectors.public_status}.

    status = serializers.ChoiceField(choices=VERIFICATION_STATUSES, read_only=True)
    message = serializers.SerializerMethodField()
    full_name = serializers.CharField(
        source="certificate.full_name", read_only=True, allow_null=True, default=None
    )
    course_title = serializers.CharField(
        source="certificate.course_title", read_only=True, allow_null=True, default=None
    )
    issued_on = serializers.DateField(
        source="certificate.issued_on", read_only=True, allow_null=True, default=None
    )
    revoked_on = serializers.SerializerMethodField(help_text=_("Null unless revoked."))

    def get_message(self, result) -> str:
        return verification_message(result["certificate"], result["status"])

    def get_revoked_on(self, result) -> str | None:
        certificate = result["certificate"]
        if certificate is None or certificate.status != Certificate.Status.REVOKED:
            return None
        return timezone.localdate(certificate.revoked_at).isoformat()


class FileVerificationSerializer(VerificationSerializer):
    """The check of an uploaded PDF: it matches only the exact file that was issued."""

    file_matches = serializers.SerializerMethodField()
    file_message = serializers.SerializerMethodField()

    def get_file_matches(self, result) -> bool:
        return result["certificate"] is not None

    def get_file_message(self, result) -> str:
        if result["certificate"] is not None:
            return gettext("This file is exactly the PDF that was issued.")
        return gettext("This file is not a certificate issued here, or it has been altered.")


class VerifyFileSerializer(serializers.Serializer):
    """The upload (checked by ``certificates.forms.VerifyFileForm``, as on the site)."""

    file = serializers.FileField(help_text=_("The certificate's PDF, as it was issued."))


# Bulk ZIP downloads


class BulkDownloadSerializer(serializers.ModelSerializer):
    """A ZIP job: poll ``url`` until ``finished``; then ``download_url`` serves the ZIP."""

    state_label = serializers.CharField(source="get_state_display", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    finished = serializers.BooleanField(source="is_finished", read_only=True)
    text = serializers.SerializerMethodField(help_text=_("The progress, in words."))
    stale = serializers.SerializerMethodField(
        help_text=_("Running without progress for a while: its worker was probably stopped.")
    )
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), read_only=True
    )
    url = serializers.SerializerMethodField(help_text=_("Poll this address for progress."))
    download_url = serializers.SerializerMethodField(help_text=_("Null until the ZIP is ready."))

    class Meta:
        model = BulkDownload
        fields = [
            "id",
            "state",
            "state_label",
            "done",
            "total",
            "percent",
            "finished",
            "text",
            "error",
            "stale",
            "filters",
            "requested_at",
            "started_at",
            "finished_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_text(self, job) -> str:
        return job_text(job)

    def get_stale(self, job) -> bool:
        return tasks.is_stale(job)

    def get_url(self, job) -> str:
        return api_url(self.context, "certificate-zip-detail", job.pk)

    def get_download_url(self, job) -> str | None:
        if job.state != BulkDownload.State.DONE:
            return None
        return api_url(self.context, "certificate-zip-download", job.pk)
