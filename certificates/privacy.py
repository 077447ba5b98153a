"""The personal data ``certificates`` holds: issued certificates and their PDFs
(``courses.privacy``). Erasure keeps the register true: serial, course, dates, status and the
PDF's hash stay; the name stays only when ``LMS["CERTIFICATES_STAY_VERIFIABLE"]``."""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import BulkDownload, Certificate, CertificateEvent
from courses.conf import lms_settings
from courses.privacy.registry import (
    ErasureContext,
    ExportFile,
    ExportSection,
    PersonalData,
    Provider,
    RetentionResult,
    redact,
)


class CertificatesProvider(Provider):
    app_label = "certificates"
    declarations = (
        PersonalData(
            "certificates.Certificate",
            ("user", "full_name", "organisation", "position", "province", "pdf", "issued_by"),
            gettext_lazy("Certificates issued to a delegate, with their PDFs."),
            gettext_lazy(
                "Serial, course, dates and the PDF's hash kept; the name kept only while "
                "certificates must stay verifiable; the PDF deleted."
            ),
        ),
        PersonalData(
            "certificates.CertificateEvent",
            ("actor", "note"),
            gettext_lazy("Who issued, downloaded, emailed or revoked a certificate."),
            gettext_lazy("Notes naming the delegate are redacted."),
        ),
        PersonalData(
            "certificates.BulkDownload",
            ("requested_by",),
            gettext_lazy("Staff who downloaded certificates in bulk."),
            gettext_lazy("Points at the anonymous account."),
        ),
        PersonalData(
            "certificates.CertificateTemplate",
            ("signatory_1_name", "signatory_2_name"),
            gettext_lazy("The signatories printed on certificates (officials, not accounts)."),
            gettext_lazy("Not linked to an account: HR edits them."),
        ),
        PersonalData(
            "certificates.CertificateSigner",
            ("signer_name", "certificate_subject"),
            gettext_lazy("The official who signs certificates digitally, and their certificate."),
            gettext_lazy("Not linked to an account: administrators edit it."),
        ),
        PersonalData(
            "certificates.CertificateSignature",
            ("signer_name", "certificate_subject"),
            gettext_lazy("Who signed each certificate, as the signed PDF also says."),
            gettext_lazy("Kept with the certificate: it proves the PDF's signature."),
        ),
    )
    not_personal = {"certificates.SerialCounter": "Counters."}

    def apply_retention(self, *, now, dry_run: bool) -> list[RetentionResult]:
        return apply_pdf_retention(now=now, dry_run=dry_run)

    def refusals(self, user: AbstractBaseUser) -> list[str]:
        issued = Certificate.objects.filter(issued_by=user).count()
        if issued:
            return [
                _(
                    "This account issued %(count)d certificates, and the register must keep "
                    "who issued them. Deactivate the account instead of erasing it."
                )
                % {"count": issued}
            ]
        return []

    def export(self, user: AbstractBaseUser) -> list[ExportSection]:
        certificates = Certificate.objects.filter(user=user).order_by("issued_at")
        return [
            ExportSection(
                "certificates",
                gettext_lazy("Certificates"),
                (
                    "serial",
                    "status",
                    "course",
                    "cohort",
                    "full_name",
                    "organisation",
                    "position",
                    "province",
                    "score",
                    "issued_on",
                    "pdf_sha256",
                ),
                [
                    (
                        c.serial,
                        c.status,
                        c.course_title,
                        c.cohort_name,
                        c.full_name,
                        c.organisation,
                        c.position,
                        c.province,
                        str(c.score) if c.score is not None else None,
                        c.issued_on.isoformat(),
                        c.pdf_sha256,
                    )
                    for c in certificates
                ],
            )
        ]

    def export_files(self, user: AbstractBaseUser):
        for certificate in Certificate.objects.filter(user=user).exclude(pdf=""):
            try:
                with certificate.pdf.open("rb") as pdf:
                    content = pdf.read()
            except OSError:  # the file was removed by the retention schedule
                continue
            yield ExportFile(f"certificates/{certificate.serial}.pdf", content)

    def erase(self, context: ErasureContext) -> None:
        certificates = list(Certificate.objects.filter(user=context.user))
        for certificate in certificates:
            if certificate.pdf:
                certificate.pdf.delete(save=False)
            if not context.keep_certificate_names:
                certificate.full_name = ""
            certificate.organisation = ""
            certificate.position = ""
            certificate.province = ""
            certificate.revocation_reason = redact(
                certificate.revocation_reason, context.identifiers
            )
            certificate.save(
                update_fields=[
                    "pdf",
                    "full_name",
                    "organisation",
                    "position",
                    "province",
                    "revocation_reason",
                ]
            )
        for event in CertificateEvent.objects.filter(certificate__user=context.user).exclude(
            note=""
        ):
            event.note = redact(event.note, context.identifiers)
            event.save(update_fields=["note"])
        expired = expire_bulk_zips_holding({c.pk for c in certificates}, now=context.now)
        kept = "name kept" if context.keep_certificate_names else "name removed"
        context.notes.append(
            f"certificates: {len(certificates)} de-identified ({kept}), PDFs deleted, "
            f"{expired} bulk ZIPs holding them deleted"
        )


def apply_pdf_retention(*, now, dry_run: bool) -> list[RetentionResult]:
    days = lms_settings.RETENTION_CERTIFICATE_PDF_DAYS
    if days is None:
        return []
    old = Certificate.objects.filter(issued_at__lt=now - timedelta(days=days)).exclude(pdf="")
    count = old.count()
    if not dry_run:
        for certificate in old.only("pk", "pdf").iterator():
            certificate.pdf.delete(save=False)
            Certificate.objects.filter(pk=certificate.pk).update(pdf="")
    return [
        RetentionResult(
            "RETENTION_CERTIFICATE_PDF_DAYS",
            f"stored PDFs of certificates issued over {days} days ago (hashes kept)",
            count,
        )
    ]


def expire_bulk_zips_holding(certificate_ids: set[int], *, now) -> int:
    """Delete the finished bulk ZIPs that hold any of these certificates' PDFs (marked expired,
    as their retention would). Returns how many."""
    if not certificate_ids:
        return 0
    expired = 0
    finished = BulkDownload.objects.select_for_update().filter(state=BulkDownload.State.DONE)
    for job in finished.only("pk", "certificate_ids", "zip_file"):
        if not certificate_ids.intersection(job.certificate_ids or ()):
            continue
        name = job.zip_file.name
        job.state, job.expired_at, job.zip_file = BulkDownload.State.EXPIRED, now, ""
        job.save(update_fields=["state", "expired_at", "zip_file"])
        if name:
            transaction.on_commit(lambda name=name: default_storage.delete(name))
        expired += 1
    return expired
