"""The quiz statistics screens in the Wagtail admin: who may see them, the filters, the chart,
the exports, and a constant number of queries however many attempts there are."""

import codecs
import csv
import io
import re
import unicodedata

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.conf import lms_settings
from tests import factories
from tests.quizzes import factories as qf
from tests.quizzes.test_statistics_selectors import enrol, right, staff, take, trainer_of, wrong

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.quizzes.statistics_urls")]


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def setup():
    """Two cohorts of one course; Hồng and Minh in Phú Thọ, Lan in Hà Nội (another cohort)."""
    cohort = factories.CohortFactory(name="Hội nghị Phú Thọ")
    other = factories.CohortFactory(course=cohort.course, name="Hội nghị Hà Nội")
    single = qf.question("single", name="Ngày ban hành Kết luận 57")
    true_false = qf.question("true_false", name="Đúng hay sai")
    essay = qf.question("essay", name="Bài luận")
    quiz = qf.quiz(cohort.course, questions=[single, true_false, essay], shuffle_choices=False)
    hong = enrol(cohort, organisation="Sở Ngoại vụ tỉnh Phú Thọ")
    minh = enrol(cohort, organisation="Báo Phú Thọ")
    lan = enrol(other, province="Hà Nội", organisation="Báo Nhân Dân")
    take(quiz, hong, {single: right(single), true_false: right(true_false)})
    take(quiz, minh, {single: wrong(single), true_false: right(true_false)})
    take(quiz, lan, {single: wrong(single), true_false: wrong(true_false)})
    return {
        "cohort": cohort,
        "other": other,
        "quiz": quiz,
        "single": single,
        "true_false": true_false,
        "lan": lan,
    }


def url(quiz, **params):
    base = reverse("quizzes_statistics", args=[quiz.pk])
    if not params:
        return base
    return base + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def report(response):
    assert response.status_code == 200, response
    return response.context["report"]


def text(response) -> str:
    return response.content.decode()


def chart_svg(html: str) -> str:
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="quiz-statistics-chart"')
    return html[start : html.index("</svg>", start) + len("</svg>")]


# Who may see what


def test_hr_sees_every_cohort(client, setup):
    client.force_login(staff(lms_settings.HR_GROUP))

    result = report(client.get(url(setup["quiz"])))

    assert result.quiz.attempts == 3
    assert result.questions[0].facility == pytest.approx(100 / 3)


def test_a_superuser_sees_every_cohort(client, setup, admin_user):
    client.force_login(admin_user)

    assert report(client.get(url(setup["quiz"]))).quiz.attempts == 3


def test_a_trainer_sees_only_their_cohort(client, setup):
    client.force_login(trainer_of(setup["cohort"]))

    result = report(client.get(url(setup["quiz"])))

    assert result.quiz.attempts == 2
    assert result.questions[0].facility == 50.0


def test_a_trainer_cannot_filter_their_way_into_another_cohort(client, setup):
    client.force_login(trainer_of(setup["cohort"]))

    result = report(client.get(url(setup["quiz"], cohort=setup["other"].pk)))

    assert result.quiz.attempts == 2  # the foreign cohort is not a valid choice: ignored


def test_a_trainer_of_another_course_gets_404(client, setup):
    client.force_login(trainer_of(factories.CohortFactory()))

    assert client.get(url(setup["quiz"])).status_code == 404
    index = client.get(reverse("quizzes_statistics_index"))
    assert index.status_code == 200
    assert setup["quiz"].title not in text(index)


def test_staff_without_cohorts_or_hr_get_403_and_404(client, setup):
    client.force_login(staff(lms_settings.TRAINERS_GROUP))

    assert client.get(reverse("quizzes_statistics_index")).status_code == 403
    assert client.get(url(setup["quiz"])).status_code == 404
    assert client.get(url(setup["quiz"], export="csv")).status_code == 404


def test_delegates_and_visitors_are_sent_to_sign_in(client, setup):
    assert client.get(url(setup["quiz"])).status_code == 302
    client.force_login(setup["lan"])
    response = client.get(url(setup["quiz"]))
    assert response.status_code == 302
    assert "report" not in (response.context or {})


def test_an_unknown_quiz_is_404(client, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("quizzes_statistics", args=[999999])).status_code == 404


# The picker


def test_the_picker_lists_the_trainers_quizzes_with_links(client, setup):
    client.force_login(trainer_of(setup["cohort"]))

    response = client.get(reverse("quizzes_statistics_index"))

    assert response.status_code == 200
    html = text(response)
    assert url(setup["quiz"]) in html
    assert setup["cohort"].course.title in html
    [entry] = response.context["entries"]
    assert (entry.attempts, entry.delegates) == (2, 2)


# Filters


def test_filter_by_cohort(client, setup, admin_user):
    client.force_login(admin_user)

    result = report(client.get(url(setup["quiz"], cohort=setup["other"].pk)))

    assert result.quiz.attempts == 1
    assert result.questions[0].facility == 0.0


def test_filter_by_province(client, setup, admin_user):
    from courses.models import Province

    client.force_login(admin_user)
    ha_noi = Province.objects.get(name="Hà Nội")

    result = report(client.get(url(setup["quiz"], province=ha_noi.pk)))

    assert result.quiz.attempts == 1


def test_filter_by_organisation_accepts_decomposed_vietnamese(client, setup, admin_user):
    client.force_login(admin_user)
    typed = unicodedata.normalize("NFD", "Báo")  # as some keyboards send it

    result = report(
        client.get(
            reverse("quizzes_statistics", args=[setup["quiz"].pk]), {"organisation": f"  {typed} "}
        )
    )

    assert result.quiz.attempts == 2  # Báo Phú Thọ and Báo Nhân Dân


def test_all_attempts_include_second_tries(client, setup, admin_user):
    single = setup["single"]
    take(setup["quiz"], setup["lan"], {single: right(single)})
    client.force_login(admin_user)

    first = report(client.get(url(setup["quiz"])))
    every = report(client.get(url(setup["quiz"], attempts="all")))

    assert first.quiz.attempts == 3
    assert every.quiz.attempts == 4
    assert every.questions[0].facility == 50.0


def test_the_results_fragment_refreshes_everything(client, setup, admin_user):
    client.force_login(admin_user)

    response = client.get(
        reverse("quizzes_statistics_results", args=[setup["quiz"].pk]),
        {"cohort": setup["other"].pk},
    )

    html = text(response)
    assert response.status_code == 200
    assert "<html" not in html
    assert "<svg" in html
    assert "Quiz information" in html
    assert response.context["report"].quiz.attempts == 1


# The page


def test_the_page_shows_summary_tables_and_weak_items(client, setup, admin_user):
    client.force_login(admin_user)

    html = text(client.get(url(setup["quiz"])))

    assert "Quiz information" in html
    assert "Cronbach" in html
    assert "Ngày ban hành Kết luận 57" in html
    assert "Choices picked" in html
    assert "15/6/2023" in html and "Not answered" in html
    # Everyone answered the essay? No: it was left blank, so it scored 0: a very hard question.
    assert "Very hard (facility below 10%)" in html


def test_the_chart_is_an_accessible_svg_with_a_bar_and_label_per_value(client, setup, admin_user):
    client.force_login(admin_user)

    response = client.get(url(setup["quiz"]))

    html = text(response)
    svg = chart_svg(html)
    questions = response.context["report"].questions
    assert 'role="img"' in svg
    assert 'aria-labelledby="quiz-statistics-chart-title quiz-statistics-chart-desc"' in svg
    assert '<title id="quiz-statistics-chart-title">' in svg
    assert '<desc id="quiz-statistics-chart-desc">' in svg
    assert svg.count('data-series="facility"') == len(questions)
    assert svg.count('data-series="discrimination"') == len(questions)
    for question in questions:
        assert f">Q{question.number}</text>" in svg
    assert "33.3 %" in svg  # the facility of the single-choice question, as a text label
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing external
    # Geometry is never localised (a decimal comma would break the SVG).
    assert not re.search(r'(x|y|width)="\d+,\d', svg)


def test_the_page_renders_in_vietnamese_with_numbers_the_svg_can_read(client, setup, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(factories.UserFactory(is_superuser=True))

    html = text(client.get(url(setup["quiz"])))

    svg = chart_svg(html)
    assert "33,3 %" in svg
    assert not re.search(r'(x|y|width)="\d+,\d', svg)


# Exports


def test_csv_export_has_a_bom_and_vietnamese_text(client, setup):
    client.force_login(trainer_of(setup["cohort"]))

    response = client.get(url(setup["quiz"], export="csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="quiz-statistics-{setup["quiz"].pk}.csv"'
    )
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["Question"] for row in rows] == [
        "Ngày ban hành Kết luận 57",
        "Đúng hay sai",
        "Bài luận",
    ]
    assert rows[0]["Facility index (%)"] == "50.0"
    assert rows[0]["Attempts"] == "2"
    assert rows[1]["Type"] == "True/false"


def test_xlsx_export_keeps_numbers_and_vietnamese(client, setup, admin_user):
    client.force_login(admin_user)

    response = client.get(url(setup["quiz"], export="xlsx"))

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headings = [cell.value for cell in sheet[1]]
    assert headings[:3] == ["No.", "Question ID", "Question"]
    assert sheet.cell(2, 3).value == "Ngày ban hành Kết luận 57"
    facility = sheet.cell(2, headings.index("Facility index (%)") + 1).value
    assert facility == pytest.approx(33.33)
    assert isinstance(facility, float)


def test_exports_follow_the_filters(client, setup, admin_user):
    client.force_login(admin_user)

    response = client.get(url(setup["quiz"], cohort=setup["other"].pk, export="csv"))

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows[0]["Attempts"] == "1"
    assert rows[0]["Facility index (%)"] == "0.0"


# Queries


def test_more_attempts_do_not_mean_more_queries(
    client, setup, admin_user, django_assert_max_num_queries
):
    client.force_login(admin_user)
    quiz, single = setup["quiz"], setup["single"]
    client.get(url(quiz))  # warm caches (site, locale, permissions)
    with CaptureQueriesContext(connection) as few:
        client.get(url(quiz))
    for i in range(15):
        take(quiz, enrol(setup["cohort"]), {single: right(single) if i % 3 else wrong(single)})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url(quiz))

    assert response.context["report"].quiz.attempts == 18


def test_strings_are_translatable():
    """The page's own words go through gettext: a Vietnamese catalogue would translate them."""
    from quizzes.statistics import Flag
    from quizzes.views.statistics import flag_label

    with translation.override("en"):
        assert flag_label(Flag.WEAK_DISCRIMINATION) == "Weak discrimination (below 20%)"
