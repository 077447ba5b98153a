"""Journey: a trainer writes questions type by type, tries one as a delegate would, fills a quiz
from the filtered bank in one go, and grades an essay typed with a Vietnamese decimal comma.

The question editor's script shows only the fields of the chosen type (its no-JavaScript path
is tested in ``tests/quizzes/test_question_types.py``); every screen passes axe.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from courses import services as course_services
from quizzes import services as quiz_services
from quizzes.models import QuizPage
from tests import factories
from tests.browser.admin_helpers import vi, vi_n
from tests.quizzes import factories as qf

pytestmark = pytest.mark.browser


@pytest.fixture
def authoring(browser_site):
    course = factories.course(browser_site.index, title="Thông tin đối ngoại", code="TTĐN")
    cohort = factories.CohortFactory(course=course, name="Hội nghị tập huấn Phú Thọ")
    trainer = factories.UserFactory(email="giang.vien@example.vn", first_name="Minh")
    cohort.trainers.add(trainer)
    course_services.sync_course_trainers(course=course)
    chapter = qf.CategoryFactory(name="Chương 1", course=course)
    capital = qf.question(
        "single",
        category=chapter,
        name="Thủ đô",
        text="<p>Thủ đô của Việt Nam là?</p>",
        choices=[
            {"text": "Hà Nội", "is_correct": True, "feedback": "Chính xác: Hà Nội là thủ đô."},
            {"text": "Huế", "feedback": "Huế là cố đô."},
        ],
    )
    essay = qf.question("essay", category=chapter, name="Ý nghĩa hội nghị", marks=Decimal(2))
    count = qf.question("numerical", category=chapter, name="Số đại biểu")
    count.tags.add("số liệu")
    count.save()
    quiz = qf.quiz(course, questions=[capital], title="Kiểm tra chương 1")
    graded = qf.quiz(course, questions=[essay], title="Bài tự luận", slug="bai-tu-luan")
    delegate = factories.delegate(full_name="Nguyễn Thị Lan")
    factories.EnrollmentFactory(user=delegate, course=course, cohort=cohort)
    attempt = quiz_services.start_attempt(quiz=graded, user=delegate)
    quiz_services.save_answers(
        attempt_id=attempt.pk, user=delegate, answers={0: "Hội nghị giúp thống nhất nhận thức."}
    )
    quiz_services.submit_attempt(attempt_id=attempt.pk, user=delegate)
    return {"trainer": trainer, "capital": capital, "quiz": quiz, "attempt": attempt}


def test_quiz_authoring_journey(desktop_page: Page, authoring, screenshots, admin_login, axe):
    page = desktop_page
    admin_login(page, authoring["trainer"])
    fields_follow_the_question_type(page, screenshots, axe)
    try_a_question(page, authoring["capital"], screenshots, axe)
    add_questions_from_the_bank(page, authoring["quiz"], screenshots, axe)
    grade_an_essay(page, authoring["attempt"], screenshots, axe)


def fields_follow_the_question_type(page: Page, screenshots, axe) -> None:
    page.goto("/admin/snippets/quizzes/question/add/")
    kind = page.locator("select[data-question-type-select]")
    expect(kind).to_have_value("single")
    page.locator("#id_choices-ADD").click()  # a new row: its fields follow the type too
    tolerance = page.locator("[data-question-types='numerical']").first
    match = page.locator("[data-question-types='matching']").first
    choices = page.locator("section[data-question-types]").first
    expect(tolerance).to_be_hidden()
    kind.select_option("numerical")
    expect(tolerance).to_be_visible()
    expect(match).to_be_hidden()
    expect(page.locator("input[name='shuffle_choices']")).to_be_hidden()
    screenshots(page, "question-numerical")
    axe(page)  # with the choices' rows, the added one too
    kind.select_option("matching")
    expect(match).to_be_visible()
    expect(tolerance).to_be_hidden()
    kind.select_option("essay")
    expect(choices).to_be_hidden()
    screenshots(page, "question-essay")
    axe(page)


def try_a_question(page: Page, question, screenshots, axe) -> None:
    page.goto("/admin/snippets/quizzes/question/")
    row = page.get_by_role("row").filter(has_text=question.name)
    row.get_by_role(
        "button", name=vi("More options for '%(title)s'") % {"title": question.name}
    ).click()
    row.get_by_role("link", name=vi("Preview")).click()
    expect(page.get_by_text("Thủ đô của Việt Nam là?")).to_be_visible()
    page.get_by_label("Huế").check()
    page.get_by_role("button", name=vi("Check the answer")).click()
    result = page.locator("[data-preview-result]")
    expect(result).to_contain_text(vi("Incorrect"))
    expect(result).to_contain_text("Huế là cố đô.")
    page.get_by_label("Hà Nội").check()
    page.get_by_role("button", name=vi("Check the answer")).click()
    expect(result).to_contain_text(vi("Correct"))
    expect(result).to_contain_text("Chính xác: Hà Nội là thủ đô.")
    screenshots(page, "question-preview")
    axe(page)


def add_questions_from_the_bank(page: Page, quiz: QuizPage, screenshots, axe) -> None:
    page.goto(f"/admin/pages/{quiz.pk}/edit/")
    page.get_by_role("link", name=vi("Add questions from the bank")).click()
    page.get_by_label(vi("Tag")).select_option(label="số liệu")
    page.get_by_role("button", name=vi("Filter")).click()
    expect(page.get_by_role("row")).to_have_count(2)  # the header and "Số đại biểu"
    page.get_by_label(vi("Type")).select_option("")
    page.get_by_label(vi("Tag")).select_option("")
    page.get_by_role("button", name=vi("Filter")).click()
    # The unfiltered list: a question the tag hid is back, and the page has finished loading
    # (axe on a page still being parsed finds a link whose text has not arrived yet).
    expect(page.get_by_label("Ý nghĩa hội nghị")).to_be_visible()
    page.wait_for_load_state("load")
    axe(page)  # before the success message, whose fade-in axe reads at half contrast
    page.get_by_label("Số đại biểu").check()
    page.get_by_label("Ý nghĩa hội nghị").check()
    page.get_by_role("button", name=vi("Add the ticked questions")).click()
    added = vi_n(
        "%(count)s question added to the quiz's draft. Review and publish it.",
        "%(count)s questions added to the quiz's draft. Review and publish it.",
        2,
    ) % {"count": 2}
    expect(page.get_by_text(added)).to_be_visible()
    expect(page.locator(".quiz-builder__slot-list li")).to_have_count(3)
    screenshots(page, "quiz-builder")
    draft = QuizPage.objects.get(pk=quiz.pk).get_latest_revision_as_object()
    assert [slot.question.name for slot in draft.slots.all()] == [
        "Thủ đô",
        "Số đại biểu",
        "Ý nghĩa hội nghị",
    ]


def grade_an_essay(page: Page, attempt, screenshots, axe) -> None:
    page.goto("/admin/quizzes/grading/")
    expect(page.get_by_text("Hội nghị giúp thống nhất nhận thức.")).to_be_visible()
    screenshots(page, "grading-queue")
    axe(page)
    page.get_by_label(vi("Grade")).fill("1,5")
    page.get_by_role("button", name=vi("Save grade")).click()
    expect(page.get_by_text(vi("Grade saved; the attempt has been rescored."))).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.score == Decimal("1.50")
