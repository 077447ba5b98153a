"""A small fixed-window rate limit on the cache, per client address."""

from django.core.cache import cache


def client_address(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, *, scope: str, limit: int, period: int = 3600) -> bool:
    """Count this request; False once ``limit`` requests were made in the current window."""
    key = f"lms-rate:{scope}:{client_address(request)}"
    if cache.add(key, 1, timeout=period):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        return True
