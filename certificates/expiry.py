"""Certificates that expire (recurring compliance training): validity, reminders, renewal.

A course's certificate template may give its certificates a validity in months. A certificate
is valid until the same day that many months after its issue (the 31st becoming the month's last
day), inclusive. ``LMS["CERTIFICATE_EXPIRY_REMINDER_DAYS"]`` before that day its holder and HR are
emailed once (``send_expiry_reminders``: the task and the ``send_expiry_reminders`` command, run
daily from cron), and from then on the holder may renew it: they take the course again, and
completing it issues a certificate that supersedes the old one (``certificates.services``).
"""

import calendar
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from certificates import exceptions
from certificates.conf import verification_url
from certificates.models import Certificate
from courses.compat import task
from courses.conf import lms_settings
from courses.sites import absolute_url

logger = logging.getLogger(__name__)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(*, issued_on: date, validity_months: int | None) -> date | None:
    return None if not validity_months else add_months(issued_on, validity_months)


def reminder_days() -> int:
    return int(lms_settings.CERTIFICATE_EXPIRY_REMINDER_DAYS)


def is_expired(certificate: Certificate, *, today: date) -> bool:
    return certificate.valid_until is not None and certificate.valid_until < today


def is_renewable(certificate: Certificate, *, today: date) -> bool:
    """A valid certificate that expires within the reminder period, or has expired."""
    return (
        certificate.status == Certificate.Status.VALID
        and certificate.valid_until is not None
        and today >= certificate.valid_until - timedelta(days=reminder_days())
    )


def start_renewal(*, certificate: Certificate, today: date) -> None:
    """The holder takes the course again; their next completion renews the certificate."""
    from courses.services import restart_course

    if not is_renewable(certificate, today=today):
        raise exceptions.NotRenewable()
    restart_course(enrollment_id=certificate.enrollment_id)


def due_for_reminder(*, today: date):
    return Certificate.objects.filter(
        status=Certificate.Status.VALID,
        expiry_reminder_sent_at__isnull=True,
        valid_until__isnull=False,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=reminder_days()),
    )


def hr_addresses() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=lms_settings.HR_GROUP, is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """Email each certificate's holder once, and HR one list, about certificates expiring
    within the reminder period. Each certificate is claimed by a conditional UPDATE before its
    email goes out, so two runs at once (or a rerun) never remind anyone twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded = []
    candidates = due_for_reminder(today=today).select_related("user", "course")
    for certificate in candidates.order_by("valid_until", "pk"):
        with transaction.atomic():
            claimed = Certificate.objects.filter(
                pk=certificate.pk, expiry_reminder_sent_at__isnull=True
            ).update(expiry_reminder_sent_at=now)
            if not claimed:
                continue
            reminded.append(certificate)
            if certificate.user.email:
                context = {"certificate": certificate, **_links(certificate)}
                _send("holder", [certificate.user.email], context)
    hr = hr_addresses()
    if reminded and hr:
        _send("hr", hr, {"certificates": reminded, "days": reminder_days()})
    return len(reminded)


def _links(certificate: Certificate) -> dict:
    code = certificate.verification_code
    return {
        "verification_url": verification_url(code, course=certificate.course),
        "my_certificates_url": absolute_url(reverse("certificates:mine"), page=certificate.course),
    }


def _send(kind: str, recipients: list[str], context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"certificates/email/expiry_{kind}_subject.txt", context)
        body = render_to_string(f"certificates/email/expiry_{kind}_body.txt", context)
    send_mail(subject.strip(), body, None, recipients)


@task
def send_expiry_reminders_task() -> dict:
    """``send_expiry_reminders`` for a scheduler that enqueues tasks."""
    return {"reminded": send_expiry_reminders()}
