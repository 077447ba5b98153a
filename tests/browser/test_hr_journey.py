"""Journey 3: HR works through the certificate register in the Wagtail admin.

An HR officer narrows the register down to one province and then to one cohort (the rows follow
each filter), exports the filtered register as XLSX, builds a ZIP of the same certificates with
the bulk download (the test settings' immediate task backend builds it in the request), revokes
one certificate with a reason, and a visitor who scans that certificate's QR code then reads on
the public check page that it was revoked, and when.
"""

import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from certificates import services
from certificates.models import Certificate
from courses.conf import lms_settings
from courses.models import Cohort, Province
from tests import factories
from tests.browser.admin_helpers import exact, filter_listing, vi, vi_n
from tests.certificates import factories as certificate_factories

COURSE_CODE = "TTĐN-QCN"
NORTH = "Hội nghị 14 tỉnh trung du và miền núi phía Bắc"
CAPITAL = "Hội nghị tập huấn Hà Nội"
# Delegates by cohort and province. Phú Thọ has three; two of them were at the northern conference.
DELEGATES = [
    (NORTH, "Nguyễn Thị Ánh Tuyết", "Phú Thọ"),
    (NORTH, "Hoàng Văn Lục", "Lào Cai"),
    (NORTH, "Đặng Thị Hồng Ngọc", "Phú Thọ"),
    (CAPITAL, "Trần Quốc Việt", "Hà Nội"),
    (CAPITAL, "Lê Thị Hương", "Phú Thọ"),
]
IN_PHU_THO = ["Nguyễn Thị Ánh Tuyết", "Đặng Thị Hồng Ngọc", "Lê Thị Hương"]
IN_PHU_THO_AT_NORTH = ["Nguyễn Thị Ánh Tuyết", "Đặng Thị Hồng Ngọc"]
REVOKED = "Nguyễn Thị Ánh Tuyết"
REASON = "Cấp nhầm: học viên chưa làm bài kiểm tra cuối khóa."


@dataclass
class Register:
    cohorts: dict[str, Cohort]
    certificates: dict[str, Certificate]
    hr: AbstractBaseUser


@pytest.fixture
def register(browser_site) -> Register:
    """Five certificates of one course, issued as completion issues them, and an HR officer."""
    course = factories.course(
        browser_site.index, title="Thông tin đối ngoại về quyền con người", code=COURSE_CODE
    )
    certificate_factories.template(course)
    cohorts = {name: factories.CohortFactory(course=course, name=name) for name in (NORTH, CAPITAL)}
    certificates = {}
    for cohort_name, full_name, province_name in DELEGATES:
        province = Province.objects.get(name=province_name)
        profile = factories.DelegateProfileFactory(full_name=full_name, province=province)
        enrollment = factories.EnrollmentFactory(
            user=profile.user,
            course=course,
            cohort=cohorts[cohort_name],
            province=province,
            organisation=profile.organisation,
            position=profile.position,
            completed_at=timezone.now(),
        )
        certificate, _created = services.issue_certificate(
            enrollment_id=enrollment.pk, notify=False
        )
        certificates[full_name] = certificate
    hr = factories.UserFactory(email="nhan.su@example.vn", first_name="Lan", last_name="Phạm")
    hr.groups.add(Group.objects.get(name=lms_settings.HR_GROUP))
    return Register(cohorts=cohorts, certificates=certificates, hr=hr)


def test_hr_journey(
    desktop_page: Page, phone_page: Page, register, screenshots, admin_login, download_to
):
    page = desktop_page
    admin_login(page, register.hr)
    open_register(page, screenshots)
    filter_register(page, screenshots)
    check_xlsx(export_xlsx(page, download_to, screenshots))
    check_zip(download_zip(page, download_to, screenshots), register)
    verification_path = revoke(page, register, screenshots)
    check_publicly(phone_page, verification_path, register, screenshots)


def rows(page: Page):
    """The register's rows of certificates (the header row has no serial link)."""
    serial = page.get_by_role("link", name=re.compile(rf"^{COURSE_CODE}-"))
    return page.get_by_role("row").filter(has=serial)


def expect_rows(page: Page, names: list[str]) -> None:
    expect(rows(page)).to_have_count(len(names))
    for name in names:
        expect(rows(page).filter(has_text=name)).to_have_count(1)


def open_register(page: Page, screenshots) -> None:
    page.get_by_role("button", name=vi("Certificates")).click()
    page.get_by_role("link", name=vi("Register")).click()
    expect_rows(page, [name for _cohort, name, _province in DELEGATES])
    screenshots(page, "register")


def filter_register(page: Page, screenshots) -> None:
    filter_listing(page, vi("Province"), "Phú Thọ")
    expect_rows(page, IN_PHU_THO)
    screenshots(page, "register-phu-tho")
    filter_listing(page, vi("Cohort"), NORTH)
    expect_rows(page, IN_PHU_THO_AT_NORTH)
    screenshots(page, "register-phu-tho-northern-conference")


def export_xlsx(page: Page, download_to, screenshots):
    page.get_by_role("button", name=exact(vi("Actions"))).click()
    screenshots(page, "register-export-menu")
    return download_to(page, page.get_by_role("link", name=vi("Download XLSX")).click)


def check_xlsx(path) -> None:
    assert path.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).active
    header, *data = [list(row) for row in sheet.iter_rows(values_only=True)]
    with translation.override("vi"):
        full_name = header.index(capfirst(Certificate._meta.get_field("full_name").verbose_name))
    assert sorted(row[full_name] for row in data) == sorted(IN_PHU_THO_AT_NORTH)
    for row in data:
        assert "Phú Thọ" in row
        assert NORTH in row
        assert vi("Valid") in row


def download_zip(page: Page, download_to, screenshots):
    page.keyboard.press("Escape")
    page.get_by_role("link", name=vi("Download all as ZIP")).click()
    count = len(IN_PHU_THO_AT_NORTH)
    matches = vi_n(
        "%(counter)s certificate matches these filters.",
        "%(counter)s certificates match these filters.",
        count,
    ) % {"counter": count}
    expect(page.get_by_text(matches)).to_be_visible()
    expect(page.get_by_text(NORTH)).to_be_visible()
    screenshots(page, "zip-start")

    page.get_by_role("button", name=vi("Build the ZIP")).click()
    ready = vi_n(
        "The ZIP of %(total)s certificate is ready.",
        "The ZIP of %(total)s certificates is ready.",
        count,
    ) % {"total": count}
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_accessible_description(ready)
    expect(progress).to_have_attribute("value", str(count))
    screenshots(page, "zip-ready")
    return download_to(page, page.get_by_role("link", name=vi("Download the ZIP")).click)


def check_zip(path, register: Register) -> None:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        pdfs = sorted(name for name in names if name.endswith(".pdf"))
        expected = sorted(
            f"{register.certificates[name].serial} - {name}.pdf" for name in IN_PHU_THO_AT_NORTH
        )
        assert pdfs == expected
        for name in pdfs:
            assert archive.read(name).startswith(b"%PDF-")
        manifest = archive.read("manifest.csv").decode("utf-8-sig")
    for name in IN_PHU_THO_AT_NORTH:
        assert register.certificates[name].serial in manifest
        assert name in manifest


def revoke(page: Page, register: Register, screenshots) -> str:
    """Revoke one certificate from its row's menu; return its public check page's path."""
    certificate = register.certificates[REVOKED]
    page.goto("/admin/certificates/register/")  # back to the register, filters cleared
    row = rows(page).filter(has_text=REVOKED)
    more = vi("More options for '%(title)s'") % {"title": certificate.serial}
    row.get_by_role("button", name=more).click()
    row.get_by_role("link", name=exact(vi("Revoke"))).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(vi("Revoke certificate"))

    # Without a reason nothing happens.
    page.get_by_role("button", name=exact(vi("Revoke"))).click()
    expect(page.get_by_text(vi("This field is required."))).to_be_visible()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID

    page.get_by_label(vi("Reason")).fill(REASON)
    screenshots(page, "revoke-form")
    page.get_by_role("button", name=exact(vi("Revoke"))).click()
    revoked = vi("Certificate %(serial)s revoked.") % {"serial": certificate.serial}
    expect(page.get_by_text(revoked)).to_be_visible()
    expect(page.get_by_role("cell", name=REASON)).to_be_visible()
    screenshots(page, "revoked")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revocation_reason == REASON
    # Times are shown in Hanoi time, as HR lives them (not in UTC, a day early at night).
    for moment in (certificate.issued_at, certificate.revoked_at):
        with translation.override("vi"):
            shown = formats.localize(timezone.localtime(moment))
        expect(page.get_by_role("definition").filter(has_text=shown).first).to_be_visible()
    check_page = page.get_by_role("link", name=re.compile(r"\/verify\/"))
    return urlsplit(check_page.get_attribute("href")).path


def check_publicly(page: Page, path: str, register: Register, screenshots) -> None:
    """A visitor with no account (a fresh browser context) opens the certificate's QR link."""
    page.goto(path)
    certificate = register.certificates[REVOKED]
    with translation.override("vi"):
        revoked_on = formats.date_format(
            timezone.localtime(certificate.revoked_at), "SHORT_DATE_FORMAT"
        )
    message = vi("This certificate was revoked on %(date)s.") % {"date": revoked_on}
    expect(page.get_by_role("status")).to_contain_text(message)
    expect(page.get_by_text(REVOKED)).to_be_visible()
    screenshots(page, "public-check-revoked")
