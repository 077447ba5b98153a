"""Every page of the LMS, in one include in the host's URLconf (before Wagtail's own):

    path("learn/", include("courses.urls")),

Each app keeps its own namespace: ``courses:`` for the patterns below, ``quizzes:`` and
``certificates:`` for what those apps add through the ``register_lms_urls`` hook (in their
``wagtail_hooks.py``; courses never imports them). A hook returns URL patterns, typically
``[path("", include("quizzes.urls"))]``.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.decorators import method_decorator
from wagtail import hooks

from courses.forms import PasswordLinkForm
from courses.throttling import throttled
from courses.views import accounts, learning
from courses.views.access import login_required


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, sending anonymous visitors to the LMS's sign-in page."""


courses_patterns = [
    path("", learning.dashboard, name="dashboard"),
    path("catalogue/", learning.catalogue, name="catalogue"),
    path("courses/<int:course_id>/enrol/", learning.enrol, name="enrol"),
    path("join/", learning.enrol_with_code, name="enrol_code"),
    path("items/<int:page_id>/complete/", learning.complete, name="complete"),
    path("signup/", accounts.signup, name="signup"),
    path("signup/sent/", accounts.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", accounts.signup_confirm, name="signup_confirm"),
    path("profile/", accounts.profile, name="profile"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="courses/registration/login.html",
            redirect_authenticated_user=True,
            next_page=reverse_lazy("courses:dashboard"),
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path(
        "password/reset/",
        # Each request may send an email: bounded per address as sign-up is.
        throttled("password_reset")(
            auth_views.PasswordResetView.as_view(
                form_class=PasswordLinkForm,
                template_name="courses/registration/password_reset_form.html",
                email_template_name="courses/registration/password_reset_email.txt",
                subject_template_name="courses/registration/password_reset_subject.txt",
                success_url=reverse_lazy("courses:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="courses/registration/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/set/<uidb64>/<token>/",
        accounts.SetPasswordView.as_view(
            template_name="courses/registration/password_set.html",
            success_url=reverse_lazy("courses:password_set_done"),
        ),
        name="password_set",
    ),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="courses/registration/password_set_done.html"
        ),
        name="password_set_done",
    ),
    path(
        "password/change/",
        PasswordChangeView.as_view(
            template_name="courses/registration/password_change.html",
            success_url=reverse_lazy("courses:dashboard"),
        ),
        name="password_change",
    ),
]


def hooked_patterns() -> list:
    return [pattern for hook in hooks.get_hooks("register_lms_urls") for pattern in hook()]


urlpatterns = [path("", include((courses_patterns, "courses"))), *hooked_patterns()]
