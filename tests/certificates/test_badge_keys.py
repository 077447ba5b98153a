"""Rotating the badge signing key: the issuer's did:web document keeps publishing earlier keys
(each its own verification method), so a credential signed before the rotation still verifies
with a second JOSE implementation (PyJWT); a retired key is no longer published, and the
credentials it signed then fail verification, saying why."""

import json

import jwt as pyjwt
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from certificates import services
from certificates.models import BadgeKey
from tests.certificates import badge_support as badges
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(settings, tmp_path):
    path = tmp_path / "badge-key.pem"
    call_command("generate_badge_key", str(path))
    settings.LMS = {**settings.LMS, "BADGE_SIGNING_KEY": None, "BADGE_SIGNING_KEY_FILE": str(path)}
    return path


@pytest.fixture
def certificate():
    enrollment = cf.completed_enrollment()
    cf.template(course=enrollment.course)
    return services.issue_certificate(enrollment_id=enrollment.pk, notify=False)[0]


@pytest.fixture
def owner(client, certificate):
    client.force_login(certificate.user)
    return client


def token_of(client, certificate) -> str:
    url = reverse("certificates:badge_download", args=[certificate.pk, "jwt"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def kid_of(token: str) -> str:
    return pyjwt.get_unverified_header(token)["kid"].rsplit("#", 1)[1]


def published_kids(client) -> list[str]:
    document = client.get(reverse("certificates:badge_issuer")).json()
    return [method["publicKeyJwk"]["kid"] for method in document["verificationMethod"]]


def test_a_credential_signed_before_a_rotation_still_verifies(key_file, owner, certificate):
    old_token = token_of(owner, certificate)
    old_kid = kid_of(old_token)
    call_command("rotate_badge_key")
    new_token = token_of(owner, certificate)
    assert kid_of(new_token) != old_kid  # a new key, a new id
    assert published_kids(owner) == [kid_of(new_token), old_kid]  # current first
    document = owner.get(reverse("certificates:badge_issuer")).json()
    assert len({m["id"] for m in document["verificationMethod"]}) == 2
    assert document["assertionMethod"] == [m["id"] for m in document["verificationMethod"]]
    assert badges.verify(owner, old_token)["jti"] == badges.verify(owner, new_token)["jti"]
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_the_status_list_is_signed_with_the_new_key_and_old_credentials_read_it(
    key_file, owner, certificate
):
    credential = json.loads(
        owner.get(reverse("certificates:badge_download", args=[certificate.pk, "json"])).content
    )
    call_command("rotate_badge_key")
    services.revoke_certificate(certificate_id=certificate.pk, by=certificate.user, reason="Sai")
    assert badges.status_bit(owner, credential) == 1


def test_a_retired_key_is_no_longer_published_and_its_credentials_fail(
    key_file, owner, certificate
):
    old_token = token_of(owner, certificate)
    old_kid = kid_of(old_token)
    call_command("rotate_badge_key")
    call_command("retire_badge_key", "--", old_kid, reason="Lộ khóa")
    assert old_kid not in published_kids(owner)
    with pytest.raises(pyjwt.InvalidKeyError, match="not published in the issuer's did:web"):
        badges.verify(owner, old_token)  # its kid is nowhere in the did:web document
    assert BadgeKey.objects.get(kid=old_kid).retirement_reason == "Lộ khóa"
    badges.verify(owner, token_of(owner, certificate))  # re-downloaded: the new key verifies


def test_the_signing_key_cannot_be_retired_before_a_rotation(key_file, owner, certificate):
    kid = kid_of(token_of(owner, certificate))
    with pytest.raises(CommandError, match="rotate_badge_key"):
        call_command("retire_badge_key", "--", kid)
    with pytest.raises(CommandError, match="No badge signing key"):
        call_command("retire_badge_key", "khong-co")
    assert published_kids(owner) == [kid]


def test_a_retired_key_configured_again_signs_nothing(key_file, owner, certificate, settings):
    old_pem = key_file.read_bytes()
    old_kid = kid_of(token_of(owner, certificate))
    call_command("rotate_badge_key")
    call_command("retire_badge_key", "--", old_kid)
    key_file.write_bytes(old_pem)  # someone puts the leaked key back
    url = reverse("certificates:badge_download", args=[certificate.pk, "jwt"])
    assert owner.get(url).status_code == 404


def test_a_key_id_starting_with_a_dash_is_retired_as_the_rotation_says(
    key_file, owner, certificate, capsys
):
    # A key id is base64url: one in 32 starts with "-", which argparse would read as an option
    # (as "-h…" once did in CI). The rotation's hint puts "--" before it.
    call_command("rotate_badge_key")
    assert "`manage.py retire_badge_key -- " in capsys.readouterr().out
    BadgeKey.objects.create(kid="-hCbp-_RW4oXq", public_jwk={"kty": "OKP"})
    call_command("retire_badge_key", "--", "-hCbp-_RW4oXq", reason="Lộ khóa")
    assert BadgeKey.objects.get(kid="-hCbp-_RW4oXq").retired_at is not None


def test_a_key_given_as_text_is_rotated_by_changing_the_setting(owner, certificate, settings):
    with pytest.raises(CommandError, match="generate_badge_key"):
        call_command("rotate_badge_key")
