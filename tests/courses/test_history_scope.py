"""Wagtail's site-wide reports (site history, page types usage) name the objects of every course:
trainers may not read them (each of their objects keeps its own, scoped, history); HR and
administrators may."""

import pytest
from django.core import checks
from django.urls import reverse
from wagtail.log_actions import log

pytestmark = pytest.mark.django_db

SITE_WIDE_REPORTS = (
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
)


@pytest.fixture
def history(admin_world):
    for world in (admin_world.mine, admin_world.theirs):
        log(world.cohort, "wagtail.edit", user=admin_world.admin)
        log(world.category, "wagtail.edit", user=world.trainer)
        log(world.question, "wagtail.edit", user=world.trainer)
        log(world.template, "wagtail.edit", user=world.trainer)
    return admin_world


@pytest.mark.parametrize("name", SITE_WIDE_REPORTS)
def test_a_trainer_cannot_read_a_site_wide_report(history, client_as, name):
    response = client_as("trainer").get(reverse(name))

    assert response.status_code == 403
    page = response.content.decode()
    theirs = history.theirs
    for text in (
        theirs.cohort.name,
        theirs.question.name,
        theirs.course.title,
        theirs.trainer.get_full_name(),
    ):
        assert text not in page


def test_the_reports_menu_leaves_the_site_wide_reports_out_for_trainers(history, rf):
    from wagtail.admin.menu import reports_menu

    def names(user) -> set[str]:
        request = rf.get("/admin/")
        request.user = user
        return {item.name for item in reports_menu.menu_items_for_request(request)}

    assert not {"site-history", "page-types-usage"} & names(history.mine.trainer)
    assert {"site-history", "page-types-usage"} <= names(history.admin)


def test_a_trainer_reads_the_history_of_their_own_cohort(history, client_as):
    mine = reverse("cohorts:history", args=[history.mine.cohort.pk])
    theirs = reverse("cohorts:history", args=[history.theirs.cohort.pk])

    # Trainers may not change cohorts, so Wagtail's history (for editors) stays closed to them;
    # another course's cohort is not there at all.
    assert client_as("trainer").get(theirs).status_code == 404
    assert client_as("admin").get(mine).status_code == 200


@pytest.mark.parametrize("role", ["hr", "admin"])
def test_hr_and_administrators_read_the_site_history(history, client_as, role):
    page = client_as(role).get(reverse("wagtailadmin_reports:site_history")).content.decode()

    for world in (history.mine, history.theirs):
        assert world.cohort.name in page
        assert world.template.name in page


def test_administrators_read_the_page_types_usage(history, client_as):
    theirs = history.theirs.course
    theirs.save_revision(user=history.theirs.trainer)  # the course is its type's last edit

    page = client_as("admin").get(reverse("wagtailadmin_reports:page_types_usage"))

    assert page.status_code == 200
    assert theirs.title in page.content.decode()


def test_a_site_without_the_middleware_fails_its_checks(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "SiteHistoryScope" not in m]

    errors = checks.run_checks(tags=[checks.Tags.security])

    assert "courses.E006" in {error.id for error in errors}
