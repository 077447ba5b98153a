"""Wagtail's admin in Vietnamese: ``courses.wagtail_vi`` translates what Wagtail's own Vietnamese
catalogue (and Django's, for the few Django messages the admin shows) leaves in English, and
nothing else, without the host's ``LOCALE_PATHS``."""

import glob
from datetime import timedelta
from pathlib import Path

import django
import polib
import pytest
import wagtail
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

from tests import factories
from tests.test_translations import (
    BRACE_FORMAT,
    CATALOGUE_DIRS,
    PYTHON_FORMAT,
    WAGTAIL_SUPPLEMENT,
    catalogue,
)

OURS = WAGTAIL_SUPPLEMENT
WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent


def keys(path) -> set[tuple]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def wagtail_catalogues(language: str) -> list[str]:
    return glob.glob(
        str(WAGTAIL / "**" / "locale" / language / "LC_MESSAGES" / "django.po"), recursive=True
    )


def django_catalogue(language: str) -> str:
    """Django's own messages (``django/conf/locale``), some of which the admin shows."""
    return str(DJANGO / "conf" / "locale" / language / "LC_MESSAGES" / "django.po")


def translated(path: str) -> set[tuple]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(path) if e.translated() and not e.obsolete}


@pytest.fixture(scope="module")
def entries():
    return [e for e in polib.pofile(str(OURS)) if not e.obsolete]


def test_every_message_is_translated_with_its_placeholders(entries):
    wrong = []
    for entry in entries:
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        source = entry.msgid_plural or entry.msgid
        for text in texts:
            if not text.strip() and source.strip():
                wrong.append((entry.msgid, "untranslated"))
            for pattern in (PYTHON_FORMAT, BRACE_FORMAT):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                    wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.skipif(
    wagtail.VERSION < (8,), reason="the supplement follows the newest Wagtail; 7.4 lacks some"
)
def test_it_only_translates_messages_wagtail_has(entries):
    """After a Wagtail upgrade: drop what Wagtail no longer has."""
    wagtail_messages = set().union(*(keys(path) for path in wagtail_catalogues("en")))
    wagtail_messages |= keys(django_catalogue("en"))
    ours = {(e.msgctxt, e.msgid) for e in entries}
    assert sorted(ours - wagtail_messages, key=str) == []


def test_it_only_translates_what_wagtail_leaves_in_english(entries):
    """After a Wagtail upgrade: drop what Wagtail now translates itself. A message of Django's
    alone is there only while Django's Vietnamese catalogue leaves it in English (the supplement
    also words some Wagtail messages that Django translates otherwise, such as "Clear")."""
    translated_by_wagtail = set().union(*(translated(path) for path in wagtail_catalogues("vi")))
    wagtail_messages = set().union(*(keys(path) for path in wagtail_catalogues("en")))
    translated_by_wagtail |= translated(django_catalogue("vi")) - wagtail_messages
    ours = {(e.msgctxt, e.msgid) for e in entries}
    assert sorted(ours & translated_by_wagtail, key=str) == []


def test_it_never_overrides_a_message_of_our_apps(entries):
    """One catalogue for all apps: an overlap would change our own wording somewhere."""
    apps = set().union(*(keys(catalogue(app)) for app in CATALOGUE_DIRS))
    assert sorted({(e.msgctxt, e.msgid) for e in entries} & apps, key=str) == []


def test_a_trainer_edits_a_page_in_vietnamese_without_locale_paths(admin_client, settings):
    settings.LOCALE_PATHS = []
    course = factories.course(modules=1)
    module = course.get_children().first()

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()

    assert "Save draft" not in html


@pytest.mark.parametrize(
    ("minutes_ago", "expected"),
    [(0, "vừa xong"), (5, "5\xa0phút trước"), (60 * 26, "1\xa0ngày trước")],
)
def test_how_long_ago_reads_in_vietnamese(minutes_ago, expected):
    """Django's Vietnamese catalogue has its durations under their former msgids ("%d minute"),
    so Wagtail's "… ago" read "0 minutes trước"."""
    with translation.override("vi"):
        assert timesince_simple(timezone.now() - timedelta(minutes=minutes_ago)) == expected
