"""Sign-up and profile. Sign-in and passwords use Django's own views with our templates."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from courses import services
from courses.forms import ProfileForm, SignupForm
from courses.models import DelegateProfile
from courses.redirects import safe_next_url


def signup(request):
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("courses:dashboard"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.register_delegate(
            email=data["email"],
            full_name=data["full_name"],
            organisation=data["organisation"],
            position=data["position"],
            province=data["province"],
            password=data["password1"],
        )
        login(request, user, backend="courses.auth.EmailOrUsernameBackend")
        messages.success(
            request, _("Welcome, %(name)s! Your account is ready.") % {"name": data["full_name"]}
        )
        return HttpResponseRedirect(safe_next_url(request, reverse("courses:dashboard")))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "courses/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


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
