"""quizzes.formats.gift is pure: reading and writing GIFT needs no database (no django_db)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from courses.compat import READS_MARKDOWN as MARKDOWN
from quizzes.formats import QuestionFileError, gift, parse
from quizzes.keys import key_from_snapshot


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(text: str):
    return parse("gift", text.encode("utf-8"))


def only(text: str):
    result = read(text)
    assert not result.errors, result.errors
    assert len(result.questions) == 1
    return result.questions[0]


def fractions(question) -> list[Fraction]:
    return [choice.fraction for choice in key_from_snapshot(question.snapshot()).choices]


def messages(result) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in result.errors]


# Question types


def test_single_choice_with_title_feedback_and_general_feedback():
    question = only(
        "::Thủ đô::Thủ đô của Việt Nam là thành phố nào? {\n"
        "  =Hà Nội#Đúng: từ năm 1010.\n"
        "  ~Huế#Kinh đô thời Nguyễn.\n"
        "  ~Đà Nẵng\n"
        "  ####Hà Nội là thủ đô.\n"
        "}"
    )

    assert question.type == "single"
    assert question.name == "Thủ đô"
    assert question.text == "<p>Thủ đô của Việt Nam là thành phố nào?</p>"
    assert [(c.text, c.is_correct, c.feedback) for c in question.choices] == [
        ("Hà Nội", True, "Đúng: từ năm 1010."),
        ("Huế", False, "Kinh đô thời Nguyễn."),
        ("Đà Nẵng", False, ""),
    ]
    assert question.general_feedback == "Hà Nội là thủ đô."
    assert question.marks == 1
    assert fractions(question) == [1, 0, 0]


def test_single_choice_with_partial_credit():
    question = only("Kết luận 57 ban hành năm? {=2023 ~%50%2024 ~2012}")

    assert question.type == "single"
    assert fractions(question) == [1, Fraction(1, 2), 0]


def test_several_equals_are_each_fully_right_as_in_moodle():
    question = only("Hà Nội hay Thăng Long? {=Hà Nội =Thăng Long ~Huế}")

    assert question.type == "single"
    assert fractions(question) == [1, 1, 0]


def test_multiple_response_with_equal_weights_keeps_exact_shares():
    question = only(
        "Những nguyên tắc nào? {~%33.33333%Chủ động ~%33.33333%Đồng bộ "
        "~%33.33333%Hiệu quả ~%-33.33333%Bị động}"
    )

    assert question.type == "multiple"
    assert question.penalise_wrong_choices
    assert [c.credit_percent for c in question.choices] == [None] * 4
    assert fractions(question) == [Fraction(1, 3)] * 3 + [Fraction(-1, 3)]


def test_multiple_response_with_unequal_weights_keeps_the_credits():
    question = only("Chọn {~%70%A ~%30%B ~%-50%C ~D}")

    assert question.type == "multiple"
    assert not question.penalise_wrong_choices
    assert [c.credit_percent for c in question.choices] == [
        Decimal("70.000"),
        Decimal("30.000"),
        Decimal("-50.000"),
        None,
    ]
    assert [c.is_correct for c in question.choices] == [True, True, False, False]
    assert fractions(question) == [Fraction(7, 10), Fraction(3, 10), Fraction(-1, 2), 0]


@pytest.mark.parametrize(
    ("answer", "right"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false(answer, right):
    question = only(f"Kết luận 57-KL/TW ban hành năm 2023. {{{answer}}}")

    assert question.type == "true_false"
    assert [(c.text, c.is_correct) for c in question.choices] == [
        ("True", right),
        ("False", not right),
    ]


def test_true_false_feedback_goes_to_the_wrong_and_the_right_choice():
    question = only("Trái đất tròn. {FALSE#Sai rồi: trái đất tròn.#Chính xác.####Giải thích}")

    true, false = question.choices
    assert false.is_correct
    assert false.feedback == "Chính xác."
    assert true.feedback == "Sai rồi: trái đất tròn."
    assert question.general_feedback == "Giải thích"


def test_short_answer_takes_every_answer_with_its_weight():
    question = only("Tỉnh nào sáp nhập vào Phú Thọ? {=Hòa Bình =%50%Hoà Bình#Gần đúng}")

    assert question.type == "short_answer"
    assert [(c.text, c.is_correct, c.feedback) for c in question.choices] == [
        ("Hòa Bình", True, ""),
        ("Hoà Bình", True, "Gần đúng"),
    ]
    assert fractions(question) == [1, Fraction(1, 2)]


def test_missing_word_format_puts_a_blank_in_the_text():
    question = only("Thủ đô của Việt Nam là {=Hà Nội ~Huế} từ năm 1010.")

    assert question.text == "<p>Thủ đô của Việt Nam là _____ từ năm 1010.</p>"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ("{#2.5:0.1}", [("2.5", Decimal("0.1"), 1)]),
        ("{#1822}", [("1822", Decimal(0), 1)]),
        ("{#1..5}", [("3", Decimal(2), 1)]),
        ("{#-5..-1}", [("-3", Decimal(2), 1)]),
        (
            "{#=2.5:0.1 =%50%2:1}",
            [("2.5", Decimal("0.1"), 1), ("2", Decimal(1), Fraction(1, 2))],
        ),
    ],
)
def test_numerical(answers, expected):
    question = only(f"Số? {answers}")

    assert question.type == "numerical"
    key = key_from_snapshot(question.snapshot())
    assert [(c.text, c.tolerance, c.fraction) for c in key.choices] == expected


def test_numerical_with_feedback_per_answer():
    question = only("::Grant::Năm sinh? {#\n  =1822:0 # Chính xác.\n  =%50%1822:2 # Gần đúng.\n}")

    assert [c.feedback for c in question.choices] == ["Chính xác.", "Gần đúng."]


def test_numerical_other_answer_feedback_is_dropped_with_a_note():
    result = read("Số? {#\n=2:0\n~#Sai rồi\n}")

    assert not result.errors
    assert [note.line for note in result.notes] == [3]


def test_matching():
    question = only("Ghép văn bản với ngày. {\n =57-KL/TW -> 15/6/2023\n =16-KL/TW -> 14/2/2012\n}")

    assert question.type == "matching"
    assert [(c.text, c.match) for c in question.choices] == [
        ("57-KL/TW", "15/6/2023"),
        ("16-KL/TW", "14/2/2012"),
    ]


def test_essay_with_and_without_general_feedback():
    result = read("Viết một đoạn. {}\n\nViết tiếp. {####Chấm theo thang điểm.}")

    assert [q.type for q in result.questions] == ["essay", "essay"]
    assert result.questions[1].general_feedback == "Chấm theo thang điểm."


# Syntax


def test_escaped_characters_are_literal():
    question = only(r"::Ký hiệu \: \{ \}::Dấu \~ \= \# \{ \} \: và \\ là gì? {=a \= b\#c ~x\~y}")

    assert question.name == "Ký hiệu : { }"
    assert question.text == "<p>Dấu ~ = # { } : và \\ là gì?</p>"
    assert [c.text for c in question.choices] == ["a = b#c", "x~y"]


def test_a_backslash_n_is_a_line_break_and_two_start_a_paragraph():
    question = only(r"Dòng một\nDòng hai\n\nĐoạn hai {}")

    assert question.text == "<p>Dòng một<br/>Dòng hai</p><p>Đoạn hai</p>"


def test_comments_are_ignored_and_questions_are_separated_by_blank_lines():
    result = read(
        "// Bộ câu hỏi\n// tập huấn\n::A:: Một? {T}\n\n\n"
        "// giữa hai câu hỏi\n::B:: Hai? {F}\n// cuối\n"
    )

    assert [q.name for q in result.questions] == ["A", "B"]
    assert [q.line for q in result.questions] == [3, 7]


def test_a_question_without_a_title_is_named_after_its_text():
    question = only("Kết luận 57-KL/TW về tăng cường thông tin đối ngoại trong tình hình mới {}")

    assert question.name == "Kết luận 57-KL/TW về tăng cường thông tin đối ngoại trong…"


def test_category_lines_apply_to_the_questions_below():
    result = read(
        "::A:: Một? {T}\n\n$CATEGORY: $course$/top/Chương 1/Bài 2\n\n::B:: Hai? {T}\n\n"
        "$CATEGORY: Đối ngoại\n::C:: Ba? {T}\n"
    )

    assert [(q.name, q.category) for q in result.questions] == [
        ("A", ""),
        ("B", "Chương 1/Bài 2"),
        ("C", "Đối ngoại"),
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("$course$/top/Default for KL57", "Default for KL57"),
        ("$system$/Chung", "Chung"),
        ("top", ""),
        ("Văn bản//Nghị quyết", "Văn bản/Nghị quyết"),
        ("  A  /  B ", "A/B"),
    ],
)
def test_category_paths(path, name):
    assert gift.category_name(path) == name


def test_text_formats():
    result = read(
        "::P::[plain]<b>không đậm</b> {}\n\n"
        "::H::[html]<p>Chữ <b>đậm</b></p><script>alert(1)</script><p onclick='x()'>Hai</p> {}\n\n"
        "::M::[markdown]Chữ **đậm** và *nghiêng* {}\n\n"
        "::D::[moodle]Chữ thường {}"
    )

    texts = {q.name: q.text for q in result.questions}
    assert texts["P"] == "<p>&lt;b&gt;không đậm&lt;/b&gt;</p>"
    assert texts["H"] == "<p>Chữ <b>đậm</b></p><p>Hai</p>"
    assert texts["D"] == "<p>Chữ thường</p>"
    if MARKDOWN:
        assert "<b>đậm</b>" in texts["M"] and "<i>nghiêng</i>" in texts["M"]
        assert [note.line for note in result.notes] == [3]  # the script was removed
    else:  # Wagtail 7.4 reads no Markdown: the text as written, and a note that says so
        assert texts["M"] == "<p>Chữ **đậm** và *nghiêng*</p>"
        assert [note.line for note in result.notes] == [3, 5]


def test_html_questions_have_html_choices_and_feedback():
    question = only("[html]<p>Chọn</p>{=<b>A</b> &amp; B#<i>Đúng</i> ~C}")

    assert [c.text for c in question.choices] == ["A & B", "C"]
    assert question.choices[0].feedback == "Đúng"


def test_marks_and_options_comments():
    question = only(
        "// @marks: 2,5\n// @options: all_or_nothing, case_sensitive, no_shuffle\n"
        "::A:: Chọn {~%50%a ~%50%b ~c}"
    )

    assert question.marks == Decimal("2.5")
    assert question.all_or_nothing and question.case_sensitive
    assert not question.shuffle_choices


# Errors, with their lines


def test_malformed_questions_are_reported_at_their_lines_and_the_rest_still_read():
    result = read(
        "::A:: Một? {T}\n"  # 1
        "\n"
        "::B:: Hai? {=a ~b\n"  # 3: not closed
        "~c\n"
        "\n"
        "::C:: Ba? }=a ~b{\n"  # 6: braces the wrong way round
        "\n"
        "::D Bốn? {T}\n"  # 8: title not closed
        "\n"
        "Không có đáp án\n"  # 10: a description: a note, not an error
        "\n"
        "::E:: Năm? {=a ~b} và {=c ~d}\n"  # 12: two answer sets
        "\n"
        "::F:: Sáu? {#abc}\n"  # 14: not a number
        "\n"
        "::G:: Bảy?\n{\n=item -> match\n=bad\n}\n"  # 19: a pair without ->
        "\n"
        "::H:: Tám? {chữ trước =a ~b}\n"  # 22: text before the first answer
        "\n"
        "::I:: Chín? {~a ~b}\n"  # 24: no right answer (validate_snapshot)
    )

    assert [q.name for q in result.questions] == ["A", "I"]
    lines = [line for line, _message in messages(result)]
    assert lines == [3, 6, 8, 12, 14, 19, 22, 24]
    assert messages(result)[-1] == (24, "Mark at least one choice as correct.")
    assert [note.line for note in result.notes] == [10]


def test_questions_are_checked_with_the_shared_validation():
    result = read("::TF:: {T}\n\n::SA:: Một? {=%0%a}")

    assert messages(result) == [
        (1, "The question needs a text."),
        (3, "Add at least one accepted answer and mark it correct."),
    ]


def test_unknown_instructions_and_options_are_errors():
    result = read("// @points: 2\n// @options: shuffle_everything\n::A:: Một? {T}")

    assert [line for line, _m in messages(result)] == [1, 2]


def test_an_empty_file_is_refused():
    with pytest.raises(QuestionFileError):
        read("// chỉ có ghi chú\n")


# Writing


def snapshot(kind, choices, **fields):
    return {
        "type": kind,
        "name": fields.pop("name", "Câu hỏi"),
        "text": fields.pop("text", "<p>Câu hỏi?</p>"),
        "marks": fields.pop("marks", "1"),
        "general_feedback": "",
        "choices": [
            {
                "id": i,
                "text": "",
                "match": "",
                "is_correct": False,
                "credit_percent": None,
                "tolerance": None,
                "feedback": "",
                **choice,
            }
            for i, choice in enumerate(choices, start=1)
        ],
        **fields,
    }


def test_ordering_questions_are_written_as_a_comment_and_skipped():
    export = gift.export([snapshot("ordering", [{"text": "a"}, {"text": "b"}], name="Thứ tự")])

    assert export.count == 0
    assert [s.name for s in export.skipped] == ["Thứ tự"]
    assert export.content.decode().startswith("// Skipped question “Thứ tự”")
    with pytest.raises(QuestionFileError):
        parse("gift", export.content)  # nothing but a comment


def test_written_text_is_escaped():
    export = gift.export(
        [
            snapshot(
                "single",
                [{"text": "a = b {c}", "is_correct": True}, {"text": "~#:\\"}],
                name="Tên: {x}",
                text="<p>Hỏi # ~ =?</p>",
            )
        ]
    )

    assert export.content.decode() == (
        "::Tên\\: \\{x\\}::Hỏi \\# \\~ \\=?{\n\t=a \\= b \\{c\\}\n\t~\\~\\#\\:\\\\\n}\n"
    )


def test_a_single_choice_with_two_full_answers_keeps_a_tilde():
    export = gift.export(
        [
            snapshot(
                "single",
                [
                    {"text": "a", "is_correct": True, "credit_percent": "100"},
                    {"text": "b", "is_correct": True, "credit_percent": "100"},
                ],
            )
        ]
    )

    question = only(export.content.decode())
    assert question.type == "single"
    assert fractions(question) == [1, 1]


def test_absurd_numbers_are_refused():
    result = read("::N::Số? {#1e999999}")

    assert [line for line, _message in messages(result)] == [1]


# Short-answer wildcards and matching distractors, as Moodle reads them


def test_an_asterisk_in_a_short_answer_makes_it_a_wildcard_question():
    question = only("::SA:: Thủ đô? {=Hà*Nội =%50%Thăng Long}")

    assert question.wildcards
    assert [c.text for c in question.choices] == ["Hà*Nội", "Thăng Long"]


def test_an_escaped_asterisk_is_an_asterisk():
    question = only("::SA:: Tích? {=2\\*3}")

    assert not question.wildcards
    assert [c.text for c in question.choices] == ["2*3"]


def test_the_wildcards_option_comment_keeps_answers_as_patterns():
    question = only("// @options: wildcards\n::SA:: Tích? {=abc}")

    assert question.wildcards


def test_an_asterisk_elsewhere_means_nothing():
    question = only("::SC:: Chọn * đúng {=a*b ~c}")

    assert question.type == "single" and not question.wildcards
    assert question.choices[0].text == "a*b"


def test_a_literal_asterisk_is_written_escaped_so_moodle_reads_it_literally():
    snapshot = only("::SA:: Tích? {=2\\*3}").snapshot()

    content = gift.export([{**snapshot, "category": ""}]).content.decode()

    assert "=2\\\\*3" in content
    assert only(content).snapshot() == snapshot


def test_a_wildcard_question_is_written_with_its_option():
    snapshot = only("::SA:: Thủ đô? {=Hà*Nội}").snapshot()

    content = gift.export([{**snapshot, "category": ""}]).content.decode()

    assert "// @options: wildcards" in content and "=Hà*Nội" in content
    assert only(content).snapshot() == snapshot


def test_matching_extra_answers_are_distractors():
    question = only("::M:: Ghép {=a -> 1 =b -> 2 = -> 3 =  ->  4}")

    assert [(c.text, c.match) for c in question.choices] == [
        ("a", "1"),
        ("b", "2"),
        ("", "3"),
        ("", "4"),
    ]


def test_a_matching_question_of_distractors_only_is_refused_at_its_line():
    result = read("\n::M:: Ghép {= -> 1 = -> 2}")

    assert messages(result) == [(2, "A matching question needs at least two pairs.")]
