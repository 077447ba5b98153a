"""Serial numbers have no gaps: an issue that fails after taking its number gives it back
(docs/decisions/0014-gap-free-certificate-serials.md)."""

import datetime

import pytest

from certificates import exceptions, services
from certificates.models import Certificate, SerialCounter
from certificates.signing import SignerUnavailable
from tests import factories
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 7, 11, 9, 0, tzinfo=datetime.UTC)


def issue(enrollment):
    certificate, _created = services.issue_certificate(enrollment_id=enrollment.pk, now=NOW)
    return certificate


def test_a_name_the_font_cannot_draw_takes_no_number():
    course = factories.course()
    issue(cf.completed_enrollment(course=course))
    with pytest.raises(exceptions.CannotRender):
        issue(cf.completed_enrollment(course=course, full_name="Nguyễn 漢"))
    assert SerialCounter.objects.get(course=course, year=2024).last_number == 1
    assert issue(cf.completed_enrollment(course=course)).serial == f"{course.code}-2024-000002"


def test_a_signer_that_fails_after_the_pdf_is_drawn_takes_no_number(monkeypatch):
    course = factories.course()
    refused = cf.completed_enrollment(course=course)

    def unavailable(pdf, *, config, now):
        raise SignerUnavailable()

    monkeypatch.setattr(services, "signer_for_template", lambda template: object())
    monkeypatch.setattr(services, "sign_pdf", unavailable)
    with pytest.raises(SignerUnavailable):
        issue(refused)
    monkeypatch.undo()

    assert not Certificate.objects.exists()
    assert not SerialCounter.objects.filter(course=course, last_number__gt=0).exists()
    first = issue(cf.completed_enrollment(course=course))
    assert first.serial == f"{course.code}-2024-000001"
    assert issue(refused).serial == f"{course.code}-2024-000002"


def test_a_reissue_takes_the_next_number_and_the_old_one_keeps_its_own():
    course = factories.course()
    old = issue(cf.completed_enrollment(course=course))
    other = issue(cf.completed_enrollment(course=course))
    new = services.reissue_certificate(
        certificate_id=old.pk, by=factories.UserFactory(), reason="Sửa họ tên", now=NOW
    )
    old.refresh_from_db()
    assert (old.serial, other.serial, new.serial) == (
        f"{course.code}-2024-000001",
        f"{course.code}-2024-000002",
        f"{course.code}-2024-000003",
    )
    assert old.status == Certificate.Status.SUPERSEDED
