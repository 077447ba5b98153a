"""Production settings: everything secret or host-specific comes from the environment."""

import os
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from . import mail, shared_cache
from .base import *  # noqa: F403
from .base import DATABASES, LMS


def _env(name: str) -> str:
    try:
        return os.environ[name]
    except KeyError:
        raise ImproperlyConfigured(f"Set the {name} environment variable.") from None


DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes"}
SECRET_KEY = _env("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _env("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# Persistent connections: one small server carries a whole conference.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# The reverse proxies in front of the app (comma-separated addresses or networks, "unix" for a
# Unix socket): only their X-Forwarded-For is believed when rate limits and the sign-in lockout
# tell clients apart (courses/client_address.py). Empty: REMOTE_ADDR, which behind a proxy makes
# every visitor one client.
LMS = {
    **LMS,
    "TRUSTED_PROXIES": [
        proxy.strip() for proxy in os.environ.get("TRUSTED_PROXIES", "").split(",") if proxy.strip()
    ],
    # Open Badges: the agency's Ed25519 key (a PEM file made by `manage.py generate_badge_key`).
    "BADGE_SIGNING_KEY_FILE": os.environ.get("LMS_BADGE_SIGNING_KEY_FILE") or None,
    "CERTIFICATE_EXPIRY_REMINDER_DAYS": int(
        os.environ.get("CERTIFICATE_EXPIRY_REMINDER_DAYS", "30")
    ),
}
# Sign-in lockout (courses/lockout.py): failures per account and address, and the pause after.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's editor shows page and certificate previews in a same-origin frame.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

shared_cache.configure(globals())

mail.configure(
    globals(),
    os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
    host=os.environ.get("EMAIL_HOST", "localhost"),
    port=int(os.environ.get("EMAIL_PORT", "25")),
    username=os.environ.get("EMAIL_HOST_USER", ""),
    password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
    use_tls=os.environ.get("EMAIL_USE_TLS", "").lower() in {"1", "true", "yes"},
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# Background jobs (bulk certificate ZIPs, invitation emails) run in `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
