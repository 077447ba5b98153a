"""The agency's signing key, held outside the database (LMS["BADGE_SIGNING_KEY"] as PEM text,
or LMS["BADGE_SIGNING_KEY_FILE"] as a path), and its public half as a JWK."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from courses.conf import lms_settings

NOT_ED25519 = "The badge signing key must be an Ed25519 private key."


def new_private_key_pem() -> bytes:
    """A fresh Ed25519 private key, PKCS#8 PEM, unencrypted (protect the file instead)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def configured_pem() -> bytes | None:
    text = lms_settings.BADGE_SIGNING_KEY
    if text:
        return text.encode() if isinstance(text, str) else text
    path = lms_settings.BADGE_SIGNING_KEY_FILE
    if path:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise ImproperlyConfigured(
                f'LMS["BADGE_SIGNING_KEY_FILE"]: cannot read {path}: {error}'
            ) from error
    return None


def signing_key() -> OKPKey | None:
    """The configured Ed25519 key, or None when badges are not set up."""
    pem = configured_pem()
    if pem is None:
        return None
    try:
        key = OKPKey.import_key(pem)
    except JoseError as error:  # a PEM key of another kind (RSA, EC)
        raise ImproperlyConfigured(NOT_ED25519) from error
    except ValueError as error:
        raise ImproperlyConfigured(f"The badge signing key is not a PEM key: {error}") from error
    if key.curve_name != "Ed25519" or not key.is_private:
        raise ImproperlyConfigured(NOT_ED25519)
    return key


def key_id(key: OKPKey) -> str:
    """The RFC 7638 thumbprint: a new key gets a new id, so a rotation never reuses one."""
    return key.thumbprint()


def public_jwk(key: OKPKey) -> dict:
    return {**key.as_dict(private=False), "kid": key_id(key)}
