"""Wagtail's admin in Vietnamese: ``lms/wagtail_locale`` translates what Wagtail's own Vietnamese
catalogue leaves in English, and nothing else."""

import glob
from pathlib import Path

import polib
import pytest
import wagtail
from django.urls import reverse

from tests import factories
from tests.test_translations import BRACE_FORMAT, CATALOGUE_DIRS, PYTHON_FORMAT, ROOT, catalogue

OURS = ROOT / "lms" / "wagtail_locale" / "vi" / "LC_MESSAGES" / "django.po"
WAGTAIL = Path(wagtail.__file__).parent


def keys(path) -> set[tuple]:
    return {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}


def wagtail_catalogues(language: str) -> list[str]:
    return glob.glob(
        str(WAGTAIL / "**" / "locale" / language / "LC_MESSAGES" / "django.po"), recursive=True
    )


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


def test_it_only_translates_what_wagtail_leaves_in_english(entries):
    """After a Wagtail upgrade: drop what Wagtail now translates itself or no longer has."""
    wagtail_messages = set().union(*(keys(path) for path in wagtail_catalogues("en")))
    translated_by_wagtail = {
        (e.msgctxt, e.msgid)
        for path in wagtail_catalogues("vi")
        for e in polib.pofile(path)
        if e.translated() and not e.obsolete
    }
    ours = {(e.msgctxt, e.msgid) for e in entries}
    assert sorted(ours - wagtail_messages, key=str) == []
    assert sorted(ours & translated_by_wagtail, key=str) == []


def test_it_never_overrides_a_message_of_our_apps(entries):
    """LOCALE_PATHS outrank every app's catalogue: an overlap would change our own wording."""
    apps = set().union(*(keys(catalogue(app)) for app in CATALOGUE_DIRS))
    assert sorted({(e.msgctxt, e.msgid) for e in entries} & apps, key=str) == []


def test_a_trainer_edits_a_page_in_vietnamese(admin_client):
    course = factories.course(modules=1)
    module = course.get_children().first()

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[module.pk])).content.decode()

    assert "Save draft" not in html
