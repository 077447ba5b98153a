"""What the formats share: decoding text files, question text, limits. Pure: no database."""

import codecs
import unicodedata

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.formats import QuestionFileError, parse, xlsx
from quizzes.formats.text import html_to_plain, html_to_text, plain_to_html
from tests import files
from tests.files import windows_1258

QUESTION = "Thủ đô của Việt Nam? {=Hà Nội ~Huế}\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("fmt", ["gift", "aiken"])
def test_a_byte_order_mark_is_allowed(fmt):
    text = QUESTION if fmt == "gift" else "Thủ đô?\nA. Hà Nội\nB. Huế\nANSWER: A\n"

    result = parse(fmt, codecs.BOM_UTF8 + text.encode())

    assert result.ok
    assert result.questions[0].line == 1


@pytest.mark.parametrize("fmt", ["gift", "aiken"])
@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(windows_1258, id="windows-1258"),
        pytest.param(lambda text: text.encode("utf-16"), id="utf-16"),
        pytest.param(lambda text: text.encode("utf-16-le"), id="utf-16 without a mark"),
    ],
)
def test_legacy_and_utf16_text_is_read(fmt, encode):
    text = QUESTION if fmt == "gift" else "Thủ đô?\nA. Hà Nội\nB. Huế\nANSWER: A\n"

    result = parse(fmt, encode(text))

    assert result.ok
    assert result.questions[0].choices[0].text == "Hà Nội"


@pytest.mark.parametrize("fmt", ["gift", "aiken"])
def test_text_that_no_encoding_reads_is_refused_with_the_line(fmt):
    # 0x81 is neither UTF-8 nor Windows-1258; the file is not UTF-16 either.
    data = b"// ASCII first line\n" + "Thủ đô? {=Hà Nội ~Huế}".encode() + b"\x81\n"

    with pytest.raises(QuestionFileError, match="line 2 holds a byte \\(0x81\\)") as caught:
        parse(fmt, data)
    assert "UTF-8" in caught.value.message


def test_a_workbook_given_as_gift_is_refused_with_advice():
    with pytest.raises(QuestionFileError, match="Excel workbook"):
        parse("gift", b"PK\x03\x04rest of a zip")


def test_decomposed_vietnamese_is_stored_in_nfc():
    decomposed = unicodedata.normalize("NFD", QUESTION)

    question = parse("gift", decomposed.encode()).questions[0]

    assert question.text == "<p>Thủ đô của Việt Nam?</p>"
    assert unicodedata.is_normalized("NFC", question.choices[0].text)


def test_windows_line_ends_are_read():
    result = parse("gift", "::A::Một? {T}\r\n\r\n::B::Hai? {F}\r\n".encode())

    assert [(q.line, q.name) for q in result.questions] == [(1, "A"), (3, "B")]


def test_size_limit():
    with pytest.raises(QuestionFileError, match="larger than"):
        parse("gift", QUESTION.encode() * 10, max_bytes=50)


def test_question_limit():
    with pytest.raises(QuestionFileError, match="more than 2 questions"):
        parse("gift", "\n".join([QUESTION] * 3).encode(), max_questions=2)


def test_unknown_format():
    with pytest.raises(QuestionFileError):
        parse("qti", QUESTION.encode())


def test_long_names_and_matches_are_errors():
    result = parse(
        "gift", f"::{'n' * 256}::Một? {{T}}\n\nHai? {{=a -> {'m' * 501} =b -> c}}".encode()
    )

    assert [error.line for error in result.errors] == [1, 3]


# Question text


def test_plain_text_becomes_escaped_paragraphs():
    assert plain_to_html(" a & <b>\n  c  \n\n\n d ") == "<p>a &amp; &lt;b&gt;<br/>c</p><p>d</p>"


def test_html_of_paragraphs_is_plain_and_richer_html_is_not():
    assert html_to_plain('<p data-block-key="x1">a &amp; b<br/>c</p><p>d</p>') == "a & b\nc\n\nd"
    assert html_to_plain("<p>a <b>b</b></p>") is None
    assert html_to_plain("<ul><li>a</li></ul>") is None
    assert html_to_plain("loose text") is None


def test_html_to_text_keeps_the_words():
    assert html_to_text("<p>Một <b>hai</b></p><ul><li>ba</li></ul><script>x</script>") == (
        "Một hai\n\nba"
    )


plain_texts = st.lists(
    st.text(st.sampled_from("aăâđêôơưáàảãạ &<>\"'#~=\n"), max_size=12), max_size=4
).map("\n\n".join)


@given(plain_texts)
def test_plain_text_survives_html_and_back(text):
    html = plain_to_html(text)

    assert plain_to_html(html_to_plain(html)) == html


# Fuzzing: any file is read or refused with a QuestionFileError, nothing else.

FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
GIFT_ALPHABET = st.sampled_from(
    list("{}=~#:->%[]$@/\\\n\t ;.,0123456789aAbTFđếư") + ["::", "->", "//", "\\{", "$CATEGORY:"]
)


def read_or_refuse(fmt: str, data: bytes) -> None:
    try:
        result = parse(fmt, data)
    except QuestionFileError as error:
        assert error.message
    else:
        assert all(isinstance(error.message, str) for error in result.errors)


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["gift", "aiken", "xlsx"]))
def test_any_bytes_are_read_or_refused(data, fmt):
    read_or_refuse(fmt, data)


@FUZZ
@given(st.lists(GIFT_ALPHABET, max_size=120).map("".join), st.sampled_from(["gift", "aiken"]))
def test_any_text_made_of_the_formats_syntax_is_read_or_refused(text, fmt):
    read_or_refuse(fmt, text.encode())


@FUZZ
@given(files.damaged(xlsx.template()))
def test_any_damaged_question_workbook_is_read_or_refused(data):
    read_or_refuse("xlsx", data)
