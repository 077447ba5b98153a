"""Who signs in: delegates by email, staff by username or email, integrations by API token.

Every one of these goes through Django's ``authenticate()``, so django-axes (first in
``AUTHENTICATION_BACKENDS``) counts each failure and refuses a locked-out client before any
password or token is checked (``courses.lockout``).
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend

from courses import user_cache
from courses.caching import cache_is_shared
from courses.compat import APIToken


def find_account(login: str):
    """The account a sign-in name stands for: a username in any case, else the first account
    with that email. One rule for signing in and for counting failures (``courses.lockout``)."""
    user_model = get_user_model()
    login = login.strip()
    if not login:
        return None
    return (
        user_model._default_manager.filter(username__iexact=login).first()
        or user_model._default_manager.filter(email__iexact=login).order_by("pk").first()
    )


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in ``AUTHENTICATION_BACKENDS``: a locked-out client is
    refused before any password or token is checked (``courses.lockout``).

    ``authenticate()`` called without a request (the shell, a management command, a test
    client's ``login()``) is no client's attempt: there is no address to count, so it goes on
    to the other backends instead of being refused, as axes' own backend would. Every web
    sign-in of Django, Wagtail, DRF and the LMS passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailOrUsernameBackend(ModelBackend):
    """Delegates sign in with their email address; staff may keep a username. The signed-in
    user of every request is ``ModelBackend.get_user()``'s, kept in the shared cache between
    two changes of the user (``courses.user_cache``)."""

    def get_user(self, user_id):
        if not cache_is_shared(user_cache.CACHE_ALIAS):
            return super().get_user(user_id)
        user = user_cache.cached_user(user_id)
        if user is None:
            user = super().get_user(user_id)  # None for an inactive or deleted user
            if user is not None:
                user_cache.remember_user(user)
        return user

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = find_account(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class APITokenBackend(BaseBackend):
    """``authenticate(request, api_token=...)``: the active user of an unrevoked Wagtail API
    token (only its HMAC digest is stored), or None. The REST API's bearer authentication
    (``courses.api.authentication``) calls it through ``authenticate()`` so that a wrong token
    counts as a failed sign-in for the client's address, as a wrong password does."""

    def authenticate(self, request, api_token=None, **kwargs):
        if APIToken is None:  # Wagtail 7.4
            return None
        if api_token is None or not APIToken.validate_token_format(api_token):
            return None
        token = (
            APIToken.objects.select_related("user")
            .filter(key_hash__in=APIToken.candidate_key_hashes(api_token), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        # Which token was used, for the caller to record (``authenticate`` returns a user only).
        token.user.api_token = token
        return token.user
