"""base58btc, base64url, multibase and multicodec varints: vectors, round trips, hostile input."""

from __future__ import annotations

import base64
import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badges.encoding import (
    MAX_BASE58_BYTES,
    MAX_BASE58_LENGTH,
    b64url_decode,
    b64url_encode,
    base58_decode,
    base58_encode,
    multibase_decode,
    multibase_encode,
    multicodec_decode,
    multicodec_encode,
    varint_decode,
    varint_encode,
)
from badges.errors import InvalidEncoding

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def naive_base58(data: bytes) -> str:
    """Reference encoder: one division per digit."""
    number = int.from_bytes(data, "big")
    digits = ""
    while number:
        number, digit = divmod(number, 58)
        digits = ALPHABET[digit] + digits
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + digits


# draft-msporny-base58-03 §5 test vectors
@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (
            b"The quick brown fox jumps over the lazy dog.",
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
        ),
        (b"\x00\x00\x28\x7f\xb4\xcd", "11233QC4"),
        (b"\x00", "1"),
        (b"\x00\x00\x00", "111"),
        (b"\xff", "5Q"),
    ],
)
def test_base58_vectors(raw: bytes, encoded: str) -> None:
    assert base58_encode(raw) == encoded
    assert base58_decode(encoded) == raw


def test_base58_empty_input() -> None:
    assert base58_encode(b"") == ""
    with pytest.raises(InvalidEncoding, match="at least one character"):
        base58_decode("")


@pytest.mark.parametrize("bad", ["0", "O", "I", "l", "abc+", "z6Mk ", " 1", "ä", "\x00"])
def test_base58_rejects_invalid_characters(bad: str) -> None:
    with pytest.raises(InvalidEncoding, match="invalid character"):
        base58_decode(bad)


def test_base58_rejects_absurd_lengths() -> None:
    with pytest.raises(InvalidEncoding, match="at most"):
        base58_decode("2" * (MAX_BASE58_LENGTH + 1))
    with pytest.raises(InvalidEncoding, match="at most"):
        base58_encode(b"\x01" * (MAX_BASE58_BYTES + 1))


def test_base58_accepts_ascii_bytes_and_rejects_other_types() -> None:
    assert base58_decode(b"5Q") == b"\xff"
    with pytest.raises(InvalidEncoding, match="ASCII"):
        base58_decode(b"\xff")
    with pytest.raises(InvalidEncoding, match="expected a string"):
        base58_decode(58)  # type: ignore[arg-type]
    with pytest.raises(InvalidEncoding, match="expected bytes"):
        base58_encode("text")  # type: ignore[arg-type]


@given(st.binary(max_size=400))
def test_base58_round_trip_matches_reference(data: bytes) -> None:
    encoded = base58_encode(data)
    assert encoded == naive_base58(data)
    if data:
        assert base58_decode(encoded) == data


@given(st.integers(min_value=0, max_value=5), st.binary(max_size=8))
def test_base58_leading_zeros(zeros: int, tail: bytes) -> None:
    data = b"\x00" * zeros + tail
    if data:
        encoded = base58_encode(data)
        assert encoded.startswith("1" * zeros)
        assert base58_decode(encoded) == data


def test_base58_round_trip_at_the_size_limit() -> None:
    data = bytes(range(256)) * (MAX_BASE58_BYTES // 256)
    assert base58_decode(base58_encode(data)) == data
    assert base58_encode(data) == naive_base58(data)


# RFC 4648 §10 vectors, without padding


@pytest.mark.parametrize(
    ("raw", "encoded"),
    [
        (b"", ""),
        (b"f", "Zg"),
        (b"fo", "Zm8"),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg"),
        (b"\xfb\xff", "-_8"),
    ],
)
def test_b64url_vectors(raw: bytes, encoded: str) -> None:
    assert b64url_encode(raw) == encoded
    assert b64url_decode(encoded) == raw
    assert b64url_decode(encoded.encode()) == raw


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("Zg==", "invalid character '='"),
        ("Zm9v+", "invalid character '\\+'"),
        ("Zm9/", "invalid character '/'"),
        ("Zm 9v", "invalid character ' '"),
        ("Zm9v\n", "invalid character"),
        ("Z", "impossible length"),
        ("Zh", "non-canonical"),
        ("Zm9", "non-canonical"),
    ],
)
def test_b64url_is_strict(bad: str, message: str) -> None:
    with pytest.raises(InvalidEncoding, match=message):
        b64url_decode(bad)


@given(st.binary(max_size=200))
def test_b64url_round_trip(data: bytes) -> None:
    encoded = b64url_encode(data)
    assert "=" not in encoded
    assert encoded == base64.urlsafe_b64encode(data).decode().rstrip("=")
    assert b64url_decode(encoded) == data


def test_multibase() -> None:
    assert multibase_encode(b"Hello World!") == "z2NEpo7TZRRrLZSi2U"
    assert multibase_encode(b"foob", "u") == "uZm9vYg"
    assert multibase_decode("z2NEpo7TZRRrLZSi2U") == b"Hello World!"
    assert multibase_decode("uZm9vYg") == b"foob"
    with pytest.raises(InvalidEncoding, match="expected 'z'"):
        multibase_decode("uZm9vYg", allowed=("z",))
    for other in ("f666f6f", "mZm9v", "bmzxw6", "Zfoo", ""):
        with pytest.raises(InvalidEncoding, match="prefix"):
            multibase_decode(other)
    with pytest.raises(InvalidEncoding):
        multibase_encode(b"x", "f")
    with pytest.raises(InvalidEncoding, match="at least one"):
        multibase_decode("z")


@pytest.mark.parametrize(
    ("code", "prefix"),
    [
        (0xED, "ed01"),
        (0x1200, "8024"),
        (0x1300, "8026"),
        (0x1306, "8626"),
        (0x1205, "8524"),
        (0, "00"),
        (0x7F, "7f"),
    ],
)
def test_varint_prefixes(code: int, prefix: str) -> None:
    assert varint_encode(code).hex() == prefix
    assert varint_decode(bytes.fromhex(prefix) + b"rest") == (code, len(prefix) // 2)
    assert multicodec_decode(multicodec_encode(code, b"key")) == (code, b"key")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "truncated"),
        (b"\x80", "truncated"),
        (b"\xed\x80", "truncated"),
        (b"\x80\x00", "non-minimal"),
        (b"\xff" * 10, "longer than"),
    ],
)
def test_varint_rejects_malformed(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidEncoding, match=message):
        varint_decode(raw)


def test_varint_encode_rejects_out_of_range() -> None:
    for bad in (-1, 2**63):
        with pytest.raises(InvalidEncoding):
            varint_encode(bad)


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_varint_round_trip(value: int) -> None:
    assert varint_decode(varint_encode(value)) == (value, len(varint_encode(value)))


# Hostile input: the decoders raise InvalidEncoding and nothing else.


@given(st.text(max_size=300))
def test_decoders_on_random_text(text: str) -> None:
    for decode in (base58_decode, b64url_decode, multibase_decode):
        with contextlib.suppress(InvalidEncoding):
            decode(text)


@given(st.binary(max_size=300))
def test_decoders_on_random_bytes(raw: bytes) -> None:
    for decode in (base58_decode, b64url_decode, multibase_decode):
        with contextlib.suppress(InvalidEncoding):
            decode(raw)
    with contextlib.suppress(InvalidEncoding):
        multicodec_decode(raw)


@given(st.text(alphabet=ALPHABET + "0OIl", min_size=1, max_size=120))
def test_base58_decode_on_near_valid_text(text: str) -> None:
    try:
        decoded = base58_decode(text)
    except InvalidEncoding:
        assert any(c in "0OIl" for c in text)
    else:
        assert base58_encode(decoded) == text
