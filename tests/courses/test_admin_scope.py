"""One access rule per object in the courses admin: a trainer reaches the cohorts and enrolments
of the cohorts they train, through every view (listing, inspect, export, filters); anything else
is a 404. HR and administrators reach every one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# Found: any trainer read any delegate's enrolment, and any cohort with its enrolment code.


def test_a_trainer_cannot_inspect_another_courses_enrolment(admin_world, client_as):
    theirs = admin_world.theirs.enrollment

    response = client_as("trainer").get(reverse("enrollments:inspect", args=[theirs.pk]))

    assert response.status_code == 404
    assert theirs.user.email not in html(response)


def test_a_trainer_inspects_an_enrolment_of_their_cohort(admin_world, client_as):
    mine = admin_world.mine.enrollment

    response = client_as("trainer").get(reverse("enrollments:inspect", args=[mine.pk]))

    assert response.status_code == 200
    assert mine.user.email in html(response)


def test_a_trainer_cannot_inspect_another_courses_cohort_or_its_code(admin_world, client_as):
    theirs = admin_world.theirs.cohort

    response = client_as("trainer").get(reverse("cohorts:inspect", args=[theirs.pk]))

    assert response.status_code == 404
    assert theirs.enrolment_code not in html(response)


def test_a_trainer_inspects_their_cohort(admin_world, client_as):
    mine = admin_world.mine.cohort

    response = client_as("trainer").get(reverse("cohorts:inspect", args=[mine.pk]))

    assert response.status_code == 200
    assert mine.enrolment_code in html(response)


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_administrators_inspect_every_enrolment_and_cohort(admin_world, client_as, role):
    client = client_as(role)
    for world in (admin_world.mine, admin_world.theirs):
        assert (
            client.get(reverse("enrollments:inspect", args=[world.enrollment.pk])).status_code
            == 200
        )
        assert client.get(reverse("cohorts:inspect", args=[world.cohort.pk])).status_code == 200


@pytest.mark.parametrize(
    "name", ["cohorts:edit", "cohorts:delete", "cohorts:history", "cohorts:usage"]
)
def test_another_courses_cohort_is_a_404_on_every_view(admin_world, client_as, name):
    response = client_as("trainer").get(reverse(name, args=[admin_world.theirs.cohort.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["enrollments:history", "enrollments:usage"])
def test_another_courses_enrolment_is_a_404_on_every_view(admin_world, client_as, name):
    response = client_as("trainer").get(reverse(name, args=[admin_world.theirs.enrollment.pk]))

    assert response.status_code == 404


# Listings, exports and their filters name nothing of another course.


@pytest.mark.parametrize("name", ["cohorts:index", "enrollments:index", "attempts:index"])
def test_listings_and_their_filters_name_nothing_of_another_course(admin_world, client_as, name):
    theirs = admin_world.theirs

    response = client_as("trainer").get(reverse(name))

    assert response.status_code == 200
    page = html(response)
    assert admin_world.mine.cohort.name in page or admin_world.mine.quiz.title in page
    for text in (theirs.cohort.name, theirs.quiz.title, theirs.delegate.email):
        assert text not in page


@pytest.mark.parametrize("name", ["cohorts:index", "enrollments:index", "attempts:index"])
def test_exports_hold_only_the_trainers_own_course(admin_world, client_as, name):
    response = client_as("trainer").get(reverse(name), {"export": "csv"})

    content = response.getvalue().decode("utf-8-sig")
    assert admin_world.theirs.cohort.name not in content
    assert admin_world.theirs.delegate.email not in content


def test_the_other_courses_cohort_filter_value_is_refused(admin_world, client_as):
    """A hand-written filter value names a cohort outside the choices: the filter is refused
    (and the listing stays the trainer's own)."""
    response = client_as("trainer").get(
        reverse("enrollments:index"), {"cohort": admin_world.theirs.cohort.pk}
    )

    assert admin_world.theirs.delegate.email not in html(response)
    assert "cohort" in response.context["filters"].form.errors
    assert {e.cohort_id for e in response.context["object_list"]} == {admin_world.mine.cohort.pk}


# Wagtail's page chooser


def test_the_page_chooser_hides_another_courses_drafts(admin_world, client_as):
    from courses.models import ModulePage
    from tests import factories

    theirs = admin_world.theirs.course
    draft = factories.add_page(
        theirs, ModulePage(title="Bản nháp QCN", slug="ban-nhap", live=False)
    )
    mine = factories.add_page(
        admin_world.mine.course, ModulePage(title="Bản nháp TTDN", slug="ban-nhap", live=False)
    )

    other = client_as("trainer").get(reverse("wagtailadmin_choose_page_child", args=[theirs.pk]))
    own = client_as("trainer").get(
        reverse("wagtailadmin_choose_page_child", args=[admin_world.mine.course.pk])
    )
    hr = client_as("hr").get(reverse("wagtailadmin_choose_page_child", args=[theirs.pk]))

    assert draft.title not in other.json()["html"]
    assert admin_world.theirs.module.title in other.json()["html"]  # live: may be linked to
    assert mine.title in own.json()["html"]
    assert draft.title in hr.json()["html"]


@pytest.mark.parametrize(
    "chooser",
    [
        "wagtailsnippetchoosers_quizzes_question",
        "wagtailsnippetchoosers_quizzes_questioncategory",
        "wagtailsnippetchoosers_certificates_certificatetemplate",
    ],
)
def test_a_snippet_chooser_without_a_creation_form_has_no_create_url(
    admin_world, client_as, chooser
):
    """Found: posting to a chooser's "create" URL answered 500 (Wagtail routes it even when the
    chooser offers no creation form); now it is a 404 and nothing is created."""
    from quizzes.models import Question, QuestionCategory

    before = (Question.objects.count(), QuestionCategory.objects.count())

    response = client_as("admin").post(reverse(f"{chooser}:create"), {"name": "Mới"})

    assert response.status_code == 404
    assert (Question.objects.count(), QuestionCategory.objects.count()) == before
