from django.urls import reverse
from wagtail.models import Page

from courses.sites import absolute_url


def verification_url(code: str, *, course: Page | None) -> str:
    """The public check of a certificate, on the site that serves its course."""
    return absolute_url(reverse("certificates:verify_code", args=[code]), page=course)
