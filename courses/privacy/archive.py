"""The delegate's copy of their data: one ZIP with ``data.json`` (every section, for machines),
``data.xlsx`` (one sheet per section, for people), the certificate PDFs and a short README."""

import io
import json
import zipfile

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.conf import lms_settings
from courses.privacy.registry import providers
from courses.privacy.services import export_sections
from courses.spreadsheets import xlsx_bytes


def archive_name(user: AbstractBaseUser) -> str:
    return f"du-lieu-ca-nhan-{user.pk}-{timezone.localdate():%Y%m%d}.zip"


def build_archive(user: AbstractBaseUser) -> bytes:
    sections = export_sections(user)
    document = {
        "generated_at": timezone.now().isoformat(),
        "privacy_notice_version": lms_settings.PRIVACY_NOTICE_VERSION,
        "sections": {
            section.key: [dict(zip(section.columns, row, strict=True)) for row in section.rows]
            for section in sections
        },
    }
    workbook = xlsx_bytes(
        (section.title, section.columns, [_flatten(row) for row in section.rows])
        for section in sections
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme())
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("data.xlsx", workbook)
        for provider in providers():
            for exported in provider.export_files(user):
                archive.writestr(exported.name, exported.content)
    return buffer.getvalue()


def _flatten(row: tuple) -> list:
    """JSON answers (lists, dicts) as readable text in a cell."""
    return [
        json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value
        for value in row
    ]


def _readme() -> str:
    return "\r\n".join(
        [
            _("Your personal data held by the training system."),
            _("data.xlsx: one sheet per kind of data, to read."),
            _("data.json: the same data, for another program."),
            _("certificates/: the PDF of each certificate issued to you."),
        ]
    )
