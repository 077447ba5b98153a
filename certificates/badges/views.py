"""The delegate's badge downloads and renewal, the public credential page, the issuer's
did:web document and the status lists. Without a signing key all of them are 404."""

import json
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates import exceptions, expiry, selectors
from certificates.badges import baking, issuing, keys
from certificates.design import template_for
from courses.sites import absolute_url
from courses.web_toolkit import login_required

JWT_MEDIA_TYPE = "application/vc+jwt"
FORMATS = ("json", "jwt", "png", "svg")


@dataclass(frozen=True, slots=True)
class BadgeLinks:
    share_url: str | None  # None without a signing key
    renewable: bool
    expired: bool


def badge_links(request, certificates) -> list[tuple]:
    """What "My certificates" offers for each certificate: (certificate, BadgeLinks) pairs."""
    enabled = keys.configured_pem() is not None
    today = timezone.localdate()
    return [
        (
            certificate,
            BadgeLinks(
                share_url=absolute_url(
                    reverse("certificates:badge_public", args=[certificate.verification_code]),
                    request=request,
                )
                if enabled
                else None,
                renewable=expiry.is_renewable(certificate, today=today),
                expired=expiry.is_expired(certificate, today=today),
            ),
        )
        for certificate in certificates
    ]


def _own_certificate(request, certificate_id: int):
    """The signed-in delegate's certificate; anyone else's does not exist for them."""
    certificate = (
        selectors.certificates_of(user=request.user, include_history=True)
        .select_related("user")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def _signed(certificate):
    try:
        return issuing.signed_credential(certificate)
    except issuing.BadgesNotConfigured as error:
        raise Http404 from error


@login_required
def download(request, certificate_id: int, badge_format: str):
    if badge_format not in FORMATS:
        raise Http404
    certificate = _own_certificate(request, certificate_id)
    credential, token = _signed(certificate)
    if badge_format == "json":
        body, media_type = json.dumps(credential, ensure_ascii=False, indent=2), "application/json"
    elif badge_format == "jwt":
        body, media_type = token, JWT_MEDIA_TYPE
    else:
        look = {
            "token": token,
            "label": certificate.course.code or "✓",
            "colour": template_for(certificate.course).primary_colour,
        }
        if badge_format == "png":
            body, media_type = baking.badge_png(**look), "image/png"
        else:
            body, media_type = baking.badge_svg(**look), "image/svg+xml"
    response = HttpResponse(body, content_type=media_type)
    filename = f"{certificate.serial}-badge.{badge_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def renew(request, certificate_id: int):
    """Take the course again to renew a certificate that expires soon."""
    certificate = _own_certificate(request, certificate_id)
    try:
        expiry.start_renewal(certificate=certificate, today=timezone.localdate())
    except exceptions.NotRenewable as error:
        messages.error(request, str(error.message))
        return redirect("certificates:mine")
    messages.success(request, _("Take the course again: completing it renews your certificate."))
    return redirect(certificate.course.get_url(request) or "certificates:mine")


def public(request, code: str):
    """What the credential says, for anyone with its unguessable link: nothing more."""
    certificate = selectors.by_verification_code(code)
    if certificate is None:
        raise Http404
    try:
        issuing.configured_key()
    except issuing.BadgesNotConfigured as error:
        raise Http404 from error
    credential = issuing.credential_of(certificate)
    subject = credential["credentialSubject"]
    names = [i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"]
    return render(
        request,
        "certificates/badges/public.html",
        {
            "credential": credential,
            "holder_name": names[0] if names else "",
            "achievement": subject["achievement"],
            "status": selectors.public_status(certificate),
            "certificate": certificate,
        },
    )


def issuer(request):
    try:
        document = issuing.issuer_document(request=request)
    except issuing.BadgesNotConfigured as error:
        raise Http404 from error
    return JsonResponse(document, content_type="application/did+json")


def status_list(request, list_number: int):
    try:
        token = issuing.status_list_jwt(list_number, request=request)
    except issuing.BadgesNotConfigured as error:
        raise Http404 from error
    return HttpResponse(token, content_type=JWT_MEDIA_TYPE)
