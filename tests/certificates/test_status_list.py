"""The Bitstring Status List's pure part, checked against a decoding written here from the
specification (GZIP, base64url, Multibase "u", bit 0 the first byte's most significant bit)."""

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates.badges import status_list

SIZE = status_list.MIN_BITS


def bits_of(encoded: str) -> bytes:
    body = encoded.removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


@given(st.sets(st.integers(min_value=0, max_value=SIZE - 1), max_size=50))
def test_exactly_the_given_bits_are_set(indexes):
    encoded = status_list.encode(indexes, size=SIZE)
    assert encoded.startswith("u") and "=" not in encoded
    bits = bits_of(encoded)
    assert len(bits) == SIZE // 8
    set_bits = {
        byte_index * 8 + bit
        for byte_index, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    }
    assert set_bits == indexes
    assert all(status_list.is_set(status_list.decode(encoded), i) for i in indexes)


def test_index_zero_is_the_first_bytes_most_significant_bit():
    assert bits_of(status_list.encode([0], size=SIZE))[0] == 0x80
    assert bits_of(status_list.encode([9], size=SIZE))[1] == 0x40


def test_the_same_list_encodes_to_the_same_text():
    assert status_list.encode([3, 5], size=SIZE) == status_list.encode([5, 3], size=SIZE)


def test_lists_are_at_least_sixteen_kibibytes_and_hold_only_their_indexes():
    with pytest.raises(ValueError):
        status_list.encode([], size=1024)
    with pytest.raises(ValueError):
        status_list.encode([SIZE], size=SIZE)


@given(st.integers(min_value=0, max_value=10**9))
def test_each_number_has_one_position(number):
    list_number, index = status_list.position(number, size=SIZE)
    assert 0 <= index < SIZE and list_number * SIZE + index == number
