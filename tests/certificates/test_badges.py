import json
from io import BytesIO
from pathlib import Path

import jsonschema
import jwt as pyjwt
import pytest
from defusedxml import ElementTree
from django.urls import reverse
from PIL import Image

from certificates import services
from certificates.badges import baking
from tests import factories
from tests.certificates import badge_support as badges
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "ob3_required_structure.json").read_text())


@pytest.fixture
def certificate():
    enrollment = cf.completed_enrollment()
    cf.template(course=enrollment.course, issuing_body="SỞ NỘI VỤ TỈNH LÀO CAI")
    certificate, _created = services.issue_certificate(enrollment_id=enrollment.pk, notify=False)
    return certificate


@pytest.fixture
def owner(client, certificate):
    client.force_login(certificate.user)
    return client


def download(client, certificate, badge_format):
    url = reverse("certificates:badge_download", args=[certificate.pk, badge_format])
    return client.get(url)


def token_of(client, certificate) -> str:
    response = download(client, certificate, "jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    return response.content.decode()


def test_the_credential_has_the_open_badges_structure(owner, certificate):
    credential = json.loads(download(owner, certificate, "json").content)
    jsonschema.Draft201909Validator(
        SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    ).validate(credential)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["name"] == "SỞ NỘI VỤ TỈNH LÀO CAI"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.course_title
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == certificate.full_name
    assert credential["issuer"]["id"] == "did:web:localhost:learn:badges:issuer"


def test_a_second_jose_library_verifies_the_credential_against_the_published_key(
    owner, certificate
):
    token = token_of(owner, certificate)
    claims = badges.verify(owner, token)
    credential = json.loads(download(owner, certificate, "json").content)
    assert {k: v for k, v in claims.items() if k not in {"iss", "jti", "nbf"}} == credential
    assert claims["iss"] == credential["issuer"]["id"]
    assert claims["jti"] == credential["id"]
    assert pyjwt.get_unverified_header(token)["alg"] == "EdDSA"


def test_changing_any_claim_breaks_the_signature(owner, certificate):
    token = token_of(owner, certificate)
    key = badges.issuer_key(owner, token)
    claims = pyjwt.decode(token, key, algorithms=["EdDSA"])
    paths = list(badges.leaves(claims))
    assert len(paths) > 20
    for path, value in paths:

        def change(claims, path=path, value=value):
            target = claims
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value + 1 if isinstance(value, int) else f"{value}x"

        with pytest.raises(pyjwt.InvalidSignatureError):
            pyjwt.decode(badges.tampered(token, change), key, algorithms=["EdDSA"])


def test_revoking_sets_the_credentials_status_bit(owner, certificate):
    credential = json.loads(download(owner, certificate, "json").content)
    assert badges.status_bit(owner, credential) == 0
    hr = factories.UserFactory()
    services.revoke_certificate(certificate_id=certificate.pk, by=hr, reason="Sai họ tên")
    assert badges.status_bit(owner, credential) == 1


def test_reissuing_sets_the_old_credentials_bit_and_not_the_new_ones(owner, certificate):
    old = json.loads(download(owner, certificate, "json").content)
    hr = factories.UserFactory()
    new = services.reissue_certificate(certificate_id=certificate.pk, by=hr, reason="Sửa tên")
    renewed = json.loads(download(owner, new, "json").content)
    assert badges.status_bit(owner, old) == 1
    assert badges.status_bit(owner, renewed) == 0
    assert (
        old["credentialStatus"]["statusListIndex"] != renewed["credentialStatus"]["statusListIndex"]
    )


def test_the_png_badge_carries_the_signed_credential(owner, certificate):
    response = download(owner, certificate, "png")
    assert response["Content-Type"] == "image/png"
    image = Image.open(BytesIO(response.content))
    assert image.size == (400, 400)
    assert image.text[baking.PNG_KEYWORD] == token_of(owner, certificate)


def test_the_svg_badge_carries_the_signed_credential(owner, certificate):
    response = download(owner, certificate, "svg")
    root = ElementTree.fromstring(response.content)
    element = root.find(f"{{{baking.SVG_NAMESPACE}}}credential")
    assert element.text.strip() == token_of(owner, certificate)
    badges.verify(owner, element.text.strip())


def test_only_the_owner_downloads_a_badge(client, certificate):
    stranger = factories.delegate()
    client.force_login(stranger)
    for badge_format in ("json", "jwt", "png", "svg"):
        assert download(client, certificate, badge_format).status_code == 404
    client.logout()
    assert download(client, certificate, "json").status_code == 302


def test_an_unknown_format_is_not_found(owner, certificate):
    assert download(owner, certificate, "exe").status_code == 404


def test_the_public_page_shows_only_what_the_credential_says(client, certificate):
    response = client.get(
        reverse("certificates:badge_public", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert certificate.full_name in page and certificate.course_title in page
    assert certificate.user.email not in page
    assert certificate.organisation not in page
    assert certificate.serial not in page
    guessed = client.get(reverse("certificates:badge_public", args=["not-a-real-code"]))
    assert guessed.status_code == 404


def test_my_certificates_offers_the_badge_and_its_share_link(owner, certificate):
    page = owner.get(reverse("certificates:mine")).content.decode()
    assert reverse("certificates:badge_download", args=[certificate.pk, "png"]) in page
    share = "http://localhost" + reverse(
        "certificates:badge_public", args=[certificate.verification_code]
    )
    assert share in page


def test_without_a_signing_key_there_is_no_badge(owner, certificate, settings):
    settings.LMS = {**settings.LMS, "BADGE_SIGNING_KEY": None}
    assert download(owner, certificate, "json").status_code == 404
    assert owner.get(reverse("certificates:badge_issuer")).status_code == 404
    assert owner.get(reverse("certificates:badge_status_list", args=[0])).status_code == 404
    code = certificate.verification_code
    assert owner.get(reverse("certificates:badge_public", args=[code])).status_code == 404
    page = owner.get(reverse("certificates:mine")).content.decode()
    assert "badge.png" not in page


def test_the_key_may_come_from_a_file(owner, certificate, settings, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "badge-key.pem"
    call_command("generate_badge_key", str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    settings.LMS = {**settings.LMS, "BADGE_SIGNING_KEY": None, "BADGE_SIGNING_KEY_FILE": str(path)}
    badges.verify(owner, token_of(owner, certificate))


def test_the_key_generator_never_overwrites_a_key(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "badge-key.pem"
    path.write_text("kept")
    with pytest.raises(CommandError):
        call_command("generate_badge_key", str(path))
    assert path.read_text() == "kept"


def test_my_certificates_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    enrollment = cf.completed_enrollment()
    user = enrollment.user
    for _index in range(5):
        other = factories.EnrollmentFactory(user=user, course=factories.course(modules=1))
        services.issue_certificate(enrollment_id=other.pk, issued_by=user, notify=False)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("certificates:mine"))
    assert response.content.decode().count("badge.png") == 5


@pytest.mark.parametrize(
    "setting",
    [
        {"BADGE_SIGNING_KEY": "not a key"},
        {"BADGE_SIGNING_KEY": None, "BADGE_SIGNING_KEY_FILE": "/nonexistent/badge.pem"},
    ],
)
def test_a_key_that_cannot_sign_is_reported_by_the_system_checks(settings, setting):
    from certificates.badges.checks import check_badge_key

    settings.LMS = {**settings.LMS, **setting}
    [error] = check_badge_key()
    assert error.id == "certificates.E001"


def test_an_rsa_key_is_refused(settings):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from certificates.badges.checks import check_badge_key

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    settings.LMS = {**settings.LMS, "BADGE_SIGNING_KEY": pem.decode()}
    [error] = check_badge_key()
    assert "Ed25519" in error.msg
