"""Journey 2: a trainer builds a lesson and a quiz in the Wagtail admin and reads how a cohort did.

The trainer trains two cohorts of one course, so Wagtail gives them page permissions on it (as
the project does for every trainer, through ``sync_course_trainers``). They write a module with
rich content in the StreamField editor, check it in the preview panel and publish it; import a
GIFT file of Vietnamese questions (upload, preview, confirm); build a quiz from the question bank,
imported questions included, and publish it. Delegates of both cohorts then take the quiz
(through the quiz services), and the trainer reads its statistics, first for everyone and then
for one cohort. Told that the true/false question's key was the wrong way round, they regrade the
quiz: the dry run lists the changes, the regrade (a background job; the test settings' immediate
backend runs it as the request commits) reports its progress, and the statistics follow. Last,
a delegate on a phone finds the module and the quiz live on the site.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from courses import services as course_services
from courses.models import Cohort, CoursePage, ModulePage
from quizzes.models import Question, QuizPage
from tests import factories
from tests.browser.admin_helpers import (
    add_block,
    exact,
    field_name,
    filter_listing,
    open_preview,
    publish,
    type_rich_text,
    vi,
    vi_n,
)
from tests.quizzes import factories as quiz_factories
from tests.quizzes.test_statistics_selectors import enrol, right, take, wrong

MODULE_TITLE = "Bài 1: Tình hình thông tin đối ngoại"
HEADING = "Quyền con người ở Việt Nam"
PARAGRAPH = "Việt Nam bảo đảm quyền con người trên mọi lĩnh vực của đời sống xã hội."
CALLOUT = "Chủ động, kịp thời, đồng bộ trong thông tin đối ngoại."
FACT_FIGURE, FACT_TEXT = "280", "đại biểu từ 26 tỉnh, thành phố dự hội nghị"
QUIZ_TITLE = "Kiểm tra bài 1"

GIFT = """// Câu hỏi ôn tập Kết luận 57-KL/TW
$CATEGORY: Kết luận 57-KL/TW

::Ngày ban hành:: Kết luận 57-KL/TW được ban hành ngày nào? {=15/6/2023 ~14/2/2012 ~16/2/2024}

::Đúng hay sai:: Thông tin đối ngoại là nhiệm vụ của toàn Đảng, toàn dân. {T}

::Số đại biểu:: Hội nghị tập huấn có bao nhiêu đại biểu tham dự? {#280}
"""
IMPORTED = ("Ngày ban hành", "Đúng hay sai", "Số đại biểu")
IN_BANK = "Thủ đô"  # already in the bank before the import
QUIZ_QUESTIONS = ("Ngày ban hành", "Đúng hay sai", IN_BANK)

# Who answers right, per question: three delegates of the trainer's first cohort, then two of
# the second. Facility index = share of right answers.
ANSWERS = {
    "Ngày ban hành": ([True, True, False], [False, True]),  # all 60 %, first cohort 66.67 %
    "Đúng hay sai": ([True, False, True], [False, False]),  # all 40 %, first cohort 66.67 %
    IN_BANK: ([True, True, True], [False, True]),  # all 80 %, first cohort 100 %
}
FACILITY_ALL = {"Ngày ban hành": "60,00 %", "Đúng hay sai": "40,00 %", IN_BANK: "80,00 %"}
FACILITY_FIRST_COHORT = {"Ngày ban hành": "66,67 %", "Đúng hay sai": "66,67 %", IN_BANK: "100,00 %"}


@dataclass
class Training:
    course: CoursePage
    cohort: Cohort
    other_cohort: Cohort
    trainer: AbstractBaseUser


@pytest.fixture
def training(browser_site) -> Training:
    course = factories.course(browser_site.index, title="Thông tin đối ngoại", code="TTĐN")
    cohort = factories.CohortFactory(course=course, name="Hội nghị tập huấn Phú Thọ")
    other = factories.CohortFactory(course=course, name="Hội nghị tập huấn Hà Nội")
    trainer = factories.UserFactory(
        email="giang.vien@example.vn", first_name="Minh", last_name="Trần"
    )
    cohort.trainers.add(trainer)
    other.trainers.add(trainer)
    course_services.sync_course_trainers(course=course)
    quiz_factories.question(
        "single",
        name=IN_BANK,
        text="<p>Thủ đô của nước Cộng hòa xã hội chủ nghĩa Việt Nam là?</p>",
        choices=[("Hà Nội", True), ("Huế", False), ("Đà Nẵng", False)],
    )
    return Training(course=course, cohort=cohort, other_cohort=other, trainer=trainer)


def test_trainer_journey(
    desktop_page: Page, phone_page: Page, training, screenshots, admin_login, login, tmp_path
):
    page = desktop_page
    admin_login(page, training.trainer)
    write_module(page, training.course, screenshots)
    import_questions(page, tmp_path, screenshots)
    quiz = build_quiz(page, training.course, screenshots)
    # On SQLite the live server shares the test's database connection: let the editor's last
    # requests finish before the test writes.
    page.wait_for_load_state("networkidle")
    delegate = take_the_quiz(quiz, training)
    read_statistics(page, training, screenshots)
    regrade_after_a_key_fix(page, quiz, screenshots)
    find_them_live(phone_page, delegate, quiz, login, screenshots)


def add_child_page(page: Page, course: CoursePage, page_type: str) -> None:
    page.goto(f"/admin/pages/{course.pk}/")
    page.get_by_role("link", name=vi("Add child page")).click()
    page.get_by_role("link", name=exact(page_type)).click()
    expect(page.locator("#id_title")).to_be_editable()


def write_module(page: Page, course: CoursePage, screenshots) -> None:
    add_child_page(page, course, capfirst(vi("module")))
    page.locator("#id_title").fill(MODULE_TITLE)
    page.get_by_role("textbox", name=vi("summary")).fill("Những điểm mới của Kết luận 57-KL/TW.")
    heading = add_block(page, vi("Heading"))
    heading.get_by_role("textbox", name=field_name(vi("Text"))).fill(HEADING)
    type_rich_text(add_block(page, vi("Paragraph")), PARAGRAPH)
    callout = add_block(page, vi("Callout"))
    callout.get_by_role("combobox", name=field_name(vi("Kind"))).select_option(
        label=vi("Key point")
    )
    type_rich_text(callout, CALLOUT)
    facts = add_block(page, vi("Key facts"))
    facts.get_by_role("textbox", name=field_name(vi("Title"))).fill("Hội nghị năm 2024")
    facts.get_by_role("textbox", name=field_name(vi("Figure"))).fill(FACT_FIGURE)
    facts.get_by_role("textbox", name=field_name(vi("Fact"))).fill(FACT_TEXT)
    screenshots(page, "module-editor")

    preview = open_preview(page)
    expect(preview.get_by_role("heading", name=HEADING)).to_be_visible()
    for text in (PARAGRAPH, CALLOUT, FACT_FIGURE, FACT_TEXT):
        expect(preview.get_by_text(text)).to_be_visible()
    screenshots(page, "module-preview")

    publish(page, MODULE_TITLE)
    row = page.get_by_role("row").filter(has_text=MODULE_TITLE)
    expect(row).to_contain_text(vi("live"), ignore_case=True)
    screenshots(page, "module-published")


def import_questions(page: Page, tmp_path, screenshots) -> None:
    gift = tmp_path / "câu hỏi kết luận 57.gift"
    gift.write_text(GIFT, encoding="utf-8")
    page.get_by_role("button", name=vi("Question bank")).click()
    page.get_by_role("link", name=exact(vi("Questions"))).click()
    page.get_by_role("button", name=exact(vi("Actions"))).click()
    page.get_by_role("link", name=vi("Import questions")).click()
    page.get_by_label(vi("Question file")).set_input_files(gift)
    page.get_by_label("GIFT (Moodle)").check()
    page.get_by_label(vi("Or a new category")).fill("Ôn tập")
    screenshots(page, "import-upload")
    page.get_by_role("button", name=vi("Upload and preview")).click()

    count = len(IMPORTED)
    read = vi_n(
        "%(count)d question read from %(file)s.", "%(count)d questions read from %(file)s.", count
    )
    expect(page.get_by_text(read % {"count": count, "file": gift.name})).to_be_visible()
    confirm = vi_n("Import %(count)d question", "Import %(count)d questions", count)
    expect(page.get_by_role("button", name=confirm % {"count": count})).to_be_visible()
    preview_rows = page.locator("tr[id^=question-line-]")
    expect(preview_rows).to_have_count(count)
    for name in IMPORTED:
        expect(preview_rows.filter(has_text=name)).to_contain_text("Kết luận 57-KL/TW")
    expect(page.get_by_text("Hội nghị tập huấn có bao nhiêu đại biểu tham dự?")).to_be_visible()
    assert not Question.objects.filter(name__in=IMPORTED).exists()  # a preview writes nothing
    screenshots(page, "import-preview")

    page.get_by_role("button", name=confirm % {"count": count}).click()
    done = vi_n("%(count)d question was imported.", "%(count)d questions were imported.", count) % {
        "count": count
    }
    expect(page.get_by_text(done)).to_be_visible()
    for name in IMPORTED:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    screenshots(page, "import-done")
    imported = Question.objects.filter(name__in=IMPORTED)
    assert set(imported.values_list("category__name", flat=True)) == {"Kết luận 57-KL/TW"}


def build_quiz(page: Page, course: CoursePage, screenshots) -> QuizPage:
    add_child_page(page, course, capfirst(vi("quiz")))
    page.locator("#id_title").fill(QUIZ_TITLE)
    choose = vi("Choose %(object)s") % {"object": vi("question")}
    add_slot = vi("Add %(label)s") % {"label": vi("Slot")}
    slots = page.locator("[data-inline-panel-child]:visible")
    for number, name in enumerate(QUIZ_QUESTIONS):
        if number:
            page.get_by_role("button", name=add_slot).click()
            expect(slots).to_have_count(number + 1)
        slots.nth(number).get_by_role("button", name=exact(choose)).click()
        chooser = page.get_by_role("dialog")
        chooser.get_by_role("link", name=exact(name)).click()
        expect(chooser).to_be_hidden()
        expect(slots.nth(number)).to_contain_text(name)
    screenshots(page, "quiz-editor")
    publish(page, QUIZ_TITLE)
    expect(page.get_by_role("row").filter(has_text=QUIZ_TITLE)).to_contain_text(
        vi("live"), ignore_case=True
    )
    screenshots(page, "quiz-published")

    quiz = QuizPage.objects.get(title=QUIZ_TITLE)
    assert quiz.live and quiz.get_parent().pk == course.pk
    slotted = [slot.question.name for slot in quiz.slots.order_by("sort_order")]
    assert slotted == list(QUIZ_QUESTIONS)
    return quiz


def take_the_quiz(quiz: QuizPage, training: Training) -> AbstractBaseUser:
    """Five delegates submit the quiz: three of the first cohort, two of the other.

    Returns the first delegate."""
    questions = {question.name: question for question in Question.objects.all()}
    delegates = []
    for cohort, column in ((training.cohort, 0), (training.other_cohort, 1)):
        for row in range(len(ANSWERS[IN_BANK][column])):
            user = enrol(cohort)
            answers = {
                questions[name]: (right if ANSWERS[name][column][row] else wrong)(questions[name])
                for name in QUIZ_QUESTIONS
            }
            take(quiz, user, answers, seed=len(delegates))
            delegates.append(user)
    return delegates[0]


def facility_of(page: Page, name: str):
    table = page.get_by_role("region", name=vi("Question statistics"))
    return table.get_by_role("row").filter(has_text=name).get_by_role("cell").nth(2)


def read_statistics(page: Page, training: Training, screenshots) -> None:
    page.get_by_role("link", name=vi("Quiz statistics")).click()
    entry = page.get_by_role("row").filter(has_text=QUIZ_TITLE)
    expect(entry).to_contain_text(training.course.title)
    screenshots(page, "statistics-quizzes")
    entry.get_by_role("link", name=QUIZ_TITLE).click()

    attempts = page.get_by_role("row").filter(has_text=vi("Attempts analysed"))
    analysed = vi_n("%(count)s attempt", "%(count)s attempts", 5) % {"count": 5}
    expect(attempts).to_contain_text(analysed)
    for name, facility in FACILITY_ALL.items():
        expect(facility_of(page, name)).to_have_text(facility)
    screenshots(page, "statistics-everyone")

    filter_listing(page, vi("Cohort"), training.cohort.name)
    analysed = vi_n("%(count)s attempt", "%(count)s attempts", 3) % {"count": 3}
    expect(attempts).to_contain_text(analysed)
    for name, facility in FACILITY_FIRST_COHORT.items():
        expect(facility_of(page, name)).to_have_text(facility)
    screenshots(page, "statistics-one-cohort")


def regrade_after_a_key_fix(page: Page, quiz: QuizPage, screenshots) -> None:
    page.wait_for_load_state("networkidle")  # SQLite: the live server's requests are over
    question = Question.objects.get(name="Đúng hay sai")
    for choice in question.choices.all():  # the key was the wrong way round
        question.choices.filter(pk=choice.pk).update(is_correct=not choice.is_correct)
    page.goto(reverse("quizzes_regrade", args=[quiz.pk]))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(1 + 5)  # every attempt
    screenshots(page, "regrade-dry-run")
    regrade = vi_n(
        "Regrade now (%(count)s attempt changes)", "Regrade now (%(count)s attempts change)", 5
    ) % {"count": 5}
    page.get_by_role("button", name=regrade).click()

    done = vi_n(
        "%(count)s attempt regraded; %(changed)s changed.",
        "%(count)s attempts regraded; %(changed)s changed.",
        5,
    ) % {"count": 5, "changed": 5}
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_accessible_description(done)
    expect(progress).to_have_attribute("value", "5")
    screenshots(page, "regrade-done")
    page.goto(reverse("quizzes_statistics", args=[quiz.pk]))
    expect(facility_of(page, "Đúng hay sai")).to_have_text("60,00 %")  # was 40 %


def find_them_live(page: Page, delegate, quiz: QuizPage, login, screenshots) -> None:
    """A delegate of the cohort reads the new module and finds the quiz on the site."""
    login(page, delegate)
    module = ModulePage.objects.get(title=MODULE_TITLE)
    assert module.live
    page.goto(module.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(MODULE_TITLE)
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    for text in (PARAGRAPH, CALLOUT, FACT_TEXT):
        expect(page.get_by_text(text)).to_be_visible()
    screenshots(page, "module-live")
    page.goto(quiz.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ_TITLE)
    count = len(QUIZ_QUESTIONS)
    questions = vi_n("%(count)s question", "%(count)s questions", count) % {"count": count}
    expect(page.get_by_text(questions, exact=True)).to_be_visible()
    # The delegate's own submitted attempt (from take_the_quiz) is listed with its score, as
    # regraded: 100 % before, its true/false answer wrong with the fixed key.
    expect(page.get_by_role("region", name=vi("Your attempts"))).to_contain_text("66,67%")
    screenshots(page, "quiz-live")
