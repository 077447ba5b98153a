"""courses/text.py is pure: no django_db mark."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.text import (
    collapse_spaces,
    match_key,
    nfc,
    strip_diacritics,
    unify_tone_placement,
)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def test_nfc_composes_decomposed_vietnamese():
    decomposed = nfd("Hòa")
    assert len(decomposed) == 4  # o + combining grave accent

    assert nfc(decomposed) == "Hòa"
    assert len(nfc(decomposed)) == 3


def test_nfc_composes_stacked_vietnamese_marks():
    # ệ carries two marks (circumflex and dot below); NFD spells it as three code points.
    assert nfc(nfd("Nguyễn Thị Hồng Nhung")) == "Nguyễn Thị Hồng Nhung"


def test_nfc_trims_surrounding_whitespace():
    assert nfc("  Huế \n") == "Huế"


def test_collapse_spaces_folds_runs_of_whitespace_and_trims():
    assert collapse_spaces("  Nguyễn   Thị\tHồng \n Nhung ") == "Nguyễn Thị Hồng Nhung"


def test_collapse_spaces_also_composes_to_nfc():
    assert collapse_spaces(nfd(" Trần  Văn  Hòa ")) == "Trần Văn Hòa"


def test_match_key_ignores_case_spacing_and_normal_form():
    assert match_key("NGUYỄN  THỊ HÒA") == match_key(nfd("nguyễn thị hòa "))
    assert match_key("Đà Nẵng") == "đà nẵng"


def test_match_key_keeps_diacritics_apart():
    # "Hòa" and "Hoa" are different names.
    assert match_key("Hòa") != match_key("Hoa")


@pytest.mark.parametrize(
    ("old_style", "new_style"),
    [("hoà", "hòa"), ("Hoà Bình", "Hòa Bình"), ("khoẻ", "khỏe"), ("Thuỷ", "Thủy"), ("hoạ", "họa")],
)
def test_unify_tone_placement_moves_old_style_tones_to_the_first_vowel(old_style, new_style):
    assert unify_tone_placement(old_style) == new_style
    assert unify_tone_placement(nfd(old_style)) == new_style


@pytest.mark.parametrize("word", ["hòa", "quý", "Quỳnh", "hoàng", "khỏe", "Thủy", "thuyền"])
def test_unify_tone_placement_leaves_new_style_qu_and_closed_syllables_alone(word):
    assert unify_tone_placement(word) == word


@pytest.mark.parametrize("word", ["hoặc", "luật", "thuận", "tuệ", "Huệ"])
def test_unify_tone_placement_leaves_tones_on_a_circumflex_or_breve_vowel_alone(word):
    assert unify_tone_placement(word) == word


def test_match_key_treats_old_and_new_tone_placement_alike():
    assert match_key("Nguyễn Thị Hoà") == match_key("nguyễn thị hòa")
    assert match_key("THUỶ") == match_key("thủy")


vietnamese_text = st.text(alphabet="aăâeêioôơuưyAĂÂEÊIOÔƠUƯYqQhnđĐ \u0300\u0301\u0303\u0309\u0323")


@given(vietnamese_text)
def test_unify_tone_placement_only_moves_marks(value):
    unified = unify_tone_placement(value)
    assert strip_diacritics(unified) == strip_diacritics(value)
    assert unify_tone_placement(unified) == unified


def test_strip_diacritics_maps_d_with_stroke_by_hand():
    assert strip_diacritics("Đắk Lắk") == "Dak Lak"
    assert strip_diacritics("đường") == "duong"


def test_strip_diacritics_removes_tone_and_vowel_marks():
    assert strip_diacritics("Hòa Bình") == "Hoa Binh"
    assert strip_diacritics("Thừa Thiên Huế") == "Thua Thien Hue"
    assert strip_diacritics("Quyền con người") == "Quyen con nguoi"


def test_strip_diacritics_accepts_decomposed_input():
    assert strip_diacritics(nfd("Hòa Bình")) == "Hoa Binh"


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_strip_diacritics_leaves_ascii_unchanged(value):
    assert strip_diacritics(value) == value


@given(st.text())
def test_strip_diacritics_leaves_no_combining_marks_and_is_idempotent(value):
    stripped = strip_diacritics(value)
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", stripped))
    assert strip_diacritics(stripped) == stripped


@given(st.text())
def test_collapse_spaces_is_idempotent_nfc(value):
    collapsed = collapse_spaces(value)
    assert collapse_spaces(collapsed) == collapsed
    assert unicodedata.is_normalized("NFC", collapsed)
