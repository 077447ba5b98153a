"""Certificate texts filled without empty fragments (certificates/wording.py). Pure: no database."""

import string

from hypothesis import given
from hypothesis import strategies as st

from certificates.wording import fill

BODY = (
    "[{position}, ]{organisation}\nhas completed the training course “{course}”"
    "[\n({cohort})][ with a score of {score}]."
)
FULL = {
    "position": "Chuyên viên",
    "organisation": "Sở Văn hóa",
    "course": "Thông tin đối ngoại",
    "cohort": "Hội nghị Hà Nội",
    "score": "85%",
}


def test_a_delegate_with_every_fact_gets_the_whole_text():
    assert fill(BODY, FULL) == (
        "Chuyên viên, Sở Văn hóa\nhas completed the training course “Thông tin đối ngoại”\n"
        "(Hội nghị Hà Nội) with a score of 85%."
    )


def test_no_cohort_leaves_no_empty_brackets():
    assert fill(BODY, {**FULL, "cohort": ""}) == (
        "Chuyên viên, Sở Văn hóa\n"
        "has completed the training course “Thông tin đối ngoại” with a score of 85%."
    )


def test_no_cohort_no_score_no_position():
    assert fill(BODY, {**FULL, "cohort": "", "score": "", "position": ""}) == (
        "Sở Văn hóa\nhas completed the training course “Thông tin đối ngoại”."
    )


def test_no_place_leaves_no_leading_comma():
    values = {"place": "", "day": 6, "month": 12, "year": 2026}

    assert fill("[{place}, ]ngày {day} tháng {month} năm {year}", values) == (
        "ngày 6 tháng 12 năm 2026"
    )
    assert fill("[{place}, ]ngày {day}", {**values, "place": "Hà Nội"}) == "Hà Nội, ngày 6"


def test_brackets_without_a_placeholder_are_printed_as_written():
    assert fill("Số [bản sao] {score}", {"score": "1"}) == "Số [bản sao] 1"


def test_texts_written_before_optional_parts_are_tidied_where_a_value_is_missing():
    old_body = (
        "{position}, {organisation}\nhas completed the training course “{course}”\n"
        "({cohort}) with a score of {score}."
    )
    values = {**FULL, "cohort": "", "position": ""}

    assert fill(old_body, values) == (
        "Sở Văn hóa\nhas completed the training course “Thông tin đối ngoại”\nwith a score of 85%."
    )
    assert fill(
        "{place}, {day}/{month}/{year}", {"place": "", "day": 1, "month": 2, "year": 3}
    ) == ("1/2/3")


def test_a_line_left_with_its_full_stop_gives_it_to_the_line_before():
    assert fill("đã hoàn thành “{course}”\n{cohort}.", {"course": "A", "cohort": ""}) == (
        "đã hoàn thành “A”."
    )


def test_lines_with_every_value_are_kept_exactly():
    text = "  Chức vụ:  {position} ,  (ghi chú)  "

    assert fill(text, {"position": "Chuyên viên"}) == "  Chức vụ:  Chuyên viên ,  (ghi chú)  "


FACTS = ["position", "organisation", "cohort", "score", "place"]
words = st.text(alphabet=string.ascii_letters + "ăđơưàáạ", min_size=1, max_size=8)


@given(
    line=st.lists(
        st.tuples(st.sampled_from([", ", " (", ") ", ": ", " "]), st.sampled_from(FACTS)),
        min_size=1,
        max_size=6,
    ),
    present=st.dictionaries(st.sampled_from(FACTS), words),
)
def test_a_line_missing_a_value_keeps_no_empty_brackets_or_dangling_separators(line, present):
    template = "Họ tên" + "".join(f"{sep}{{{name}}}" for sep, name in line) + "."
    values = {name: present.get(name, "") for name in FACTS}

    text = fill(template, values)

    if any(not values[name] for _sep, name in line):
        assert "()" not in text
        assert not text.rstrip(".").rstrip().endswith((",", ":"))
        assert ", ," not in text and ": ," not in text
        assert "  " not in text
    else:
        assert text == template.format_map(values)
