from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from certificates.badges import checks  # noqa: F401 (registers the badge key check)
        from certificates.privacy import CertificatesProvider
        from certificates.receivers import issue_on_completion
        from courses import roles
        from courses.privacy import registry
        from courses.signals import course_completed

        registry.register(CertificatesProvider())

        course_completed.connect(issue_on_completion, dispatch_uid="certificates.issue")
        template_permissions = (
            "certificates.add_certificatetemplate",
            "certificates.change_certificatetemplate",
            "certificates.view_certificatetemplate",
        )
        roles.grant(roles.TRAINERS, *template_permissions)
        roles.grant(
            roles.HR,
            *template_permissions,
            "certificates.view_certificate",
            "certificates.add_certificate",
            "certificates.change_certificate",
        )
