from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from courses.conf import lms_settings
from courses.csp import request_nonce
from courses.text import nfc

register = template.Library()


@register.filter(name="nfc")
def nfc_filter(value) -> str:
    """Normalise text that did not come through our own services (e.g. Django's language names,
    stored decomposed) to NFC before it reaches the page."""
    return nfc(str(value))


@register.simple_tag
def lms_site_name() -> str:
    """The name in the LMS layout's header: ``LMS["SITE_NAME"]``, else ``WAGTAIL_SITE_NAME``."""
    return str(
        lms_settings.SITE_NAME or getattr(settings, "WAGTAIL_SITE_NAME", "") or _("Training")
    )


@register.simple_tag(takes_context=True)
def nonce_attr(context) -> str:
    """``nonce="…"``, the response's Content-Security-Policy nonce, for an inline ``<script>`` or
    ``<style>`` (``<script {% nonce_attr %}>``); nothing when no CSP middleware is installed.

    Works under Django's own CSP middleware and under django-csp alike (``courses.csp``).
    """
    nonce = request_nonce(context.get("request"))
    return format_html('nonce="{}"', nonce) if nonce else ""


@register.simple_tag(takes_context=True)
def completed_course_panels(context, enrollment) -> str:
    """What other apps show on a completed course's page (the ``lms_completed_course_panel``
    hook: a function of the request and the enrolment returning HTML), e.g. the certificate."""
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    request = context.get("request")
    parts = (hook(request, enrollment) for hook in hooks.get_hooks("lms_completed_course_panel"))
    return mark_safe("".join(str(part) for part in parts if part))  # noqa: S308 (hooks' HTML)
