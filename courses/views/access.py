"""Signing in for the LMS's own pages, independent of the host's ``LOGIN_URL``."""

import functools

from django.contrib.auth.decorators import login_required as django_login_required
from django.shortcuts import resolve_url
from django.utils.functional import lazy

from courses.conf import lms_settings

# ``LMS["LOGIN_URL"]`` (a URL name or a path), read when a visitor is redirected.
login_url = lazy(lambda: resolve_url(lms_settings.LOGIN_URL), str)()

#: Django's ``login_required``, sending visitors to the LMS's sign-in page.
login_required = functools.partial(django_login_required, login_url=login_url)
