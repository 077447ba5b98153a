from django.conf import settings
from django.urls import reverse

from courses.conf import lms_settings


def site_url(path: str) -> str:
    """An absolute address on the public site (for QR codes and emails)."""
    base = (lms_settings.SITE_URL or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return base + path


def verification_url(code: str) -> str:
    return site_url(reverse("certificates:verify_code", args=[code]))
