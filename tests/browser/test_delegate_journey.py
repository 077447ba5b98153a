"""Journey 1: a delegate, on a phone and in Vietnamese, from sign-up to a certificate.

They sign up, join their cohort with its code (the next step is on the first screen), read every
module (the first one with every kind of content the demo's lessons have: an image with its
Vietnamese description, a video served by the site with its poster and captions, a document to
download, a quote and key facts), fail the quiz, pass it on the second attempt (reloading the
page and losing the connection on the way, even while pressing "Next page", without losing an
answer), and download a certificate that carries their name with every tone mark. Each screen
is checked with axe and saved under artifacts/screenshots/test_delegate_journey/.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pypdf
import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from fixtures.content.modules import situation
from fixtures.media import load_media, with_media
from fixtures.report import DemoReport
from tests import factories
from tests.certificates import factories as certificate_factories
from tests.quizzes import factories as quiz_factories

FULL_NAME = "Đặng Thị Hồng Ngọc Diễm Hương"
EMAIL = "hong.ngoc@sovhttdl.phutho.gov.vn"
PASSWORD = "Quyền-con-người-2024"
COHORT_CODE = "K7M2QX9P"
SAVED = re.compile(r"^Đã lưu tất cả câu trả lời lúc")


@dataclass(frozen=True)
class Conference:
    course: object
    modules: list
    quiz: object


@pytest.fixture
def conference(browser_site) -> Conference:
    """A course of two modules and a two-page quiz, a cohort with a code, a certificate design."""
    course = factories.course(
        browser_site.index, title="Thông tin đối ngoại về quyền con người", code="TTĐN-QCN"
    )
    modules = [
        factories.module(course, title="Bài 1: Tình hình thế giới", body=lesson_with_media()),
        factories.module(course, title="Bài 2: Đấu tranh phản bác"),
    ]
    quiz = quiz_factories.quiz(
        course,
        title="Kiểm tra cuối khóa",
        questions=[
            quiz_factories.question("single"),
            quiz_factories.question(
                "multiple", text="<p>Công tác thông tin đối ngoại cần những gì?</p>"
            ),
            quiz_factories.question(
                "short_answer", text="<p>Hội nghị tập huấn năm 2024 tổ chức ở tỉnh nào?</p>"
            ),
        ],
        questions_per_page=2,
        pass_mark_percent=Decimal(70),
    )
    factories.CohortFactory(
        course=course,
        name="Hội nghị 14 tỉnh trung du và miền núi phía Bắc",
        enrolment_code=COHORT_CODE,
    )
    certificate_factories.template(course)
    return Conference(course=course, modules=modules, quiz=quiz)


MEDIA_BLOCKS = {"image", "uploaded_video", "download", "quote", "key_facts"}


def lesson_with_media() -> list[dict]:
    """A paragraph, then the demo's first lesson's image, video, document, quote and key facts."""
    demo = with_media(situation.MODULE["body"], load_media(report=DemoReport()))
    return [
        {"type": "paragraph", "value": "<p>Quyền con người được bảo đảm.</p>"},
        *(block for block in demo if block["type"] in MEDIA_BLOCKS),
    ]


def test_delegate_journey(phone_page: Page, conference, screenshots, axe, login, download_to):
    page = phone_page

    def screen(name: str) -> None:
        screenshots(page, name)
        axe(page)

    sign_up(page, conference, screen)
    join_cohort(page, screen)
    sign_out_and_back_in(page, login, screen)
    read_every_module(page, conference, screen, download_to)
    fail_the_quiz(page, conference, screen)
    pass_the_quiz(page, screen)
    certificate_pdf = collect_certificate(page, screen, download_to)
    assert FULL_NAME in pdf_text(certificate_pdf)
    verify_publicly(page, screen)


def sign_up(page: Page, conference: Conference, screen) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa học")
    screen("catalogue")
    page.get_by_role("link", name=conference.course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(conference.course.title)
    screen("course-anonymous")
    page.get_by_role("main").get_by_role("link", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạo tài khoản")
    page.get_by_label("Họ và tên").fill(FULL_NAME)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Cơ quan, đơn vị").fill("Sở Văn hóa, Thể thao và Du lịch")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Phú Thọ")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_label("Tôi đã đọc thông báo về bảo vệ dữ liệu cá nhân").check()
    screen("signup")
    page.get_by_role("main").get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra email của bạn")
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    screen("signup-sent")
    # The confirmation link, as the delegate's mail app would open it.
    page.goto(confirmation_link(EMAIL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác nhận email")
    screen("signup-confirm")
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()
    # Back on the course they came from, signed in.
    expect(page.get_by_role("heading", level=1)).to_have_text(conference.course.title)
    expect(page.get_by_role("status")).to_contain_text(FULL_NAME)


def confirmation_link(address: str) -> str:
    """The path of the link in the last email to ``address`` (sent by the live server)."""
    [message] = [m for m in mail.outbox if m.to == [address]]
    match = re.search(r"https?://[^/\s]+(/learn/signup/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def open_menu(page: Page) -> None:
    """On a phone the header's links fold behind the menu button."""
    page.get_by_role("button", name="Trình đơn").click()
    expect(page.get_by_role("button", name="Trình đơn")).to_have_attribute("aria-expanded", "true")


def assert_header_fits_one_row(page: Page) -> None:
    brand = page.get_by_role("link", name="Tập huấn thông tin đối ngoại").bounding_box()
    toggle = page.get_by_role("button", name="Trình đơn").bounding_box()
    assert abs(brand["y"] + brand["height"] / 2 - (toggle["y"] + toggle["height"] / 2)) < 20


def join_cohort(page: Page, screen) -> None:
    page.get_by_role("link", name="Nhập mã ghi danh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tham gia lớp tập huấn")
    page.get_by_label("Mã ghi danh").fill(COHORT_CODE.lower())
    screen("join-cohort")
    page.get_by_role("button", name="Tham gia").click()
    expect(page.get_by_role("status")).to_contain_text("Hội nghị 14 tỉnh trung du")
    # The next step is on the phone's first screen, under a header of one row.
    expect(page.get_by_role("link", name="Bắt đầu khóa học")).to_be_in_viewport()
    assert_header_fits_one_row(page)
    screen("course-enrolled")
    open_menu(page)
    screen("menu-open")


def sign_out_and_back_in(page: Page, login, screen) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto("/learn/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    screen("login")
    login(page, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa học của tôi")
    expect(page.get_by_text(f"Xin chào {FULL_NAME}.")).to_be_visible()
    screen("my-training-started")


def read_every_module(page: Page, conference: Conference, screen, download_to) -> None:
    page.get_by_role("link", name="Bắt đầu khóa học").click()
    for number, module in enumerate(conference.modules, start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(module.title)
        expect(page.get_by_text("Quyền con người được bảo đảm.")).to_be_visible()
        if number == 1:
            see_the_media(page, module, download_to)
        screen(f"module-{number}")
        page.get_by_role("button", name="Đánh dấu hoàn thành").click()
        # Marking a module complete moves on to the next item of the course.
        expect(page.get_by_role("status")).to_contain_text(module.title)


def see_the_media(page: Page, module, download_to) -> None:
    """The image with its Vietnamese description, the quote and the key facts, the video with
    its poster and captions from this site, and the summary to download."""
    blocks = {block.block_type: block.value for block in module.body}
    alt_text = blocks["image"]["image"].contextual_alt_text
    image = page.get_by_role("img", name=alt_text)
    expect(image).to_be_visible()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
    )
    expect(page.get_by_text(blocks["quote"]["quote"])).to_be_visible()
    expect(page.get_by_text(blocks["key_facts"]["facts"][0]["text"])).to_be_visible()

    video = page.locator("video")
    expect(video).to_have_attribute("poster", re.compile(r"\.jpg$"))
    track = video.locator("track[kind='captions']")
    expect(track).to_have_attribute("srclang", "vi")
    source = video.locator("source").get_attribute("src")
    response = page.request.get(source)
    assert response.status == 200
    assert response.headers["content-type"] == "video/mp4"
    content = blocks["uploaded_video"]["video"].file.read()
    assert response.body() == content
    part = page.request.get(source, headers={"Range": "bytes=100-199"})  # as Safari asks
    assert (part.status, part.body()) == (206, content[100:200])
    captions = page.request.get(track.get_attribute("src"))
    assert captions.headers["content-type"].startswith("text/vtt")
    assert "báo chí" in captions.text()
    # The browser reads the video's length from the file: it is a real MP4.
    page.wait_for_function(
        "video => video.readyState >= 1 && video.duration > 8", arg=video.element_handle()
    )

    summary = blocks["download"]
    link = page.get_by_role("link", name=summary["title"])
    saved = download_to(page, link.click)
    assert saved.read_bytes() == summary["document"].file.read()


def answer_page_one(page: Page, *, date: str, ticked: list[str]) -> None:
    page.get_by_label(date).check()
    for choice in ["Chủ động", "Đồng bộ", "Bị động"]:
        page.get_by_label(choice).set_checked(choice in ticked)


def submit_attempt(page: Page, screen, name: str) -> None:
    page.get_by_role("button", name="Kết thúc và xem lại").click()
    expect(page.get_by_role("heading", name="Tóm tắt bài làm")).to_be_visible()
    screen(f"{name}-summary")
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả của bạn")


def fail_the_quiz(page: Page, conference: Conference, screen) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(conference.quiz.title)
    screen("quiz-intro")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    answer_page_one(page, date="14/2/2012", ticked=["Bị động"])
    screen("attempt-1-page-1")
    page.get_by_role("button", name="Trang sau").click()
    page.get_by_label("Câu trả lời của bạn").fill("Hà Nội")
    submit_attempt(page, screen, "attempt-1")
    expect(page.locator(".result__score")).to_have_text("0%")
    expect(page.get_by_text("Chưa đạt")).to_be_visible()
    screen("attempt-1-result")


def pass_the_quiz(page: Page, screen) -> None:
    page.get_by_role("button", name="Làm lại").click()
    status = page.locator("[data-save-status]")

    answer_page_one(page, date="15/6/2023", ticked=["Chủ động", "Đồng bộ"])
    expect(status).to_have_text(SAVED)
    screen("attempt-2-page-1")
    page.reload()
    expect(page.get_by_label("15/6/2023")).to_be_checked()
    expect(page.get_by_label("Chủ động")).to_be_checked()
    expect(page.get_by_label("Đồng bộ")).to_be_checked()
    expect(page.get_by_label("Bị động")).not_to_be_checked()

    # Offline, "Next page" keeps the page and says it will go on; back online, it does.
    page.context.set_offline(True)
    page.get_by_label("Bị động").check()
    page.get_by_role("button", name="Trang sau").click()
    expect(page.get_by_role("alert")).to_contain_text("Mất kết nối mạng")
    expect(page).to_have_url(re.compile(r"page=1$"))
    expect(page.get_by_label("Bị động")).to_be_checked()
    screen("attempt-2-offline-next-page")
    page.context.set_offline(False)
    expect(page).to_have_url(re.compile(r"page=2$"))
    page.get_by_role("button", name="Trang trước").click()
    expect(page.get_by_label("Bị động")).to_be_checked()  # the server has it
    page.get_by_label("Bị động").uncheck()
    expect(status).to_have_text(SAVED)
    page.get_by_role("button", name="Trang sau").click()

    answer = page.get_by_label("Câu trả lời của bạn")
    expect(answer).to_have_value("")
    page.context.set_offline(True)
    answer.fill("Hòa Bình")
    expect(status).to_contain_text("Chưa lưu được: có thể bạn đang mất kết nối mạng")
    screen("attempt-2-offline")
    page.context.set_offline(False)
    expect(status).to_have_text(SAVED)
    page.reload()
    expect(page.get_by_label("Câu trả lời của bạn")).to_have_value("Hòa Bình")
    screen("attempt-2-page-2")

    submit_attempt(page, screen, "attempt-2")
    expect(page.locator(".result__score")).to_have_text("100%")
    expect(page.get_by_text("Đạt", exact=True)).to_be_visible()
    screen("attempt-2-result")


def collect_certificate(page: Page, screen, download_to) -> bytes:
    open_menu(page)
    page.get_by_role("link", name="Khóa học của tôi").click()
    expect(page.get_by_role("heading", name="Đã hoàn thành")).to_be_visible()
    screen("my-training-completed")
    open_menu(page)
    main_menu = page.get_by_role("navigation", name="Điều hướng chính")
    main_menu.get_by_role("link", name="Giấy chứng nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận của tôi")
    screen("my-certificates")
    path = download_to(page, page.get_by_role("link", name="Tải PDF").click)
    return path.read_bytes()


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))


def verify_publicly(page: Page, screen) -> None:
    verify_url = page.locator("a[href^='/learn/verify/']").first.get_attribute("href")
    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(verify_url)
    expect(page.get_by_text("Giấy chứng nhận hợp lệ.", exact=True)).to_be_visible()
    expect(page.get_by_text(FULL_NAME)).to_be_visible()
    screen("verification")
