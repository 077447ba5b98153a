"""Checks of Open Badges credentials with code that did not make them: PyJWT (not joserfc) for
the signatures, the standard library for the status list's bits."""

import base64
import gzip
import json

import jwt as pyjwt
from django.test import Client
from django.urls import reverse


def issuer_key(client: Client, token: str):
    """The public key the JWT's ``kid`` names, read from the served did:web document."""
    header = pyjwt.get_unverified_header(token)
    document = client.get(reverse("certificates:badge_issuer")).json()
    assert header["kid"].startswith(document["id"] + "#")
    methods = [m for m in document["verificationMethod"] if m["id"] == header["kid"]]
    if not methods:  # a retired (or never used) key: the credential cannot be trusted
        raise pyjwt.InvalidKeyError(
            f"{header['kid']} is not published in the issuer's did:web document."
        )
    [method] = methods
    assert header["kid"] in document["assertionMethod"]
    return pyjwt.PyJWK(method["publicKeyJwk"], algorithm="EdDSA").key


def verify(client: Client, token: str) -> dict:
    return pyjwt.decode(
        token, issuer_key(client, token), algorithms=["EdDSA"], options={"verify_exp": False}
    )


def bit(encoded_list: str, index: int) -> int:
    assert encoded_list[0] == "u"  # Multibase base64url
    body = encoded_list[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return (bits[index // 8] >> (7 - index % 8)) & 1


def status_bit(client: Client, credential: dict) -> int:
    status = credential["credentialStatus"]
    token = client.get(status["statusListCredential"]).content.decode()
    status_list = verify(client, token)
    assert "BitstringStatusListCredential" in status_list["type"]
    assert status_list["credentialSubject"]["statusPurpose"] == status["statusPurpose"]
    return bit(status_list["credentialSubject"]["encodedList"], int(status["statusListIndex"]))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tampered(token: str, change) -> str:
    """The token with its payload changed by ``change(claims)`` and the old signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    return ".".join([header, b64(json.dumps(claims).encode()), signature])


def leaves(value, path=()):
    """Every scalar in a JSON value, by its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value
