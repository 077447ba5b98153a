"""The certificates app's models: templates and issued certificates (``certificate``), bulk ZIP
downloads (``bulk``), PAdES signatures (``signing``) and the Open Badges status list entries and
signing keys (``badges``). Import them from here."""

from certificates.models.badges import BadgeKey, StatusListEntry
from certificates.models.bulk import BulkDownload, new_work_token
from certificates.models.certificate import (
    Certificate,
    CertificateEvent,
    CertificateTemplate,
    SerialCounter,
    default_motto_1,
    default_motto_2,
)
from certificates.models.signing import CertificateSignature, CertificateSigner, default_reason

__all__ = [
    "BadgeKey",
    "BulkDownload",
    "Certificate",
    "CertificateEvent",
    "CertificateSignature",
    "CertificateSigner",
    "CertificateTemplate",
    "SerialCounter",
    "StatusListEntry",
    "default_motto_1",
    "default_motto_2",
    "default_reason",
    "new_work_token",
]
