"""Taking a quiz as Moodle's learners expect: the navigation panel, flags that survive a reload,
ordering by drag and drop or by keyboard, a word count on essays, and results that read right.

Screens are saved under artifacts/screenshots/<test>/ (a phone and a desktop) and checked with
axe. The delegate journey (test_delegate_journey.py) covers offline navigation on the way.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from tests import factories
from tests.quizzes import factories as quiz_factories

SAVED = re.compile(r"^Đã lưu tất cả câu trả lời lúc")
YEARS = ["2012", "2023", "2024"]  # the ordering question's right order


@pytest.fixture
def delegate_in_course(browser_site):
    course = factories.course(browser_site.index, title="Quyền con người trong kỷ nguyên số")
    user = factories.delegate(full_name="Lê Thị Ánh Nguyệt")
    factories.EnrollmentFactory(user=user, course=course)
    return course, user


def shown_order(question: Locator) -> list[str]:
    return question.locator(".sortable__text").all_inner_texts()


def move_with_keyboard(page: Page, question: Locator, item: str, steps: int) -> None:
    """Move ``item`` ``steps`` places (negative: up) by pressing its arrow button with Enter."""
    direction = "lên trên" if steps < 0 else "xuống dưới"
    button = question.get_by_role("button", name=f"Chuyển “{item}” {direction}")
    button.focus()
    for _ in range(abs(steps)):
        page.keyboard.press("Enter")


def drag_to_top(page: Page, question: Locator, item: str) -> None:
    """Drag ``item`` by its handle above the first item, as a finger or a mouse would."""
    question.locator(".sortable").scroll_into_view_if_needed()
    row = question.locator(".sortable__item", has_text=item)
    handle = row.locator(".sortable__handle").bounding_box()
    first = question.locator(".sortable__item").first.bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] + handle["width"] / 2, first["y"] + 2, steps=8)
    page.mouse.up()


def assert_touch_targets(locator: Locator) -> None:
    for box in (element.bounding_box() for element in locator.all()):
        assert box["width"] >= 44 and box["height"] >= 44, box


def test_navigation_panel_flags_ordering_and_word_count_on_a_phone(
    phone_page: Page, delegate_in_course, screenshots, axe, login
):
    course, user = delegate_in_course
    quiz = quiz_factories.quiz(
        course,
        questions=[
            quiz_factories.question("single"),
            quiz_factories.question(
                "ordering",
                text="<p>Xếp các năm theo thứ tự thời gian.</p>",
                choices=[(year, False) for year in YEARS],
            ),
            quiz_factories.question("essay", text="<p>Nêu ý kiến của bạn.</p>"),
        ],
        questions_per_page=2,
        shuffle_choices=False,
    )
    page = phone_page
    login(page, user)
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    panel = page.get_by_role("navigation", name="Câu hỏi")
    status = page.locator("[data-save-status]")
    expect(panel.get_by_role("button", name="Câu 1, chưa trả lời")).to_be_visible()
    assert_touch_targets(panel.get_by_role("button"))
    assert_touch_targets(page.locator(".flag-toggle"))
    # Secondary buttons look secondary: white, where the main action is the brand's red.
    save_background = page.get_by_role("button", name="Lưu", exact=True).evaluate(
        "button => getComputedStyle(button).backgroundColor"
    )
    next_background = page.get_by_role("button", name="Trang sau").evaluate(
        "button => getComputedStyle(button).backgroundColor"
    )
    assert save_background == "rgb(255, 255, 255)" != next_background

    page.get_by_label("15/6/2023").check()
    expect(panel.get_by_role("button", name="Câu 1, đã trả lời")).to_be_visible()
    second = page.locator("fieldset[data-type=ordering]")
    second.get_by_label("Đánh dấu để xem lại").check()
    expect(panel.get_by_role("button", name="Câu 2, chưa trả lời, đã đánh dấu")).to_be_visible()

    # Drag and drop puts 2012 first; the arrow buttons, by keyboard, put 2024 last.
    drag_to_top(page, second, "2012")
    expect(second.locator(".sortable__item").first).to_have_text(re.compile("2012"))
    expect(second.locator(".sortable__item--dragging")).to_have_count(0)
    expect(panel.get_by_role("button", name="Câu 2, đã trả lời, đã đánh dấu")).to_be_visible()
    order = shown_order(second)
    move_with_keyboard(page, second, "2024", len(order) - 1 - order.index("2024"))
    expect(second.locator(".sortable__text")).to_have_text(YEARS)
    expect(second.get_by_role("button", name="Chuyển “2024” xuống dưới")).to_be_focused()
    assert_touch_targets(second.locator(".sortable__move, .sortable__handle"))
    expect(panel.get_by_role("button", name="Câu 2, đã trả lời, đã đánh dấu")).to_be_visible()
    expect(status).to_have_text(SAVED)
    screenshots(page, "page-1-flagged-and-ordered")
    axe(page)

    # The flag and the order are the server's: a reload shows them.
    page.reload()
    expect(second.get_by_label("Đánh dấu để xem lại")).to_be_checked()
    expect(second.locator(".sortable__text")).to_have_text(YEARS)
    expect(panel.get_by_role("button", name="Câu 2, đã trả lời, đã đánh dấu")).to_be_visible()

    panel.get_by_role("button", name="Câu 3, chưa trả lời").click()
    expect(page).to_have_url(re.compile(r"page=2#question-3$"))
    essay = page.get_by_label("Câu trả lời của bạn")
    essay.fill("Quyền con người được bảo đảm.")
    expect(page.locator("[data-word-count]")).to_have_text("Số từ: 6")
    expect(status).to_have_text(SAVED)
    screenshots(page, "page-2-essay")
    axe(page)

    page.get_by_role("button", name="Kết thúc và xem lại").click()
    expect(page.get_by_text("1 câu hỏi được đánh dấu để xem lại.")).to_be_visible()
    expect(page.get_by_role("link", name="Câu 2: đã trả lời, đã đánh dấu")).to_be_visible()
    screenshots(page, "summary")
    axe(page)


def test_results_read_right_after_a_pass_and_a_failed_retry_on_a_desktop(
    desktop_page: Page, delegate_in_course, screenshots, axe, login
):
    course, user = delegate_in_course
    quiz = quiz_factories.quiz(
        course,
        title="Kiểm tra giữa khóa",
        questions=[quiz_factories.question("single"), quiz_factories.question("multiple")],
        pass_mark_percent=Decimal(50),
        shuffle_choices=False,
        review_answers_after_submit=True,
    )
    factories.module(course, title="Bài 3: Kỹ năng phản bác")
    page = desktop_page
    login(page, user)
    page.goto(quiz.url)
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.get_by_label("15/6/2023").check()
    page.get_by_label("Chủ động").check()
    page.get_by_label("Đồng bộ").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    screenshots(page, "attempt-with-panel")
    axe(page)
    page.get_by_role("button", name="Kết thúc và xem lại").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()

    result = page.locator(".result")
    expect(result).to_have_class(re.compile(r"\bresult--passed\b"))
    expect(result.get_by_text("Đạt", exact=True)).to_be_visible()
    next_item = page.get_by_role("link", name="Tiếp theo: Bài 3: Kỹ năng phản bác →")
    expect(next_item).to_have_class("button")  # the main action, after a pass
    screenshots(page, "passed")
    axe(page)

    page.get_by_role("link", name="Quay lại bài kiểm tra").click()
    page.get_by_role("button", name="Làm lại").click()
    page.get_by_label("14/2/2012").check()
    page.get_by_label("Bị động").check()
    expect(page.locator("[data-save-status]")).to_have_text(SAVED)
    page.get_by_role("button", name="Kết thúc và xem lại").click()
    page.get_by_role("button", name="Nộp bài và kết thúc").click()

    expect(result).to_have_class(re.compile(r"\bresult--failed\b"))
    expect(result.get_by_text("Chưa đạt", exact=True)).to_be_visible()
    expect(result).to_contain_text(
        "Lần đạt trước đây của bạn vẫn được tính. Bài kiểm tra này tính điểm theo: "
        "Điểm cao nhất; điểm của bạn là 100%."
    )
    # The review: the delegate's own choice, wrong, and the right answer, each said in words.
    wrong = page.locator(".review-choice", has_text="14/2/2012")
    expect(wrong).to_contain_text("Lựa chọn của bạn")
    expect(wrong).to_contain_text("chưa đúng")
    expect(page.locator(".review-choice", has_text="15/6/2023")).to_contain_text("đáp án đúng")
    screenshots(page, "failed-retry-after-a-pass")
    axe(page)
