"""Moodle's own files through the database: a GIFT file in every documented construct imports
into the bank, exports and imports again unchanged, and its wildcard and distractor questions
play for a delegate as Moodle plays them."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from quizzes import importing
from quizzes.models import Attempt, Question
from quizzes.services.versions import snapshot_of
from tests import factories
from tests.quizzes import factories as qf

pytestmark = pytest.mark.django_db

DOCUMENTED = (Path(__file__).parent / "examples" / "documented.gift.txt").read_bytes()


@pytest.fixture
def imported():
    category = qf.CategoryFactory(name="Nhập từ Moodle")
    outcome = importing.import_questions(
        data=DOCUMENTED, fmt="gift", category=category, user=None, use_file_categories=False
    )
    return {question.name: question for question in outcome.questions}


def test_the_documented_file_imports_every_question(imported):
    assert len(imported) == 22
    matching = Question.objects.get(pk=imported["Ghép đôi"].pk)
    assert [(c.text, c.match) for c in matching.choices.all()][-2:] == [
        ("", "ít nhất 1 ngày mỗi năm"),
        ("", "không bắt buộc"),
    ]
    assert Question.objects.get(pk=imported["Cơ quan"].pk).wildcards


def test_only_wildcard_questions_carry_the_option_in_their_versions(imported):
    """Versions of questions without wildcards stay as they were before the option existed,
    so their fingerprints do not change and no new version is made for them."""
    assert snapshot_of(imported["Cơ quan"])["wildcards"] is True
    assert "wildcards" not in snapshot_of(imported["Ngày tiếp công dân"])


def test_export_then_import_through_the_bank_gives_the_same_questions(imported):
    originals = list(Question.objects.filter(pk__in=[q.pk for q in imported.values()]))
    exported = importing.export_questions(
        importing.questions_to_export(ids=[q.pk for q in originals]), "gift"
    )
    again = importing.import_questions(
        data=exported.content,
        fmt="gift",
        category=qf.CategoryFactory(name="Nhập lại"),
        use_file_categories=False,
    )

    def comparable(question):
        data = snapshot_of(question)
        for choice in data["choices"]:
            choice.pop("id")
        return data

    before = sorted((comparable(q) for q in originals), key=lambda d: d["name"])
    reread = Question.objects.filter(pk__in=[q.pk for q in again.questions])
    after = sorted((comparable(q) for q in reread), key=lambda d: d["name"])
    assert after == before


def test_a_delegate_plays_the_wildcard_and_distractor_questions_as_in_moodle(client, imported):
    matching, short = imported["Ghép đôi"], imported["Cơ quan"]
    course = factories.course(modules=1)
    quiz = qf.quiz(course, questions=[matching, short], questions_per_page=2)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    client.post(reverse("quizzes:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)

    page = client.get(reverse("quizzes:attempt", args=[attempt.pk])).content.decode()

    assert page.count('class="matching__row"') == 3  # the items, not the distractors
    assert "không bắt buộc" in page and "ít nhất 1 ngày mỗi năm" in page
    items = [c for c in matching.choices.all() if c.text]
    answers = {f"q0-{c.pk}": c.match for c in items[:2]}
    answers[f"q0-{items[2].pk}"] = "không bắt buộc"  # a distractor: wrong
    answers["q1"] = "thanh tra tỉnh Phú Thọ"  # "Thanh tra*": 25 %
    client.post(reverse("quizzes:save", args=[attempt.pk]), {**answers, "goto": "summary"})
    client.post(reverse("quizzes:submit", args=[attempt.pk]))

    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED
    assert attempt.score == Decimal("0.92")  # 2 of 3 pairs (2/3 mark) and a quarter mark


@pytest.mark.urls("tests.quizzes.importing_urls")
def test_the_import_preview_shows_distractors_and_the_skipped_description(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    category = qf.CategoryFactory(name="Xem trước")
    response = client.post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile("moodle.gift.txt", DOCUMENTED),
            "format": "gift",
            "category": category.pk,
        },
    )
    assert response.status_code == 302

    with translation.override("en"):
        page = " ".join(client.get(response["Location"]).content.decode().split())

    assert "22 questions read from moodle.gift.txt" in page
    assert page.count("(extra wrong option)") == 2
    assert "→ không bắt buộc" in page
    assert "Moodle reads it as a description" in page
    assert not Question.objects.filter(category=category).exists()


@pytest.mark.urls("tests.quizzes.importing_urls")
def test_the_skipped_description_is_explained_in_vietnamese_at_its_line(client, admin_user):
    """Moodle imports text without braces as a "description" item; the bank has no such type,
    so the preview says, in the trainer's language, that it was left out and how to keep it."""
    client.force_login(admin_user)
    category = qf.CategoryFactory(name="Mô tả")
    gift = "Phần này giới thiệu Kết luận số 57-KL/TW.\n\nThủ đô? {=Hà Nội ~Huế}\n"
    response = client.post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile("mo-ta.gift.txt", gift.encode()),
            "format": "gift",
            "category": category.pk,
        },
    )
    with translation.override("vi"):
        page = " ".join(client.get(response["Location"]).content.decode().split())
    assert "Dòng 1:" in page
    assert "Moodle coi đây là phần mô tả" in page
    assert "Moodle reads it" not in page
