"""Response headers that protect delegates' data: the Wagtail admin's Content-Security-Policy and
``Cache-Control: private, no-store`` on everything personal.

Add both after Django's ``ContentSecurityPolicyMiddleware`` (or django-csp's ``CSPMiddleware``)
and ``AuthenticationMiddleware``::

    "courses.middleware.AdminContentSecurityPolicyMiddleware",
    "courses.middleware.PrivateCacheControlMiddleware",
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control

from courses.conf import lms_settings
from courses.csp import admin_policy, render_policy

CSP_HEADER = "Content-Security-Policy"


def site_policy() -> dict:
    """The site's policy: Django's ``SECURE_CSP``, or django-csp's (Django 5.2)."""
    django_csp = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return getattr(settings, "SECURE_CSP", None) or django_csp.get("DIRECTIVES") or {}


class AdminContentSecurityPolicyMiddleware:
    """Gives the Wagtail admin (every path under its home page's URL) its own policy.

    The policy is ``LMS["ADMIN_CSP"]`` or, when that is None, the site's ``SECURE_CSP`` adapted
    to what the admin needs (``courses.csp.admin_policy``). It is set before the CSP middleware
    looks at the response, and both Django's and django-csp's leave a header already set alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if CSP_HEADER not in response and request.path.startswith(self.admin_prefix()):
            policy = lms_settings.ADMIN_CSP
            if policy is None:
                policy = admin_policy(site_policy())
            if header := render_policy(policy):
                response[CSP_HEADER] = header
        return response

    @staticmethod
    def admin_prefix() -> str:
        try:
            return reverse("wagtailadmin_home")
        except NoReverseMatch:  # a site without Wagtail's admin URLs
            return "\0"


class PrivateCacheControlMiddleware:
    """Marks every personal response ``Cache-Control: private, no-store``, so that neither a
    shared cache (a proxy, a CDN) nor the browser's disk keeps it.

    Personal means: the visitor is signed in (every page then shows their name, progress or
    records), or the request carried credentials (``Authorization``: API tokens), or the view
    belongs to one of the LMS's own apps (``LMS["PRIVATE_URL_APPS"]``: certificate checks show a
    holder's name, and sign-up and password forms are one person's). Public pages, such as the
    course catalogue and course pages seen by an anonymous visitor, keep their headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self.is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def is_personal(request) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return True
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        match = request.resolver_match
        return match is not None and bool(set(match.app_names) & set(lms_settings.PRIVATE_URL_APPS))
