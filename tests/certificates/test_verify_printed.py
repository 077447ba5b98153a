"""Checking a certificate by what is printed on it: the register number ("Số vào sổ"), typed
as a visitor types it, or the verification code printed under the QR code."""

import io
import unicodedata

import pypdf
import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from certificates import services
from certificates.models import Certificate
from certificates.pdf import readable_code, render_certificate
from certificates.selectors import by_serial, serial_key
from tests import factories
from tests.certificates import factories as cf
from tests.certificates.test_views import english, result_card

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def issue(*, code="TTĐN", full_name="Nguyễn Thị Ánh Tuyết") -> Certificate:
    course = factories.course(modules=1, code=code)
    enrollment = cf.completed_enrollment(full_name=full_name, course=course)
    return services.issue_certificate(enrollment_id=enrollment.pk)[0]


def check(client, typed: str):
    """The verification form, submitted with ``typed``, followed to its answer."""
    return english(client).get(reverse("certificates:verify"), {"code": typed}, follow=True)


# Pure parts


def test_serial_keys_forgive_case_spaces_and_d_for_đ():
    expected = "TTDN-2024-000123"
    for typed in [
        "TTĐN-2024-000123",
        " ttđn - 2024 - 000123 ",
        "TTDN-2024-000123",
        "ttdn-2024-000123",
    ]:
        assert serial_key(typed) == expected


def test_serial_keys_are_nfc():
    assert serial_key(unicodedata.normalize("NFD", "KỸ-2024-1")) == "KỸ-2024-1"


@given(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=40
    )
)
def test_the_printed_code_reads_back_as_the_code(code):
    lines = readable_code(code)

    assert "".join("".join(lines).split()) == code
    assert len(lines) <= 2
    assert all(len(group) <= 4 for line in lines for group in line.split())


def test_a_verification_code_prints_as_two_lines_of_four_letter_groups():
    assert readable_code("AbCdEfGhIjKlMnOpQrStUv") == ("AbCd EfGh IjKl", "MnOp QrSt Uv")


def test_the_code_is_printed_under_the_qr_code():
    from tests.certificates.test_pdf import DESIGN, holder

    pdf = render_certificate(DESIGN, holder(verification_code="AbCdEfGhIjKlMnOpQrStUv"))
    placed: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            placed[text.strip()] = tm[5] * cm[3] + cm[5]  # the baseline's height on the page

    pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)

    qr_bottom = 22 + 30  # the page margin and the QR code's base (certificates.pdf)
    assert placed["AbCd EfGh IjKl"] < qr_bottom
    assert placed["MnOp QrSt Uv"] < placed["AbCd EfGh IjKl"]


# By register number


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [
        "{serial}",
        "{serial_lower}",
        "{serial_d}",
        " {spaced} ",
    ],
)
def test_the_register_number_finds_the_certificate_however_it_is_typed(client, typed):
    certificate = issue()
    serial = certificate.serial
    assert "Đ" in serial
    text = typed.format(
        serial=serial,
        serial_lower=serial.lower(),
        serial_d=serial.replace("Đ", "D").lower(),
        spaced=" - ".join(serial.split("-")),
    )

    response = check(client, text)

    assert response.status_code == 200
    card = result_card(response.content.decode())
    assert "Valid certificate." in card
    assert "Nguyễn Thị Ánh Tuyết" in card


@pytest.mark.django_db
@override_settings(LMS={"CERTIFICATE_SERIAL_FORMAT": "{number:03d}/{course_code}-{year}"})
def test_a_register_number_with_slashes_is_checked_in_place(client):
    certificate = issue()
    assert "/" in certificate.serial

    response = check(client, certificate.serial.lower().replace("đ", "d"))

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert "Valid certificate." in result_card(response.content.decode())


@pytest.mark.django_db
def test_an_unknown_register_number_looks_like_an_unknown_code(client):
    certificate = issue()
    wrong = certificate.serial[:-1] + ("9" if certificate.serial[-1] != "9" else "8")

    by_serial_answer = check(client, wrong)
    by_code_answer = check(client, "AbCdEfGhIjKlMnOpQrStUw")

    assert by_serial_answer.status_code == by_code_answer.status_code == 404
    assert result_card(by_serial_answer.content.decode()) == result_card(
        by_code_answer.content.decode()
    )


@pytest.mark.django_db
def test_a_revoked_certificate_says_so_by_register_number_too(client):
    certificate = issue()
    services.revoke_certificate(certificate_id=certificate.pk, by=None, reason="Cấp nhầm")

    response = check(client, certificate.serial)

    assert "revoked" in result_card(response.content.decode())


@pytest.mark.django_db
def test_serials_that_differ_only_by_đ_and_d_name_no_one(client):
    first = issue(code="ĐN")
    second = issue(code="DN")
    assert serial_key(first.serial) == serial_key(second.serial)

    assert by_serial(first.serial) is None
    assert check(client, first.serial).status_code == 404


@pytest.mark.django_db
@override_settings(LMS={"VERIFY_RATE_PER_HOUR": 3})
def test_register_numbers_and_codes_share_the_rate_limit(client):
    certificate = issue()
    for _ in range(2):
        assert check(client, certificate.serial).status_code == 200
    assert check(client, certificate.verification_code).status_code == 200

    refused = check(client, certificate.serial)

    assert refused.status_code == 429
    assert "Nguyễn" not in refused.content.decode()


@pytest.mark.django_db
def test_the_api_checks_a_register_number_as_the_page_does(client):
    certificate = issue()
    typed = certificate.serial.lower().replace("đ", "d")

    response = client.get(reverse("lms_api:verification-detail", args=[typed]), **ENGLISH)

    assert response.status_code == 200
    assert response.json()["status"] == "valid"
    assert response.json()["full_name"] == "Nguyễn Thị Ánh Tuyết"


# The code under the QR code


@pytest.mark.django_db
def test_the_code_printed_under_the_qr_code_checks_the_certificate(client):
    certificate = issue()
    text = pypdf.PdfReader(io.BytesIO(certificate.pdf.open("rb").read())).pages[0].extract_text()
    lines = readable_code(certificate.verification_code)
    assert all(line in text for line in lines)

    response = check(client, " ".join(lines))

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "certificates:verify_code", args=[certificate.verification_code]
    )
    assert "Valid certificate." in result_card(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["https://lms.example.vn", "lms.example.vn", ""])
def test_a_pasted_verification_address_still_leads_to_its_code(client, prefix):
    certificate = issue()

    response = check(client, f"{prefix}/learn/verify/{certificate.verification_code}/")

    assert response.redirect_chain[-1][0] == reverse(
        "certificates:verify_code", args=[certificate.verification_code]
    )
