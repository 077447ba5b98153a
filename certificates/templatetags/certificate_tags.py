"""``{% completion_certificate enrollment %}``: on a completed course's page, the certificate, or
a note that it is being prepared (``certificates.issuing`` issues it off the request)."""

from django import template

from certificates import selectors

register = template.Library()


@register.inclusion_tag("certificates/includes/completion_certificate.html")
def completion_certificate(enrollment):
    certificate = selectors.certificate_of_enrollment(enrollment) if enrollment else None
    return {"enrollment": enrollment, "certificate": certificate}
