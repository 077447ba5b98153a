"""Vietnamese is the default language: every message of ours is translated, and the catalogues
are up to date with the code (a string added without a translation fails here)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE_DIRS = ["courses", "quizzes", "certificates", "fixtures", "lms"]
PYTHON_FORMAT = re.compile(r"%\((\w+)\)[sd]|%[sd]")
BRACE_FORMAT = re.compile(r"\{(\w+)[^{}]*\}")


def catalogue(app: str) -> Path:
    return ROOT / app / "locale" / "vi" / "LC_MESSAGES" / "django.po"


WAGTAIL_SUPPLEMENT = ROOT / "courses" / "wagtail_vi" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def entries():
    for app in CATALOGUE_DIRS:
        for entry in polib.pofile(str(catalogue(app))):
            if not entry.obsolete:
                yield app, entry


@pytest.mark.parametrize("app", CATALOGUE_DIRS)
def test_every_message_has_a_vietnamese_translation(app):
    po = polib.pofile(str(catalogue(app)))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert missing == [], f"untranslated in {app}: {missing[:10]}"
    assert fuzzy == [], f"fuzzy in {app}: {fuzzy[:10]}"


def test_a_message_shared_by_two_apps_is_translated_alike():
    """Django merges every app's catalogue into one: a msgid translated two ways gets one of them
    everywhere. Words that differ by meaning need a context (pgettext)."""
    translations: dict[tuple, dict[str, str]] = {}
    for app, entry in entries():
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        text = entry.msgstr or repr(sorted(entry.msgstr_plural.items()))
        translations.setdefault(key, {})[app] = text
    ambiguous = {
        key[1]: by_app for key, by_app in translations.items() if len(set(by_app.values())) > 1
    }
    assert ambiguous == {}


def test_translations_keep_their_placeholders():
    wrong = []
    for app, entry in entries():
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, translation in pairs:
            for pattern in (PYTHON_FORMAT, BRACE_FORMAT):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(translation)):
                    wrong.append((app, source, translation))
    assert wrong == []


def compiled(po_path: Path) -> Path:
    return po_path.with_suffix(".mo")


@pytest.mark.parametrize(
    "po_path",
    [catalogue(app) for app in CATALOGUE_DIRS] + [WAGTAIL_SUPPLEMENT],
    ids=[*CATALOGUE_DIRS, "courses.wagtail_vi"],
)
def test_the_committed_compiled_catalogue_matches_its_source(po_path):
    """The .mo files are committed (a clean checkout builds the same wheel): recompile with
    `make messages` after changing a .po file."""

    def messages(entries) -> dict:
        return {
            (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in entries
            if e.msgid  # not the header
        }

    source = polib.pofile(str(po_path))
    assert messages(polib.mofile(str(compiled(po_path)))) == messages(source.translated_entries())


def test_catalogues_are_up_to_date_with_the_code(tmp_path):
    """Run makemessages on a copy of the code; it must find no message we have not got."""
    for name in [*CATALOGUE_DIRS, "manage.py"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "lms.settings.test",
            "PYTHONPATH": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        },
    )
    for app in CATALOGUE_DIRS:
        fresh = {
            e.msgid for e in polib.pofile(str(tmp_path / app / "locale/vi/LC_MESSAGES/django.po"))
        }
        ours = {e.msgid for e in polib.pofile(str(catalogue(app))) if not e.obsolete}
        assert sorted(fresh - ours) == [], f"{app}: run makemessages and translate"
