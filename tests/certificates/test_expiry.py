import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from certificates import expiry, services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrollment
from tests import factories
from tests.certificates import badge_support as badges
from tests.certificates import factories as cf

ISSUED = datetime.datetime(2025, 1, 31, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Hà Nội


# Issue dates a certificate can have: from 2000 to 2200 (near year 9999, ten years more leave
# the calendar, which is no certificate's case).
@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2200, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months):
    result = expiry.add_months(day, months)
    assert (result.year - day.year) * 12 + result.month - day.month == months
    assert result.day == day.day or (
        result.day < day.day and (result + datetime.timedelta(1)).day == 1
    )


def test_twelve_months_from_the_31st_of_january():
    assert expiry.add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert expiry.valid_until(issued_on=datetime.date(2025, 1, 31), validity_months=12) == (
        datetime.date(2026, 1, 31)
    )
    assert expiry.valid_until(issued_on=datetime.date(2025, 1, 31), validity_months=None) is None


def expiring_certificate(*, months=12, email="tuyet@example.vn"):
    course = factories.course(modules=1)
    cf.template(course=course, validity_months=months)
    enrollment = cf.completed_enrollment(course=course)
    enrollment.user.email = email
    enrollment.user.save()
    with time_machine.travel(ISSUED, tick=False):
        certificate, _created = services.issue_certificate(
            enrollment_id=enrollment.pk, notify=False
        )
    return certificate


@pytest.mark.django_db
def test_a_certificate_of_a_course_with_a_validity_expires():
    certificate = expiring_certificate()
    assert certificate.valid_until == datetime.date(2026, 1, 31)


@pytest.mark.django_db
def test_verification_says_expired_in_vietnamese_after_the_last_day(client):
    certificate = expiring_certificate()
    url = reverse("certificates:verify_code", args=[certificate.verification_code])
    with time_machine.travel(datetime.datetime(2026, 1, 31, 16, 0, tzinfo=datetime.UTC)):
        # 23:00 on 31 January in Hà Nội: still valid all of its last day
        assert "Giấy chứng nhận hợp lệ." in client.get(url).content.decode()
    with time_machine.travel(datetime.datetime(2026, 1, 31, 17, 30, tzinfo=datetime.UTC)):
        page = client.get(url).content.decode()
    assert "Giấy chứng nhận này đã hết hạn vào ngày 31/01/2026." in page


@pytest.mark.django_db
def test_the_credential_expires_with_the_certificate(client):
    certificate = expiring_certificate()
    client.force_login(certificate.user)
    url = reverse("certificates:badge_download", args=[certificate.pk, "jwt"])
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)):
        token = client.get(url).content.decode()
        claims = badges.verify(client, token)
    assert claims["validUntil"] == "2026-01-31T16:59:59Z"
    assert claims["exp"] == int(
        datetime.datetime(2026, 1, 31, 16, 59, 59, tzinfo=datetime.UTC).timestamp()
    )
    import jwt as pyjwt

    with (
        time_machine.travel(datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)),
        pytest.raises(pyjwt.ExpiredSignatureError),
    ):
        pyjwt.decode(token, badges.issuer_key(client, token), algorithms=["EdDSA"])


@pytest.mark.django_db
def test_holders_and_hr_are_reminded_once_within_the_reminder_period(mailoutbox, settings):
    settings.LMS = {**settings.LMS, "CERTIFICATE_EXPIRY_REMINDER_DAYS": 30}
    certificate = expiring_certificate()
    never_expires = expiring_certificate(months=None)
    hr = factories.UserFactory(email="hr@example.vn")
    hr.groups.add(_hr_group())
    with time_machine.travel(datetime.datetime(2025, 12, 31, 16, 59, tzinfo=datetime.UTC)):
        assert expiry.send_expiry_reminders() == 0  # 23:59 on 31 Dec: 31 days left
    with time_machine.travel(datetime.datetime(2026, 1, 1, 2, 0, tzinfo=datetime.UTC)):
        assert expiry.send_expiry_reminders() == 1
        assert expiry.send_expiry_reminders() == 0  # a second run the same day
    with time_machine.travel(datetime.datetime(2026, 1, 20, 2, 0, tzinfo=datetime.UTC)):
        call_command("send_expiry_reminders")  # cron, days later
    assert [m.to for m in mailoutbox] == [["tuyet@example.vn"], ["hr@example.vn"]]
    holder, hr_mail = mailoutbox
    assert "31/01/2026" in holder.body and certificate.serial in holder.body
    assert certificate.serial in hr_mail.body and never_expires.serial not in hr_mail.body
    certificate.refresh_from_db()
    assert certificate.expiry_reminder_sent_at is not None


def _hr_group():
    from django.contrib.auth.models import Group

    from courses.conf import lms_settings

    return Group.objects.get_or_create(name=lms_settings.HR_GROUP)[0]


@pytest.mark.django_db
def test_revoked_certificates_are_not_reminded(mailoutbox):
    certificate = expiring_certificate()
    services.revoke_certificate(
        certificate_id=certificate.pk, by=factories.UserFactory(), reason="Sai"
    )
    with time_machine.travel(datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC)):
        assert expiry.send_expiry_reminders() == 0
    assert mailoutbox == []


@pytest.mark.django_db
def test_taking_the_course_again_renews_and_supersedes_the_certificate(
    client, django_capture_on_commit_callbacks
):
    certificate = expiring_certificate()
    client.force_login(certificate.user)
    credential_url = reverse("certificates:badge_download", args=[certificate.pk, "json"])
    renew = reverse("certificates:renew", args=[certificate.pk])
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)):
        assert client.post(renew).status_code == 302  # too early: refused with a message
        assert Enrollment.objects.get(pk=certificate.enrollment_id).completed_at is not None
    with time_machine.travel(datetime.datetime(2026, 1, 10, 2, 0, tzinfo=datetime.UTC)):
        old_credential = json.loads(client.get(credential_url).content)
        page = client.get(reverse("certificates:mine")).content.decode()
        assert renew in page
        client.post(renew)
        enrollment = Enrollment.objects.get(pk=certificate.enrollment_id)
        assert enrollment.completed_at is None
        assert Certificate.objects.get(pk=certificate.pk).status == "valid"  # until completed
        with django_capture_on_commit_callbacks(execute=True):
            course_services.complete_item(
                user=certificate.user, page=certificate.course.get_children().first()
            )
        renewal = Certificate.objects.get(enrollment=enrollment, status="valid")
        assert renewal.replaces_id == certificate.pk
        assert renewal.valid_until == datetime.date(2027, 1, 10)
        assert Certificate.objects.get(pk=certificate.pk).status == "superseded"
        assert badges.status_bit(client, old_credential) == 1


@pytest.mark.django_db
def test_completing_again_outside_the_renewal_period_issues_nothing_new():
    certificate = expiring_certificate()
    enrollment = certificate.enrollment
    enrollment.completed_at = timezone.now()
    enrollment.save()
    with time_machine.travel(datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)):
        again, created = services.issue_certificate(enrollment_id=enrollment.pk, notify=False)
    assert not created and again.pk == certificate.pk


@pytest.mark.django_db
def test_the_api_says_expired_too(client):
    certificate = expiring_certificate()
    url = reverse("lms_api:verification-detail", args=[certificate.verification_code])
    with time_machine.travel(datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)):
        body = client.get(url).json()
    assert body["status"] == "expired"
    assert body["message"] == "Giấy chứng nhận này đã hết hạn vào ngày 31/01/2026."


@pytest.mark.django_db
def test_the_reminder_task_runs_the_reminders(mailoutbox):
    expiring_certificate()
    with time_machine.travel(datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC)):
        result = expiry.send_expiry_reminders_task.enqueue()
    assert result.return_value == {"reminded": 1}
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_register_and_its_export_show_until_when_a_certificate_is_valid(client):
    certificate = expiring_certificate()
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))

    listing = client.get(reverse("certificate_register:index")).content.decode()
    export = client.get(reverse("certificate_register:index"), {"export": "csv"})

    assert "Có hiệu lực đến" in listing
    assert "31/01/2026" in listing
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert "Có hiệu lực đến" in rows[0]
    assert certificate.serial in rows[1] and "2026-01-31" in rows[1]
