"""Where a form may send its user back to: ``next`` parameters (and a ``next`` kept for later, as
sign-up's confirmation link does), checked once for every view."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_url(request: HttpRequest, target: str, fallback: str) -> str:
    """``target`` if it stays on this site, else ``fallback``.

    Django's ``url_has_allowed_host_and_scheme`` refuses other hosts in every spelling
    (``//host``, ``https://host``, ``/\\host``, control characters), and plain HTTP from an HTTPS
    page."""
    target = (target or "").strip()
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def safe_next_url(request: HttpRequest, fallback: str) -> str:
    """The request's ``next`` (POST, then GET) if it stays on this site, else ``fallback``."""
    return safe_url(request, request.POST.get("next") or request.GET.get("next") or "", fallback)
