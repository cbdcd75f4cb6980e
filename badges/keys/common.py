"""Key types, limits and JWK helpers shared by the key classes."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final, NoReturn, TypeAlias

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from badges.encoding import (
    b64url_decode,
    b64url_encode,
)
from badges.errors import InvalidEncoding, InvalidKey

PublicCryptoKey: TypeAlias = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
PrivateCryptoKey: TypeAlias = (
    ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
)

MIN_RSA_BITS: Final = 2048
"""Smallest RSA modulus accepted (NIST SP 800-131A; RFC 7518 §3.3 requires >= 2048)."""
MAX_RSA_BITS: Final = 8192
"""Largest RSA modulus accepted (bounds the cost of hostile keys)."""
_MAX_RSA_EXPONENT_BITS: Final = 64

_P256_ORDER: Final = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
_P256_BYTES: Final = 32
_ED25519_BYTES: Final = 32
_ED25519_SIGNATURE_BYTES: Final = 64

_JWK_PRIVATE_MEMBERS: Final = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


class KeyType(StrEnum):
    """The supported key types; the value is the JWK ``crv`` (or ``kty`` for RSA)."""

    ED25519 = "Ed25519"
    P256 = "P-256"
    RSA = "RSA"


_JWS_ALG: Final = {KeyType.ED25519: "EdDSA", KeyType.P256: "ES256", KeyType.RSA: "RS256"}
# JWK "alg" values accepted for each type (RFC 7518 §3.1; "Ed25519" per RFC 9864).
_JWK_ALGS: Final = {
    KeyType.ED25519: frozenset({"EdDSA", "Ed25519"}),
    KeyType.P256: frozenset({"ES256"}),
    KeyType.RSA: frozenset({"RS256"}),
}


# --------------------------------------------------------------------------- helpers


def _fail(message: str, cause: BaseException | None = None) -> NoReturn:
    raise InvalidKey(message) from cause


def _int_to_b64url(value: int, length: int | None = None) -> str:
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64url_encode(value.to_bytes(size, "big"))


def _jwk_member(jwk: Mapping[str, Any], name: str, context: str) -> str:
    value = jwk.get(name)
    if not isinstance(value, str):
        shown = "missing" if value is None else f"a {type(value).__name__}"
        _fail(f"{context} JWK member {name!r}: expected a base64url string, got {shown}")
    return value


def _jwk_bytes(jwk: Mapping[str, Any], name: str, context: str, size: int | None = None) -> bytes:
    text = _jwk_member(jwk, name, context)
    try:
        data = b64url_decode(text)
    except InvalidEncoding as exc:
        _fail(f"{context} JWK member {name!r}: {exc}", exc)
    if size is not None and len(data) != size:
        _fail(f"{context} JWK member {name!r}: expected {size} bytes, got {len(data)}")
    return data


def _jwk_int(jwk: Mapping[str, Any], name: str, context: str) -> int:
    data = _jwk_bytes(jwk, name, context)
    if not data:
        _fail(f"{context} JWK member {name!r}: expected a non-empty integer, got ''")
    return int.from_bytes(data, "big")


def _check_jwk_metadata(jwk: Mapping[str, Any], key_type: KeyType) -> None:
    """Refuse ``use``/``alg`` values that contradict a signing key of ``key_type``."""
    use = jwk.get("use")
    if use is not None and use != "sig":
        _fail(f"JWK member 'use': expected 'sig' for a signing key, got {use!r}")
    alg = jwk.get("alg")
    if alg is not None and (not isinstance(alg, str) or alg not in _JWK_ALGS[key_type]):
        expected = " or ".join(sorted(_JWK_ALGS[key_type]))
        _fail(f"JWK member 'alg': expected {expected} for a {key_type} key, got {alg!r}")


def _jwk_key_type(jwk: object) -> KeyType:
    """Classify a JWK by ``kty``/``crv`` (RFC 7518 §6.1, RFC 8037 §2), refusing the rest."""
    if not isinstance(jwk, Mapping):
        _fail(f"JWK: expected a JSON object, got {type(jwk).__name__}")
    kty = jwk.get("kty")
    if kty == "OKP":
        crv = jwk.get("crv")
        if crv != "Ed25519":
            _fail(f"JWK member 'crv': expected 'Ed25519' for kty 'OKP', got {crv!r}")
        return KeyType.ED25519
    if kty == "EC":
        crv = jwk.get("crv")
        if crv != "P-256":
            _fail(f"JWK member 'crv': expected 'P-256' for kty 'EC', got {crv!r}")
        return KeyType.P256
    if kty == "RSA":
        return KeyType.RSA
    if kty == "oct":
        _fail("JWK member 'kty': symmetric 'oct' (HMAC) keys are not accepted")
    _fail(f"JWK member 'kty': expected 'OKP', 'EC' or 'RSA', got {kty!r}")


def _check_rsa_public(key: rsa.RSAPublicKey) -> None:
    bits = key.key_size
    if not MIN_RSA_BITS <= bits <= MAX_RSA_BITS:
        _fail(f"RSA modulus: expected {MIN_RSA_BITS} to {MAX_RSA_BITS} bits, got {bits}")
    if key.public_numbers().e.bit_length() > _MAX_RSA_EXPONENT_BITS:
        _fail(f"RSA exponent: expected at most {_MAX_RSA_EXPONENT_BITS} bits")
