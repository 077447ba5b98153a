"""Who sees what: delegates' own records, trainers' course rights, the role groups."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses import services
from courses.conf import lms_settings
from courses.models import CourseTrainerGroup
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it: permission caches live on the instance."""
    return type(user).objects.get(pk=user.pk)


def can_edit(user, page) -> bool:
    return page.specific.permissions_for_user(fresh(user)).can_edit()


# Delegates


def test_a_delegates_dashboard_never_shows_another_delegates_enrolments(
    delegate_client, delegate_user
):
    mine = factories.course(modules=1, title="Khóa của tôi")
    theirs = factories.course(modules=1, title="Khóa của người khác")
    factories.EnrollmentFactory(user=delegate_user, course=mine)
    other = factories.delegate()
    factories.EnrollmentFactory(user=other, course=theirs)
    factories.EnrollmentFactory(user=other, course=mine)

    response = delegate_client.get(reverse("courses:dashboard"))

    html = response.content.decode()
    assert "Khóa của tôi" in html
    assert "Khóa của người khác" not in html
    assert [e.enrollment.user_id for e in response.context["entries"]] == [delegate_user.pk]


@pytest.mark.parametrize(
    "name",
    ["courses:dashboard", "courses:profile", "courses:enrol_code", "courses:password_change"],
)
def test_delegate_pages_require_sign_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('courses:login')}?next={url}"


def test_the_learning_area_root_requires_sign_in(client):
    response = client.get("/learn/")

    assert response.status_code == 302
    assert response["Location"] == "/learn/login/?next=/learn/"


def test_a_delegate_cannot_edit_course_pages(delegate_user):
    course = factories.course(modules=1)

    assert not can_edit(delegate_user, course)
    assert not can_edit(delegate_user, course.get_children().get())


# Trainers


@pytest.fixture
def trainer():
    return factories.UserFactory(email="tran.huan@example.vn")


def test_a_cohort_trainer_can_edit_the_course_after_syncing(trainer):
    cohort = factories.CohortFactory(course=factories.course(modules=2))
    other_course = factories.course(modules=1)
    cohort.trainers.add(trainer)

    services.sync_course_trainers(course=cohort.course)

    assert can_edit(trainer, cohort.course)
    for module in cohort.course.get_children():
        assert can_edit(trainer, module)
    assert not can_edit(trainer, other_course)
    assert not can_edit(trainer, other_course.get_children().get())
    assert fresh(trainer).groups.filter(name=lms_settings.TRAINERS_GROUP).exists()


def test_a_trainer_reads_modules_of_their_course_without_enrolling(client, trainer):
    cohort = factories.CohortFactory(course=factories.course(modules=1))
    cohort.trainers.add(trainer)
    services.sync_course_trainers(course=cohort.course)
    client.force_login(trainer)

    response = client.get(cohort.course.get_children().get().url)

    assert response.status_code == 200


def test_removing_a_trainer_from_the_cohort_and_syncing_revokes_their_rights(trainer):
    cohort = factories.CohortFactory(course=factories.course(modules=1))
    cohort.trainers.add(trainer)
    services.sync_course_trainers(course=cohort.course)

    cohort.trainers.remove(trainer)
    services.sync_course_trainers(course=cohort.course)

    assert not can_edit(trainer, cohort.course)
    assert not can_edit(trainer, cohort.course.get_children().get())


def test_a_trainer_of_any_cohort_of_the_course_keeps_their_rights(trainer):
    course = factories.course()
    first = factories.CohortFactory(course=course)
    second = factories.CohortFactory(course=course)
    first.trainers.add(trainer)
    second.trainers.add(trainer)
    services.sync_course_trainers(course=course)

    first.trainers.remove(trainer)
    services.sync_course_trainers(course=course)

    assert can_edit(trainer, course)


def test_syncing_twice_reuses_one_trainer_group_per_course(trainer):
    cohort = factories.CohortFactory()
    cohort.trainers.add(trainer)

    group = services.sync_course_trainers(course=cohort.course)
    again = services.sync_course_trainers(course=cohort.course)

    assert again == group
    assert CourseTrainerGroup.objects.filter(course=cohort.course).count() == 1
    assert list(group.user_set.all()) == [trainer]


def test_trainer_groups_of_courses_with_the_same_code_prefix_get_distinct_names():
    first = services.sync_course_trainers(course=factories.course(code="TTĐN"))
    second = services.sync_course_trainers(course=factories.course(code="TTĐN2"))

    assert first.name != second.name


# Role groups


def test_the_role_groups_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))

    assert {
        lms_settings.TRAINERS_GROUP,
        lms_settings.HR_GROUP,
        lms_settings.DELEGATES_GROUP,
    } <= names


def test_hr_may_follow_every_cohort_and_trainers_may_not():
    hr = Group.objects.get(name=lms_settings.HR_GROUP)
    trainers = Group.objects.get(name=lms_settings.TRAINERS_GROUP)

    assert hr.permissions.filter(
        content_type__app_label="courses", codename="view_all_progress"
    ).exists()
    assert not trainers.permissions.filter(codename="view_all_progress").exists()

    hr_officer = factories.UserFactory()
    hr_officer.groups.add(hr)
    trainer = factories.UserFactory()
    trainer.groups.add(trainers)
    assert fresh(hr_officer).has_perm("courses.view_all_progress")
    assert not fresh(trainer).has_perm("courses.view_all_progress")


def test_both_staff_roles_may_enter_the_admin_and_delegates_may_not():
    for name in (lms_settings.TRAINERS_GROUP, lms_settings.HR_GROUP):
        assert Group.objects.get(name=name).permissions.filter(codename="access_admin").exists()
    assert not Group.objects.get(name=lms_settings.DELEGATES_GROUP).permissions.exists()


def test_ensure_role_groups_is_safe_to_run_again():
    before = {
        group.name: set(group.permissions.values_list("pk", flat=True))
        for group in Group.objects.all()
    }

    services.ensure_role_groups()

    after = {
        group.name: set(group.permissions.values_list("pk", flat=True))
        for group in Group.objects.all()
    }
    assert after == before
