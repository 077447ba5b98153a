"""The Content-Security-Policy in a real browser: the journeys' violation detector works, and pages
the journeys do not visit run under the site's or the admin's policy without a violation."""

from PIL import Image
from playwright.sync_api import Page, expect

from courses import services as course_services
from tests import factories
from tests.browser.admin_helpers import add_block, vi
from tests.quizzes import factories as quiz_factories
from tests.quizzes.test_statistics_selectors import enrol, right, take


def test_an_inline_style_or_script_is_refused_and_reported(desktop_page: Page, csp_violations):
    page = desktop_page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa học")

    # What an injection would try: markup with an inline script and a style attribute.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const box = document.createElement("div");
                box.innerHTML = '<p id="injected" style="color: red">x</p>';
                document.body.append(box);
                const script = document.createElement("script");
                script.textContent = "window.scriptRan = true";
                document.body.append(script);
            }"""
        )

    assert page.evaluate("() => window.scriptRan") is None
    assert page.evaluate("() => document.getElementById('injected').style.color") == ""
    # Both channels saw it: the securitypolicyviolation events and the console.
    page.evaluate("1")
    assert any(v.startswith("script-src-elem blocked inline") for v in csp_violations)
    assert any(v.startswith("style-src-attr blocked inline") for v in csp_violations)
    assert any(v.startswith("console: ") for v in csp_violations)
    csp_violations.clear()  # provoked on purpose: the teardown must not fail this test


def test_the_api_documentation_runs_under_the_policy(desktop_page: Page):
    page = desktop_page
    page.goto("/api/v1/docs/")

    expect(page.get_by_role("heading", name="LMS API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


def test_an_administrators_screens_run_under_the_admin_policy(
    desktop_page: Page, browser_site, admin_login
):
    """Screens the trainer and HR journeys do not show: the administrator's dashboard (no
    Gravatar, no update check from Wagtail's site), a cohort's progress bars and a quiz's chart,
    drawn by classes now that our templates have no style attributes."""
    course = factories.course(browser_site.index, title="Thông tin đối ngoại", code="TTĐN")
    first_module = factories.module(course, title="Bài 1")
    factories.module(course, title="Bài 2")
    questions = [quiz_factories.question("single"), quiz_factories.question("true_false")]
    quiz = quiz_factories.quiz(course, title="Kiểm tra bài 1", questions=questions)
    cohort = factories.CohortFactory(course=course, name="Hội nghị tập huấn Phú Thọ")
    for number in range(2):
        delegate = enrol(cohort)
        take(quiz, delegate, {question: right(question) for question in questions}, seed=number)
        if number:
            course_services.complete_item(user=delegate, page=first_module)
    administrator = factories.UserFactory(email="admin@example.vn", is_superuser=True)
    page = desktop_page

    admin_login(page, administrator)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"/admin/cohorts/{cohort.pk}/progress/")
    bars = page.locator(".lms-progress__bar")
    expect(bars).to_have_count(2)
    shares = []
    for bar in bars.all():
        fill = bar.locator(".lms-progress__fill").bounding_box()["width"]
        share = fill / bar.bounding_box()["width"]
        assert abs(share * 100 - int(bar.get_attribute("aria-valuenow"))) < 1
        shares.append(share)
    # One delegate passed the quiz (one item of three), the other also read a module (two).
    assert sorted(round(share, 1) for share in shares) == [0.3, 0.7]

    page.goto(f"/admin/quizzes/{quiz.pk}/statistics/")
    chart = page.get_by_role(
        "img", name=vi("Facility index and discrimination index of each question, in per cent")
    )
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] == 720  # its natural width, as wide as the content column allows
    assert 0 < box["height"] < box["width"]


def test_images_are_uploaded_and_chosen_in_the_page_editor_under_the_admin_policy(
    desktop_page: Page, browser_site, admin_login, tmp_path
):
    """The editor's pieces the journeys do not use: the multiple image upload (previews drawn
    by the browser) and the image chooser's modal in a lesson's StreamField."""
    course = factories.course(browser_site.index, title="Thông tin đối ngoại", code="TTĐN")
    module = factories.module(course, title="Bài 1")
    photo = tmp_path / "hoi-nghi-phu-tho.png"
    Image.new("RGB", (320, 200), (165, 20, 30)).save(photo)
    administrator = factories.UserFactory(email="admin@example.vn", is_superuser=True)
    page = desktop_page
    admin_login(page, administrator)

    page.goto("/admin/images/multiple/add/")
    page.locator("#fileupload").set_input_files(photo)
    expect(page.locator("#upload-list .status-msg.success")).to_be_visible()

    page.goto(f"/admin/pages/{module.pk}/edit/")
    figure = add_block(page, vi("Image"))
    figure.get_by_role("button", name=vi("Choose an image")).click()
    modal = page.get_by_role("dialog")
    modal.get_by_role("link", name="hoi-nghi-phu-tho").click()
    expect(modal).to_be_hidden()
    expect(figure.get_by_text("hoi-nghi-phu-tho")).to_be_visible()
