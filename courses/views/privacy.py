"""The delegate's own personal data: "Dữ liệu của tôi" (export, requests, consent) and the
privacy notice. Staff act on requests in the admin (``courses.privacy.admin``)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.conf import lms_settings
from courses.models import Consent, DataRequest
from courses.privacy import archive, services
from courses.privacy.forms import ConsentForm, DataRequestForm
from courses.privacy.registry import providers
from courses.redirects import safe_next_url
from courses.views.access import login_required


def _my_data_page(request, form: DataRequestForm, *, status: int = 200):
    user = request.user
    return render(
        request,
        "courses/privacy/my_data.html",
        {
            "form": form,
            "requests": DataRequest.objects.filter(user=user).order_by("-received_at"),
            "consents": Consent.objects.filter(user=user),
            "consent_current": services.consent_is_current(user),
            "declarations": [d for p in providers() for d in p.declarations],
        },
        status=status,
    )


@login_required
def my_data(request):
    return _my_data_page(request, DataRequestForm())


@login_required
def my_data_download(request):
    response = HttpResponse(archive.build_archive(request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.archive_name(request.user)}"'
    return response


@login_required
@require_POST
def my_data_request(request):
    form = DataRequestForm(request.POST)
    if form.is_valid():
        try:
            services.open_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except services.PrivacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your request has been received. We will answer it by %(date)s.")
                % {"date": _due_text(request.user, form.cleaned_data["kind"])},
            )
            return HttpResponseRedirect(reverse("courses:my_data"))
    return _my_data_page(request, form, status=400)


def _due_text(user, kind) -> str:
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    due = DataRequest.objects.filter(user=user, kind=kind, state="open").values_list(
        "due_at", flat=True
    )
    return date_format(localtime(due[0]), "SHORT_DATETIME_FORMAT") if due else ""


@login_required
@require_POST
def my_data_cancel(request, request_id: int):
    data_request = DataRequest.objects.filter(pk=request_id, user=request.user).first()
    if data_request is None:
        raise Http404
    try:
        services.cancel(data_request=data_request, user=request.user)
    except services.PrivacyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request has been cancelled."))
    return HttpResponseRedirect(reverse("courses:my_data"))


def privacy_notice(request):
    """The notice, for everyone; signed-in delegates without a current consent give it here."""
    signed_in = request.user.is_authenticated
    needs_consent = signed_in and not services.consent_is_current(request.user)
    form = ConsentForm(request.POST or None)
    if request.method == "POST":
        if not signed_in:
            return HttpResponseRedirect(reverse("courses:login"))
        if form.is_valid():
            services.record_consent(user=request.user)
            messages.success(request, _("Thank you. Your consent has been recorded."))
            return HttpResponseRedirect(safe_next_url(request, reverse("courses:dashboard")))
    return render(
        request,
        "courses/privacy/notice.html",
        {
            "form": form,
            "needs_consent": needs_consent,
            "version": lms_settings.PRIVACY_NOTICE_VERSION,
            "contact": lms_settings.PRIVACY_CONTACT,
            "next": request.GET.get("next", request.POST.get("next", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def withdraw_consent(request):
    """Withdrawing consent at once: the processing that rests on it stops, so the delegate is
    signed out and asked again on their next sign-in."""
    services.withdraw_consent(user=request.user)
    logout(request)
    messages.success(request, _("Your consent has been withdrawn. You have been signed out."))
    return HttpResponseRedirect(reverse("courses:privacy_notice"))
