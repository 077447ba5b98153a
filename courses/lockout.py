"""Sign-in lockout: django-axes as the LMS configures it (``lms/settings/base.py``).

Every sign-in goes through Django's ``authenticate()``: the site's and the Wagtail admin's login
forms and the REST API's bearer tokens (``courses.auth``). django-axes records each failure and,
after ``AXES_FAILURE_LIMIT`` failures for one account from one address
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``), refuses that account from that
address until ``AXES_COOLOFF_TIME`` has passed since the last failure, even with the right
password. Why the pair and not each alone: hundreds of delegates of a conference share one
address, so an address alone would lock a whole room out; an account alone would let anyone
lock a delegate out from anywhere.

- The account is what the sign-in name stands for (``account_key``): a delegate's email and a
  staff member's username count as one account, and a name that matches no account is counted
  exactly as one that does, so a lockout says nothing about whether an account exists.
- A wrong API token names no account, so every token counts as one pseudo-account,
  ``API_TOKEN_ACCOUNT``, per address.
- The address is ``courses.client_address`` (``AXES_CLIENT_IP_CALLABLE``).

This module gives axes those two keys and the lockout response (``AXES_LOCKOUT_CALLABLE``), and
gives the admin's lockout screen its list and its unlock actions. It reads axes' records
(``axes.models.AccessAttempt``) and resets them with ``axes.utils.reset``, both public.
"""

import ipaddress
import math
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.auth import find_account
from courses.client_address import request_client_address
from courses.text import nfc

# Not a valid username (Django's allow no spaces or brackets): it never stands for a person.
API_TOKEN_ACCOUNT = "[API token]"  # noqa: S105 (a name, not a secret)
KEY_LENGTH = 255  # AccessAttempt.username

_keys: "weakref.WeakKeyDictionary[object, dict[str, str]]" = weakref.WeakKeyDictionary()


# What axes counts


def account_key(request, credentials: dict | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the account a sign-in attempt is counted against. The
    username of the account the name stands for (by username or email, as signing in finds it),
    else the name itself, trimmed and case-folded; ``API_TOKEN_ACCOUNT`` for a bearer token."""
    credentials = credentials or {}
    if "api_token" in credentials:
        return API_TOKEN_ACCOUNT
    login = credentials.get("username")
    if login is None and isinstance(request, HttpRequest):
        login = request.POST.get("username")
    if not isinstance(login, str) or not login.strip():
        return None
    # Looked up a few times per attempt by axes: once per request is enough.
    known = _keys.setdefault(request, {}) if request is not None else {}
    if login not in known:
        known[login] = canonical_account(login)
    return known[login]


def canonical_account(login: str) -> str:
    """The lockout key for a sign-in name (see ``account_key``)."""
    login = nfc(login).replace("\x00", "")
    account = find_account(login)
    key = account.get_username() if account is not None else login.casefold()
    return key[:KEY_LENGTH]


def login_attempt(request) -> HttpRequest:
    """A bare ``HttpRequest`` with a request's method, path and headers but no body: what axes
    is given for an API token, so that it never parses (or records) an API request's body."""
    attempt = HttpRequest()
    attempt.method = request.method
    attempt.path = request.path
    attempt.path_info = request.path_info
    attempt.META = request.META
    return attempt


# When the lockout ends


def cool_off() -> timedelta:
    """``AXES_COOLOFF_TIME`` as a timedelta (axes reads a number as hours)."""
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, timedelta) else timedelta(hours=value)


def failure_limit() -> int:
    return settings.AXES_FAILURE_LIMIT


def lockout_parameters() -> list[list[str]]:
    return [[p] if isinstance(p, str) else list(p) for p in settings.AXES_LOCKOUT_PARAMETERS]


def locked_until(
    *, username: str | None, ip_address: str | None, user_agent: str = "", now: datetime
) -> datetime | None:
    """When this account, address and browser may sign in again; None if they are not locked.
    Read as axes counts: per lockout parameter set, the failures since the cool-off began."""
    since = now - cool_off()
    values = {"username": username, "ip_address": ip_address, "user_agent": user_agent[:255]}
    ends = []
    for parameters in lockout_parameters():
        rows = AccessAttempt.objects.filter(
            attempt_time__gte=since, **{name: values[name] for name in parameters}
        ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (rows["failures"] or 0) >= failure_limit():
            ends.append(rows["last"] + cool_off())
    return max(ends, default=None)


def seconds_locked(request, *, credentials: dict | None) -> float | None:
    """Seconds until the client of ``request`` may try these credentials again; None if it may
    now."""
    now = timezone.now()
    until = locked_until(
        username=account_key(request, credentials),
        ip_address=request_client_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "<unknown>"),  # as axes records it
        now=now,
    )
    return None if until is None else max((until - now).total_seconds(), 1.0)


# What the client is told


def lockout_message(*, wait: float, now: datetime, api: bool = False) -> str:
    """When to try again, the same words whatever account was tried."""
    until = timezone.localtime(now + timedelta(seconds=wait))
    same_day = until.date() == timezone.localtime(now).date()
    when = (
        formats.time_format(until, "TIME_FORMAT")
        if same_day
        else formats.date_format(until, "SHORT_DATETIME_FORMAT")
    )
    minutes = max(1, math.ceil(wait / 60))
    if api:
        intro = _("Too many wrong API tokens were sent from this address.")
    else:
        intro = _("Too many failed sign-in attempts. For your security, signing in is paused.")
    retry = ngettext(
        "Try again after %(time)s (in %(minutes)s minute).",
        "Try again after %(time)s (in %(minutes)s minutes).",
        minutes,
    ) % {"time": when, "minutes": minutes}
    return f"{intro} {retry}"


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: 429 with ``Retry-After``, as a page in the Wagtail admin's look
    for its login, as JSON for the API, and as a page of the site otherwise."""
    now = timezone.now()
    wait = seconds_locked(request, credentials=credentials) or cool_off().total_seconds()
    retry_after = str(max(1, math.ceil(wait)))
    if _is_api(request):
        message = lockout_message(wait=wait, now=now, api=True)
        response = JsonResponse({"code": "locked_out", "message": message}, status=429)
    else:
        admin = _is_admin(request)
        response = render(
            request,
            "courses/admin/locked_out.html" if admin else "courses/registration/locked_out.html",
            {"message": lockout_message(wait=wait, now=now)},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


def _is_admin(request) -> bool:
    prefixes = []
    for name in ("wagtailadmin_home", "admin:index"):
        try:
            prefixes.append(reverse(name))
        except NoReverseMatch:
            continue
    return any(request.path.startswith(prefix) for prefix in prefixes)


def _is_api(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "api" in match.namespaces


# The admin's lockout screen


@dataclass(frozen=True, slots=True)
class FailedSignIns:
    """Recent failures of one account from one address."""

    username: str | None
    ip_address: str | None
    failures: int
    last_failure: datetime
    locked_until: datetime | None

    @property
    def is_token(self) -> bool:
        return self.username == API_TOKEN_ACCOUNT


def recent_failures(*, now: datetime) -> list[FailedSignIns]:
    """Every account and address with failures in the current cool-off, locked ones first."""
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off())
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("-last", "username", "ip_address")
    )
    entries = [
        FailedSignIns(
            username=row["username"],
            ip_address=row["ip_address"],
            failures=row["failures"],
            last_failure=row["last"],
            locked_until=(row["last"] + cool_off() if row["failures"] >= failure_limit() else None),
        )
        for row in rows
    ]
    return sorted(entries, key=lambda entry: entry.locked_until is None)


def unlock_account(*, login: str) -> int:
    """Forget the failures of the account ``login`` stands for (a username or email, or the API
    token pseudo-account), from every address. Returns how many records were removed."""
    key = login if login == API_TOKEN_ACCOUNT else canonical_account(login)
    if not key:  # axes would reset every account
        raise ValueError("An account is needed.")
    return reset(username=key)


def unlock_address(*, address: str) -> int:
    """Forget the failures from ``address``, for every account. Raises ValueError for anything
    that is not an IP address."""
    return reset(ip=str(ipaddress.ip_address(address.strip())))
