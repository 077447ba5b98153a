"""The certificates app's own Wagtail admin URLs (beyond its viewsets), registered by
``certificates/wagtail_hooks.py`` with the ``register_admin_urls`` hook."""

from django.urls import path

from certificates.views import bulk


def bulk_urlpatterns() -> list:
    """The bulk ZIP screens, to be registered under the Wagtail admin."""
    return [
        path("certificate-zips/", bulk.BulkStartView.as_view(), name="certificates_bulk_start"),
        path(
            "certificate-zips/<int:job_id>/",
            bulk.BulkStatusView.as_view(),
            name="certificates_bulk_status",
        ),
        path(
            "certificate-zips/<int:job_id>/download/",
            bulk.BulkDownloadView.as_view(),
            name="certificates_bulk_download",
        ),
        path(
            "certificate-zips/<int:job_id>/resume/",
            bulk.BulkResumeView.as_view(),
            name="certificates_bulk_resume",
        ),
    ]
