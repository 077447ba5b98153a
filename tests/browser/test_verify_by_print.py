"""A visitor checks a certificate by typing what is printed on it, on a phone and a desktop:
the register number as people type it (lower case, spaces, D for Đ) and the code printed under
the QR code, in groups."""

import pytest
from playwright.sync_api import Page, expect

from certificates import services
from certificates.pdf import readable_code
from tests import factories
from tests.certificates import factories as certificate_factories

FULL_NAME = "Đặng Thị Thu Hà"


@pytest.fixture
def certificate(browser_site):
    course = factories.course(browser_site.index, title="Kỹ năng tiếp công dân", code="TCĐ")
    enrollment = certificate_factories.completed_enrollment(full_name=FULL_NAME, course=course)
    return services.issue_certificate(enrollment_id=enrollment.pk, notify=False)[0]


def check(page: Page, typed: str) -> None:
    page.goto("/learn/verify/")
    page.get_by_label("Mã xác minh hoặc số vào sổ").fill(typed)
    page.get_by_role("button", name="Xác minh", exact=True).click()
    expect(page.get_by_text("Giấy chứng nhận hợp lệ.", exact=True)).to_be_visible()
    expect(page.get_by_text(FULL_NAME)).to_be_visible()


@pytest.mark.parametrize("device", ["phone_page", "desktop_page"])
def test_a_visitor_checks_a_certificate_by_what_is_printed(
    request, device, certificate, screenshots, axe
):
    page = request.getfixturevalue(device)
    typed_serial = " - ".join(certificate.serial.lower().replace("đ", "d").split("-"))

    page.goto("/learn/verify/")
    screenshots(page, "verify-form")
    axe(page)
    check(page, typed_serial)
    screenshots(page, "verified-by-register-number")
    axe(page)
    check(page, "  ".join(readable_code(certificate.verification_code)))
    screenshots(page, "verified-by-printed-code")
