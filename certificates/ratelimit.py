"""A small fixed-window rate limit on the cache, per client address."""

from django.core.cache import cache

from courses.web_toolkit import request_client_address


def allow(request, *, scope: str, limit: int, period: int = 3600) -> bool:
    """Count this request; False once ``limit`` requests were made in the current window.

    Clients are told apart by ``courses.client_address`` (X-Forwarded-For only from the proxies
    in ``LMS["TRUSTED_PROXIES"]``), as every other limit does."""
    key = f"lms-rate:{scope}:{request_client_address(request) or 'unknown'}"
    if cache.add(key, 1, timeout=period):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        return True
