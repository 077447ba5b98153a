"""Rate limits, one set for the API and the HTML pages.

Rates live in one place, ``LMS["API_THROTTLE_RATES"]`` (not the host's ``REST_FRAMEWORK``), by
scope: ``attempt_write`` (start, save, submit an attempt), ``enrolment_code`` (joining a cohort
by code), ``signup`` (creating an account), ``password_reset`` (asking for a password link)
and ``certificate_verify`` (public certificate checks). An HTML view and its API twin count
against the same scope with the same throttle class, so they share one budget: the HTML path
is never a way round the API's limit. Signed-in users are counted per account, everyone else
per client address (``courses.client_address``).
"""

import functools
import math
from types import SimpleNamespace

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework import throttling

from courses.client_address import request_client_address
from courses.conf import DEFAULTS, lms_settings


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, reading ``LMS["API_THROTTLE_RATES"]`` at request time (DRF's reads
    its setting once at import), so rates can be changed by settings and in tests, and counting
    anonymous clients by ``courses.client_address`` rather than DRF's ``NUM_PROXIES``.

    API views set ``throttle_scope`` per action; HTML views use ``throttled`` below.
    """

    @property
    def THROTTLE_RATES(self):  # DRF reads this name
        return {**DEFAULTS["API_THROTTLE_RATES"], **lms_settings.API_THROTTLE_RATES}

    def get_ident(self, request) -> str:
        return request_client_address(request) or "unknown"


def throttle_wait(request, *, scope: str) -> float | None:
    """Count this request against ``scope``, as the API does for its twin. None if it may go
    ahead; otherwise the seconds until it may be tried again."""
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, SimpleNamespace(throttle_scope=scope)):
        return None
    return throttle.wait() or 0.0


def throttled_message(wait: float | None) -> str:
    from courses.api.errors import throttled_message as message

    return message(wait)


def throttled_response(request, *, wait: float | None):
    """429 with the API's code and words: JSON for a JSON request (attempt.js), a page for a
    form. ``Retry-After`` says when to come back."""
    message = throttled_message(wait)
    if request.content_type == "application/json":
        response = JsonResponse({"code": "throttled", "message": message}, status=429)
    else:
        response = render(
            request,
            "courses/throttled.html",
            {"title": _("Too many requests"), "message": message, "back_url": _back_url(request)},
            status=429,
        )
    if wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _back_url(request) -> str:
    """The page the form was on, to try again from (what the browser's Back button would do)."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe else "/"


def throttled(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Decorate an HTML view so that its ``methods`` count against ``scope`` (see above)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = throttle_wait(request, scope=scope)
                if wait is not None:
                    return throttled_response(request, wait=wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
