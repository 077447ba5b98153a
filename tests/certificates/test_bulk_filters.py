"""certificates.filters: the querystring filters shared by the register and the ZIP download."""

import datetime

import pytest
from django.http import QueryDict

from certificates.filters import (
    InvalidFilter,
    clean_params,
    describe_filters,
    filter_certificates,
    filter_querystring,
    parse_filters,
)
from certificates.models import Certificate
from courses.models import Province
from tests import factories
from tests.certificates.test_bulk_jobs import make_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates():
    course, other_course = factories.course(), factories.course()
    cohort = factories.CohortFactory(course=course)
    return {
        "hanoi": make_certificate(
            course=course,
            cohort=cohort,
            province="Hà Nội",
            organisation="Báo Nhân Dân",
            issued_on=datetime.date(2024, 7, 1),
        ),
        "phu_tho": make_certificate(
            course=course,
            province="Phú Thọ",
            organisation="Sở Văn hóa, Thể thao và Du lịch",
            issued_on=datetime.date(2024, 7, 15),
        ),
        "revoked": make_certificate(
            course=other_course,
            province="Phú Thọ",
            organisation="Đài Phát thanh",
            issued_on=datetime.date(2024, 8, 1),
            status=Certificate.Status.REVOKED,
        ),
    }


def keys(certificates, query) -> set[str]:
    params = QueryDict(query) if isinstance(query, str) else query
    found = set(filter_certificates(Certificate.objects.all(), params))
    return {name for name, certificate in certificates.items() if certificate in found}


def test_no_filters_select_everything(certificates):
    assert keys(certificates, "") == {"hanoi", "phu_tho", "revoked"}
    assert keys(certificates, "q=abc&ordering=-issued_at&p=2") == {"hanoi", "phu_tho", "revoked"}


def test_course_and_cohort(certificates):
    course = certificates["hanoi"].course
    assert keys(certificates, f"course={course.pk}") == {"hanoi", "phu_tho"}
    other = certificates["revoked"].course
    assert keys(certificates, f"course={course.pk}&course={other.pk}") == set(certificates)
    assert keys(certificates, f"cohort={certificates['hanoi'].cohort_id}") == {"hanoi"}


def test_province_by_id_or_by_name(certificates):
    phu_tho = Province.objects.get(name="Phú Thọ")
    assert keys(certificates, f"province={phu_tho.pk}") == {"phu_tho", "revoked"}
    assert keys(certificates, {"province": "Hà Nội"}) == {"hanoi"}


def test_organisation_contains_ignoring_case_spacing_and_tone_placement(certificates):
    assert keys(certificates, {"organisation": "nhân dân"}) == {"hanoi"}
    assert keys(certificates, {"organisation": "  NHÂN   DÂN "}) == {"hanoi"}
    assert keys(certificates, {"organisation": "văn hoá"}) == {"phu_tho"}  # old-style tone
    assert keys(certificates, {"organisation": "thể thao"}) == {"phu_tho"}


def test_issue_dates_include_both_ends(certificates):
    assert keys(certificates, "issued_from=2024-07-15") == {"phu_tho", "revoked"}
    assert keys(certificates, "issued_to=2024-07-15") == {"hanoi", "phu_tho"}
    assert keys(certificates, "issued_from=2024-07-02&issued_to=2024-07-31") == {"phu_tho"}


def test_dates_may_come_in_the_format_of_wagtails_date_picker(certificates, settings):
    settings.WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
    assert keys(certificates, "issued_from=15/07/2024") == {"phu_tho", "revoked"}
    assert keys(certificates, "issued_to=2024-07-01") == {"hanoi"}


def test_status(certificates):
    assert keys(certificates, "status=revoked") == {"revoked"}
    assert keys(certificates, "status=valid&status=revoked") == set(certificates)


def test_filters_combine(certificates):
    course = certificates["hanoi"].course
    query = f"course={course.pk}&status=valid&issued_from=2024-07-10"
    assert keys(certificates, query) == {"phu_tho"}


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("course=abc", "course"),
        ("cohort=1.5", "cohort"),
        ("issued_from=11/07/2024", "issued_from"),
        ("issued_from=2024-08-01&issued_to=2024-07-01", "issued_to"),
        ("status=lost", "status"),
        ("province=99999", "province"),
    ],
)
def test_malformed_values_are_refused_not_ignored(query, param):
    with pytest.raises(InvalidFilter) as raised:
        parse_filters(QueryDict(query))
    assert raised.value.param == param


def test_querystring_keeps_only_the_filters():
    params = QueryDict("course=3&course=4&q=x&p=2&status=valid&organisation=+Sở+&issued_to=")
    assert clean_params(params) == {
        "course": ["3", "4"],
        "organisation": ["Sở"],
        "status": ["valid"],
    }
    assert filter_querystring(params) == "course=3&course=4&organisation=S%E1%BB%9F&status=valid"


def test_stored_filters_parse_back_to_the_same_selection(certificates):
    course = certificates["hanoi"].course
    stored = clean_params(QueryDict(f"course={course.pk}&status=valid"))
    assert keys(certificates, stored) == {"hanoi", "phu_tho"}


def test_description_names_what_was_chosen(certificates):
    course = certificates["hanoi"].course
    rows = dict(describe_filters(parse_filters({"course": str(course.pk), "province": "Hà Nội"})))
    assert course.title in rows.values()
    assert "Hà Nội" in rows.values()
