"""The catalogue, enrolment, completion, and what trainers and HR see of their cohorts."""

import pytest
from django.urls import reverse

from courses.models import Completion, Enrollment, Province
from tests import factories

pytestmark = pytest.mark.django_db


def post(client, name, pk=None, body=None):
    url = reverse(name, args=[] if pk is None else [pk])
    return client.post(url, body, content_type="application/json")


def ids(payload) -> list[int]:
    return [row["id"] for row in payload["results"]]


# The catalogue


def test_the_catalogue_lists_published_public_courses_only(world, login):
    draft = factories.course(index=world.course.get_parent().specific, title="Bản nháp")
    draft.unpublish()
    private = factories.course(index=world.course.get_parent().specific, title="Riêng tư")
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=private, restriction_type="login")

    listed = login("anonymous").get(reverse("lms_api:course-list")).json()
    hidden = login("superuser").get(reverse("lms_api:course-detail", args=[draft.pk]))

    assert set(ids(listed)) == {world.course.pk, world.other_course.pk}
    assert hidden.status_code == 404


def test_the_catalogue_says_which_courses_i_am_enrolled_in(world, login):
    listed = login("delegate").get(reverse("lms_api:course-list")).json()["results"]

    assert {row["id"]: row["enrolled"] for row in listed} == {
        world.course.pk: True,
        world.other_course.pk: False,
    }


def test_courses_are_filtered_by_code_and_title(world, login):
    client = login("anonymous")

    by_code = client.get(reverse("lms_api:course-list"), {"code": world.course.code.lower()}).json()
    by_title = client.get(reverse("lms_api:course-list"), {"search": "khác"}).json()

    assert ids(by_code) == [world.course.pk]
    assert ids(by_title) == [world.other_course.pk]


def test_the_page_size_is_capped(world, login):
    page = login("anonymous").get(reverse("lms_api:course-list"), {"page_size": 10_000})

    assert page.status_code == 200
    assert page.json()["count"] == 2


def test_an_outline_shows_item_kinds_and_my_progress(world, login):
    Completion.objects.create(
        enrollment=world.enrollment, page=world.module, completed_at=world.enrollment.enrolled_at
    )

    mine = login("delegate").get(reverse("lms_api:course-detail", args=[world.course.pk])).json()
    anonymous = (
        login("anonymous").get(reverse("lms_api:course-detail", args=[world.course.pk])).json()
    )

    assert [(i["title"], i["kind"], i["required"]) for i in mine["outline"]] == [
        ("Bài 1", "module", True),
        ("Bài 2", "module", True),
        ("Kiểm tra kiến thức", "quiz", True),
    ]
    assert [i["completed"] for i in mine["outline"]] == [True, False, False]
    assert mine["progress"] == {
        "completed": 1,
        "total": 3,
        "percent": 33,
        "is_complete": False,
        "next_item": mine["outline"][1]["id"],
    }
    assert mine["enrolment"]["cohort"]["id"] == world.cohort.pk
    assert anonymous["progress"] is None
    assert anonymous["enrolment"] is None
    assert {i["completed"] for i in anonymous["outline"]} == {None}


# Enrolment


def test_self_enrolment(world, login):
    response = post(login("other_delegate"), "lms_api:course-enrol", world.course.pk)

    assert response.status_code == 201
    assert response.json()["course"]["id"] == world.course.pk
    assert response.json()["method"] == "self"
    assert response.json()["progress"]["completed"] == 0


def test_a_code_only_course_refuses_self_enrolment(world, login):
    world.course.allow_self_enrolment = False
    world.course.save_revision().publish()

    response = post(login("other_delegate"), "lms_api:course-enrol", world.course.pk)

    assert response.status_code == 403
    assert response.json()["code"] == "self_enrolment_closed"
    assert not Enrollment.objects.filter(user=world.other_delegate, course=world.course).exists()


def test_joining_with_a_code_typed_loosely(world, login):
    code = world.cohort.enrolment_code
    typed = f"  {code[:4].lower()} {code[4:]} "

    response = post(login("other_delegate"), "lms_api:enrolment-join", body={"code": typed})

    assert response.status_code == 201
    assert response.json()["cohort"] == {"id": world.cohort.pk, "name": world.cohort.name}


@pytest.mark.parametrize(
    ("body", "code", "errors"),
    [
        ({"code": "KHONGCO1"}, "unknown_enrolment_code", None),
        ({}, "invalid_input", {"code"}),
        ({"code": ""}, "invalid_input", {"code"}),
        ({"code": None}, "invalid_input", {"code"}),
        ({"code": "X" * 65}, "invalid_input", {"code"}),
        ([], "invalid_input", {"non_field_errors"}),
    ],
)
def test_a_wrong_code_enrols_nobody(world, login, body, code, errors):
    before = Enrollment.objects.count()

    response = post(login("other_delegate"), "lms_api:enrolment-join", body=body)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert set(response.json().get("errors", {})) == (errors or set())
    assert Enrollment.objects.count() == before


def test_my_enrolments_are_mine_only_with_progress(world, login):
    listed = login("delegate").get(reverse("lms_api:enrolment-list")).json()

    assert ids(listed) == [world.enrollment.pk]
    assert listed["results"][0]["progress"]["total"] == 3


def test_my_enrolments_are_filtered(world, login):
    client = login("delegate")

    done = client.get(reverse("lms_api:enrolment-list"), {"completed": "true"}).json()
    doing = client.get(reverse("lms_api:enrolment-list"), {"completed": "false"}).json()
    bad = client.get(reverse("lms_api:enrolment-list"), {"course": "abc"})

    assert ids(done) == []
    assert ids(doing) == [world.enrollment.pk]
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_input"


def test_an_enrolment_shows_its_outline(world, login):
    detail = login("delegate").get(reverse("lms_api:enrolment-detail", args=[world.enrollment.pk]))

    assert [i["kind"] for i in detail.json()["outline"]] == ["module", "module", "quiz"]


# Completion


def test_completing_a_module_moves_progress_on(world, login):
    response = post(login("delegate"), "lms_api:item-complete", world.module.pk)

    assert response.status_code == 200
    assert response.json()["item"] == world.module.pk
    assert response.json()["enrolment"]["progress"]["completed"] == 1


def test_completing_a_page_that_is_not_a_course_item(world, login):
    response = post(login("delegate"), "lms_api:item-complete", world.course.pk)

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_course_item"


def test_completing_an_unpublished_item_is_not_found(world, login):
    world.module.unpublish()

    response = post(login("delegate"), "lms_api:item-complete", world.module.pk)

    assert response.status_code == 404
    assert not Completion.objects.filter(page=world.module).exists()


def test_a_quiz_cannot_be_marked_complete_by_hand(world, login):
    response = post(login("delegate"), "lms_api:item-complete", world.quiz.pk)

    assert response.status_code == 400


# Trainers and HR


def test_a_trainer_sees_their_cohorts_with_summaries(world, login):
    listed = login("trainer").get(reverse("lms_api:cohort-list")).json()

    assert ids(listed) == [world.cohort.pk]
    assert listed["results"][0]["delegate_count"] == 1
    assert listed["results"][0]["completed_count"] == 0


def test_hr_sees_every_cohort(world, login):
    listed = login("hr").get(reverse("lms_api:cohort-list")).json()
    by_course = login("hr").get(reverse("lms_api:cohort-list"), {"course": world.course.pk}).json()

    assert set(ids(listed)) == {world.cohort.pk, world.other_cohort.pk}
    assert ids(by_course) == [world.cohort.pk]


def test_a_cohorts_progress_lists_its_delegates(world, login):
    rows = login("trainer").get(reverse("lms_api:cohort-progress", args=[world.cohort.pk])).json()

    assert rows["count"] == 1
    row = rows["results"][0]
    assert row["full_name"] == "Nguyễn Văn An"
    assert row["email"] == "an@example.vn"
    assert row["status"] == "not_started"
    assert row["progress"]["total"] == 3


def test_a_cohorts_progress_is_filtered_by_status_and_province(world, login):
    client = login("trainer")
    url = reverse("lms_api:cohort-progress", args=[world.cohort.pk])
    elsewhere = Province.objects.exclude(pk=world.enrollment.province_id).first()

    started = client.get(url, {"status": "in_progress"}).json()
    not_started = client.get(url, {"status": "not_started"}).json()
    other_province = client.get(url, {"province": elsewhere.pk}).json()
    bad = client.get(url, {"status": "asleep"})

    assert started["count"] == 0
    assert not_started["count"] == 1
    assert other_province["count"] == 0
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_input")
    assert set(bad.json()["errors"]) == {"status"}


def test_a_trainer_sees_the_attempts_of_their_delegates_only(world, login):
    listed = login("trainer").get(reverse("lms_api:delegate-attempt-list")).json()

    assert set(ids(listed)) == {world.done_attempt.pk, world.open_attempt.pk}
    assert {row["email"] for row in listed["results"]} == {"an@example.vn"}


def test_delegate_attempts_are_filtered(world, login):
    client = login("hr")
    url = reverse("lms_api:delegate-attempt-list")

    by_quiz = client.get(url, {"quiz": world.other_quiz.pk}).json()
    by_cohort = client.get(url, {"cohort": world.cohort.pk, "state": "submitted"}).json()
    by_province = client.get(url, {"province": world.enrollment.province_id}).json()

    assert ids(by_quiz) == [world.other_attempt.pk]
    assert ids(by_cohort) == [world.done_attempt.pk]
    assert set(ids(by_province)) == {
        world.done_attempt.pk,
        world.open_attempt.pk,
        world.other_attempt.pk,
    }


def test_quiz_statistics_for_a_trainer(world, login):
    client = login("trainer")

    entries = client.get(reverse("lms_api:quiz-statistics-list")).json()
    report = client.get(reverse("lms_api:quiz-statistics-detail", args=[world.quiz.pk])).json()
    everything = client.get(
        reverse("lms_api:quiz-statistics-detail", args=[world.quiz.pk]),
        {"attempts": "all", "cohort": world.cohort.pk},
    )
    other_cohort = client.get(
        reverse("lms_api:quiz-statistics-detail", args=[world.quiz.pk]),
        {"cohort": world.other_cohort.pk},
    )

    assert ids(entries) == [world.quiz.pk]
    assert entries["results"][0]["attempts"] == 1
    assert report["summary"]["attempts"] == 1
    assert [q["number"] for q in report["questions"]] == [1, 2, 3]
    assert everything.status_code == 200
    assert other_cohort.status_code == 400
    assert set(other_cohort.json()["errors"]) == {"cohort"}
