"""Delegates' certificates and the public verification page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from certificates import selectors, signature_check
from certificates.downloads import pdf_response
from certificates.forms import MAX_PDF_BYTES, VerifyCodeForm, VerifyFileForm
from certificates.ratelimit import allow
from courses import uploads
from courses.conf import lms_settings
from courses.web_toolkit import login_required


@login_required
def mine(request):
    from certificates.badges.views import badge_links

    certificates = list(selectors.certificates_of(user=request.user))
    return render(
        request,
        "certificates/mine.html",
        {
            "certificates": certificates,
            "with_badges": badge_links(request, certificates),
            "pending": selectors.pending_certificates(user=request.user),
        },
    )


@login_required
def download(request, certificate_id: int):
    """A delegate's own certificate; anyone else's does not exist for them."""
    certificate = selectors.certificates_of(user=request.user, include_history=True).filter(
        pk=certificate_id
    )
    certificate = certificate.first()
    if certificate is None:
        raise Http404
    return pdf_response(certificate, actor=request.user)


def _limited(request):
    return not allow(request, scope="verify", limit=lms_settings.VERIFY_RATE_PER_HOUR)


def verify(request):
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        reference = form.cleaned_data["code"]
        if "/" not in reference:
            return redirect("certificates:verify_code", code=reference)
        return _verification_result(request, reference)  # a register number like 12/QĐ-2024
    return render(
        request, "certificates/verify.html", {"form": form, "file_form": VerifyFileForm()}
    )


def verify_code(request, code: str):
    return _verification_result(request, code)


def _verification_result(request, reference: str):
    """The public answer for a verification code or a register number, rate-limited."""
    if _limited(request):
        return render(request, "certificates/rate_limited.html", status=429)
    certificate = selectors.by_printed_reference(reference)
    return render(
        request,
        "certificates/verify_result.html",
        {"certificate": certificate, "status": selectors.public_status(certificate)},
        status=200 if certificate else 404,
    )


@require_POST
@csrf_exempt  # the body is refused unread when too large; the CSRF check is done next
def verify_file(request):
    """Refuse a body too large to hold a certificate before Django stores it (the CSRF check
    reads the body, so it runs after this one, as in Django's "Modifying upload handlers on
    the fly")."""
    if uploads.declared_body_too_large(request.META, max_bytes=MAX_PDF_BYTES):
        return render(
            request,
            "certificates/verify.html",
            {"form": VerifyCodeForm(), "file_form": VerifyFileForm.too_large()},
            status=400,
        )
    return _verify_file(request)


@csrf_protect
def _verify_file(request):
    if _limited(request):
        return render(request, "certificates/rate_limited.html", status=429)
    form = VerifyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "certificates/verify.html",
            {"form": VerifyCodeForm(), "file_form": form},
            status=400,
        )
    upload = form.cleaned_data["file"]
    result = signature_check.verify_pdf(b"".join(upload.chunks()))
    certificate = result.certificate
    return render(
        request,
        "certificates/verify_result.html",
        {
            "certificate": certificate,
            "status": selectors.public_status(certificate),
            "checked_file": True,
            "file_message": file_message(result),
            "signature": result.signature,
            "signature_message": signature_message(result.signature),
        },
        status=200 if certificate else 404,
    )


def file_message(result) -> str:
    if result.by_hash:
        return _("This file is exactly the PDF that was issued.")
    if result.certificate is not None:
        return _("This file is not byte for byte the PDF that was issued.")
    return _("This file is not a certificate issued here, or it has been altered.")


def signature_message(check) -> str:
    """What the uploaded file's digital signature proves, in a sentence."""
    if check is None:
        return ""
    Verdict = signature_check.Verdict
    signer = check.signer_name or check.signer_subject
    messages = {
        Verdict.VALID: _(
            "Its digital signature is valid: signed by %(signer)s with a certificate of the "
            "issuing agency, and not modified since it was signed."
        ),
        Verdict.MODIFIED: _(
            "It carries a valid digital signature of %(signer)s, but the file was changed after "
            "it was signed (for example saved again by a PDF reader)."
        ),
        Verdict.UNTRUSTED: _(
            "It is signed by %(signer)s, but not with a certificate of an agency that issues "
            "certificates here: the signature is not trusted."
        ),
        Verdict.BROKEN: _(
            "It carries a digital signature, but the document was altered after it was signed."
        ),
        Verdict.REVOKED: _(
            "It is signed by %(signer)s, but the agency's signing certificate has been revoked "
            "(on %(date)s): the signature can no longer be relied on."
        ),
        Verdict.UNSIGNED: _("It carries no digital signature."),
        Verdict.UNREADABLE: _("Its digital signature could not be read."),
    }
    revoked_on = (
        formats.date_format(timezone.localtime(check.revoked_at), "SHORT_DATE_FORMAT")
        if check.revoked_at is not None
        else "?"
    )
    message = messages[check.verdict] % {"signer": signer, "date": revoked_on}
    revocation = signature_check.Revocation
    if check.revocation == revocation.GOOD:
        message += " " + _("The certification authority confirms the certificate is not revoked.")
    elif check.revocation == revocation.OFFLINE:
        message += " " + _(
            "Whether the signing certificate has been revoked could not be checked: the "
            "certification authority could not be reached (offline). Check again later."
        )
    elif check.revocation == revocation.NOT_PUBLISHED:
        message += " " + _(
            "Whether the signing certificate has been revoked could not be checked: it names "
            "no place where its certification authority publishes revocations."
        )
    return message
