from django.utils.translation import gettext_lazy as _

from certificates.bulk import BulkDownloadError
from certificates.exceptions import CertificateError


class ZipNotReady(CertificateError):
    code = "zip_not_ready"
    message = _("The ZIP is not ready. Poll the job until it is finished.")
    status = 409


class ZipExpired(CertificateError):
    code = "zip_expired"
    message = _(
        "The ZIP has expired: its file was deleted. Start a new one to download these certificates."
    )
    status = 410


def described(error: BulkDownloadError) -> BulkDownloadError:
    """Bulk errors word their message when asked (``describe()``); the API's error handler reads
    ``message``."""
    error.message = error.describe()
    return error
