from django.utils.translation import gettext_lazy as _

from courses.exceptions import LMSError


class CertificateError(LMSError):
    code = "certificate_error"
    status = 400


class NotEligible(CertificateError):
    code = "not_eligible"
    message = _("A certificate is issued only when every required module and quiz is complete.")
    status = 409


class NotValid(CertificateError):
    code = "certificate_not_valid"
    message = _("Only a valid certificate can be revoked or reissued.")
    status = 409


class ReasonRequired(CertificateError):
    code = "reason_required"
    message = _("Give a reason: it is kept in the certificate's history.")


class CannotRender(CertificateError):
    code = "cannot_render"


class FileTooLarge(CertificateError):
    """A PDF upload announced a body too large for any certificate; it was not read."""

    code = "file_too_large"
    message = _("The file is larger than any certificate (5 MB).")


class NotRenewable(CertificateError):
    code = "not_renewable"
    message = _("This certificate cannot be renewed yet: renewal opens shortly before it expires.")
    status = 409
