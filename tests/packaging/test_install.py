"""A Wagtail developer's install, end to end: the wheel from a clean clone, a fresh `wagtail start`
site in a fresh virtualenv, exactly the README's numbered install steps, `migrate`, and then a real
browser: an editor builds a catalogue under the home page, a course, a module and a quiz; a
delegate signs up, completes the course, downloads the certificate, and its QR code leads to a
working verification page on the site. For the LTS and the latest Django/Wagtail combination.

Packages come from the machine's pip cache (constrained by the combination's lock file), so the
virtualenvs build in well under a minute each.
"""

import email
import email.policy
import io
import os
import re
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page, expect, sync_playwright

from noxfile import COMBINATIONS
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS
from tests.packaging.build import REPO, build, clean_clone, run
from tests.packaging.readme import install_steps
from tests.subprocesses import free_port

EDITOR, EDITOR_PASSWORD = "editor", "correct horse battery staple"
DELEGATE_EMAIL, DELEGATE_PASSWORD = "hong.nguyen@example.vn", "Mật-khẩu-đủ-dài-2026"
COURSE = "Thông tin đối ngoại 2026"
QUESTION = "Ngày ban hành"
GIFT = (
    "$CATEGORY: Kết luận 57\n\n"
    f"::{QUESTION}:: Kết luận 57-KL/TW được ban hành ngày nào? {{=15/6/2023 ~14/2/2012}}\n"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("wheel")
    built, _sdist = build(clean_clone(root / "src"), root / "dist")
    return built


# The site's own settings, not this test run's.
SITE_ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV"}
}


def apply_readme(site: Path, venv: Path, wheel: Path, lock: Path) -> None:
    """Each numbered step as written: commands run in the site, Python added to its file."""
    for snippet in install_steps():
        if snippet.language == "python":
            target = site / snippet.target
            target.write_text(target.read_text() + "\n\n" + snippet.code)
            continue
        for line in snippet.code.splitlines():
            words = line.split()
            if words[:2] == ["pip", "install"]:
                # The package is the wheel just built; its dependencies as the lock pins them.
                words = [venv / "bin/pip", "install", "-c", lock, *(
                    wheel if word == "wagtail-training" else word for word in words[2:]
                )]  # fmt: skip
            elif words[:1] == ["python"]:
                words = [venv / "bin/python", *words[1:]]
            run(words, cwd=site, env=SITE_ENV)


SETUP_EDITOR = """
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile
from home.models import HomePage
editor = get_user_model().objects.create_superuser("{name}", "editor@example.vn", "{password}")
profile = UserProfile.get_for_user(editor)
profile.preferred_language = "en"  # the editor's admin in English: the same words on 7.4 and 8
profile.save()
print(HomePage.objects.get().pk)
"""


@contextmanager
def serving(site: Path, venv: Path, port: int):
    log = site / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603 (our own command)
            [venv / "bin/python", "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=site,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**SITE_ENV, "PYTHONUNBUFFERED": "1"},
        )
        try:
            deadline = time.monotonic() + 120
            while "Quit the server" not in log.read_text():
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            yield log
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.mark.parametrize("combination", ["lts", "latest"])
def test_a_fresh_wagtail_site_installs_the_wheel_by_the_readme(tmp_path, wheel, combination):
    python, lock_name = COMBINATIONS[combination]
    lock = REPO / lock_name
    venv, site = tmp_path / "venv", tmp_path / "mysite"
    run([python, "-m", "venv", venv])
    run([venv / "bin/pip", "install", "--quiet", "-c", lock, "wagtail"])
    site.mkdir()
    run([venv / "bin/wagtail", "start", "mysite", site], cwd=tmp_path, env=SITE_ENV)

    apply_readme(site, venv, wheel, lock)

    checked = run([venv / "bin/python", "manage.py", "check"], cwd=site, env=SITE_ENV)
    assert "no issues" in checked.stdout + checked.stderr
    home_id = run(
        [venv / "bin/python", "manage.py", "shell", "-c",
         SETUP_EDITOR.format(name=EDITOR, password=EDITOR_PASSWORD)],
        cwd=site,
        env=SITE_ENV,
    ).stdout.split()[-1]  # fmt: skip
    port = free_port()
    with serving(site, venv, port) as log, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        base = f"http://127.0.0.1:{port}"
        editor = browser.new_page(base_url=base)
        editor.set_default_timeout(30_000)
        with explained(editor, log):
            build_a_course(editor, home_id=int(home_id), port=port, tmp_path=tmp_path)
        delegate = browser.new_context(base_url=base, locale="vi-VN", accept_downloads=True)
        delegate.set_default_timeout(30_000)
        learner = delegate.new_page()
        with explained(learner, log):
            pdf = take_the_course(learner, log=log, tmp_path=tmp_path)
        checker = delegate.new_page()
        with explained(checker, log):
            verify_the_certificate(checker, pdf=pdf, base=base)
        browser.close()


@contextmanager
def explained(page: Page, log: Path):
    """A failed step says where the browser was, what it showed and what the server logged: the
    site and its virtualenv are gone by the time anyone reads the failure."""
    try:
        yield
    except Exception as error:
        text = page.locator("body").inner_text(timeout=5_000) if page.url != "about:blank" else ""
        raise AssertionError(
            f"{error}\n\nat {page.url}:\n{text[:3000]}\n\nserver log:\n{log.read_text()[-4000:]}"
        ) from error


def admin_publish(page: Page) -> None:
    # Wagtail 8 autosaves the editor (a new page is created by its first autosave): publishing
    # while an autosave is in flight would post the page a second time. Wagtail 7.4 has none.
    page.wait_for_load_state("networkidle")
    indicator = page.locator("#w-autosave-indicator")
    if indicator.count():
        expect(indicator).not_to_have_attribute("data-w-autosave-state-value", "saving")
    footer = page.locator("footer")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish", exact=True).click()
    expect(
        page.get_by_text(re.compile(r"created and published|has been published"))
    ).to_be_visible()


def add_page(
    page: Page, model: str, parent_id: int, *, slug: str, paragraph: str = "", **fields: str
) -> None:
    page.goto(f"/admin/pages/add/{model}/{parent_id}/")
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    if paragraph:
        blocks = page.locator("[data-streamfield-stream-container] > [data-streamfield-child]")
        page.get_by_role("button", name="Insert a block").last.click()
        page.get_by_role("option", name="Paragraph", exact=True).click()
        expect(blocks).to_have_count(1)
        editor = blocks.first.locator("[contenteditable='true'][role='textbox']")
        editor.click()
        editor.press_sequentially(paragraph)
        expect(editor).to_contain_text(paragraph)
        # Draftail copies its text into the form's input at most every 250 ms: publishing
        # before that posts an empty paragraph (seen once on a loaded machine).
        page.wait_for_function(
            "([block, text]) => [...block.querySelectorAll('input')]"
            ".some((input) => input.value.includes(text))",
            arg=[blocks.first.element_handle(), paragraph],
        )
    page.get_by_role("tab", name=re.compile("Promote")).click()
    page.locator("#id_slug").fill(slug)
    admin_publish(page)


def page_id(page: Page, title: str) -> int:
    """The id of the page ``title`` in the explorer listing the publish went back to."""
    link = page.get_by_role("link", name=title, exact=True).first
    return int(re.search(r"/pages/(\d+)/", link.get_attribute("href")).group(1))


def build_a_course(page: Page, *, home_id: int, port: int, tmp_path: Path) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(EDITOR)
    page.locator("#id_password").fill(EDITOR_PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # The site's address, which certificates and emails use.
    page.goto("/admin/sites/")
    page.get_by_role("link", name=re.compile("localhost")).first.click()
    page.locator("#id_hostname").fill("127.0.0.1")
    page.locator("#id_port").fill(str(port))
    page.locator("#id_port").press("Enter")
    expect(page.get_by_text(re.compile("updated"))).to_be_visible()

    add_page(page, "courses/courseindexpage", home_id, slug="khoa-hoc", title="Khóa học")
    catalogue_id = page_id(page, "Khóa học")
    add_page(page, "courses/coursepage", catalogue_id, slug="ttdn-2026", title=COURSE,
             code="TTĐN26", summary="Quán triệt Kết luận 57-KL/TW.")  # fmt: skip
    course_id = page_id(page, COURSE)
    add_page(page, "courses/modulepage", course_id, slug="bai-1", title="Bài 1: Tổng quan",
             paragraph="Tình hình thông tin đối ngoại.")  # fmt: skip

    gift = tmp_path / "cau-hoi.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.goto("/admin/quizzes/questions/import/")
    page.get_by_label("Question file").set_input_files(gift)
    page.get_by_label("GIFT (Moodle)").check()
    page.get_by_label("Or a new category").fill("Ôn tập")
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import 1 question").click()
    expect(page.get_by_text("1 question was imported.")).to_be_visible()

    page.goto(f"/admin/pages/add/quizzes/quizpage/{course_id}/")
    page.locator("#id_title").fill("Kiểm tra cuối khóa")
    # The quiz's first slot (min_num=1: the editor opens with it). Wagtail 7.4 words a snippet
    # chooser's button once, when the form is first built, in the site's language; Wagtail 8 in
    # the editor's.
    first_slot = page.locator("#id_slots-0-question-chooser")
    first_slot.get_by_role("button", name=re.compile(r"^(Choose question|Chọn câu hỏi)$")).click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=QUESTION, exact=True).click()
    expect(chooser).to_be_hidden()
    page.get_by_role("tab", name=re.compile("Promote")).click()
    page.locator("#id_slug").fill("kiem-tra")
    admin_publish(page)


def assert_styled_in_vietnamese(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert page.evaluate(
        """() => [...document.styleSheets].some(sheet =>
            (sheet.href || "").includes("/courses/lms.css") && sheet.cssRules.length > 0)"""
    ), "the LMS stylesheet did not load"


def emails(log: Path) -> str:
    """The bodies of the emails Django's console backend printed in the server's log."""
    bodies = []
    for chunk in log.read_text().split("-" * 79):
        start = chunk.find("Content-Type:")
        if "MIME-Version:" not in chunk or start == -1:
            continue
        # Read as the bytes it was sent as, whatever its transfer encoding: Django 5.2 writes
        # UTF-8 text as 8bit, Django 6.1 as quoted-printable or base64.
        message = email.message_from_bytes(
            chunk[start:].encode("utf-8"), policy=email.policy.default
        )
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                bodies.append(part.get_content())
    return "\n".join(bodies)


def take_the_course(page: Page, *, log: Path, tmp_path: Path) -> bytes:
    page.goto("/learn/catalogue/")  # the header's "Courses": the catalogue, under the home page
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa học")
    assert_styled_in_vietnamese(page)
    page.get_by_role("link", name=COURSE).click()
    page.get_by_role("main").get_by_role("link", name="Đăng ký").click()
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hồng")
    page.get_by_label("Email").fill(DELEGATE_EMAIL)
    page.get_by_label("Cơ quan, đơn vị").fill("Sở Văn hóa, Thể thao và Du lịch")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Phú Thọ")
    page.get_by_label("Mật khẩu", exact=True).fill(DELEGATE_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(DELEGATE_PASSWORD)
    page.get_by_label("Tôi đã đọc thông báo về bảo vệ dữ liệu cá nhân").check()
    page.get_by_role("main").get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra email của bạn")
    assert_styled_in_vietnamese(page)

    # The site's console email backend prints the message: follow its link.
    link = re.search(r"https?://\S+?(/learn/signup/confirm/\S+?/)\s", emails(log)).group(1)
    page.goto(link)
    page.get_by_role("button", name="Xác nhận và đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)

    page.get_by_role("button", name="Ghi danh").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bài 1: Tổng quan")
    assert_styled_in_vietnamese(page)
    page.get_by_role("button", name="Đánh dấu hoàn thành").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra cuối khóa")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.get_by_label("15/6/2023").check()
    assert_styled_in_vietnamese(page)
    page.get_by_role("button", name="Kết thúc và xem lại").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả của bạn")

    page.get_by_role("link", name="Giấy chứng nhận").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giấy chứng nhận của tôi")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    path = tmp_path / "certificate.pdf"
    download.value.save_as(path)
    return path.read_bytes()


def verify_the_certificate(page: Page, *, pdf: bytes, base: str) -> None:
    image = pypdfium2.PdfDocument(io.BytesIO(pdf))[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    assert len(decoded) == 1 and decoded[0].startswith(f"{base}/learn/verify/"), decoded
    page.goto(decoded[0])
    expect(page.get_by_text("Giấy chứng nhận hợp lệ.", exact=True)).to_be_visible()
    expect(page.get_by_text("Nguyễn Thị Hồng")).to_be_visible()
    assert_styled_in_vietnamese(page)
