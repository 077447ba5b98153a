"""Issuing, revoking and reissuing certificates. Views, receivers, tasks and the API call these."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates import exceptions
from certificates.conf import verification_url
from certificates.design import design_from_template, holder_for, sample_holder, template_for
from certificates.expiry import is_renewable, valid_until
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateSignature,
    CertificateTemplate,
    SerialCounter,
)
from certificates.pdf import MissingGlyph, render_certificate
from certificates.signing import sign_pdf, signer_for_template
from courses.conf import lms_settings
from courses.models import Enrollment
from courses.sites import absolute_url
from courses.text import collapse_spaces


def new_verification_code() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


def next_serial(*, enrollment: Enrollment, year: int) -> str:
    """The next number in the course's sequence for ``year``: locked, so never a gap or twin."""
    counter, _created = SerialCounter.objects.select_for_update().get_or_create(
        course_id=enrollment.course_id, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return lms_settings.CERTIFICATE_SERIAL_FORMAT.format(
        course_code=enrollment.course.code, year=year, number=counter.last_number
    )


def quiz_score(enrollment: Enrollment):
    """The delegate's grade in the course's final required quiz, if the quiz app is there."""
    from quizzes.models import QuizPage
    from quizzes.services import quiz_grade

    quizzes = QuizPage.objects.live().child_of(enrollment.course).filter(is_required=True)
    final = quizzes.order_by("-path").first()
    return quiz_grade(final, enrollment.user) if final else None


def _record(certificate, action, actor, now, note="") -> None:
    CertificateEvent.objects.create(
        certificate=certificate, action=action, actor=actor, at=now, note=note
    )


def _create(*, enrollment, issued_by, now, replaces=None) -> Certificate:
    profile = getattr(enrollment.user, "delegate_profile", None)
    template = template_for(enrollment.course)
    certificate = Certificate(
        serial=next_serial(enrollment=enrollment, year=timezone.localdate(now).year),
        verification_code=new_verification_code(),
        enrollment=enrollment,
        user=enrollment.user,
        course=enrollment.course,
        cohort=enrollment.cohort,
        full_name=collapse_spaces(
            profile.full_name if profile else enrollment.user.get_full_name()
        ),
        organisation=collapse_spaces(
            (profile.organisation if profile else "") or enrollment.organisation
        ),
        position=collapse_spaces((profile.position if profile else "") or enrollment.position),
        province=str(enrollment.province or (profile.province if profile else "") or ""),
        course_title=collapse_spaces(enrollment.course.title),
        cohort_name=enrollment.cohort.name if enrollment.cohort else "",
        score=quiz_score(enrollment),
        issued_on=timezone.localdate(now),
        issued_at=now,
        issued_by=issued_by,
        replaces=replaces,
        valid_until=valid_until(
            issued_on=timezone.localdate(now),
            validity_months=template.validity_months,
        ),
    )
    try:
        # Certificates are drawn in the site's language, whoever clicks the button.
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_certificate(design_from_template(template), holder_for(certificate))
    except MissingGlyph as error:
        raise exceptions.CannotRender(
            _("The certificate font cannot draw “%(char)s” (U+%(code)04X) in “%(text)s”.")
            % {"char": error.char, "code": ord(error.char), "text": error.text}
        ) from error
    # Signed before anything is stored: a signer that fails (SigningError) leaves nothing.
    signer = signer_for_template(template)
    signed = sign_pdf(pdf, config=signer, now=now) if signer else None
    if signed is not None:
        pdf = signed.data
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(pdf), save=False)
    certificate.save()
    if signed is not None:
        CertificateSignature.objects.create(
            certificate=certificate,
            signer=signer,
            signer_name=signer.signer_name,
            certificate_subject=signed.identity.subject[:500],
            certificate_fingerprint=signed.identity.fingerprint,
            signed_at=now,
            timestamped=signed.timestamped,
        )
    return certificate


def issue_certificate(
    *,
    enrollment_id: int,
    issued_by: AbstractBaseUser | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> tuple[Certificate, bool]:
    """Issue the enrolment's certificate, or return the one it has: never two.

    Automatic issue (``issued_by=None``) needs a completed course; HR may issue by hand.
    ``notify=False`` skips the email to the delegate (e.g. when loading demo data).
    """
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("course", "cohort", "province", "user__delegate_profile")
            .get(pk=enrollment_id)
        )
        existing = enrollment.certificates.filter(status=Certificate.Status.VALID).first()
        renewing = existing is not None and _retaken_to_renew(existing, enrollment, now)
        if existing is not None and not renewing:
            return existing, False
        if issued_by is None and enrollment.completed_at is None:
            raise exceptions.NotEligible()
        if renewing:  # the renewal supersedes it (its status list bit is set)
            existing.status = Certificate.Status.SUPERSEDED
            existing.save(update_fields=["status"])
            _record(existing, CertificateEvent.Action.REISSUED, issued_by, now, _("Renewed"))
        certificate = _create(
            enrollment=enrollment, issued_by=issued_by, now=now, replaces=existing
        )
        _record(certificate, CertificateEvent.Action.ISSUED, issued_by, now)
        if notify:
            transaction.on_commit(lambda: send_issued_email(certificate_id=certificate.pk))
    return certificate, True


def _retaken_to_renew(existing: Certificate, enrollment: Enrollment, now: datetime) -> bool:
    """The course was completed again after the certificate, in its renewal period."""
    return (
        enrollment.completed_at is not None
        and enrollment.completed_at > existing.issued_at
        and is_renewable(existing, today=timezone.localdate(now))
    )


def revoke_certificate(
    *, certificate_id: int, by: AbstractBaseUser, reason: str, now: datetime | None = None
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise exceptions.ReasonRequired()
    now = now or timezone.now()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.status != Certificate.Status.VALID:
            raise exceptions.NotValid()
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at, certificate.revocation_reason = now, reason
        certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
        _record(certificate, CertificateEvent.Action.REVOKED, by, now, reason)
    return certificate


def reissue_certificate(
    *, certificate_id: int, by: AbstractBaseUser, reason: str, now: datetime | None = None
) -> Certificate:
    """Replace a certificate (e.g. after a name correction): new serial and code, a fresh
    snapshot of the profile; the old one is marked superseded."""
    reason = reason.strip()
    if not reason:
        raise exceptions.ReasonRequired()
    now = now or timezone.now()
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate_id)
        if old.status != Certificate.Status.VALID:
            raise exceptions.NotValid()
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("course", "cohort", "province", "user__delegate_profile")
            .get(pk=old.enrollment_id)
        )
        old.status = Certificate.Status.SUPERSEDED
        old.save(update_fields=["status"])
        new = _create(enrollment=enrollment, issued_by=by, now=now, replaces=old)
        _record(old, CertificateEvent.Action.REISSUED, by, now, reason)
        _record(new, CertificateEvent.Action.ISSUED, by, now, reason)
        transaction.on_commit(lambda: send_issued_email(certificate_id=new.pk))
    return new


def record_download(*, certificate: Certificate, actor: AbstractBaseUser | None) -> None:
    _record(certificate, CertificateEvent.Action.DOWNLOADED, actor, timezone.now())


def send_issued_email(*, certificate_id: int) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    certificate = Certificate.objects.select_related("user", "course").get(pk=certificate_id)
    course = certificate.course
    if not certificate.user.email:
        return
    context = {
        "certificate": certificate,
        "verification_url": verification_url(certificate.verification_code, course=course),
        "my_certificates_url": absolute_url(reverse("certificates:mine"), page=course),
    }
    send_mail(
        render_to_string("certificates/email/issued_subject.txt", context).strip(),
        render_to_string("certificates/email/issued_body.txt", context),
        None,
        [certificate.user.email],
    )
    _record(certificate, CertificateEvent.Action.EMAILED, None, timezone.now())


def preview_pdf(template: CertificateTemplate) -> bytes:
    """The admin's preview of a template: the PDF for a sample delegate. Raises MissingGlyph
    when the template's text needs a character its font lacks."""
    return render_certificate(design_from_template(template), sample_holder(template.course))
