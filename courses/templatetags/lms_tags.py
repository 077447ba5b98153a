from django import template

from courses.text import nfc

register = template.Library()


@register.filter(name="nfc")
def nfc_filter(value) -> str:
    """Normalise text that did not come through our own services (e.g. Django's language names,
    stored decomposed) to NFC before it reaches the page."""
    return nfc(str(value))
