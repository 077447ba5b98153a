"""Sign-up and profile. Sign-in and passwords use Django's own views with our templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses import lockout
from courses import signup as signups
from courses.conf import lms_settings
from courses.exceptions import SignupAlreadyConfirmed, SignupLinkInvalid
from courses.forms import ProfileForm, SignupForm
from courses.models import DelegateProfile
from courses.redirects import safe_next_url, safe_url
from courses.throttling import throttled
from courses.views.access import login_required

SIGNUP_EMAIL = "courses_signup_email"  # session key: the address to show on the "sent" page


@throttled("signup")
def signup(request):
    """Every valid sign-up is answered alike: "check your email" (see ``courses.signup``)."""
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("courses:dashboard"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signups.request_signup(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            organisation=data["organisation"],
            position=data["position"],
            province=data["province"],
            consent_version=lms_settings.PRIVACY_NOTICE_VERSION,
            next_url=safe_next_url(request, ""),
            site_url=request.build_absolute_uri("/"),
        )
        request.session[SIGNUP_EMAIL] = data["email"]
        return HttpResponseRedirect(reverse("courses:signup_sent"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


def signup_sent(request):
    return render(
        request,
        "courses/registration/signup_sent.html",
        {
            "email": request.session.get(SIGNUP_EMAIL, ""),
            "hours": lms_settings.SIGNUP_CONFIRMATION_HOURS,
        },
    )


@require_http_methods(["GET", "POST"])
def signup_confirm(request, token: str):
    """The emailed link. It shows a button that confirms (a POST), so that a mail scanner
    opening the link does not spend it; pressing it creates the account and signs in."""
    try:
        if request.method == "GET":
            pending = signups.pending_signup(token)
            return render(
                request, "courses/registration/signup_confirm.html", {"email": pending.email}
            )
        user, next_url = signups.confirm_signup(token=token)
    except (SignupLinkInvalid, SignupAlreadyConfirmed) as error:
        return render(
            request,
            "courses/registration/signup_confirm.html",
            {"error": error.message, "already": isinstance(error, SignupAlreadyConfirmed)},
            status=400 if request.method == "POST" else 200,
        )
    login(request, user, backend="courses.auth.EmailOrUsernameBackend")
    messages.success(
        request,
        _("Welcome, %(name)s! Your account is ready.") % {"name": user.delegate_profile.full_name},
    )
    request.session.pop(SIGNUP_EMAIL, None)
    return HttpResponseRedirect(safe_url(request, next_url, reverse("courses:dashboard")))


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's emailed set-password link, which also ends the account's sign-in lockout: who
    holds the link holds the account's email, and may sign in with the new password at once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        lockout.unlock_account(login=form.user.get_username())
        return response


@login_required
def profile(request):
    instance = DelegateProfile.objects.filter(user=request.user).first() or DelegateProfile(
        user=request.user, full_name=request.user.get_full_name()
    )
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return HttpResponseRedirect(reverse("courses:profile"))
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/profile.html", {"form": form}, status=status)
