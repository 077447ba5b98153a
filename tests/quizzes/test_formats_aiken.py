"""quizzes.formats.aiken is pure: no database."""

import pytest
from django.utils import translation

from quizzes.formats import QuestionFileError, aiken, parse
from quizzes.keys import key_from_snapshot


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(text: str):
    return parse("aiken", text.encode("utf-8"))


def messages(result) -> list[tuple[int, str]]:
    return [(error.line, error.message) for error in result.errors]


GOOD = """Thủ đô của Việt Nam là thành phố nào?
A. Hà Nội
B. Huế
C) Đà Nẵng
ANSWER: A

Kết luận 57-KL/TW được ban hành năm nào?
A) 2012
B) 2023
ANSWER: B
Câu hỏi liền sau, không có dòng trống?
A. Có
B. Không
ANSWER: A
"""


def test_reads_single_choice_questions():
    result = read(GOOD)

    assert not result.errors
    assert [(q.line, q.type, q.name) for q in result.questions] == [
        (1, "single", "Thủ đô của Việt Nam là thành phố nào?"),
        (7, "single", "Kết luận 57-KL/TW được ban hành năm nào?"),
        (11, "single", "Câu hỏi liền sau, không có dòng trống?"),
    ]
    first = result.questions[0]
    assert first.text == "<p>Thủ đô của Việt Nam là thành phố nào?</p>"
    assert [(c.text, c.is_correct) for c in first.choices] == [
        ("Hà Nội", True),
        ("Huế", False),
        ("Đà Nẵng", False),
    ]
    assert [c.fraction for c in key_from_snapshot(result.questions[1].snapshot()).choices] == [
        0,
        1,
    ]


def test_question_text_may_take_several_lines():
    result = read("Dòng một\nDòng hai\nA. x\nB. y\nANSWER: B\n")

    assert result.questions[0].text == "<p>Dòng một<br/>Dòng hai</p>"


def test_text_that_looks_like_html_is_kept_as_text():
    result = read("<b>Đậm</b> & <script>?\nA. x\nB. y\nANSWER: A\n")

    assert result.questions[0].text == "<p>&lt;b&gt;Đậm&lt;/b&gt; &amp; &lt;script&gt;?</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Câu hỏi\nA. x\nB. y\nANSWER: C\n", [(4, "not one of the options")]),
        ("Câu hỏi\nA. x\nB. y\n", [(1, "no “ANSWER: …” line")]),
        ("Câu hỏi\nA. x\nC. y\nANSWER: A\n", [(3, "out of order")]),
        # Without a space, only the letter expected next is an option.
        ("Câu hỏi\nA)x\nC)y\nANSWER: A\n", [(3, "Expected the next option")]),
        ("Câu hỏi\nA. x\nmột dòng lạ\nB. y\nANSWER: A\n", [(3, "Expected the next option")]),
        (
            "A. x\nB. y\nANSWER: A\n",
            [(1, "before any question"), (2, "before any question"), (3, "before any question")],
        ),
        ("Câu hỏi\nANSWER: A\n", [(2, "no options")]),
        ("Câu hỏi\nA. x\nANSWER: A\n", [(1, "Add at least two choices.")]),
        ("Câu hỏi\nA. x\nB. y\nANSWER: A, B\n", [(4, "not one of the options")]),
    ],
)
def test_bad_questions_are_reported_at_their_lines(text, expected):
    result = read(text)

    got = messages(result)
    assert [line for line, _message in got] == [line for line, _fragment in expected]
    for (_line, message), (_l, fragment) in zip(got, expected, strict=True):
        assert fragment in message
    assert not result.ok


def test_an_error_does_not_hide_the_following_questions():
    result = read("Một\nA. x\nlạ\nB. y\nANSWER: A\n\nHai\nA. x\nB. y\nANSWER: B\n")

    assert [line for line, _m in messages(result)] == [3]
    assert [q.line for q in result.questions] == [7]


def test_an_empty_file_is_refused():
    with pytest.raises(QuestionFileError):
        read("\n\n")


def snapshot(kind="single", choices=(("Hà Nội", True), ("Huế", False)), **fields):
    return {
        "type": kind,
        "name": "Thủ đô",
        "text": "<p>Thủ đô của <b>Việt Nam</b>?</p><p>Chọn một.</p>",
        "marks": "1",
        "general_feedback": "",
        "choices": [
            {
                "id": i,
                "text": text,
                "match": "",
                "is_correct": right,
                "credit_percent": None,
                "tolerance": None,
                "feedback": "",
            }
            for i, (text, right) in enumerate(choices, start=1)
        ],
        **fields,
    }


def test_export_writes_single_choice_questions_on_one_line():
    export = aiken.export([snapshot()])

    assert export.content.decode() == (
        "Thủ đô của Việt Nam? Chọn một.\nA. Hà Nội\nB. Huế\nANSWER: A\n"
    )
    assert export.count == 1


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        (snapshot("multiple", (("a", True), ("b", True))), "single-choice questions only"),
        (snapshot("true_false", (("Đúng", True), ("Sai", False))), "single-choice"),
        (snapshot("essay", ()), "single-choice"),
        (
            snapshot(
                choices=(("a", True), ("b", False)),
            )
            | {
                "choices": [
                    {"id": 1, "text": "a", "is_correct": True},
                    {"id": 2, "text": "b", "is_correct": False, "credit_percent": "50"},
                ]
            },
            "no partial credit",
        ),
    ],
)
def test_export_lists_what_it_skips(question, reason):
    export = aiken.export([question, snapshot()])

    assert export.count == 1
    assert len(export.skipped) == 1
    assert reason in export.skipped[0].reason


@pytest.mark.parametrize("separator", [")", "."])
def test_options_may_be_written_without_a_space_after_the_letter(separator):
    result = read(f"Thủ đô?\nA{separator}Hà Nội\nB{separator}Huế\nANSWER: B\n")

    assert not result.errors
    assert [(c.text, c.is_correct) for c in result.questions[0].choices] == [
        ("Hà Nội", False),
        ("Huế", True),
    ]


def test_a_text_line_like_an_option_without_a_space_stays_text_before_the_options():
    result = read("Bằng cấp nào?\nB.Sc là cử nhân.\nA. Đại học\nB. Thạc sĩ\nANSWER: A\n")

    assert not result.errors
    assert "B.Sc là cử nhân." in result.questions[0].text
    assert len(result.questions[0].choices) == 2
