"""The API's throttle class (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``); it lives with the
HTML views' throttles in ``courses.throttling``, which count against the same scopes."""

from courses.throttling import ScopedRateThrottle

__all__ = ["ScopedRateThrottle"]
