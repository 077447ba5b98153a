"""A certificate keeps the facts of its issue: later edits to the delegate, the course or the
template change neither its record nor its PDF
(docs/decisions/0015-certificates-as-snapshots.md)."""

import datetime

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2024, 7, 11, 9, 0, tzinfo=datetime.UTC)
FACTS = ("full_name", "organisation", "position", "province", "course_title", "serial", "score")


def test_later_edits_change_neither_the_record_nor_the_pdf(client):
    enrollment = cf.completed_enrollment(full_name="Nguyễn Thị Ánh Tuyết")
    template = cf.template(course=enrollment.course)
    certificate, _created = services.issue_certificate(enrollment_id=enrollment.pk, now=NOW)
    facts = {name: getattr(certificate, name) for name in FACTS}
    pdf = certificate.pdf.read()

    profile = enrollment.user.delegate_profile
    profile.full_name, profile.organisation = "Trần Văn Bình", "Sở khác"
    profile.save()
    enrollment.organisation = "Sở khác"
    enrollment.save()
    course = enrollment.course
    course.title = "Tên khoá học mới"
    course.save()
    template.issuing_body, template.primary_colour = "CƠ QUAN KHÁC", "#000000"
    template.save()

    certificate = Certificate.objects.get(pk=certificate.pk)
    assert {name: getattr(certificate, name) for name in FACTS} == facts
    assert certificate.pdf.read() == pdf
    page = client.get(reverse("certificates:verify_code", args=[certificate.verification_code]))
    assert "Nguyễn Thị Ánh Tuyết" in page.content.decode()
    assert "Trần Văn Bình" not in page.content.decode()


def test_a_reissue_takes_a_fresh_snapshot_and_the_old_certificate_keeps_its_own():
    enrollment = cf.completed_enrollment(full_name="Nguyen Thi Anh Tuyet")
    old, _created = services.issue_certificate(enrollment_id=enrollment.pk, now=NOW)
    profile = enrollment.user.delegate_profile
    profile.full_name = "Nguyễn Thị Ánh Tuyết"
    profile.save()

    new = services.reissue_certificate(
        certificate_id=old.pk, by=enrollment.user, reason="Sửa dấu trong họ tên", now=NOW
    )

    old.refresh_from_db()
    assert (old.full_name, new.full_name) == ("Nguyen Thi Anh Tuyet", "Nguyễn Thị Ánh Tuyết")
    assert new.pdf_sha256 != old.pdf_sha256
    assert new.replaces == old
