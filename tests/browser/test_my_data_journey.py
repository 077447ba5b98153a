"""Journey: a delegate imported from a roster consents at first sign-in, then on "Dữ liệu của
tôi" downloads their data and asks for erasure, and sees the request received with its due
date. Each screen is checked with axe and saved under artifacts/screenshots/."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = pytest.mark.browser

FULL_NAME = "Lê Thị Thu Hương"


def test_consent_then_my_data(desktop_page: Page, login, axe, screenshots, download_to):
    page = desktop_page
    delegate = factories.delegate(full_name=FULL_NAME, consent=False)  # as a roster imports
    login(page, delegate)
    # Sent to the notice first, whatever page they asked for
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo về bảo vệ dữ liệu cá nhân")
    axe(page)
    screenshots(page, "notice")
    page.get_by_role("button", name="Đồng ý và tiếp tục").click()
    expect(page.locator(".errorlist")).to_contain_text("Hãy đánh dấu vào ô để đồng ý")
    page.get_by_label("Tôi đã đọc thông báo về bảo vệ dữ liệu cá nhân").check()
    page.get_by_role("button", name="Đồng ý và tiếp tục").click()
    expect(page.get_by_role("status")).to_contain_text("Sự đồng ý của bạn đã được ghi nhận")

    page.get_by_role("link", name="Dữ liệu của tôi").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu của tôi")
    expect(page.get_by_role("main")).to_contain_text("2026-01")  # the consent just given
    axe(page)
    screenshots(page, "my-data")

    archive_path = download_to(
        page, lambda: page.get_by_role("link", name="Tải dữ liệu của tôi (ZIP)").click()
    )
    with zipfile.ZipFile(io.BytesIO(archive_path.read_bytes())) as archive:
        data = json.loads(archive.read("data.json"))
        assert {"README.txt", "data.json", "data.xlsx"} <= set(archive.namelist())
    assert data["sections"]["profile"][0]["full_name"] == FULL_NAME

    page.get_by_label("Xóa dữ liệu cá nhân của tôi").check()
    page.get_by_label("Lý do").fill("Tôi đã nghỉ hưu")
    page.get_by_role("button", name="Gửi yêu cầu").click()
    expect(page.get_by_role("status")).to_contain_text("Chúng tôi đã tiếp nhận yêu cầu")
    row = page.get_by_role("row").filter(has_text="Xóa dữ liệu")
    expect(row).to_contain_text("Đã tiếp nhận")
    axe(page)
    screenshots(page, "request-received")
