"""The admin screens trainers use, rendered in Vietnamese, show none of the English strings
Wagtail and Django are known to leave untranslated, in the page or in its JavaScript
catalogues (StreamField's controls, the block picker, the rich-text placeholder...)."""

import json
import re
from datetime import timedelta

import polib
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.quizzes import factories as qf
from tests.test_translations import PYTHON_FORMAT, WAGTAIL_SUPPLEMENT

SCRIPT_SUPPLEMENT = WAGTAIL_SUPPLEMENT.with_name("djangojs.po")

pytestmark = pytest.mark.django_db

# Shown by Wagtail's scripts: each must have a Vietnamese translation in a catalogue the admin
# loads.
JAVASCRIPT_STRINGS = [
    "Collapse all",
    "Expand all",
    "Move up",
    "Move down",
    "Drag",
    "Duplicate",
    "Toggle section",
    "Search options…",
    "Write something or type ‘/’ to insert a block",
    "Insert a block",
    "Toggle sidebar",
    "Main menu",
    "Changes have been autosaved.",
    "Autosave in progress…",
    "This field is required.",
]

# Rendered by the server: none may appear on the screens below.
ENGLISH_IN_PAGES = [
    "Save draft",
    "Add child page",
    "Collapse all",
    "Toggle section",
    "Search options",
    ">Image<",
    "Choose a question",
    "Add questions from the bank",
    "Essays to grade",
    "Moderators approval",  # Wagtail's default workflow: "Submit to Moderators approval"
]
# Django's durations, as Wagtail shows them ("0 minutes trước", "3 days ago").
ENGLISH_DURATION = re.compile(r"\d+\s(?:minute|hour|day|week|month|year)s?\b")


def catalogue(client, url_name: str) -> dict:
    script = client.get(reverse(url_name)).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", script, re.DOTALL)
    return json.loads(found.group(1)) if found else {}


@pytest.fixture
def screens(db):
    course = factories.course(modules=1)
    module = course.get_children().first()
    question = qf.question("single")
    quiz = qf.quiz(course, questions=[question])
    # Edited three days ago: the listings say how long ago.
    type(module).objects.filter(pk=module.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(days=3)
    )
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        reverse("wagtailadmin_pages:edit", args=[quiz.pk]),
        reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk]),
        reverse("wagtailsnippets_quizzes_question:add"),
        reverse("wagtailsnippets_quizzes_question:list"),
        reverse("wagtailsnippets_quizzes_question:edit", args=[question.pk]),
        reverse("wagtailsnippets_quizzes_question:preview_question", args=[question.pk]),
        reverse("quizzes_add_questions", args=[quiz.pk]),
        reverse("quizzes_grading_queue"),
    ]


def test_wagtails_scripts_speak_vietnamese(admin_client):
    admin_client.get(reverse("wagtailadmin_home"))  # the admin user's language: the default, vi
    merged = {
        **catalogue(admin_client, "wagtailadmin_javascript_catalog"),
        **catalogue(admin_client, "lms_wagtail_vi_javascript_catalog"),
    }
    untranslated = [text for text in JAVASCRIPT_STRINGS if not merged.get(text)]
    assert untranslated == []


def test_every_admin_page_loads_the_supplements_script_catalogue(admin_client):
    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("lms_wagtail_vi_javascript_catalog") in page


def test_the_trainers_screens_show_no_known_english_string(admin_client, screens):
    found = {}
    for url in screens:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        english = [text for text in ENGLISH_IN_PAGES if text in html]
        english += ENGLISH_DURATION.findall(html)
        if "gravatar" in html.lower():  # no avatars from outside on an offline network
            english.append("gravatar")
        if english:
            found[url] = english
    assert found == {}


def test_how_long_ago_a_page_was_edited_reads_in_vietnamese(admin_client, screens):
    explorer = screens[1]
    html = admin_client.get(explorer).content.decode()
    assert "3\xa0ngày trước" in html


def test_the_page_editor_offers_the_default_workflow_by_its_vietnamese_name(admin_client, screens):
    editor = next(url for url in screens if url.endswith("/edit/"))
    html = admin_client.get(editor).content.decode()
    assert "Phê duyệt của người kiểm duyệt" in html


@pytest.mark.django_db(False)
def test_the_script_supplement_is_complete_compiled_and_keeps_placeholders():
    source = polib.pofile(str(SCRIPT_SUPPLEMENT))
    assert source.untranslated_entries() == [] and source.fuzzy_entries() == []
    for entry in source:
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            expected = sorted(PYTHON_FORMAT.findall(entry.msgid_plural or entry.msgid))
            assert sorted(PYTHON_FORMAT.findall(text)) == expected, entry.msgid
    compiled = {
        e.msgid: e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(SCRIPT_SUPPLEMENT.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == {e.msgid: e.msgstr or e.msgstr_plural for e in source}
