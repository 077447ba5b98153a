"""Delegates' certificates and the public verification page."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from certificates import services
from certificates.forms import MAX_PDF_BYTES
from certificates.models import Certificate, CertificateEvent
from tests import factories
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

REVOKED_AT = datetime.datetime(2024, 9, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def issue(full_name="Nguyễn Thị Ánh Tuyết") -> Certificate:
    enrollment = cf.completed_enrollment(full_name=full_name)
    return services.issue_certificate(enrollment_id=enrollment.pk)[0]


def english(client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def result_card(html: str) -> str:
    """The verification result, without the page furniture (which carries CSRF tokens)."""
    start = html.index('<div class="card form-card verify')
    return html[start : html.index("</div>", start)]


# My certificates


def test_my_certificates_lists_only_my_own(client):
    mine = issue("Nguyễn Thị Ánh")
    theirs = issue("Đặng Quốc Hưng")
    client.force_login(mine.user)

    response = client.get(reverse("certificates:mine"))

    assert list(response.context["certificates"]) == [mine]
    html = response.content.decode()
    assert mine.serial in html and theirs.serial not in html
    assert reverse("certificates:download", args=[theirs.pk]) not in html


def test_my_certificates_needs_a_login(client):
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302 and "login" in response.url


def test_a_replaced_certificate_leaves_my_list(client):
    old = issue()
    new = services.reissue_certificate(certificate_id=old.pk, by=None, reason="Sửa tên")
    client.force_login(old.user)
    assert list(client.get(reverse("certificates:mine")).context["certificates"]) == [new]


def test_downloading_my_certificate_is_recorded(client):
    certificate = issue()
    client.force_login(certificate.user)

    response = client.get(reverse("certificates:download", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == certificate.pdf.open("rb").read()
    event = certificate.events.get(action=CertificateEvent.Action.DOWNLOADED)
    assert event.actor == certificate.user


def test_another_delegates_certificate_does_not_exist_for_me(client):
    theirs = issue("Đặng Quốc Hưng")
    client.force_login(factories.delegate())
    response = client.get(reverse("certificates:download", args=[theirs.pk]))
    assert response.status_code == 404
    assert not theirs.events.filter(action=CertificateEvent.Action.DOWNLOADED).exists()


def test_an_unknown_certificate_id_is_the_same_404(client):
    client.force_login(factories.delegate())
    assert client.get(reverse("certificates:download", args=[987654])).status_code == 404


def test_visitors_are_sent_to_log_in_before_any_download(client):
    certificate = issue()
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 302 and "login" in response.url
    assert not certificate.events.filter(action=CertificateEvent.Action.DOWNLOADED).exists()


# Verification by code


def test_a_valid_certificate_is_confirmed_with_name_course_and_date(client):
    certificate = issue()
    response = english(client).get(
        reverse("certificates:verify_code", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    card = result_card(response.content.decode())
    assert "Valid certificate." in card
    assert "Nguyễn Thị Ánh Tuyết" in card and certificate.course_title in card


def test_a_revoked_certificate_says_so_with_the_date(client):
    certificate = issue()
    services.revoke_certificate(
        certificate_id=certificate.pk, by=None, reason="Cấp nhầm", now=REVOKED_AT
    )
    response = english(client).get(
        reverse("certificates:verify_code", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    card = result_card(response.content.decode())
    with translation.override("en"):
        assert "This certificate was revoked on 09/03/2024." in card
    assert "Cấp nhầm" not in card  # the reason is HR's, not the public's


def test_a_superseded_certificate_is_no_longer_valid(client):
    old = issue()
    services.reissue_certificate(certificate_id=old.pk, by=None, reason="Sửa tên")
    response = english(client).get(
        reverse("certificates:verify_code", args=[old.verification_code])
    )
    card = result_card(response.content.decode())
    assert "replaced by a newer one and is no longer valid" in card
    assert "Valid certificate." not in card


@pytest.mark.parametrize("code", ["AbCdEfGhIjKlMnOpQrStUv", "x", "a" * 41, "%3Cscript%3E"])
def test_unknown_and_malformed_codes_look_the_same(client, code):
    issue()
    english(client)
    unknown = client.get(reverse("certificates:verify_code", args=["AbCdEfGhIjKlMnOpQrStUw"]))
    response = client.get(f"/learn/verify/{code}/")
    assert response.status_code == unknown.status_code == 404
    card = result_card(response.content.decode())
    assert card == result_card(unknown.content.decode())
    assert "No certificate matches." in card
    assert "Nguyễn" not in response.content.decode()


def test_the_code_form_leads_to_the_result(client):
    certificate = issue()
    response = client.get(
        reverse("certificates:verify"), {"code": f" {certificate.verification_code} "}
    )
    assert response.status_code == 302
    assert response.url == reverse("certificates:verify_code", args=[certificate.verification_code])


@override_settings(LMS={"VERIFY_RATE_PER_HOUR": 3})
def test_lookups_are_rate_limited(client):
    certificate = issue()
    url = reverse("certificates:verify_code", args=[certificate.verification_code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert "Nguyễn" not in response.content.decode()
    other_visitor = client.get(url, REMOTE_ADDR="203.0.113.9")
    assert other_visitor.status_code == 200


@override_settings(LMS={"VERIFY_RATE_PER_HOUR": 3})
def test_a_forged_forwarded_for_from_an_untrusted_peer_changes_nothing(client):
    certificate = issue()
    url = reverse("certificates:verify_code", args=[certificate.verification_code])

    answers = [
        client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        for n in range(4)
    ]

    assert [r.status_code for r in answers] == [200, 200, 200, 429]


@override_settings(LMS={"VERIFY_RATE_PER_HOUR": 3, "TRUSTED_PROXIES": ["10.0.0.1"]})
def test_behind_a_trusted_proxy_visitors_are_limited_apart(client):
    """Found: behind a reverse proxy every visitor shared the proxy's one bucket."""
    certificate = issue()
    url = reverse("certificates:verify_code", args=[certificate.verification_code])
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}

    first = [client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1", **via_proxy) for _ in range(4)]
    second = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2", **via_proxy)

    assert [r.status_code for r in first] == [200, 200, 200, 429]
    assert second.status_code == 200


@override_settings(LMS={"VERIFY_RATE_PER_HOUR": 3})
def test_file_checks_share_the_rate_limit(client):
    certificate = issue()
    url = reverse("certificates:verify_code", args=[certificate.verification_code])
    for _ in range(3):
        client.get(url)
    upload = SimpleUploadedFile("c.pdf", certificate.pdf.open("rb").read())
    assert client.post(reverse("certificates:verify_file"), {"file": upload}).status_code == 429


# Verification by file


def upload(content: bytes, name="chung-nhan.pdf") -> dict:
    return {"file": SimpleUploadedFile(name, content, content_type="application/pdf")}


def test_the_exact_issued_pdf_matches(client):
    certificate = issue()
    response = english(client).post(
        reverse("certificates:verify_file"), upload(certificate.pdf.open("rb").read())
    )
    assert response.status_code == 200
    card = result_card(response.content.decode())
    assert "This file is exactly the PDF that was issued." in card
    assert "Valid certificate." in card and "Nguyễn Thị Ánh Tuyết" in card


def test_one_changed_byte_is_not_a_match(client):
    certificate = issue()
    content = bytearray(certificate.pdf.open("rb").read())
    content[len(content) // 2] ^= 0x01
    response = english(client).post(reverse("certificates:verify_file"), upload(bytes(content)))
    assert response.status_code == 404
    card = result_card(response.content.decode())
    assert "not a certificate issued here, or it has been altered" in card
    assert "Nguyễn" not in card


def test_a_file_that_is_not_a_pdf_is_a_form_error(client):
    response = english(client).post(
        reverse("certificates:verify_file"), upload(b"GIF89a not a pdf", name="anh.gif")
    )
    assert response.status_code == 400
    assert response.context["file_form"].errors["file"]
    assert "This is not a PDF file." in response.content.decode()


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = read


def unread_upload(client, url: str, length: int, **extra):
    """POST a multipart body announced as ``length`` bytes, which must not be read."""
    environ = {
        "CONTENT_TYPE": "multipart/form-data; boundary=B",
        "CONTENT_LENGTH": str(length),
        "wsgi.input": Unreadable(),
    }
    return client.post(url, data=b"", content_type="multipart/form-data", **environ, **extra)


def test_a_body_too_large_for_a_certificate_is_refused_unread():
    client = Client(enforce_csrf_checks=True)  # refused before the CSRF check reads the body

    response = unread_upload(client, reverse("certificates:verify_file"), 200 * 1024 * 1024)

    assert response.status_code == 400
    assert response.context["file_form"].errors["file"] == [
        "Tệp quá lớn so với một giấy chứng nhận (tối đa 5 MB)."
    ]
    assert "Tệp quá lớn so với một giấy chứng nhận (tối đa 5 MB)." in response.content.decode()


def test_a_file_just_over_the_limit_is_a_form_error(client):
    data = b"%PDF-1.7\n" + b"0" * (MAX_PDF_BYTES - 8)

    response = english(client).post(reverse("certificates:verify_file"), upload(data))

    assert response.status_code == 400
    assert "The file is larger than any certificate (5 MB)." in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"PK\x03\x04 a zip, not a PDF", "This is not a PDF file."),
        (b"%PD", "This is not a PDF file."),
    ],
)
def test_empty_and_other_files_are_form_errors(client, content, message):
    response = english(client).post(reverse("certificates:verify_file"), upload(content))

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_truncated_pdf_is_simply_not_a_certificate(client):
    certificate = issue()
    data = certificate.pdf.open("rb").read()[:1000]

    response = english(client).post(reverse("certificates:verify_file"), upload(data))

    assert response.status_code == 404
    assert "not a certificate issued here, or it has been altered" in response.content.decode()


def test_the_upload_needs_a_csrf_token():
    certificate = issue()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("certificates:verify_file"), upload(certificate.pdf.open("rb").read())
    )
    assert response.status_code == 403

    page = client.get(reverse("certificates:verify"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("certificates:verify_file"),
        {**upload(certificate.pdf.open("rb").read()), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200
