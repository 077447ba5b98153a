from rest_framework import throttling
from rest_framework.settings import api_settings


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's scoped throttle, reading ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request
    time (DRF's reads it once at import), so rates can be changed by settings and in tests.

    Views set ``throttle_scope`` per action: ``attempt_write`` (start, save, submit an attempt)
    and ``enrolment_code`` (joining a cohort by code: slows down guessing codes).
    """

    @property
    def THROTTLE_RATES(self):  # DRF reads this name
        return api_settings.DEFAULT_THROTTLE_RATES
