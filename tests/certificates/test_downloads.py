"""One way to serve an issued PDF (certificates.downloads): the stored bytes, named after the
serial number, recorded once, and nothing recorded when the file cannot be read."""

import pytest
from django.utils.http import content_disposition_header

from certificates import services
from certificates.downloads import pdf_response
from certificates.models import CertificateEvent
from tests import factories
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db


def issued():
    certificate, _created = services.issue_certificate(
        enrollment_id=cf.completed_enrollment().pk, notify=False
    )
    return certificate


def test_the_stored_pdf_is_served_under_its_serial_and_recorded():
    certificate = issued()
    hr = factories.UserFactory()

    response = pdf_response(certificate, actor=hr)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == content_disposition_header(
        as_attachment=True, filename=f"{certificate.serial}.pdf"
    )
    assert b"".join(response.streaming_content) == certificate.pdf.open("rb").read()
    assert list(
        certificate.events.filter(action=CertificateEvent.Action.DOWNLOADED).values_list(
            "actor", flat=True
        )
    ) == [hr.pk]


def test_a_pdf_that_cannot_be_read_is_not_recorded_as_downloaded():
    certificate = issued()
    certificate.pdf.storage.delete(certificate.pdf.name)

    with pytest.raises(FileNotFoundError):
        pdf_response(certificate, actor=certificate.user)

    assert not certificate.events.filter(action=CertificateEvent.Action.DOWNLOADED).exists()
