"""The LMS's deploy-time settings: one ``LMS`` dict, defaults in code, reloaded on change.

from courses.conf import lms_settings
lms_settings.ENROLMENT_CODE_LENGTH
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # Length of generated cohort enrolment codes (letters and digits without look-alikes).
    "ENROLMENT_CODE_LENGTH": 8,
    # Maximum rows accepted in one roster upload.
    "ROSTER_MAX_ROWS": 5000,
    # Maximum roster upload size in bytes.
    "ROSTER_MAX_BYTES": 5 * 1024 * 1024,
    # Names of the role groups created by ``lms_setup``.
    "TRAINERS_GROUP": "Trainers",
    "HR_GROUP": "HR",
    "DELEGATES_GROUP": "Delegates",
    # Seconds of grace after a quiz attempt's deadline before answers are refused.
    "ATTEMPT_GRACE_SECONDS": 60,
    # Serial number format for certificates.
    "CERTIFICATE_SERIAL_FORMAT": "{course_code}-{year}-{number:06d}",
    # The template every LMS page extends: the LMS's own layout, or a host's base template
    # that has a ``content`` block (see the README's "Templates").
    "BASE_TEMPLATE": "courses/base.html",
    # The name in the LMS layout's header (default: WAGTAIL_SITE_NAME).
    "SITE_NAME": None,
    # Where a visitor who must sign in is sent: a URL name or a path (not Django's LOGIN_URL,
    # which the host's own pages may use).
    "LOGIN_URL": "courses:login",
    # API throttle rates per scope (DRF's rate syntax), whatever the host's REST_FRAMEWORK says.
    "API_THROTTLE_RATES": {
        # Per user. Autosave writes every few seconds at most; codes are worth guessing.
        "attempt_write": "120/minute",
        "enrolment_code": "10/hour",
        # Per address: sign-up (HTML only). A conference hall of 280 delegates often shares one
        # address and signs up within the hour; every sign-up still needs its emailed link, so
        # this bounds the mail a script can make us send, not the accounts it can create.
        "signup": "300/hour",
        # Per address: asking for a password link (HTML only), which may send an email.
        "password_reset": "300/hour",
        # Public certificate checks, per visitor; separate from VERIFY_RATE_PER_HOUR.
        "certificate_verify": "60/hour",
    },
    # Verification page: lookups allowed per visitor (IP address) per hour.
    "VERIFY_RATE_PER_HOUR": 60,
    # Days a finished certificate ZIP is kept before ``purge_bulk_downloads`` deletes its file.
    "BULK_DOWNLOAD_RETENTION_DAYS": 7,
    # Hours a sign-up's confirmation link stays valid; unconfirmed sign-ups are then forgotten.
    "SIGNUP_CONFIRMATION_HOURS": 72,
    # Reverse proxies whose X-Forwarded-For is believed: addresses or networks ("10.0.0.0/8"),
    # and "unix" for a proxy on a Unix socket. Empty: trust nobody and use REMOTE_ADDR
    # (courses.client_address; every rate limit and the sign-in lockout count by it).
    "TRUSTED_PROXIES": [],
    # Seconds a background job's worker may go without renewing its lease on the job (it renews
    # it every third of that while it works); then the next worker takes the job over.
    "TASK_LEASE_SECONDS": 120,
    # The Wagtail admin's Content-Security-Policy ({directive: sources}, as SECURE_CSP); None
    # derives it from SECURE_CSP (courses.csp.admin_policy).
    "ADMIN_CSP": None,
    # App namespaces whose every response is private (courses.middleware.PrivateCacheControl…).
    "PRIVATE_URL_APPS": ("courses", "quizzes", "certificates", "lms_api"),
}


class LMSSettings:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown LMS setting: {name}")
        if name not in self._cache:
            user_settings = getattr(settings, "LMS", {}) or {}
            self._cache[name] = user_settings.get(name, DEFAULTS[name])
        return self._cache[name]

    def reload(self) -> None:
        self._cache.clear()


lms_settings = LMSSettings()


def _reload_on_change(*, setting: str, **kwargs: Any) -> None:
    if setting == "LMS":
        lms_settings.reload()


setting_changed.connect(_reload_on_change)
