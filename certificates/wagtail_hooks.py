"""Registers the certificates admin under one "Certificates" menu. Nothing is computed here."""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from certificates.admin_urls import bulk_urlpatterns
from certificates.admin_viewsets import CertificatesMenuGroup
from certificates.models import Certificate, CertificateTemplate
from certificates.permissions import CertificateTemplatePermissionPolicy
from courses.compat import register_permission_policy
from courses.permissions import ReadOnlyPermissionPolicy

# Certificates are records: they change only through certificates.services. The register is
# HR's: whoever holds the view permission reads all of it.
register_permission_policy(Certificate, ReadOnlyPermissionPolicy(Certificate))
register_permission_policy(
    CertificateTemplate, CertificateTemplatePermissionPolicy(CertificateTemplate)
)

# Register, Templates (a snippet, so registered as snippets are) and Completion report.
register_snippet(CertificatesMenuGroup)


@hooks.register("register_lms_urls")
def register_certificate_urls():
    return [path("", include("certificates.urls"))]


@hooks.register("register_lms_api")
def register_api(router):
    from certificates.api import views

    router.register("my-certificates", views.MyCertificateAPIViewSet, basename="my-certificate")
    router.register("verifications", views.VerificationAPIViewSet, basename="verification")
    router.register("certificates", views.CertificateAPIViewSet, basename="certificate")
    router.register("certificate-zips", views.BulkDownloadAPIViewSet, basename="certificate-zip")


@hooks.register("register_admin_urls")
def register_bulk_download_urls():
    """The bulk ZIP download (certificates/admin_urls.py)."""
    return bulk_urlpatterns()


@hooks.register("lms_completed_course_panel")
def completed_course_certificate(request, enrollment):
    """On a completed course's page: the certificate, or a note that it is being prepared."""
    from django.template.loader import render_to_string

    from certificates.selectors import certificate_of_enrollment

    return render_to_string(
        "certificates/includes/completion_certificate.html",
        {"enrollment": enrollment, "certificate": certificate_of_enrollment(enrollment)},
        request=request,
    )
