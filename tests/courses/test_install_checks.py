"""The system checks a host's `manage.py check` runs for the LMS: each problem the README's
install steps avoid is named, with the fix."""

from django.conf import settings
from django.test import override_settings

from courses import checks


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_this_project_is_set_up_as_the_readme_says():
    assert checks.check_installed_apps() == []
    assert checks.check_base_template() == []
    assert checks.check_urls() == []


def test_lms_apps_after_wagtail_or_django_are_named():
    installed = ["home", "wagtail.admin", "wagtail", "courses", "quizzes", "django.contrib.auth"]

    assert checks.listed_too_late(installed) == (["courses", "quizzes"], "wagtail.admin")
    assert checks.listed_too_late(["courses", "courses.wagtail_vi", "wagtail"]) == ([], "wagtail")
    assert checks.listed_too_late(["courses", "wagtail", "courses.wagtail_vi"]) == (
        ["courses.wagtail_vi"],
        "wagtail",
    )


def test_the_order_of_this_project_passes():
    assert checks.listed_too_late(list(settings.INSTALLED_APPS))[0] == []


@override_settings(LMS={"BASE_TEMPLATES": "base.html"})
def test_a_misspelt_lms_setting_is_named():
    warnings = checks.check_installed_apps()

    assert ids(warnings) == ["courses.W011"]
    assert "BASE_TEMPLATES" in warnings[0].msg


@override_settings(LMS={"BASE_TEMPLATE": "no/such/base.html"})
def test_a_base_template_that_does_not_exist_is_an_error():
    assert ids(checks.check_base_template()) == ["courses.E011"]


def test_a_host_base_template_needs_the_context_processor():
    without = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    name
                    for name in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
                    if name != checks.CONTEXT_PROCESSOR
                ],
            },
        }
    ]
    with override_settings(LMS={"BASE_TEMPLATE": "courses/base.html"}, TEMPLATES=without):
        assert checks.check_base_template() == []  # the LMS's own layout needs nothing
    with override_settings(LMS={"BASE_TEMPLATE": "courses/page.html"}, TEMPLATES=without):
        assert ids(checks.check_base_template()) == ["courses.E012"]
    with override_settings(LMS={"BASE_TEMPLATE": "courses/page.html"}):
        assert checks.check_base_template() == []


@override_settings(ROOT_URLCONF="tests.courses.urls_without_lms")
def test_a_urlconf_without_the_lms_include_is_an_error():
    errors = checks.check_urls()

    assert ids(errors) == ["courses.E013"]
    assert "include('courses.urls')" in errors[0].hint
