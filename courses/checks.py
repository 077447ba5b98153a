"""System checks (``manage.py check``; registered in ``CoursesConfig.ready``): the install in a
host's site (what the README's steps set up), and the deploy-time settings that decide who a
client is and when it is locked out. Messages are for developers, in English, as Django's are.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import TemplateDoesNotExist, engines
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from courses.client_address import InvalidProxy, parse_trusted_proxies
from courses.conf import DEFAULTS, lms_settings

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


# The install in a host's site

LMS_APPS = ["courses", "quizzes", "certificates"]
SUPPLEMENT_APP = "courses.wagtail_vi"
CONTEXT_PROCESSOR = "courses.context_processors.lms"

# One URL of each namespace the site include (courses.urls) must provide.
SITE_URLS = {
    "courses": ("courses:dashboard", {}),
    "quizzes": ("quizzes:start", {"quiz_id": 1}),
    "certificates": ("certificates:verify", {}),
}


def _is_framework_app(name: str) -> bool:
    return name == "wagtail" or name.startswith(("wagtail.", "django.contrib."))


def listed_too_late(installed: list[str]) -> tuple[list[str], str | None]:
    """The LMS apps listed after the first of Wagtail's or Django's apps, and that app."""
    first = next((name for name in installed if _is_framework_app(name)), None)
    if first is None:
        return [], None
    limit = installed.index(first)
    ours = [name for name in [*LMS_APPS, SUPPLEMENT_APP] if name in installed]
    return [name for name in ours if installed.index(name) > limit], first


@register(Tags.compatibility)
def check_installed_apps(app_configs=None, **kwargs):
    problems = [
        Error(
            f"The LMS needs {name!r} in INSTALLED_APPS.",
            hint="Add 'courses', 'quizzes' and 'certificates' (see the README's install steps).",
            id="courses.E010",
        )
        for name in LMS_APPS
        if not apps.is_installed(name)
    ]
    late, first = listed_too_late(list(settings.INSTALLED_APPS))
    if late:
        problems.append(
            Warning(
                f"{', '.join(late)} come(s) after {first!r} in INSTALLED_APPS.",
                hint=(
                    "Django merges the apps' translations in INSTALLED_APPS order, the first "
                    "listed winning: list the LMS apps (and courses.wagtail_vi) before Wagtail's "
                    "and Django's apps, or some of their Vietnamese texts take other wording."
                ),
                id="courses.W010",
            )
        )
    unknown = sorted(set(getattr(settings, "LMS", {}) or {}) - set(DEFAULTS))
    if unknown:
        problems.append(
            Warning(
                f"Unknown LMS settings: {', '.join(unknown)}.",
                hint="See the README's settings reference for the names.",
                id="courses.W011",
            )
        )
    return problems


@register(Tags.templates)
def check_base_template(app_configs=None, **kwargs):
    base = lms_settings.BASE_TEMPLATE
    if base == DEFAULTS["BASE_TEMPLATE"]:
        return []
    problems = []
    try:
        get_template(base)
    except TemplateDoesNotExist:
        problems.append(
            Error(
                f"LMS['BASE_TEMPLATE'] names {base!r}, which no template loader finds.",
                id="courses.E011",
            )
        )
    django_engines = [e for e in engines.all() if isinstance(e, DjangoTemplates)]
    if not any(CONTEXT_PROCESSOR in engine.engine.context_processors for engine in django_engines):
        problems.append(
            Error(
                f"LMS['BASE_TEMPLATE'] is set, but {CONTEXT_PROCESSOR!r} is not among the "
                "template context processors: LMS pages would keep their own layout.",
                hint=f"Add {CONTEXT_PROCESSOR!r} to TEMPLATES[...]['OPTIONS']"
                "['context_processors'].",
                id="courses.E012",
            )
        )
    return problems


@register(Tags.urls)
def check_urls(app_configs=None, **kwargs):
    missing = []
    for namespace, (name, kwargs_) in SITE_URLS.items():
        try:
            reverse(name, kwargs=kwargs_)
        except NoReverseMatch:
            missing.append(namespace)
    if not missing:
        return []
    return [
        Error(
            f"The LMS's pages are not in the URLconf (no {', '.join(missing)} namespace).",
            hint=(
                "Add path('learn/', include('courses.urls')) to the site's urlpatterns, before "
                "Wagtail's own include."
            ),
            id="courses.E013",
        )
    ]
