"""System checks for the deploy-time settings that decide who a client is and when it is locked
out (``manage.py check``; registered in ``CoursesConfig.ready``)."""

from datetime import timedelta

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from courses.client_address import InvalidProxy, parse_trusted_proxies
from courses.conf import lms_settings

LOCKOUT_PARAMETERS = {"username", "ip_address", "user_agent"}


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs) -> list:
    values = lms_settings.TRUSTED_PROXIES
    if not isinstance(values, list | tuple):
        return [
            Error(
                "LMS['TRUSTED_PROXIES'] must be a list of addresses or networks.",
                hint='For example ["127.0.0.1", "10.0.0.0/8"]; empty trusts no proxy.',
                id="courses.E001",
            )
        ]
    try:
        trusted = parse_trusted_proxies(values)
    except InvalidProxy as error:
        return [
            Error(
                f"LMS['TRUSTED_PROXIES'] has an entry that is not an IP address or network: "
                f"{error.value!r}.",
                hint='Give IPv4/IPv6 addresses or networks ("10.0.0.0/8"), or "unix" for a '
                "proxy on a Unix socket. Until it is fixed no proxy is trusted.",
                id="courses.E002",
            )
        ]
    if trusted.trusts_everyone:
        return [
            Warning(
                "LMS['TRUSTED_PROXIES'] trusts every address, so any client can choose the "
                "address its rate limits and sign-in lockout count against.",
                hint="List only your reverse proxies.",
                id="courses.W001",
            )
        ]
    return []


@register(Tags.security)
def check_lockout_settings(app_configs, **kwargs) -> list:
    """courses.lockout reads these to say when a lockout ends: only the plain forms."""
    errors = []
    limit = getattr(settings, "AXES_FAILURE_LIMIT", None)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        errors.append(
            Error(
                "AXES_FAILURE_LIMIT must be a whole number of failed sign-ins, at least 1.",
                id="courses.E003",
            )
        )
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if not (
        (isinstance(cool_off, timedelta) and cool_off > timedelta(0))
        or (isinstance(cool_off, int | float) and not isinstance(cool_off, bool) and cool_off > 0)
    ):
        errors.append(
            Error(
                "AXES_COOLOFF_TIME must be a positive timedelta (or a number of hours).",
                hint="Without a cool-off a locked-out account stays locked until an "
                "administrator unlocks it.",
                id="courses.E004",
            )
        )
    parameters = getattr(settings, "AXES_LOCKOUT_PARAMETERS", None)
    names = [
        name
        for entry in (parameters if isinstance(parameters, list) else [None])
        for name in ([entry] if isinstance(entry, str) else entry or [None])
    ]
    if not names or not set(names) <= LOCKOUT_PARAMETERS:
        errors.append(
            Error(
                "AXES_LOCKOUT_PARAMETERS must be a list of parameter names or lists of them.",
                hint='For example [["username", "ip_address"]].',
                id="courses.E005",
            )
        )
    return errors


SITE_HISTORY_MIDDLEWARE = "courses.site_history.SiteHistoryScopeMiddleware"


@register(Tags.security)
def check_site_history_is_scoped(app_configs, **kwargs) -> list:
    """courses.site_history keeps Wagtail's site history (every course's objects) from trainers."""
    if SITE_HISTORY_MIDDLEWARE in settings.MIDDLEWARE:
        return []
    return [
        Error(
            "Wagtail's site history would show trainers the objects of every course.",
            hint=f"Add {SITE_HISTORY_MIDDLEWARE!r} to MIDDLEWARE (after the authentication "
            "middleware).",
            id="courses.E006",
        )
    ]
