"""From database rows to the plain values ``certificates.pdf`` draws."""

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from certificates.conf import verification_url
from certificates.models import Certificate, CertificateTemplate
from certificates.pdf import Design, Holder, Signatory


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    with image.file.open("rb") as handle:
        return handle.read()


def design_from_template(template: CertificateTemplate) -> Design:
    signatories = tuple(
        Signatory(name=str(name), title=str(title), signature=_image_bytes(signature))
        for name, title, signature in (
            (template.signatory_1_name, template.signatory_1_title, template.signatory_1_signature),
            (template.signatory_2_name, template.signatory_2_title, template.signatory_2_signature),
        )
        if name or title
    )
    official = template.preset == CertificateTemplate.Preset.OFFICIAL
    return Design(
        title=str(template.title),
        intro=str(template.intro),
        body=str(template.body),
        issuing_body=str(template.issuing_body),
        parent_body=str(template.parent_body),
        place=str(template.place),
        motto=(str(template.motto_line_1), str(template.motto_line_2))
        if template.show_motto
        else None,
        date_line=str(template.date_line),
        register_label=str(template.register_label),
        verify_label=_("Check this certificate at:"),
        font="serif" if official else "sans",
        primary_colour=template.primary_colour,
        text_colour=template.text_colour,
        border=template.border,
        landscape=template.landscape,
        logo=_image_bytes(template.logo),
        seal=_image_bytes(template.seal),
        signatories=signatories,
    )


def template_for(course) -> CertificateTemplate:
    template = (
        CertificateTemplate.objects.filter(course=course).first()
        or CertificateTemplate.objects.filter(course__isnull=True).order_by("pk").first()
    )
    if template is None:  # a site that never made one still issues readable certificates
        template = CertificateTemplate(name=_("Default"), issuing_body="")
    return template


def design_for(course) -> Design:
    return design_from_template(template_for(course))


def _percent(score: Decimal | None) -> str:
    return "" if score is None else f"{formats.number_format(score, decimal_pos=None)}%"


def holder_for(certificate: Certificate) -> Holder:
    cohort = certificate.cohort
    return Holder(
        full_name=certificate.full_name,
        course_title=certificate.course_title,
        serial=certificate.serial,
        issued_on=certificate.issued_on,
        verification_url=verification_url(certificate.verification_code, course=certificate.course),
        verification_code=certificate.verification_code,
        organisation=certificate.organisation,
        position=certificate.position,
        province=certificate.province,
        cohort=certificate.cohort_name,
        score=_percent(certificate.score),
        start_date=cohort.starts_on.strftime("%d/%m/%Y") if cohort else "",
        end_date=cohort.ends_on.strftime("%d/%m/%Y") if cohort else "",
    )


def sample_holder(course=None) -> Holder:
    """A made-up delegate for previews, with a verification link on ``course``'s site."""
    return Holder(
        full_name=_("Sample Delegate Name"),
        course_title=_("Course title"),
        serial="TTĐN-2024-000123",
        issued_on=date.today(),  # noqa: DTZ011 (a preview's date only)
        verification_url=verification_url("sample-code", course=course),
        verification_code="sample-code",
        organisation=_("Organisation"),
        position=_("Position"),
        province=_("Province"),
        cohort=_("Cohort"),
        score="92,5%",
    )
