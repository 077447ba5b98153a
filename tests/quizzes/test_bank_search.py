"""Searching the question bank: the listing's search box and the chooser's find questions by
words of their name or text through the search backend, within the banks the user may see.

The same tests run on SQLite (the default test database) and on PostgreSQL (``DATABASE_URL``);
``test_the_search_runs_on_the_configured_database`` says which one a run covered."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

LISTING = "wagtailsnippets_quizzes_question:list"
CHOOSER = "wagtailsnippetchoosers_quizzes_question:choose_results"


@pytest.fixture
def bank(admin_world):
    """A question in each course's bank and one shared, all answering the search "lương"."""
    text = "<p>Mức lương cơ sở áp dụng từ ngày 1/7/2024 là bao nhiêu?</p>"
    return {
        "mine": qf.question(
            "single", category=admin_world.mine.category, name="Lương cơ sở", text=text
        ),
        "theirs": qf.question(
            "single", category=admin_world.theirs.category, name="Lương của họ", text=text
        ),
        "shared": qf.question(
            "single", category=admin_world.shared_category, name="Lương dùng chung", text=text
        ),
        "by_text": qf.question(
            "essay",
            category=admin_world.mine.category,
            name="Câu tự luận",
            text="<p>Trình bày quy trình <b>tiếp công dân</b> tại cơ quan.</p>",
        ),
    }


def names(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_search_runs_on_the_configured_database():
    assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.parametrize("url_name", [LISTING, CHOOSER])
def test_a_trainer_finds_their_and_shared_questions_only(bank, client_as, url_name):
    page = names(client_as("trainer").get(reverse(url_name), {"q": "lương"}))

    assert "Lương cơ sở" in page
    assert "Lương dùng chung" in page
    assert "Lương của họ" not in page
    assert "Câu tự luận" not in page


@pytest.mark.parametrize("url_name", [LISTING, CHOOSER])
def test_an_administrator_finds_every_bank(bank, client_as, url_name):
    page = names(client_as("admin").get(reverse(url_name), {"q": "lương"}))

    assert "Lương cơ sở" in page
    assert "Lương của họ" in page


@pytest.mark.parametrize("url_name", [LISTING, CHOOSER])
def test_a_word_of_the_question_text_finds_it(bank, client_as, url_name):
    page = names(client_as("trainer").get(reverse(url_name), {"q": "tiếp công dân"}))

    assert "Câu tự luận" in page
    assert "Lương cơ sở" not in page


def test_the_start_of_a_word_finds_it_as_the_trainer_types(bank, client_as):
    page = names(client_as("trainer").get(reverse(LISTING), {"q": "lươ"}))

    assert "Lương cơ sở" in page


def test_search_combines_with_the_type_and_category_filters(bank, admin_world, client_as):
    trainer = client_as("trainer")
    category = admin_world.mine.category.pk

    essays = names(trainer.get(reverse(LISTING), {"q": "công dân", "type": "essay"}))
    singles = names(trainer.get(reverse(LISTING), {"q": "lương", "category": category}))

    assert "Câu tự luận" in essays
    assert "Lương cơ sở" in singles
    assert "Lương dùng chung" not in singles


def test_a_search_that_finds_nothing_says_so(bank, client_as):
    response = client_as("trainer").get(reverse(LISTING), {"q": "khôngcótừnày"})

    assert response.status_code == 200
    assert "Lương" not in response.content.decode()
