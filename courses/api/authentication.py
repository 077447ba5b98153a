"""How API clients sign in: a browser's session (CSRF enforced), or an integration's bearer token.

Tokens are Wagtail's ``APIToken``s (Wagtail 8 and later): only an HMAC digest is stored, the
plaintext is shown once, and they can be revoked. Administrators create them in the Wagtail admin
(Settings → API tokens, registered in ``courses/wagtail_hooks.py``); no role group is given
``wagtailcore.add_apitoken``, and no API endpoint hands one out. With Wagtail 7.4, which has no
API tokens, the API accepts sessions only.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils import timezone
from drf_spectacular.authentication import SessionScheme as BaseSessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from courses import lockout
from courses.auth import APITokenBackend
from courses.compat import APIToken

# As Django masks secrets in the credentials of a failed sign-in.
MASKED = "********************"  # noqa: S105 (not a secret: what stands for one)


class CSRFFailed(exceptions.PermissionDenied):
    default_code = "csrf_failed"


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, reporting a missing CSRF token with its own error code.

    Where it is the only way in (Wagtail 7.4 has no API tokens), a request without credentials
    is still answered 401 ``not_authenticated``, with ``WWW-Authenticate: Session``.
    """

    def authenticate_header(self, request) -> str:
        return 'Session realm="api"'

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise CSRFFailed() from None


class LockedOut(exceptions.Throttled):
    """Too many wrong tokens from this address: 429 with Retry-After (``courses.lockout``)."""

    default_code = "locked_out"


class APITokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer wagtail_…``, checked against the digests of unrevoked tokens of
    active users (as Wagtail's own API does). A wrong token is refused, never ignored.

    The token is checked by ``courses.auth.APITokenBackend`` (called directly, so that tokens
    work whatever the host's ``AUTHENTICATION_BACKENDS``), and a wrong one is reported as Django's
    ``authenticate()`` reports a failed sign-in (``user_login_failed``, credentials masked), so
    django-axes counts it: after ``AXES_FAILURE_LIMIT`` wrong tokens from one address, that
    address may use no token until the cool-off has passed. A wrong token names no account, so
    "the account" of the lockout is every token at once (``courses.lockout.API_TOKEN_ACCOUNT``);
    people signing in on the site from the same address are not affected.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        try:
            token = header[1].decode() if len(header) == 2 else ""
        except UnicodeError:
            token = ""
        attempt = lockout.login_attempt(request)
        credentials = {"api_token": MASKED}
        wait = lockout.seconds_locked(attempt, credentials=credentials)
        if wait is not None:
            raise LockedOut(wait=wait)
        user = APITokenBackend().authenticate(attempt, api_token=token)
        if user is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=attempt)
            wait = lockout.seconds_locked(attempt, credentials=credentials)
            if wait is not None:
                raise LockedOut(wait=wait)
            raise exceptions.AuthenticationFailed()
        self.touch(user.api_token)
        return user, user.api_token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    def touch(self, api_token: APIToken) -> None:
        """Record when the token was last used, at most once a minute (Wagtail's setting)."""
        interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
        now = timezone.now()
        if interval is not None and (
            api_token.last_used_at is None
            or (now - api_token.last_used_at).total_seconds() >= interval
        ):
            APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)


# Tokens first, so that a request without credentials is answered 401 with a WWW-Authenticate
# header.
AUTHENTICATION_CLASSES = [
    *([APITokenAuthentication] if APIToken is not None else []),
    SessionAuthentication,
]


# OpenAPI security schemes for our classes.


class SessionScheme(BaseSessionScheme):
    target_class = SessionAuthentication


class APITokenScheme(OpenApiAuthenticationExtension):
    target_class = APITokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=APITokenAuthentication.keyword
        )
