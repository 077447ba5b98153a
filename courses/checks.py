"""System checks for a site that installs the LMS."""

from django.conf import settings
from django.core import checks

SITE_HISTORY_MIDDLEWARE = "courses.middleware.SiteHistoryScopeMiddleware"


@checks.register(checks.Tags.security)
def site_history_is_scoped(app_configs, **kwargs):
    if SITE_HISTORY_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        checks.Error(
            "Wagtail's site history would show trainers the objects of every course.",
            hint=f"Add {SITE_HISTORY_MIDDLEWARE!r} to MIDDLEWARE (after the authentication "
            "middleware).",
            id="courses.E001",
        )
    ]
