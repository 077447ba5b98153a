"""Wagtail's migrations name the default workflow and its task "Moderators approval" in English
whatever the site's language, and trainers see it on every page they edit ("Submit to
Moderators approval"). Name both in the site's language (``LANGUAGE_CODE``), only while they
still have Wagtail's name: a workflow or task an administrator has named is left alone."""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

WAGTAIL_NAME = "Moderators approval"


def translated_name() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Moderators approval")


def rename(apps, old: str, new: str) -> None:
    if old == new:
        return
    for model in ("Workflow", "Task"):
        apps.get_model("wagtailcore", model).objects.filter(name=old).update(name=new)


def name_in_the_site_language(apps, schema_editor):
    rename(apps, WAGTAIL_NAME, translated_name())


def back_to_wagtails_name(apps, schema_editor):
    rename(apps, translated_name(), WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_enrollment_restarted_at"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(name_in_the_site_language, back_to_wagtails_name)]
