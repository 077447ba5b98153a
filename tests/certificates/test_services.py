import datetime
import hashlib

import pytest

from certificates import exceptions, services
from certificates.models import Certificate, CertificateEvent
from courses import services as course_services
from tests import factories
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 7, 11, 9, 0, tzinfo=datetime.UTC)


def test_issuing_snapshots_the_delegate_and_stores_the_pdf_hash(
    mailoutbox, django_capture_on_commit_callbacks
):
    enrollment = cf.completed_enrollment()
    with django_capture_on_commit_callbacks(execute=True):
        certificate, created = services.issue_certificate(enrollment_id=enrollment.pk, now=NOW)
    assert created
    assert certificate.full_name == "Nguyễn Thị Ánh Tuyết"
    assert certificate.course_title == enrollment.course.title
    assert certificate.serial == f"{enrollment.course.code}-2024-000001"
    assert len(certificate.verification_code) >= 22
    pdf = certificate.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    assert [m.to for m in mailoutbox] == [[enrollment.user.email]]
    assert certificate.verification_code in mailoutbox[0].body
    assert certificate.events.filter(action=CertificateEvent.Action.ISSUED).exists()


def test_issuing_twice_returns_the_same_certificate():
    enrollment = cf.completed_enrollment()
    first, _ = services.issue_certificate(enrollment_id=enrollment.pk)
    again, created = services.issue_certificate(enrollment_id=enrollment.pk)
    assert not created and again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_an_unfinished_course_earns_no_automatic_certificate_but_hr_may_issue():
    enrollment = factories.EnrollmentFactory()
    with pytest.raises(exceptions.NotEligible):
        services.issue_certificate(enrollment_id=enrollment.pk)
    hr = factories.UserFactory()
    certificate, created = services.issue_certificate(enrollment_id=enrollment.pk, issued_by=hr)
    assert created and certificate.issued_by == hr


def test_completing_the_last_module_issues_the_certificate(django_capture_on_commit_callbacks):
    course = factories.course(modules=1)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_item(user=user, page=course.get_children().first())
    assert Certificate.objects.filter(user=user, status="valid").count() == 1


def test_serials_are_sequential_per_course_and_year():
    course = factories.course()
    serials = [
        services.issue_certificate(
            enrollment_id=cf.completed_enrollment(course=course).pk, now=NOW
        )[0].serial
        for _ in range(3)
    ]
    assert serials == [f"{course.code}-2024-00000{n}" for n in (1, 2, 3)]
    next_year = services.issue_certificate(
        enrollment_id=cf.completed_enrollment(course=course).pk,
        now=NOW.replace(year=2025),
    )[0]
    assert next_year.serial == f"{course.code}-2025-000001"


def test_revoke_needs_a_reason_and_is_recorded():
    certificate, _ = services.issue_certificate(enrollment_id=cf.completed_enrollment().pk)
    hr = factories.UserFactory()
    with pytest.raises(exceptions.ReasonRequired):
        services.revoke_certificate(certificate_id=certificate.pk, by=hr, reason="  ")
    services.revoke_certificate(certificate_id=certificate.pk, by=hr, reason="Cấp nhầm")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.events.get(action="revoked").note == "Cấp nhầm"
    with pytest.raises(exceptions.NotValid):
        services.revoke_certificate(certificate_id=certificate.pk, by=hr, reason="again")


def test_reissue_after_a_name_correction():
    enrollment = cf.completed_enrollment(full_name="Nguyen Thi Hoa")
    old, _ = services.issue_certificate(enrollment_id=enrollment.pk)
    profile = enrollment.user.delegate_profile
    profile.full_name = "Nguyễn Thị Hòa"
    profile.save()
    hr = factories.UserFactory()
    new = services.reissue_certificate(certificate_id=old.pk, by=hr, reason="Sửa họ tên")
    old.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED
    assert new.replaces == old
    assert new.full_name == "Nguyễn Thị Hòa"
    assert new.serial != old.serial and new.verification_code != old.verification_code
    assert old.full_name == "Nguyen Thi Hoa"  # the old snapshot is kept as issued


def test_a_name_the_font_cannot_draw_is_refused_and_nothing_is_issued():
    enrollment = cf.completed_enrollment(full_name="Nguyễn 漢")
    with pytest.raises(exceptions.CannotRender) as error:
        services.issue_certificate(enrollment_id=enrollment.pk)
    assert "漢" in str(error.value.message)
    assert not Certificate.objects.exists()


def test_a_course_template_is_used_over_the_default():
    enrollment = cf.completed_enrollment()
    cf.template(name="Mặc định", title="CHỨNG NHẬN CHUNG")
    cf.template(course=enrollment.course, name="Riêng", title="CHỨNG NHẬN RIÊNG")
    import io

    import pypdf

    certificate, _ = services.issue_certificate(enrollment_id=enrollment.pk)
    text = pypdf.PdfReader(io.BytesIO(certificate.pdf.read())).pages[0].extract_text()
    assert "CHỨNG NHẬN RIÊNG" in text
