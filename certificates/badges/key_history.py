"""The badge signing keys the issuer has used, so that its did:web document keeps publishing
an earlier key after a rotation (credentials signed with it keep verifying) until the key is
retired, for instance because it leaked: credentials signed with a retired key then fail
verification, since no verifier can find their ``kid`` in the document any more.

A key is recorded the first time it is used (``remember``): changing the configured key file
by hand is a rotation too. ``manage.py rotate_badge_key`` writes a new key in place of the
configured file; ``manage.py retire_badge_key -- KID`` retires one.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.jwk import OKPKey

from certificates.badges import keys
from certificates.exceptions import CertificateError
from certificates.models import BadgeKey


class KeyRetired(CertificateError):
    code = "badge_key_retired"


def remember(key: OKPKey) -> BadgeKey:
    """Record the public half of ``key`` (once); raises ``KeyRetired`` for a retired key,
    which must sign nothing more."""
    jwk = keys.public_jwk(key)
    record = BadgeKey.objects.filter(kid=jwk["kid"]).first()
    if record is None:
        record, _created = BadgeKey.objects.get_or_create(
            kid=jwk["kid"], defaults={"public_jwk": jwk}
        )
    if record.retired_at is not None:
        raise KeyRetired(
            _(
                "The badge signing key %(kid)s was retired on %(date)s: configure a new key "
                "(manage.py rotate_badge_key)."
            )
            % {"kid": record.kid, "date": f"{timezone.localtime(record.retired_at):%d/%m/%Y}"}
        )
    return record


def published_jwks(current: OKPKey) -> list[dict]:
    """The keys the did:web document lists: the current one first, then every earlier key
    that was not retired, each with its own ``kid``."""
    current_jwk = keys.public_jwk(current)
    earlier = (
        BadgeKey.objects.filter(retired_at__isnull=True)
        .exclude(kid=current_jwk["kid"])
        .order_by("-first_used_at", "-pk")
    )
    return [current_jwk, *(record.public_jwk for record in earlier)]


def retire(kid: str, *, reason: str, current: OKPKey | None) -> BadgeKey:
    """Stop publishing the key ``kid``. Raises ``LookupError`` for an unknown key and
    ``ValueError`` for the key still configured (rotate first)."""
    record = BadgeKey.objects.filter(kid=kid).first()
    if record is None:
        raise LookupError(kid)
    if current is not None and keys.key_id(current) == kid:
        raise ValueError(kid)
    if record.retired_at is None:
        record.retired_at = timezone.now()
        record.retirement_reason = reason[:200]
        record.save(update_fields=["retired_at", "retirement_reason"])
    return record
