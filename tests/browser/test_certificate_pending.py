"""A certificate being prepared: "My certificates" says so, and shows the certificate by itself
once the issuing task has run (certificates/static/certificates/pending.js)."""

from playwright.sync_api import Page, expect

from certificates.issuing import issue_completion_certificate
from tests import factories
from tests.certificates import factories as certificate_factories


def test_my_certificates_shows_the_certificate_once_it_is_issued(
    desktop_page: Page, browser_site, login
):
    page = desktop_page
    course = factories.course(browser_site.index, title="Thông tin đối ngoại", code="TTĐN")
    certificate_factories.template(course)
    enrollment = certificate_factories.completed_enrollment(course=course)
    login(page, enrollment.user)

    page.goto(f"{browser_site.url}/learn/certificates/")
    pending = page.locator("[data-certificate-pending]")
    expect(pending).to_contain_text("Đang chuẩn bị giấy chứng nhận…")

    issue_completion_certificate.call(enrollment.pk)  # the worker gets to it

    expect(pending).to_have_count(0)  # the page reloaded itself
    expect(page.get_by_role("link", name="Tải PDF")).to_be_visible()
