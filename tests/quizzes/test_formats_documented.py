"""Files in the syntax Moodle documents for GIFT and Aiken (``tests/quizzes/examples``, written
for these tests) import as Moodle imports them, and export then import gives the same questions
back. Pure: no database."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation

from courses.compat import READS_MARKDOWN
from quizzes.formats import export, parse
from quizzes.keys import key_from_snapshot
from quizzes.scoring import score_question

EXAMPLES = Path(__file__).parent / "examples"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def gift():
    with translation.override("en"):
        result = parse("gift", (EXAMPLES / "documented.gift.txt").read_bytes())
    assert result.errors == ()
    return result


@pytest.fixture
def by_name(gift):
    return {question.name: question for question in gift.questions}


def rows(question):
    return [(c.text, c.match, c.is_correct, c.credit_percent, c.feedback) for c in question.choices]


def earned(question, answer) -> Fraction:
    return score_question(key_from_snapshot(question.snapshot()), answer).earned


def test_every_question_is_read_at_its_line_in_its_category(gift):
    assert len(gift.questions) == 22
    assert [q.line for q in gift.questions][:3] == [7, 15, 22]
    assert {q.category for q in gift.questions} == {
        "Kỹ năng tiếp công dân",
        "Kỹ năng tiếp công dân/Chương 2",
    }
    assert gift.questions[-1].category == "Kỹ năng tiếp công dân/Chương 2"


def test_comments_are_not_questions(gift):
    assert not any("Line numbers matter" in q.text for q in gift.questions)


def test_a_description_is_noted_at_its_line_and_not_imported(gift):
    # Wagtail 7.4 reads no Markdown: line 73's is kept as plain text, and a note says so.
    markdown = [] if READS_MARKDOWN else [73]
    assert [note.line for note in gift.notes] == [*markdown, 90]
    assert "description" in gift.notes[-1].message
    assert not any("Phần sau" in q.text for q in gift.questions)


def test_single_choice_with_feedback_and_general_feedback(by_name):
    question = by_name["Ngày tiếp công dân"]

    assert question.type == "single"
    assert rows(question) == [
        ("Một ngày", "", True, None, "Đúng theo Luật Tiếp công dân."),
        ("Hai ngày", "", False, None, "Chưa đúng."),
        ("Một ngày trong tháng", "", False, None, ""),
    ]
    assert question.general_feedback == "Điều 15 Luật Tiếp công dân năm 2013."


def test_percentages_make_a_multiple_response_with_a_costly_wrong_pick(by_name):
    question = by_name["Nguyên tắc"]
    key = key_from_snapshot(question.snapshot())

    assert question.type == "multiple"
    assert [c.fraction for c in key.choices] == [Fraction(1, 2), Fraction(1, 2), Fraction(-1)]


def test_partial_credit_on_a_single_choice(by_name):
    question = by_name["Thời hạn"]

    assert [c.credit_percent for c in question.choices] == [None, Decimal(50), None]
    assert earned(question, 2) == Fraction(1, 2)


@pytest.mark.parametrize(
    ("name", "true_is_right", "wrong_feedback", "right_feedback"),
    [
        ("Đúng sai ngắn", True, "", ""),
        ("Đúng sai dài", True, "Xem lại Điều 9.", "Chính xác."),
        ("Đúng sai sai", False, "", ""),
        ("Markdown", True, "", ""),
        ("Moodle", False, "", ""),
    ],
)
def test_true_false_short_and_long_with_feedback(
    by_name, name, true_is_right, wrong_feedback, right_feedback
):
    true, false = by_name[name].choices
    right, wrong = (true, false) if true_is_right else (false, true)

    assert by_name[name].type == "true_false"
    assert true.is_correct is true_is_right
    assert (right.feedback, wrong.feedback) == (right_feedback, wrong_feedback)


def test_short_answer_with_partial_credit_and_a_wildcard(by_name):
    question = by_name["Cơ quan"]

    assert question.type == "short_answer" and question.wildcards
    assert earned(question, "chính phủ") == 1
    assert earned(question, "Thanh tra Chính phủ") == Fraction(1, 2)  # the first match
    assert earned(question, "Thanh tra tỉnh") == Fraction(1, 4)
    assert earned(question, "Quốc hội") == 0


def test_the_missing_word_leaves_a_blank_in_the_text(by_name):
    question = by_name["Từ còn thiếu"]

    assert question.text == "<p>Tiếp công dân phải bảo đảm _____ cho người dân.</p>"
    assert question.type == "single"


@pytest.mark.parametrize(
    ("name", "right", "wrong"),
    [
        ("Số ngày", "2014", "2015"),
        ("Dung sai", "3,144", "3,15"),
        ("Khoảng", "3", "5,5"),
        ("Khoảng", "5", "2,9"),
    ],
)
def test_numerical_values_tolerances_and_ranges(by_name, name, right, wrong):
    assert earned(by_name[name], right) == 1
    assert earned(by_name[name], wrong) == 0


def test_numerical_answers_with_partial_credit_and_feedback(by_name):
    question = by_name["Nhiều đáp số"]

    assert [(c.text, c.credit_percent, c.feedback) for c in question.choices] == [
        ("10", None, "Đúng."),
        ("15", Decimal(50), "Gần đúng."),
    ]
    assert earned(question, "15") == Fraction(1, 2)


def test_matching_keeps_its_extra_wrong_options(by_name):
    question = by_name["Ghép đôi"]
    items = [c for c in question.choices if c.text]
    distractors = [c.match for c in question.choices if not c.text]

    assert len(items) == 3
    assert distractors == ["ít nhất 1 ngày mỗi năm", "không bắt buộc"]
    right = {i: c.match for i, c in enumerate(question.choices, start=1) if c.text}
    assert earned(question, right) == 1


def test_essays_with_and_without_general_feedback(by_name):
    assert by_name["Tự luận"].type == by_name["Tự luận có nhận xét"].type == "essay"
    assert by_name["Tự luận có nhận xét"].general_feedback.startswith("Có thể nêu")


def test_escaped_characters_are_literal_in_titles_texts_and_answers(by_name):
    question = by_name["Ký tự : đặc biệt"]

    assert question.text == "<p>Viết {đúng} và = ~ # trong câu hỏi.</p>"
    assert [c.text for c in question.choices] == ["a = b", "a ~ b", "c # d"]


def test_text_formats(by_name):
    assert by_name["HTML"].text == "<p>Văn bản <b>in đậm</b> và <i>nghiêng</i>.</p>"
    assert [c.text for c in by_name["HTML"].choices] == ["Có", "Không"]
    assert by_name["Moodle"].text == "<p>Văn bản thường &lt; 5 &amp; &gt; 2.</p>"
    assert by_name["Plain"].text == "<p>Chỉ là &lt;b&gt;chữ&lt;/b&gt;.</p>"


def test_a_question_may_take_several_lines(by_name):
    assert by_name["Nhiều dòng"].text == "<p>Câu hỏi<br/>kéo dài<br/>nhiều dòng.</p>"


def test_a_question_without_a_title_is_named_after_its_text(gift):
    assert gift.questions[-1].name.startswith("Người khiếu nại có quyền rút đơn")
    assert gift.questions[-1].name.endswith("…")


def snapshots(result):
    return [{**q.snapshot(), "category": q.category} for q in result.questions]


def test_the_documented_file_survives_export_and_import(gift):
    originals = snapshots(gift)

    exported = export("gift", originals)
    again = parse("gift", exported.content)

    assert again.errors == () and not exported.skipped
    assert snapshots(again) == originals


# Aiken


def test_aiken_options_typed_without_a_space_after_the_letter():
    result = parse("aiken", (EXAMPLES / "hand_typed.aiken.txt").read_bytes())

    assert result.errors == ()
    assert [(q.line, [c.text for c in q.choices]) for q in result.questions] == [
        (1, ["Hà Nội", "Huế", "Đà Nẵng"]),
        (7, ["2012", "2013", "2014", "2015"]),
        (13, ["Đại học", "Thạc sĩ"]),
    ]
    assert [[c.is_correct for c in q.choices].index(True) for q in result.questions] == [0, 1, 0]
    assert result.questions[2].name == "B.Sc (cử nhân) tương đương trình độ nào?"


def test_aiken_export_then_import_gives_the_same_questions():
    result = parse("aiken", (EXAMPLES / "hand_typed.aiken.txt").read_bytes())

    again = parse("aiken", export("aiken", snapshots(result)).content)

    assert snapshots(again) == snapshots(result)
