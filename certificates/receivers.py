import logging

from certificates.exceptions import CertificateError

logger = logging.getLogger(__name__)


def issue_on_completion(sender, enrollment, **kwargs) -> None:
    """A completed course earns its certificate. A failure to draw it must not undo the
    completion: it is logged, and HR can issue the certificate by hand once fixed."""
    from certificates.services import issue_certificate

    try:
        issue_certificate(enrollment_id=enrollment.pk)
    except CertificateError:
        logger.exception("Could not issue the certificate of enrolment %s", enrollment.pk)
