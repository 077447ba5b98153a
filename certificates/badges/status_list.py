"""W3C Bitstring Status List v1.0, the pure part: where a certificate's bit is, and the
``encodedList`` (Multibase ``u`` + base64url without padding of the GZIP-compressed bitstring,
bit 0 being the most significant bit of the first byte).

Where a certificate's bit is, is drawn at random and kept (``certificates.badges.allocation``).
``position`` is the older rule (list ``n`` holds the primary keys ``n * size`` to
``(n + 1) * size - 1``), which certificates issued before random indexes keep.
"""

import base64
import gzip
from collections.abc import Iterable

MIN_BITS = 131_072  # 16 KiB, the specification's minimum (herd privacy)


def position(number: int, *, size: int) -> tuple[int, int]:
    """(list number, index in that list) of the ``number``-th status."""
    return divmod(number, size)


def encode(set_indexes: Iterable[int], *, size: int) -> str:
    if size < MIN_BITS or size % 8:
        raise ValueError(f"A status list has a multiple of 8 bits, at least {MIN_BITS}.")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"Index {index} is outside a list of {size} bits.")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)  # mtime 0: the same list, the same bytes
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded_list: str) -> bytes:
    if not encoded_list.startswith("u"):
        raise ValueError("An encodedList is Multibase base64url: it starts with 'u'.")
    body = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
