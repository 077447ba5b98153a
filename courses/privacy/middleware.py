"""Delegates consent to the current privacy notice before using the LMS.

Imported delegates (roster) never saw the notice, and everyone must consent again when
``LMS["PRIVACY_NOTICE_VERSION"]`` changes: a delegate without consent to the current version
who opens an LMS page is sent to the notice, and back afterwards. The version consented to is
remembered in the session, so the check costs no query once given.
"""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from courses.conf import lms_settings
from courses.privacy import services

SESSION_KEY = "courses_privacy_consent"
# Pages a delegate may open without consent: the notice itself, their data, signing out,
# passwords, and the public ones.
EXEMPT = {
    "privacy_notice",
    "withdraw_consent",
    "my_data",
    "my_data_download",
    "my_data_request",
    "my_data_cancel",
    "logout",
    "login",
    "signup",
    "signup_sent",
    "signup_confirm",
    "password_reset",
    "password_reset_done",
    "password_set",
    "password_set_done",
    "verify",
    "verify_code",
    "verify_file",
}


def remember_consent(sender, request, user, **kwargs) -> None:
    """On sign-in (``user_logged_in``), while the session is being saved anyway: remember
    that the user needs no notice, so later requests neither query nor write the session."""
    if request is None or not hasattr(request, "session"):
        return
    if not hasattr(user, "delegate_profile") or services.consent_is_current(user):
        request.session[SESSION_KEY] = lms_settings.PRIVACY_NOTICE_VERSION


class ConsentRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        if not set(match.namespaces) & set(lms_settings.PRIVATE_URL_APPS) - {"lms_api"}:
            return None
        if match.url_name in EXEMPT:
            return None
        version = lms_settings.PRIVACY_NOTICE_VERSION
        if request.session.get(SESSION_KEY) == version:
            return None
        if not hasattr(user, "delegate_profile") or services.consent_is_current(user):
            request.session[SESSION_KEY] = version
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('courses:privacy_notice')}?{query}")
