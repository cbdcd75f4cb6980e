"""Binary-to-text encodings used by keys, proofs and DIDs.

* base58btc with the Bitcoin alphabet (draft-msporny-base58), as used by
  ``publicKeyMultibase``, ``proofValue`` and ``publicKeyBase58``;
* multibase (draft-multiformats-multibase): ``z`` = base58btc,
  ``u`` = base64url without padding;
* base64url without padding (RFC 4648 §5, RFC 7515 §2 "Base64url Encoding");
* unsigned-varint multicodec prefixes (multiformats unsigned-varint and the
  multicodec table), as used by Multikey (W3C Controlled Identifiers §2.2.2)
  and the did:key method.

Every decoder is strict and raises :class:`badges.errors.InvalidEncoding`
(a ``ValueError``) for malformed input, never anything else.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from typing import Final, NoReturn

from badges.errors import InvalidEncoding

__all__ = [
    "MAX_BASE58_BYTES",
    "MAX_BASE58_LENGTH",
    "MULTICODEC_ED25519_PRIV",
    "MULTICODEC_ED25519_PUB",
    "MULTICODEC_P256_PRIV",
    "MULTICODEC_P256_PUB",
    "MULTICODEC_RSA_PUB",
    "b64url_decode",
    "b64url_encode",
    "base58_decode",
    "base58_encode",
    "base58btc_decode",
    "base58btc_encode",
    "multibase_decode",
    "multibase_encode",
    "multicodec_decode",
    "multicodec_encode",
    "varint_decode",
    "varint_encode",
]

# --------------------------------------------------------------------------- base58btc

_B58_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX: Final = {char: i for i, char in enumerate(_B58_ALPHABET)}
# Two-character digits (base 58**2 = 3364) halve the number of encoding steps.
_PAIR_BASE: Final = 58 * 58
_B58_PAIRS: Final = tuple(a + b for a in _B58_ALPHABET for b in _B58_ALPHABET)
# Big-integer work is done 10 characters at a time; the rest is on small ints.
_CHUNK_CHARS: Final = 10
_CHUNK_BASE: Final = 58**_CHUNK_CHARS
_SMALL_INPUT_BYTES: Final = 96

MAX_BASE58_BYTES: Final = 4096
"""Largest byte string :func:`base58_encode` accepts (base58 is quadratic)."""

MAX_BASE58_LENGTH: Final = 5600
"""Longest text :func:`base58_decode` accepts (about ``MAX_BASE58_BYTES`` bytes)."""


def _as_text(value: object, what: str) -> str:
    """Return ``value`` as ``str``; ASCII ``bytes`` are accepted, anything else is refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        try:
            return bytes(value).decode("ascii")
        except UnicodeDecodeError:
            raise InvalidEncoding(f"{what}: expected ASCII text, got non-ASCII bytes") from None
    raise InvalidEncoding(f"{what}: expected a string, got {type(value).__name__}")


def _as_bytes(value: object, what: str) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bytearray | memoryview):
        return bytes(value)
    raise InvalidEncoding(f"{what}: expected bytes, got {type(value).__name__}")


def base58_encode(data: bytes) -> str:
    """Encode ``data`` in base58btc (Bitcoin alphabet), one ``1`` per leading zero byte."""
    raw = _as_bytes(data, "base58 input")
    if len(raw) > MAX_BASE58_BYTES:
        raise InvalidEncoding(
            f"base58 input: expected at most {MAX_BASE58_BYTES} bytes, got {len(raw)}"
        )
    stripped = raw.lstrip(b"\0")
    zeros = len(raw) - len(stripped)
    number = int.from_bytes(stripped, "big")
    pairs: list[str] = []
    if len(stripped) > _SMALL_INPUT_BYTES:
        # Long input: peel 10 digits per big-integer division, then work on small ints.
        while number:
            number, chunk = divmod(number, _CHUNK_BASE)
            for _ in range(_CHUNK_CHARS // 2):
                chunk, pair = divmod(chunk, _PAIR_BASE)
                pairs.append(_B58_PAIRS[pair])
    else:
        while number:
            number, pair = divmod(number, _PAIR_BASE)
            pairs.append(_B58_PAIRS[pair])
    return "1" * zeros + "".join(reversed(pairs)).lstrip("1")


def _invalid_base58(text: str) -> InvalidEncoding:
    for position, char in enumerate(text):
        if char not in _B58_INDEX:
            return InvalidEncoding(
                f"base58btc text: invalid character {char!r} at position {position}"
                " (expected the Bitcoin alphabet)"
            )
    return InvalidEncoding(f"base58btc text: could not decode {text[:40]!r}")  # pragma: no cover


def base58_decode(text: str | bytes) -> bytes:
    """Decode base58btc text; each leading ``1`` becomes a zero byte.

    Raises :class:`InvalidEncoding` for empty text, characters outside the
    Bitcoin alphabet, non-string input and text longer than ``MAX_BASE58_LENGTH``.
    """
    value = _as_text(text, "base58btc text")
    if not value:
        raise InvalidEncoding("base58btc text: expected at least one character, got ''")
    if len(value) > MAX_BASE58_LENGTH:
        raise InvalidEncoding(
            f"base58btc text: expected at most {MAX_BASE58_LENGTH} characters, got {len(value)}"
        )
    stripped = value.lstrip("1")
    zeros = len(value) - len(stripped)
    index = _B58_INDEX
    number = 0
    head = len(stripped) % _CHUNK_CHARS
    try:
        for char in stripped[:head]:
            number = number * 58 + index[char]
        for start in range(head, len(stripped), _CHUNK_CHARS):
            chunk = 0
            for char in stripped[start : start + _CHUNK_CHARS]:
                chunk = chunk * 58 + index[char]
            number = number * _CHUNK_BASE + chunk
    except KeyError:
        raise _invalid_base58(value) from None
    return b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


base58btc_encode = base58_encode
"""Alias of :func:`base58_encode`."""
base58btc_decode = base58_decode
"""Alias of :func:`base58_decode`."""


# --------------------------------------------------------------------------- base64url

_B64URL_RE: Final = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(data: bytes) -> str:
    """Encode ``data`` as base64url without ``=`` padding (RFC 7515 §2)."""
    raw = _as_bytes(data, "base64url input")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


_B64URL_INDEX: Final = {
    c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
}
_TO_STANDARD: Final = bytes.maketrans(b"-_", b"+/")


def b64url_decode(text: str | bytes) -> bytes:
    """Decode unpadded base64url strictly (RFC 7515 §2, RFC 4648 §5).

    Padding, whitespace, characters outside ``[A-Za-z0-9_-]``, impossible
    lengths and non-canonical trailing bits (RFC 4648 §3.5) are all refused.
    """
    value = _as_text(text, "base64url text")
    if "+" in value or "/" in value or "=" in value or not value.isascii():
        _bad_b64url_character(value)
    remainder = len(value) % 4
    if remainder == 1:
        if not _B64URL_RE.fullmatch(value):
            _bad_b64url_character(value)
        raise InvalidEncoding(f"base64url text: impossible length {len(value)} (length % 4 == 1)")
    if remainder and _B64URL_INDEX.get(value[-1], 0) & (0x0F if remainder == 2 else 0x03):
        raise InvalidEncoding("base64url text: non-canonical encoding (unused bits are not zero)")
    padded = value.encode("ascii").translate(_TO_STANDARD) + b"=" * (-len(value) % 4)
    try:
        return binascii.a2b_base64(padded, strict_mode=True)
    except binascii.Error:
        _bad_b64url_character(value)


def _bad_b64url_character(value: str) -> NoReturn:
    bad = next((c for c in value if not _B64URL_RE.fullmatch(c)), "?")
    raise InvalidEncoding(
        f"base64url text: invalid character {bad!r} (expected [A-Za-z0-9_-], no padding)"
    )


# --------------------------------------------------------------------------- multibase

_MULTIBASE_PREFIXES: Final = ("z", "u")


def multibase_encode(data: bytes, base: str = "z") -> str:
    """Encode ``data`` as multibase: ``z`` (base58btc, default) or ``u`` (base64url)."""
    if base == "z":
        return "z" + base58_encode(data)
    if base == "u":
        return "u" + b64url_encode(data)
    raise InvalidEncoding(f"multibase prefix: expected 'z' or 'u', got {base!r}")


def multibase_decode(text: str | bytes, *, allowed: Collection[str] = _MULTIBASE_PREFIXES) -> bytes:
    """Decode multibase text with prefix ``z`` (base58btc) or ``u`` (base64url, no padding).

    ``allowed`` narrows the accepted prefixes, e.g. ``("z",)`` for
    ``publicKeyMultibase`` which Multikey requires to be base58btc.
    """
    value = _as_text(text, "multibase text")
    if not value:
        raise InvalidEncoding("multibase text: expected a prefix character, got ''")
    prefix, body = value[0], value[1:]
    if prefix not in allowed or prefix not in _MULTIBASE_PREFIXES:
        expected = " or ".join(repr(p) for p in _MULTIBASE_PREFIXES if p in allowed)
        raise InvalidEncoding(f"multibase prefix: expected {expected}, got {prefix!r}")
    if prefix == "z":
        return base58_decode(body)
    return b64url_decode(body)


# --------------------------------------------------------------------------- multicodec

MULTICODEC_ED25519_PUB: Final = 0xED
"""ed25519-pub: 32-byte public key (varint bytes ``ed 01``)."""
MULTICODEC_ED25519_PRIV: Final = 0x1300
"""ed25519-priv: 32-byte seed (varint bytes ``80 26``)."""
MULTICODEC_P256_PUB: Final = 0x1200
"""p256-pub: 33-byte SEC1 compressed point (varint bytes ``80 24``)."""
MULTICODEC_P256_PRIV: Final = 0x1306
"""p256-priv: 32-byte big-endian private scalar (varint bytes ``86 26``)."""
MULTICODEC_RSA_PUB: Final = 0x1205
"""rsa-pub: DER ``RSAPublicKey`` (PKCS #1) (varint bytes ``85 24``)."""

_VARINT_MAX_BYTES: Final = 9  # multiformats unsigned-varint: at most 9 bytes (63 bits)


def varint_encode(value: int) -> bytes:
    """Encode a non-negative int as a multiformats unsigned varint (LEB128)."""
    if not isinstance(value, int) or value < 0 or value.bit_length() > 7 * _VARINT_MAX_BYTES:
        raise InvalidEncoding(f"varint value: expected an int in [0, 2**63), got {value!r}")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def varint_decode(data: bytes, offset: int = 0) -> tuple[int, int]:
    """Decode an unsigned varint at ``offset``; return ``(value, next_offset)``.

    Truncated, over-long (more than 9 bytes) and non-minimal encodings are refused,
    as the multiformats unsigned-varint specification requires.
    """
    raw = _as_bytes(data, "varint input")
    value = 0
    for index in range(_VARINT_MAX_BYTES):
        position = offset + index
        if position >= len(raw):
            raise InvalidEncoding("varint: truncated (input ended inside a varint)")
        byte = raw[position]
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            if byte == 0 and index > 0:
                raise InvalidEncoding("varint: non-minimal encoding (trailing zero byte)")
            return value, position + 1
    raise InvalidEncoding(f"varint: longer than {_VARINT_MAX_BYTES} bytes")


def multicodec_encode(code: int, payload: bytes) -> bytes:
    """Prefix ``payload`` with the varint of multicodec ``code``."""
    return varint_encode(code) + _as_bytes(payload, "multicodec payload")


def multicodec_decode(data: bytes) -> tuple[int, bytes]:
    """Split multicodec-prefixed bytes into ``(code, payload)``."""
    code, offset = varint_decode(data)
    return code, bytes(data[offset:])
