"""quizzes.formats.xlsx is pure: workbooks are built in memory, no database."""

import io
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.utils import translation

from quizzes.formats import QuestionFileError, parse, xlsx
from quizzes.keys import key_from_snapshot

HEADER = xlsx.headings()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def workbook(*rows, header=HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(kind, question, *options, correct="", marks=None, **extra) -> list:
    """A row in the template's layout: options fill A-F."""
    cells = dict.fromkeys(HEADER, "")
    cells[HEADER[0]] = kind
    cells[HEADER[1]] = extra.pop("name", "")
    cells[HEADER[2]] = question
    cells[HEADER[3]] = marks
    for letter, text in zip("ABCDEF", options, strict=False):
        cells[f"Đáp án {letter}"] = text
    cells[xlsx.HEADINGS[xlsx.Column.CORRECT]] = correct
    cells[xlsx.HEADINGS[xlsx.Column.FEEDBACK]] = extra.pop("feedback", "")
    cells[xlsx.HEADINGS[xlsx.Column.CATEGORY]] = extra.pop("category", "")
    cells[xlsx.HEADINGS[xlsx.Column.OPTIONS]] = extra.pop("options", "")
    for letter, text in extra.pop("choice_feedback", {}).items():
        cells[f"Phản hồi {letter} (feedback {letter})"] = text
    assert not extra
    return list(cells.values())


def read(*rows, **kwargs):
    return parse("xlsx", workbook(*rows, **kwargs))


def only(*cells, **kwargs):
    result = read(row(*cells, **kwargs))
    assert not result.errors, result.errors
    return result.questions[0]


def fractions(question) -> list[Fraction]:
    return [choice.fraction for choice in key_from_snapshot(question.snapshot()).choices]


def test_single_choice_in_vietnamese():
    question = only(
        "một lựa chọn",
        "Thủ đô của Việt Nam là thành phố nào?",
        "Hà Nội",
        "Huế",
        "Đà Nẵng",
        correct="A",
        marks=2,
        feedback="Hà Nội là thủ đô từ năm 1010.",
        category="Địa lý",
        choice_feedback={"B": "Huế là kinh đô thời Nguyễn."},
    )

    assert question.line == 2
    assert question.type == "single"
    assert question.name == "Thủ đô của Việt Nam là thành phố nào?"
    assert question.text == "<p>Thủ đô của Việt Nam là thành phố nào?</p>"
    assert question.marks == 2
    assert question.category == "Địa lý"
    assert question.general_feedback == "Hà Nội là thủ đô từ năm 1010."
    assert [(c.text, c.is_correct, c.feedback) for c in question.choices] == [
        ("Hà Nội", True, ""),
        ("Huế", False, "Huế là kinh đô thời Nguyễn."),
        ("Đà Nẵng", False, ""),
    ]


@pytest.mark.parametrize("kind", ["multiple", "nhiều lựa chọn", "NHIỀU LỰA CHỌN", "nhieu lua chon"])
def test_type_codes_and_vietnamese_names(kind):
    assert only(kind, "Chọn", "a", "b", "c", correct="A, B").type == "multiple"


def test_multiple_response_with_credits():
    question = only("nhiều lựa chọn", "Chọn", "a", "b", "c", correct="A:50; B=50%, C:-33,5")

    assert [c.credit_percent for c in question.choices] == [
        Decimal("50.000"),
        Decimal("50.000"),
        Decimal("-33.500"),
    ]
    assert [c.is_correct for c in question.choices] == [True, True, False]
    assert fractions(question) == [Fraction(1, 2), Fraction(1, 2), Fraction(-67, 200)]


@pytest.mark.parametrize(("correct", "right"), [("Đúng", True), ("sai", False), ("TRUE", True)])
def test_true_false_without_options(correct, right):
    question = only("đúng/sai", "Kết luận 57 ban hành năm 2023.", correct=correct)

    assert [(c.text, c.is_correct) for c in question.choices] == [
        ("True", right),
        ("False", not right),
    ]


def test_true_false_with_its_options_named_by_text():
    question = only("đúng/sai", "Trái đất tròn.", "Đúng", "Sai", correct="Sai")

    assert [(c.text, c.is_correct) for c in question.choices] == [
        ("Đúng", False),
        ("Sai", True),
    ]


def test_short_answer_in_the_correct_column():
    question = only(
        "trả lời ngắn", "Tỉnh nào?", correct="Hòa Bình | Hoà Bình", options="chấp nhận không dấu"
    )

    assert [(c.text, c.is_correct) for c in question.choices] == [
        ("Hòa Bình", True),
        ("Hoà Bình", True),
    ]
    assert question.accept_without_diacritics


def test_short_answer_in_the_options_with_credit():
    question = only("short_answer", "Tỉnh nào?", "Hòa Bình", "Hoa Binh", correct="A, B:50")

    assert fractions(question) == [1, Fraction(1, 2)]


@pytest.mark.parametrize(
    ("correct", "number", "tolerance"),
    [
        ("2.5±0.1", "2.5", Decimal("0.1")),
        ("2,5 ± 0,1", "2.5", Decimal("0.1")),
        ("2.5+-0.1", "2.5", Decimal("0.1")),
        ("34", "34", Decimal(0)),
        (34, "34", Decimal(0)),
        (2.5, "2.5", Decimal(0)),
        ("1..5", "3", Decimal(2)),
    ],
)
def test_numerical_in_the_correct_column(correct, number, tolerance):
    question = only("số", "Bao nhiêu?", correct=correct)

    assert [(c.text, c.tolerance) for c in question.choices] == [(number, tolerance)]


def test_numerical_in_the_options():
    question = only("numerical", "Bao nhiêu?", "34", "33±1", correct="A, B:50")

    assert [(c.text, c.tolerance) for c in question.choices] == [
        ("34", Decimal(0)),
        ("33", Decimal(1)),
    ]
    assert fractions(question) == [1, Fraction(1, 2)]


def test_matching_pairs():
    question = only("ghép đôi", "Ghép", "57-KL/TW => 15/6/2023", "16-KL/TW -> 14/2/2012")

    assert [(c.text, c.match) for c in question.choices] == [
        ("57-KL/TW", "15/6/2023"),
        ("16-KL/TW", "14/2/2012"),
    ]


def test_ordering_items_keep_their_order():
    question = only("sắp xếp", "Thứ tự", "2012", "2023", "2024")

    assert question.type == "ordering"
    assert [c.text for c in question.choices] == ["2012", "2023", "2024"]


def test_essay_and_options_column():
    question = only("tự luận", "Viết", marks=5, options="không xáo trộn, all_or_nothing")

    assert question.type == "essay"
    assert question.marks == 5
    assert not question.shuffle_choices and question.all_or_nothing


def test_html_cells_are_sanitised_and_plain_cells_escaped():
    result = read(
        row("tự luận", "<p>Chữ <b>đậm</b></p><script>x()</script>"),
        row("tự luận", "Dòng một\nDòng hai\n\n<i>không</i> nghiêng"),
    )

    assert [q.text for q in result.questions] == [
        "<p>Chữ <b>đậm</b></p>",
        "<p>Dòng một<br/>Dòng hai</p><p>&lt;i&gt;không&lt;/i&gt; nghiêng</p>",
    ]
    assert [note.line for note in result.notes] == [2]


def test_headings_in_english_and_any_order_with_a_title_row_above():
    data = workbook(
        ["Ngân hàng câu hỏi tập huấn"],
        ["Question", "Type", "Option A", "Option B", "Correct answer", "Category"],
        ["Thủ đô?", "single", "Hà Nội", "Huế", "A", "Địa lý"],
        header=None,
    )

    result = parse("xlsx", data)

    assert not result.errors
    question = result.questions[0]
    assert (question.line, question.type, question.category) == (3, "single", "Địa lý")


def test_more_than_six_options_in_extra_columns():
    header = [*HEADER[:10], "Đáp án G", *HEADER[10:]]
    cells = ["nhiều lựa chọn", "", "Chọn", 1, "a", "b", "c", "d", "e", "f", "g", "A, G"]
    result = parse("xlsx", workbook(cells, header=header))

    assert [c.text for c in result.questions[0].choices if c.is_correct] == ["a", "g"]


def test_bad_rows_are_reported_at_their_rows_and_nothing_else_hides_them():
    result = read(
        row("một lựa chọn", "Đúng?", "a", "b", correct="A"),  # 2: fine
        row("câu đố", "?"),  # 3: unknown type
        row("", "Không có loại"),  # 4
        row("một lựa chọn", "?", "a", "b", correct="C"),  # 5: option C is empty
        row("một lựa chọn", "?", "a", "b", correct="A", marks="hai"),  # 6: marks
        row("số", "?", correct="khoảng 5"),  # 7: not a number
        row("ghép đôi", "?", "a => 1", "b"),  # 8: pair without =>
        row("một lựa chọn", "", "a", "b", correct="A"),  # 9: no text (shared validation)
        row("đúng/sai", "?", correct="Có lẽ"),  # 10: neither true nor false
        ["", "", "", None],  # blank row: skipped
        row("một lựa chọn", "?", "a", "b", correct="A", options="xáo"),  # 12: unknown option
    )

    assert [q.line for q in result.questions if q.is_valid] == [2]
    assert [error.line for error in result.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "“C”" not in result.errors[2].message  # one message per problem
    assert result.errors[2].message == "The correct answer names option C, which is empty."
    assert "câu đố" in result.errors[0].message


def test_not_a_workbook_is_refused():
    with pytest.raises(QuestionFileError, match="not an Excel workbook"):
        parse("xlsx", "Loại câu hỏi;Câu hỏi\n".encode())


def test_a_workbook_without_the_header_is_refused():
    with pytest.raises(QuestionFileError, match="no header row"):
        parse("xlsx", workbook(["Câu hỏi", "Đáp án"], header=None))


def test_too_many_rows_are_refused():
    rows = [row("tự luận", f"Câu {n}") for n in range(4)]

    with pytest.raises(QuestionFileError, match="more than 3 questions"):
        parse("xlsx", workbook(*rows), max_questions=3)


def test_template_has_the_vietnamese_header_and_a_guide_whose_examples_import():
    book = openpyxl.load_workbook(io.BytesIO(xlsx.template()))

    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn"]
    header = [cell.value for cell in book["Câu hỏi"][1]]
    assert header[:4] == ["Loại câu hỏi (type)", "Tên (name)", "Câu hỏi (question)", "Điểm (marks)"]
    assert header[4:10] == [f"Đáp án {letter}" for letter in "ABCDEF"]
    assert "Đáp án đúng (correct: A,B / text / number±tolerance)" in header
    assert "Phản hồi chung (feedback)" in header and "Danh mục (category)" in header
    guide = [cell.value for row_ in book["Hướng dẫn"].iter_rows() for cell in row_]
    assert "một lựa chọn" in guide and "tự luận" in guide

    result = read(*xlsx.example_rows())
    assert not result.errors
    assert [q.type for q in result.questions] == list(xlsx.TYPE_NAMES)


def test_the_empty_template_holds_no_questions():
    with pytest.raises(QuestionFileError, match="no questions"):
        parse("xlsx", xlsx.template())


def test_export_keeps_formula_like_text_as_text():
    export = xlsx.export(
        [
            {
                "type": "short_answer",
                "name": "=SUM(A1)",
                "text": "<p>=1+1</p>",
                "marks": "1",
                "choices": [
                    {
                        "id": 1,
                        "text": "=2",
                        "is_correct": True,
                        "credit_percent": None,
                        "feedback": "",
                        "match": "",
                        "tolerance": None,
                    }
                ],
            }
        ]
    )

    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["Câu hỏi"]
    assert [cell.data_type for cell in sheet[2][:3]] == ["s", "s", "s"]
    question = parse("xlsx", export.content).questions[0]
    assert (question.name, question.text, question.choices[0].text) == (
        "=SUM(A1)",
        "<p>=1+1</p>",
        "=2",
    )
