"""The verification page asks the agency's CA whether its signing certificate was revoked: the
test CA publishes a CRL from a local HTTP server; "not revoked", "revoked" and "could not be
checked (offline)" are three different answers, and offline is never "invalid" nor silently
"valid"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from certificates import signing
from certificates.signature_check import Revocation, Verdict, check_signature
from certificates.views.site import signature_message
from tests import factories
from tests.certificates import factories as cf
from tests.certificates.signing_ca import (
    PASSWORD,
    PASSWORD_ENV,
    SigningCA,
    local_crl_server,
    signer_config,
)
from tests.certificates.test_signing import closed_port, issue, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with translation.override("en"):  # the messages are asserted in English
        yield


@pytest.fixture(scope="module")
def ca():
    return SigningCA.create("LMS Revocation Test CA")


@pytest.fixture
def course():
    return factories.course(modules=1)


def agency_serial(path) -> int:
    return int(path.stem.removeprefix("agency-"))


def configure(course, path):
    config = signer_config(cf.template(course=course), path)
    signing.remember_identity(config, signing.check_configuration(config))
    config.save()
    return config


@pytest.fixture
def crl_server(ca):
    with local_crl_server(ca) as server:
        yield server


def test_a_certificate_the_ca_has_not_revoked_is_confirmed(ca, course, tmp_path, crl_server):
    configure(course, ca.pkcs12_file(tmp_path, crl_url=crl_server.url))
    check = check_signature(pdf_bytes(issue(course)))
    assert check.verdict == Verdict.VALID
    assert check.revocation == Revocation.GOOD
    assert crl_server.requests >= 1  # the CA was really asked
    assert "confirms the certificate is not revoked" in signature_message(check)


def test_a_revoked_signing_certificate_is_reported_revoked(ca, course, tmp_path, crl_server):
    path = ca.pkcs12_file(tmp_path, crl_url=crl_server.url)
    configure(course, path)
    data = pdf_bytes(issue(course))
    revoked_at = datetime.now(UTC).replace(microsecond=0)
    crl_server.revoked[agency_serial(path)] = revoked_at
    check = check_signature(data)
    assert check.verdict == Verdict.REVOKED
    assert check.revocation == Revocation.REVOKED
    assert check.revoked_at == revoked_at
    assert "has been revoked" in signature_message(check)


def test_an_unreachable_ca_is_offline_neither_invalid_nor_silently_valid(ca, course, tmp_path):
    configure(course, ca.pkcs12_file(tmp_path, crl_url=f"http://127.0.0.1:{closed_port()}/c.crl"))
    check = check_signature(pdf_bytes(issue(course)))
    assert check.verdict == Verdict.VALID  # the signature itself is sound
    assert check.revocation == Revocation.OFFLINE
    message = signature_message(check)
    assert "could not be checked" in message and "offline" in message


def test_a_certificate_that_names_no_crl_says_revocation_was_not_checked(ca, course, tmp_path):
    configure(course, ca.pkcs12_file(tmp_path))
    check = check_signature(pdf_bytes(issue(course)))
    assert check.verdict == Verdict.VALID
    assert check.revocation == Revocation.NOT_PUBLISHED
    assert "names no place" in signature_message(check)


def test_a_strangers_crl_address_is_never_visited(ca, course, tmp_path, crl_server):
    """Only the agency's own certificates lead to a fetch (no requests to addresses an
    uploaded file chose)."""
    configure(course, ca.pkcs12_file(tmp_path))
    stranger = SigningCA.create("Stranger CA")
    config = signer_config(
        cf.template(course=factories.course(modules=1)),
        stranger.pkcs12_file(tmp_path, crl_url=crl_server.url),
    )
    unsigned_course = factories.course(modules=1)
    cf.template(course=unsigned_course)
    forged = signing.sign_pdf(pdf_bytes(issue(unsigned_course)), config=config).data
    check = check_signature(forged)
    assert check.verdict == Verdict.UNTRUSTED
    assert crl_server.requests == 0


def test_the_page_says_revoked_in_vietnamese(client, ca, course, tmp_path, crl_server):
    path = ca.pkcs12_file(tmp_path, crl_url=crl_server.url)
    configure(course, path)
    data = pdf_bytes(issue(course))
    crl_server.revoked[agency_serial(path)] = datetime.now(UTC) - timedelta(hours=1)
    upload = SimpleUploadedFile("giay-chung-nhan.pdf", data, content_type="application/pdf")
    with translation.override("vi"):
        client.cookies["django_language"] = "vi"
        html = client.post(reverse("certificates:verify_file"), {"file": upload}).content.decode()
    assert 'data-signature="revoked"' in html
    assert "đã bị thu hồi" in html
