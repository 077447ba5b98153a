"""``manage.py check`` reports a badge key that cannot sign, before a delegate finds out."""

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from certificates.badges import keys


@register(Tags.security)
def check_badge_key(app_configs=None, **kwargs):
    try:
        keys.signing_key()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="Make one with `manage.py generate_badge_key PATH`, or unset the setting.",
                id="certificates.E001",
            )
        ]
    return []
