"""Input that no client of ours sends (odd ids, NUL characters, numbers past what a database column
holds, JSON nested past what Python decodes) is a JSON 400 or 404 with our code, on SQLite and on
PostgreSQL alike: never a 500, and nothing is written."""

import json

import pytest
from django.urls import reverse

from quizzes.models import Response

pytestmark = pytest.mark.django_db

# Past PostgreSQL's integer (page ids), past its bigint, a float, a tiny float, signs and spaces.
ODD_IDS = ["2147483648", "999999999999999999", "99999999999999999999", "2.79e-140", "1.5", "-1"]
DETAIL_PATHS = [
    "courses/{}/",
    "enrolments/{}/",
    "cohorts/{}/",
    "cohorts/{}/progress/",
    "quizzes/{}/",
    "quizzes/{}/status/",
    "attempts/{}/",
    "attempts/{}/review/",
    "delegate-attempts/{}/",
    "quiz-statistics/{}/",
]
COMMAND_PATHS = [
    "courses/{}/enrol/",
    "items/{}/complete/",
    "quizzes/{}/start/",
    "attempts/{}/save/",
    "attempts/{}/submit/",
]
# Query values that a form field must refuse: NUL, past bigint, not whole, not a number.
ODD_NUMBERS = ["\x00", "1\x00", "99999999999999999999", "9223372036854775808", "1.5", "2.79e-140"]
ID_FILTERS = [
    ("lms_api:enrolment-list", "course"),
    ("lms_api:cohort-list", "course"),
    ("lms_api:quiz-list", "course"),
    ("lms_api:attempt-list", "quiz"),
    ("lms_api:delegate-attempt-list", "quiz"),
    ("lms_api:delegate-attempt-list", "cohort"),
    ("lms_api:delegate-attempt-list", "province"),
    ("lms_api:delegate-attempt-list", "user"),
]
FOR_STAFF = {"lms_api:cohort-list", "lms_api:delegate-attempt-list"}
TEXT_FILTERS = [("lms_api:course-list", "code"), ("lms_api:course-list", "search")]
HUGE = 10**20


def is_json_error(response, status: int, code: str) -> bool:
    return (
        response.status_code == status
        and response["Content-Type"] == "application/json"
        and response.json()["code"] == code
    )


def stored_answers(attempt):
    return list(
        Response.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("answer", "revision")
    )


def post_json(client, url: str, body):
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, raw, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


# Ids in paths


@pytest.mark.parametrize("path", DETAIL_PATHS)
def test_an_odd_id_in_a_path_is_not_found(world, login, path):
    client = login("superuser")

    for odd in ODD_IDS:
        response = client.get(f"/api/v1/{path.format(odd)}")

        assert is_json_error(response, 404, "not_found"), (odd, response.content)


@pytest.mark.parametrize("path", COMMAND_PATHS)
def test_a_command_on_an_odd_id_is_not_found_and_changes_nothing(world, login, path):
    client = login("delegate")
    before = stored_answers(world.open_attempt)

    for odd in ODD_IDS:
        response = post_json(client, f"/api/v1/{path.format(odd)}", {"answers": {}})

        assert is_json_error(response, 404, "not_found"), (odd, response.content)
    assert stored_answers(world.open_attempt) == before


# Query parameters (django-filter and pagination)


@pytest.mark.parametrize(("url_name", "field"), ID_FILTERS)
def test_an_id_filter_refuses_what_is_no_id(world, login, url_name, field):
    client = login("hr" if url_name in FOR_STAFF else "delegate")

    for odd in ODD_NUMBERS:
        response = client.get(reverse(url_name), {field: odd})

        assert is_json_error(response, 400, "invalid_input"), (odd, response.content)
        assert set(response.json()["errors"]) == {field}


@pytest.mark.parametrize(("url_name", "field"), TEXT_FILTERS)
def test_a_text_filter_refuses_nul_characters(world, login, url_name, field):
    response = login("delegate").get(
        reverse(url_name), {field: "Khóa\x00học"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert is_json_error(response, 400, "invalid_input")
    assert response.json()["errors"] == {
        field: ["This text contains characters that are not allowed."]
    }


def test_the_statistics_and_progress_filters_refuse_what_is_no_id(world, login):
    client = login("hr")
    statistics = reverse("lms_api:quiz-statistics-detail", args=[world.quiz.pk])
    progress = reverse("lms_api:cohort-progress", args=[world.cohort.pk])

    for url, field in [
        (statistics, "cohort"),
        (statistics, "province"),
        (statistics, "organisation"),
        (progress, "province"),
    ]:
        for odd in ODD_NUMBERS if field != "organisation" else ["\x00", "Sở\x00"]:
            response = client.get(url, {field: odd})

            assert is_json_error(response, 400, "invalid_input"), (url, field, odd)
            assert set(response.json()["errors"]) == {field}


@pytest.mark.parametrize("page", ["99999999999999999999", "\x00", "2.79e-140", ""])
def test_an_odd_page_number_is_not_found(world, login, page):
    response = login("delegate").get(reverse("lms_api:enrolment-list"), {"page": page})

    assert is_json_error(response, 404, "not_found")


@pytest.mark.parametrize("size", ["99999999999999999999", "\x00", "1e3"])
def test_an_odd_page_size_is_refused_or_capped(world, login, size):
    response = login("delegate").get(reverse("lms_api:enrolment-list"), {"page_size": size})

    # A huge size is a whole number: capped at the maximum, as any other large one.
    assert response.status_code == (200 if size.isdigit() else 400), response.content


# JSON bodies


def test_json_nested_too_deeply_to_decode_is_not_json(world, login):
    client = login("delegate")
    deep = "[" * 100_000 + "]" * 100_000
    save = reverse("lms_api:attempt-save", args=[world.open_attempt.pk])
    before = stored_answers(world.open_attempt)

    for url, body in [
        (reverse("lms_api:enrolment-join"), deep),
        (save, deep),
        (save, '{"answers": {"1": ' + deep + "}}"),
    ]:
        response = post_json(client, url, body)

        assert is_json_error(response, 400, "parse_error"), response.content
        assert response.json()["message"] == "The request body is not valid JSON."
    assert stored_answers(world.open_attempt) == before


@pytest.mark.parametrize("text", ["Hà\x00Nội", "\x00", "Hà Nội\ud800"])
def test_an_answer_with_characters_no_database_stores_is_refused(world, login, text):
    attempt = world.open_attempt
    before = stored_answers(attempt)

    response = post_json(
        login("delegate"),
        reverse("lms_api:attempt-save", args=[attempt.pk]),
        {"answers": {"0": None, "1": text}},
    )

    assert is_json_error(response, 400, "invalid_answer"), response.content
    assert response.json()["errors"] == {
        "answers.1": ["The answer contains characters that are not allowed."]
    }
    assert stored_answers(attempt) == before


@pytest.mark.parametrize(
    ("body", "code"),
    [
        # Positions past any attempt's, negative or past what the column holds.
        ({"answers": {str(HUGE): "Hà Nội"}}, "not_in_attempt"),
        ({"answers": {"32768": "Hà Nội"}}, "not_in_attempt"),
        ({"answers": {str(-HUGE): "Hà Nội"}}, "not_in_attempt"),
        # Choice ids past bigint, or infinity (JSON's 1e999).
        ({"answers": {"0": HUGE}}, "invalid_answer"),
        ('{"answers": {"0": 1e999}}', "invalid_answer"),
        ({"answers": {"0": [HUGE]}}, "invalid_answer"),
        ({"answers": {"2": {str(HUGE): "15/6/2023"}}}, "invalid_answer"),
        # Revisions that are no whole number.
        ('{"answers": {"1": "Hà Nội"}, "revisions": {"1": 1e999}}', "invalid_input"),
        ({"answers": {"1": "Hà Nội"}, "revisions": {"1": "\x00"}}, "invalid_input"),
    ],
)
def test_numbers_past_any_column_in_answers_are_refused(world, login, body, code):
    attempt = world.open_attempt
    before = stored_answers(attempt)

    response = post_json(
        login("delegate"), reverse("lms_api:attempt-save", args=[attempt.pk]), body
    )

    assert is_json_error(response, 400, code), response.content
    assert stored_answers(attempt) == before


@pytest.mark.parametrize("code", ["\x00", "ABC\x00", HUGE, "\ud800", ["ABC"], None])
def test_an_odd_enrolment_code_is_refused(world, login, code):
    response = post_json(login("other_delegate"), reverse("lms_api:enrolment-join"), {"code": code})

    assert response.status_code == 400, response.content
    assert response.json()["code"] in {"invalid_input", "unknown_enrolment_code"}
    assert not world.other_delegate.enrollments.filter(course=world.course).exists()


def test_the_quiz_page_autosave_refuses_the_same_answers(world, login):
    """The HTML autosave reads answers with the same function as the API."""
    attempt = world.open_attempt
    client = login("delegate")
    before = stored_answers(attempt)
    url = reverse("quizzes:save", args=[attempt.pk])

    for body in [
        {"answers": {"1": "Hà\x00Nội"}},
        {"answers": {str(HUGE): "Hà Nội"}},
        '{"answers": {"0": 1e999}}',
        '{"answers": {"1": "Hà Nội"}, "revisions": {"1": 1e999}}',
    ]:
        response = post_json(client, url, body)

        assert response.status_code == 400, (body, response.content)
    assert stored_answers(attempt) == before
