"""Absolute addresses for links read outside the browser (certificate QR codes and verification
links, emails): from the Wagtail Site that serves the course, as editors set it in Settings →
Sites (hostname and port; port 443 gives https), never from a setting that could still say
``example.com``."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from wagtail.models import Page, Site


def site_root_url(*, page: Page | None = None, request: HttpRequest | None = None) -> str:
    """``https://host[:port]`` of the site serving ``page``; for a page outside every site (or
    none), the site serving ``request``, then the default site."""
    if page is not None:
        parts = page.get_url_parts(request)
        if parts is not None:
            _site_id, root_url, _path = parts
            return root_url.rstrip("/")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_url.rstrip("/")
    fallback = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    if not fallback:
        raise ImproperlyConfigured("The LMS needs a Wagtail Site (Settings → Sites) for links.")
    return fallback.rstrip("/")


def absolute_url(path: str, *, page: Page | None = None, request: HttpRequest | None = None) -> str:
    return site_root_url(page=page, request=request) + path
