"""The API's throttle class (declared by every API view, ``courses.api.base``); it lives with the
HTML views' throttles in ``courses.throttling``, which count against the same scopes."""

from courses.throttling import ScopedRateThrottle

__all__ = ["ScopedRateThrottle"]
