"""Accessibility beyond the journey's axe checks: error states, keyboard only, a quiet timer.

The delegate journey (test_delegate_journey.py) runs axe on every screen it reaches; these tests
cover what it does not: forms showing errors, a quiz done without a mouse, and a timed attempt
that must not flood a screen reader with its countdown.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests import factories
from tests.quizzes import factories as quiz_factories

# Every region a screen reader reads out by itself when it changes.
LIVE_REGIONS = "[aria-live]:not([aria-live=off]), [role=status], [role=alert], [role=log]"


@pytest.fixture
def enrolled(browser_site):
    """A delegate enrolled in a course whose only item is a three-question quiz."""
    course = factories.course(browser_site.index, title="Quyền con người trong kỷ nguyên số")
    user = factories.delegate(full_name="Lê Thị Ánh Nguyệt")
    factories.EnrollmentFactory(user=user, course=course)
    return course, user


def three_question_quiz(course, **kwargs):
    return quiz_factories.quiz(
        course,
        questions=[
            quiz_factories.question("single"),
            quiz_factories.question("multiple"),
            quiz_factories.question("short_answer"),
        ],
        shuffle_choices=False,
        **kwargs,
    )


def test_the_accessibility_check_reports_serious_violations(desktop_page, axe):
    desktop_page.set_content(
        '<html lang="vi"><body><main><img src="x.png"><button></button></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        axe(desktop_page)
    assert "image-alt" in str(failure.value)
    assert "button-name" in str(failure.value)


def test_forms_showing_errors_are_accessible(desktop_page, screenshots, axe, login):
    page = desktop_page
    page.goto("/learn/signup/")
    page.get_by_role("main").get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_label("Họ và tên")).to_have_attribute("aria-invalid", "true")
    screenshots(page, "signup-errors")
    axe(page)

    page.goto("/learn/login/")
    page.get_by_label("Email").fill("khong.co@example.vn")
    page.get_by_label("Mật khẩu").fill("sai mật khẩu")
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshots(page, "login-error")
    axe(page)

    login(page, factories.delegate())
    page.goto("/learn/join/")
    page.get_by_label("Mã ghi danh").fill("KHONGCO1")
    page.get_by_role("button", name="Tham gia").click()
    expect(page.get_by_label("Mã ghi danh")).to_have_attribute("aria-invalid", "true")
    screenshots(page, "join-error")
    axe(page)


def test_the_sign_in_lockout_and_sign_up_pages_are_accessible(desktop_page, screenshots, axe):
    page = desktop_page
    for _ in range(5):
        page.goto("/learn/login/")
        page.get_by_label("Email").fill("khong.co@example.vn")
        page.get_by_label("Mật khẩu").fill("sai mật khẩu")
        page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm dừng đăng nhập")
    expect(page.get_by_role("alert")).to_contain_text("Hãy thử lại sau")
    screenshots(page, "locked-out")
    axe(page)

    page.goto("/learn/signup/sent/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiểm tra email của bạn")
    axe(page)
    page.goto("/learn/signup/confirm/not-a-token/")
    expect(page.get_by_role("alert")).to_be_visible()
    screenshots(page, "signup-link-invalid")
    axe(page)


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> None:
    """Press Tab until ``target`` has the focus, and check that the focus can be seen."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline != "none", "the keyboard focus is invisible"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def test_a_quiz_can_be_completed_with_the_keyboard_alone(
    desktop_page, enrolled, screenshots, login
):
    course, user = enrolled
    quiz = three_question_quiz(course)
    page = desktop_page
    login(page, user)
    page.goto(quiz.url)

    tab_to(page, page.get_by_role("button", name="Bắt đầu làm bài"))
    page.keyboard.press("Enter")
    # Entering a radio group lands on its first choice; the arrows move the choice.
    tab_to(page, page.get_by_label("15/6/2023"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("14/2/2012")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("15/6/2023")).to_be_checked()
    for choice in ["Chủ động", "Đồng bộ"]:
        tab_to(page, page.get_by_label(choice))
        page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Câu trả lời của bạn"))
    page.keyboard.type("Hòa Bình")
    screenshots(page, "answered")
    tab_to(page, page.get_by_role("button", name="Kết thúc và xem lại"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã trả lời 3 câu hỏi")).to_be_visible()

    tab_to(page, page.get_by_role("button", name="Nộp bài và kết thúc"))
    page.keyboard.press("Enter")
    expect(page.locator(".result__score")).to_have_text("100%")
    screenshots(page, "result")


def seconds_shown(timer: Locator) -> int:
    minutes, seconds = re.search(r"(\d+):(\d\d)", timer.inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def test_the_quiz_timer_speaks_only_at_a_few_milestones(
    desktop_page, enrolled, screenshots, axe, login
):
    course, user = enrolled
    quiz = three_question_quiz(course, time_limit_minutes=12)
    page = desktop_page
    login(page, user)
    page.goto(quiz.url)
    # From here the page's clock moves only when the test says so: it is paused before the
    # attempt page loads, so that page never sees time flow by itself (a clock left running
    # through the navigation once jumped under load and the countdown seemed to lose 50 s).
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)  # seconds, not ms
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    timer = page.get_by_role("timer")
    expect(timer).to_contain_text(re.compile(r"\b1[12]:\d\d\b"))
    page.clock.run_for(1000)
    start = seconds_shown(timer)
    page.evaluate(
        """selector => {
            window.liveChanges = [];
            window.timerChanges = 0;
            const spoken = new MutationObserver(records => records.forEach(record => {
                const node = record.target;
                window.liveChanges.push((node.nodeType === 1 ? node : node.parentNode).textContent);
            }));
            document.querySelectorAll(selector).forEach(region => spoken.observe(
                region, {childList: true, characterData: true, subtree: true}));
            new MutationObserver(() => { window.timerChanges += 1; }).observe(
                document.querySelector('[data-timer]'),
                {childList: true, characterData: true, subtree: true});
        }""",
        LIVE_REGIONS,
    )

    page.clock.run_for("11:40")  # 700 ticks of the countdown

    assert seconds_shown(timer) == start - 700
    expect(timer).to_have_attribute("aria-live", "off")
    assert page.evaluate("window.timerChanges") >= 600  # the visible countdown kept moving
    spoken = page.evaluate("window.liveChanges")
    assert spoken == [
        "Còn 10 phút.",
        "Còn 5 phút.",
        "Còn 1 phút.",
        "Còn 30 giây.",
    ], spoken
    page.clock.resume()  # screenshots wait for an animation frame, which a paused clock holds
    screenshots(page, "twenty-seconds-left")
    axe(page)


def test_autosave_refused_for_too_many_requests_says_so_and_keeps_the_answer(
    desktop_page, enrolled, screenshots, axe, login, settings
):
    """The autosave shares the API's attempt_write budget; when it is spent, the delegate reads
    the server's message (not "you may be offline") and the answer stays on the page."""
    settings.LMS = {**settings.LMS, "API_THROTTLE_RATES": {"attempt_write": "2/hour"}}
    course, user = enrolled
    quiz = three_question_quiz(course)
    page = desktop_page
    login(page, user)
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()  # the first of two writes
    status = page.locator("[data-save-status]")

    page.get_by_label("14/2/2012").check()
    expect(status).to_contain_text("Đã lưu tất cả câu trả lời")
    page.get_by_label("15/6/2023").check()

    expect(status).to_contain_text("Có quá nhiều yêu cầu. Hãy thử lại sau")
    expect(page.get_by_label("15/6/2023")).to_be_checked()
    screenshots(page, "autosave-throttled")
    axe(page)
