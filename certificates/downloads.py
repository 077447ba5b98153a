"""Serving an issued certificate's PDF: "My certificates", HR's register and the API answer with
the same stored file, under the same name, recorded the same way (the stored bytes, never drawn
again: docs/decisions/0015-certificates-as-snapshots.md)."""

from django.http import FileResponse

from certificates import services
from certificates.models import Certificate

PDF = "application/pdf"


def pdf_response(certificate: Certificate, *, actor) -> FileResponse:
    """The issued PDF as an attachment named after its serial number, recorded in the
    certificate's history as downloaded by ``actor``. The file is opened first, so a file that
    cannot be read is not recorded as downloaded."""
    handle = certificate.pdf.open("rb")
    services.record_download(certificate=certificate, actor=actor)
    return FileResponse(
        handle, as_attachment=True, filename=f"{certificate.serial}.pdf", content_type=PDF
    )
