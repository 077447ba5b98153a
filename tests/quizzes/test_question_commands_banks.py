"""``import_questions`` and ``export_questions`` read their ``--course`` option alike
(``quizzes.management.banks``): a course's own bank, or a clear error (in Vietnamese, the site's
language) and nothing changed."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quizzes.models import Question, QuestionCategory
from tests import factories

pytestmark = pytest.mark.django_db

GIFT = "::Thủ đô::Thủ đô của Việt Nam là? {=Hà Nội ~Huế ~Đà Nẵng}\n"


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "cau-hoi.gift"
    path.write_text(GIFT, encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["import_questions", "export_questions"])
def test_an_unknown_course_code_is_a_clear_error_and_changes_nothing(command, gift_file, tmp_path):
    arguments = {
        "import_questions": [str(gift_file), "--category", "Chung"],
        "export_questions": ["--category", "Chung", "-o", str(tmp_path / "ra.gift")],
    }[command]

    with pytest.raises(CommandError, match="Không có khóa học nào có mã “KHÔNG-CÓ”"):
        call_command(command, *arguments, "--course", "KHÔNG-CÓ")

    assert not Question.objects.exists() and not QuestionCategory.objects.exists()
    assert not (tmp_path / "ra.gift").exists()


def test_both_commands_use_the_bank_of_the_course_named(gift_file, tmp_path):
    course = factories.course()
    call_command("import_questions", str(gift_file), "--category", "Chung", "--course", course.code)

    assert QuestionCategory.objects.get(name="Chung").course_id == course.pk
    exported = tmp_path / "ra.gift"
    call_command(
        "export_questions", "--category", "Chung", "--course", course.code, "-o", str(exported)
    )
    assert "Thủ đô của Việt Nam" in exported.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="Không có danh mục câu hỏi nào tên “Chung”"):
        call_command("export_questions", "--category", "Chung", "-o", str(exported))
