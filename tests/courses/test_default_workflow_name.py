"""Wagtail's default workflow, "Moderators approval", is named in the site's language by
courses' migration 0008 (trainers see it on every page: "Submit to …"), unless renamed."""

import importlib

import pytest
from django.apps import apps
from wagtail.models import Task, Workflow

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "courses.migrations.0008_name_the_default_workflow_in_the_site_language"
)
VIETNAMESE_NAME = "Phê duyệt của người kiểm duyệt"


def test_wagtails_default_workflow_and_task_have_the_vietnamese_name():
    """The test database was migrated with LANGUAGE_CODE = "vi"."""
    assert Workflow.objects.filter(name=VIETNAMESE_NAME).exists()
    assert Task.objects.filter(name=VIETNAMESE_NAME).exists()
    assert not Workflow.objects.filter(name=migration.WAGTAIL_NAME).exists()


def test_a_workflow_an_administrator_named_is_left_alone():
    named = Workflow.objects.create(name="Duyệt bài của Ban biên tập")
    english = Workflow.objects.create(name=migration.WAGTAIL_NAME)
    migration.name_in_the_site_language(apps, None)
    named.refresh_from_db()
    english.refresh_from_db()
    assert (named.name, english.name) == ("Duyệt bài của Ban biên tập", VIETNAMESE_NAME)


def test_an_english_site_keeps_wagtails_name(settings):
    settings.LANGUAGE_CODE = "en"
    workflow = Workflow.objects.create(name=migration.WAGTAIL_NAME)
    migration.name_in_the_site_language(apps, None)
    workflow.refresh_from_db()
    assert workflow.name == migration.WAGTAIL_NAME


def test_reversing_gives_back_wagtails_name():
    migration.back_to_wagtails_name(apps, None)
    assert Workflow.objects.filter(name=migration.WAGTAIL_NAME).exists()
    assert not Task.objects.filter(name=VIETNAMESE_NAME).exists()
