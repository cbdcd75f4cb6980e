"""Public keys and key pairs for Ed25519, P-256 and RSA.

Representations supported:

* **Multikey** (W3C Controlled Identifiers v1.0 §2.2.2, used by VC Data
  Integrity): ``publicKeyMultibase`` / ``secretKeyMultibase`` = ``z`` +
  base58btc(multicodec varint || key bytes). Ed25519 public keys start
  ``z6Mk``, P-256 public keys (33-byte compressed point) ``zDn``, Ed25519
  secret keys ``z3u2``.
* **JWK** (RFC 7517; key types from RFC 7518 §6 and RFC 8037 for ``OKP``),
  with the RFC 7638 thumbprint.
* Legacy verification-method types ``Ed25519VerificationKey2020`` and
  ``Ed25519VerificationKey2018`` (``publicKeyBase58``).

The JWS algorithms are fixed per key type (RFC 7518 §3, RFC 8037 §3.1):
Ed25519 → ``EdDSA``, P-256 → ``ES256`` (raw 64-byte ``r || s`` signatures),
RSA → ``RS256`` (PKCS #1 v1.5 with SHA-256, moduli of 2048-8192 bits).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final, NoReturn, TypeAlias

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from badges.encoding import (
    MULTICODEC_ED25519_PRIV,
    MULTICODEC_ED25519_PUB,
    MULTICODEC_P256_PRIV,
    MULTICODEC_P256_PUB,
    MULTICODEC_RSA_PUB,
    b64url_decode,
    b64url_encode,
    base58_decode,
    multibase_decode,
    multibase_encode,
    multicodec_decode,
    multicodec_encode,
)
from badges.errors import InvalidEncoding, InvalidKey

__all__ = [
    "MAX_RSA_BITS",
    "MIN_RSA_BITS",
    "KeyPair",
    "KeyType",
    "PrivateCryptoKey",
    "PublicCryptoKey",
    "PublicKey",
    "public_key_from_verification_method",
]

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


# --------------------------------------------------------------------------- PublicKey


class PublicKey:
    """An immutable public key; equality and hashing compare the key material.

    Build one with :meth:`from_multibase`, :meth:`from_jwk`,
    :meth:`from_cryptography` or :func:`public_key_from_verification_method`.
    """

    __slots__ = ("_crypto", "_material", "_type")

    _crypto: PublicCryptoKey
    _material: bytes
    _type: KeyType

    def __init__(self, crypto: PublicCryptoKey) -> None:
        """Wrap a ``cryptography`` public key after checking it is supported."""
        key_type, material = self._classify(crypto)
        object.__setattr__(self, "_crypto", crypto)
        object.__setattr__(self, "_type", key_type)
        object.__setattr__(self, "_material", material)

    @staticmethod
    def _classify(crypto: object) -> tuple[KeyType, bytes]:
        if isinstance(crypto, ed25519.Ed25519PublicKey):
            return KeyType.ED25519, crypto.public_bytes_raw()
        if isinstance(crypto, ec.EllipticCurvePublicKey):
            if not isinstance(crypto.curve, ec.SECP256R1):
                _fail(f"EC curve: expected P-256 (secp256r1), got {crypto.curve.name}")
            point = crypto.public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
            return KeyType.P256, point
        if isinstance(crypto, rsa.RSAPublicKey):
            _check_rsa_public(crypto)
            der = crypto.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
            return KeyType.RSA, der
        _fail(f"public key: expected Ed25519, P-256 or RSA, got {type(crypto).__name__}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PublicKey is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"PublicKey is immutable (cannot delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PublicKey):
            return NotImplemented
        return self._type == other._type and self._material == other._material

    def __hash__(self) -> int:
        return hash((self._type, self._material))

    def __copy__(self) -> PublicKey:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> PublicKey:
        return self

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Pickle as the multibase text: __setattr__ is disabled, so the default fails.
        return (PublicKey.from_multibase, (self.to_multibase(),))

    def __repr__(self) -> str:
        if isinstance(self._crypto, rsa.RSAPublicKey):
            return f"PublicKey(RSA-{self._crypto.key_size}, thumbprint={self.thumbprint()!r})"
        return f"PublicKey({self._type.value}, {self.to_multibase()!r})"

    # ---------------------------------------------------------------- properties

    @property
    def type(self) -> KeyType:
        """The key type."""
        return self._type

    @property
    def jws_alg(self) -> str:
        """The JWS ``alg`` for this key: ``EdDSA``, ``ES256`` or ``RS256``."""
        return _JWS_ALG[self._type]

    @property
    def crypto(self) -> PublicCryptoKey:
        """The underlying ``cryptography`` public key object."""
        return self._crypto

    @property
    def raw_bytes(self) -> bytes:
        """The multicodec key bytes.

        Ed25519: the 32-byte public key (RFC 8032); P-256: the 33-byte SEC1
        compressed point; RSA: DER ``RSAPublicKey`` (PKCS #1).
        """
        return self._material

    # ---------------------------------------------------------------- constructors

    @classmethod
    def from_cryptography(cls, obj: object) -> PublicKey:
        """Wrap a ``cryptography`` public key (Ed25519, P-256 or RSA >= 2048 bits)."""
        if not isinstance(
            obj, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
        ):
            _fail(f"public key: expected Ed25519, P-256 or RSA, got {type(obj).__name__}")
        return cls(obj)

    @classmethod
    def from_multibase(cls, text: str) -> PublicKey:
        """Parse a Multikey ``publicKeyMultibase`` (Controlled Identifiers §2.2.2).

        Accepts ``z`` + base58btc of ``0xed01`` + 32 bytes (Ed25519),
        ``0x8024`` + 33-byte compressed point (P-256) or ``0x8524`` + DER
        PKCS #1 (RSA). Everything else raises :class:`InvalidKey`.
        """
        try:
            code, payload = multicodec_decode(multibase_decode(text, allowed=("z",)))
        except InvalidEncoding as exc:
            _fail(f"publicKeyMultibase: {exc}", exc)
        return cls._from_multicodec(code, payload)

    @classmethod
    def _from_multicodec(cls, code: int, payload: bytes) -> PublicKey:
        if code == MULTICODEC_ED25519_PUB:
            return cls.from_ed25519_bytes(payload)
        if code == MULTICODEC_P256_PUB:
            if len(payload) != _P256_BYTES + 1 or payload[0] not in (2, 3):
                _fail(
                    "publicKeyMultibase: expected a 33-byte compressed P-256 point, "
                    f"got {len(payload)} bytes"
                )
            try:
                point = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), payload)
            except ValueError as exc:
                _fail("publicKeyMultibase: not a valid P-256 point", exc)
            return cls(point)
        if code == MULTICODEC_RSA_PUB:
            try:
                loaded = serialization.load_der_public_key(payload)
            except (ValueError, TypeError) as exc:
                _fail("publicKeyMultibase: not a DER RSAPublicKey", exc)
            if not isinstance(loaded, rsa.RSAPublicKey):
                _fail(f"publicKeyMultibase: expected an RSA key, got {type(loaded).__name__}")
            return cls(loaded)
        _fail(
            "publicKeyMultibase: expected multicodec ed25519-pub (0xed), p256-pub (0x1200) "
            f"or rsa-pub (0x1205), got 0x{code:x}"
        )

    @classmethod
    def from_ed25519_bytes(cls, data: bytes) -> PublicKey:
        """Build an Ed25519 key from its 32 raw bytes (RFC 8032 §5.1.5)."""
        if not isinstance(data, bytes) or len(data) != _ED25519_BYTES:
            size = len(data) if isinstance(data, bytes) else type(data).__name__
            _fail(f"Ed25519 public key: expected {_ED25519_BYTES} bytes, got {size}")
        return cls(ed25519.Ed25519PublicKey.from_public_bytes(data))

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> PublicKey:
        """Parse a public JWK (RFC 7517, RFC 7518 §6, RFC 8037 §2).

        Refuses JWKs carrying private members (``d``, ``p``, ``q``, ``dp``,
        ``dq``, ``qi``, ``oth``, ``k``), symmetric ``oct`` keys, curves other
        than Ed25519/P-256, RSA moduli under 2048 bits, ``use`` other than
        ``sig`` and an ``alg`` that does not fit the key.
        """
        key_type = _jwk_key_type(jwk)
        private = sorted(_JWK_PRIVATE_MEMBERS.intersection(jwk))
        if private:
            _fail(f"public JWK: must not contain private members, found {', '.join(private)}")
        _check_jwk_metadata(jwk, key_type)
        return cls._from_public_jwk(jwk, key_type)

    @classmethod
    def _from_public_jwk(cls, jwk: Mapping[str, Any], key_type: KeyType) -> PublicKey:
        if key_type is KeyType.ED25519:
            return cls.from_ed25519_bytes(_jwk_bytes(jwk, "x", "OKP", _ED25519_BYTES))
        if key_type is KeyType.P256:
            x = int.from_bytes(_jwk_bytes(jwk, "x", "EC", _P256_BYTES), "big")
            y = int.from_bytes(_jwk_bytes(jwk, "y", "EC", _P256_BYTES), "big")
            try:
                point = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
            except ValueError as exc:
                _fail("EC JWK: (x, y) is not a point on P-256", exc)
            return cls(point)
        n = _jwk_int(jwk, "n", "RSA")
        e = _jwk_int(jwk, "e", "RSA")
        if not MIN_RSA_BITS <= n.bit_length() <= MAX_RSA_BITS:
            _fail(
                f"RSA JWK member 'n': expected {MIN_RSA_BITS} to {MAX_RSA_BITS} bits, "
                f"got {n.bit_length()}"
            )
        if e.bit_length() > _MAX_RSA_EXPONENT_BITS:
            _fail(f"RSA JWK member 'e': expected at most {_MAX_RSA_EXPONENT_BITS} bits")
        try:
            return cls(rsa.RSAPublicNumbers(e, n).public_key())
        except ValueError as exc:
            _fail(f"RSA JWK: invalid public key ({exc})", exc)

    # ---------------------------------------------------------------- serialisation

    def to_multibase(self) -> str:
        """Return the Multikey ``publicKeyMultibase`` (``z6Mk…``, ``zDn…``, or rsa-pub)."""
        code = {
            KeyType.ED25519: MULTICODEC_ED25519_PUB,
            KeyType.P256: MULTICODEC_P256_PUB,
            KeyType.RSA: MULTICODEC_RSA_PUB,
        }[self._type]
        return multibase_encode(multicodec_encode(code, self._material))

    def to_jwk(self) -> dict[str, str]:
        """Return the public JWK with only the RFC 7638 required members."""
        crypto = self._crypto
        if isinstance(crypto, ed25519.Ed25519PublicKey):
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(self._material)}
        if isinstance(crypto, ec.EllipticCurvePublicKey):
            numbers = crypto.public_numbers()
            return {
                "kty": "EC",
                "crv": "P-256",
                "x": _int_to_b64url(numbers.x, _P256_BYTES),
                "y": _int_to_b64url(numbers.y, _P256_BYTES),
            }
        rsa_numbers = crypto.public_numbers()
        return {
            "kty": "RSA",
            "n": _int_to_b64url(rsa_numbers.n),
            "e": _int_to_b64url(rsa_numbers.e),
        }

    def thumbprint(self) -> str:
        """Return the RFC 7638 JWK thumbprint (SHA-256, base64url without padding).

        The required members (RFC 7638 §3.2; RFC 8037 §2 for OKP) are
        serialised in lexicographic order without whitespace.
        """
        canonical = json.dumps(self.to_jwk(), sort_keys=True, separators=(",", ":"))
        return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())

    # ---------------------------------------------------------------- verification

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Check a JWS-style signature; return ``False`` (never raise) on any mismatch.

        Ed25519: 64-byte RFC 8032 signature. P-256: raw 64-byte ``r || s``
        (RFC 7518 §3.4) over SHA-256. RSA: PKCS #1 v1.5 with SHA-256
        (RFC 7518 §3.3), exactly the modulus length.
        """
        if not isinstance(signature, bytes) or not isinstance(data, bytes):
            return False
        try:
            return self._verify(signature, data)
        except (InvalidSignature, ValueError, TypeError, OverflowError):
            return False

    def _verify(self, signature: bytes, data: bytes) -> bool:
        crypto = self._crypto
        if isinstance(crypto, ed25519.Ed25519PublicKey):
            if len(signature) != _ED25519_SIGNATURE_BYTES:
                return False
            crypto.verify(signature, data)
            return True
        if isinstance(crypto, ec.EllipticCurvePublicKey):
            if len(signature) != 2 * _P256_BYTES:
                return False
            r = int.from_bytes(signature[:_P256_BYTES], "big")
            s = int.from_bytes(signature[_P256_BYTES:], "big")
            if not (0 < r < _P256_ORDER and 0 < s < _P256_ORDER):
                return False
            crypto.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
            return True
        if len(signature) != (crypto.key_size + 7) // 8:
            return False
        crypto.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        return True


# --------------------------------------------------------------------------- KeyPair


class KeyPair:
    """A private key with its :class:`PublicKey`. ``repr`` never shows secret material."""

    __slots__ = ("_private", "_public")

    _private: PrivateCryptoKey
    _public: PublicKey

    def __init__(self, private: PrivateCryptoKey) -> None:
        """Wrap a ``cryptography`` private key (Ed25519, P-256 or RSA 2048-8192 bits)."""
        if not isinstance(
            private, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
        ):
            _fail(f"private key: expected Ed25519, P-256 or RSA, got {type(private).__name__}")
        public = PublicKey(private.public_key())
        object.__setattr__(self, "_private", private)
        object.__setattr__(self, "_public", public)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"KeyPair is immutable (cannot set {name!r})")

    def __repr__(self) -> str:
        return f"KeyPair({self._public!r})"

    def __copy__(self) -> KeyPair:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> KeyPair:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError("KeyPair holds a private key and cannot be pickled; use to_json_dict()")

    # ---------------------------------------------------------------- properties

    @property
    def public(self) -> PublicKey:
        """The public half."""
        return self._public

    @property
    def type(self) -> KeyType:
        """The key type."""
        return self._public.type

    @property
    def jws_alg(self) -> str:
        """The JWS ``alg`` for signatures made with this key."""
        return self._public.jws_alg

    @property
    def crypto(self) -> PrivateCryptoKey:
        """The underlying ``cryptography`` private key object."""
        return self._private

    # ---------------------------------------------------------------- constructors

    @classmethod
    def generate(cls, key_type: KeyType = KeyType.ED25519, *, rsa_bits: int = 2048) -> KeyPair:
        """Generate a fresh key pair (RSA: public exponent 65537, ``rsa_bits`` >= 2048)."""
        key_type = KeyType(key_type)
        if key_type is KeyType.ED25519:
            return cls(ed25519.Ed25519PrivateKey.generate())
        if key_type is KeyType.P256:
            return cls(ec.generate_private_key(ec.SECP256R1()))
        if not MIN_RSA_BITS <= rsa_bits <= MAX_RSA_BITS:
            _fail(f"rsa_bits: expected {MIN_RSA_BITS} to {MAX_RSA_BITS}, got {rsa_bits}")
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=rsa_bits))

    @classmethod
    def from_cryptography(cls, obj: object) -> KeyPair:
        """Wrap a ``cryptography`` private key object."""
        if not isinstance(
            obj, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
        ):
            _fail(f"private key: expected Ed25519, P-256 or RSA, got {type(obj).__name__}")
        return cls(obj)

    @classmethod
    def from_seed(cls, seed: bytes) -> KeyPair:
        """Derive an Ed25519 key pair from a 32-byte seed (RFC 8032 §5.1.5)."""
        if not isinstance(seed, bytes) or len(seed) != _ED25519_BYTES:
            size = len(seed) if isinstance(seed, bytes) else type(seed).__name__
            _fail(f"Ed25519 seed: expected {_ED25519_BYTES} bytes, got {size}")
        return cls(ed25519.Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def _from_p256_scalar(cls, scalar: bytes) -> KeyPair:
        if len(scalar) != _P256_BYTES:
            _fail(f"P-256 private key: expected {_P256_BYTES} bytes, got {len(scalar)}")
        value = int.from_bytes(scalar, "big")
        if not 0 < value < _P256_ORDER:
            _fail("P-256 private key: scalar out of range [1, n-1]")
        return cls(ec.derive_private_key(value, ec.SECP256R1()))

    @classmethod
    def from_multibase(cls, secret_multibase: str, public_multibase: str | None = None) -> KeyPair:
        """Parse a Multikey ``secretKeyMultibase`` (Controlled Identifiers §2.2.2).

        Ed25519: ``0x8026`` + 32-byte seed (``z3u2…``), or + 64 bytes
        ``seed || public`` (as some tools emit; the public half must match).
        P-256: ``0x8626`` + 32-byte scalar. If ``public_multibase`` is given it
        must be the matching ``publicKeyMultibase``.
        """
        try:
            code, payload = multicodec_decode(multibase_decode(secret_multibase, allowed=("z",)))
        except InvalidEncoding as exc:
            _fail(f"secretKeyMultibase: {exc}", exc)
        if code == MULTICODEC_ED25519_PRIV:
            pair = cls._from_ed25519_secret(payload)
        elif code == MULTICODEC_P256_PRIV:
            pair = cls._from_p256_scalar(payload)
        else:
            _fail(
                "secretKeyMultibase: expected multicodec ed25519-priv (0x1300) or "
                f"p256-priv (0x1306), got 0x{code:x}"
            )
        if (
            public_multibase is not None
            and PublicKey.from_multibase(public_multibase) != pair.public
        ):
            _fail("publicKeyMultibase: does not match secretKeyMultibase")
        return pair

    @classmethod
    def _from_ed25519_secret(cls, payload: bytes) -> KeyPair:
        if len(payload) == 2 * _ED25519_BYTES:
            pair = cls.from_seed(payload[:_ED25519_BYTES])
            if pair.public.raw_bytes != payload[_ED25519_BYTES:]:
                _fail("secretKeyMultibase: public half of the 64-byte Ed25519 key does not match")
            return pair
        if len(payload) != _ED25519_BYTES:
            _fail(f"secretKeyMultibase: expected a 32-byte Ed25519 seed, got {len(payload)} bytes")
        return cls.from_seed(payload)

    @classmethod
    def from_jwk(cls, jwk: Mapping[str, Any]) -> KeyPair:
        """Parse a private JWK (RFC 7517, RFC 7518 §6.2.2/§6.3.2, RFC 8037 §2).

        The public members must match the private key. RSA keys may carry the
        CRT members (``p``, ``q``, ``dp``, ``dq``, ``qi``) or only ``d``.
        """
        key_type = _jwk_key_type(jwk)
        _check_jwk_metadata(jwk, key_type)
        if "d" not in jwk:
            _fail("private JWK: member 'd' is missing")
        public = PublicKey._from_public_jwk(jwk, key_type)
        if key_type is KeyType.ED25519:
            pair = cls.from_seed(_jwk_bytes(jwk, "d", "OKP", _ED25519_BYTES))
        elif key_type is KeyType.P256:
            pair = cls._from_p256_scalar(_jwk_bytes(jwk, "d", "EC", _P256_BYTES))
        else:
            pair = cls._from_rsa_jwk(jwk, public)
        if pair.public != public:
            _fail("private JWK: the public members do not match the private key")
        return pair

    @classmethod
    def _from_rsa_jwk(cls, jwk: Mapping[str, Any], public: PublicKey) -> KeyPair:
        if "oth" in jwk:
            _fail("RSA JWK member 'oth': multi-prime RSA keys are not supported")
        crypto = public.crypto
        if not isinstance(crypto, rsa.RSAPublicKey):  # pragma: no cover - narrowed by key_type
            _fail("RSA JWK: expected an RSA public key")
        numbers = crypto.public_numbers()
        d = _jwk_int(jwk, "d", "RSA")
        crt_names = ("p", "q", "dp", "dq", "qi")
        present = [name for name in crt_names if name in jwk]
        try:
            if not present:
                p, q = rsa.rsa_recover_prime_factors(numbers.n, numbers.e, d)
                dp, dq, qi = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q), rsa.rsa_crt_iqmp(p, q)
            elif len(present) == len(crt_names):
                p, q, dp, dq, qi = (_jwk_int(jwk, name, "RSA") for name in crt_names)
            else:
                missing = ", ".join(name for name in crt_names if name not in jwk)
                _fail(f"RSA JWK: incomplete CRT parameters, missing {missing}")
            private = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qi, numbers).private_key()
        except ValueError as exc:
            _fail(f"RSA JWK: inconsistent private key ({exc})", exc)
        return cls(private)

    # ---------------------------------------------------------------- signing

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` in the JWS form for the key type.

        Ed25519: 64-byte signature (RFC 8032). P-256: ECDSA/SHA-256 converted
        from DER to raw 64-byte ``r || s`` (RFC 7518 §3.4). RSA: PKCS #1 v1.5
        with SHA-256 (RFC 7518 §3.3).
        """
        private = self._private
        if isinstance(private, ed25519.Ed25519PrivateKey):
            return private.sign(data)
        if isinstance(private, ec.EllipticCurvePrivateKey):
            r, s = decode_dss_signature(private.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(_P256_BYTES, "big") + s.to_bytes(_P256_BYTES, "big")
        return private.sign(data, padding.PKCS1v15(), hashes.SHA256())

    # ---------------------------------------------------------------- serialisation

    def private_multibase(self) -> str:
        """Return the Multikey ``secretKeyMultibase`` (Ed25519 ``z3u2…``, or P-256)."""
        private = self._private
        if isinstance(private, ed25519.Ed25519PrivateKey):
            return multibase_encode(
                multicodec_encode(MULTICODEC_ED25519_PRIV, private.private_bytes_raw())
            )
        if isinstance(private, ec.EllipticCurvePrivateKey):
            scalar = private.private_numbers().private_value.to_bytes(_P256_BYTES, "big")
            return multibase_encode(multicodec_encode(MULTICODEC_P256_PRIV, scalar))
        _fail("secretKeyMultibase: RSA keys have no Multikey form; use a JWK")

    def to_jwk(self, private: bool = False) -> dict[str, str]:
        """Return the JWK; with ``private=True`` include the private members."""
        jwk = self._public.to_jwk()
        if not private:
            return jwk
        key = self._private
        if isinstance(key, ed25519.Ed25519PrivateKey):
            jwk["d"] = b64url_encode(key.private_bytes_raw())
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            jwk["d"] = _int_to_b64url(key.private_numbers().private_value, _P256_BYTES)
        else:
            numbers = key.private_numbers()
            jwk["d"] = _int_to_b64url(numbers.d)
            jwk["p"] = _int_to_b64url(numbers.p)
            jwk["q"] = _int_to_b64url(numbers.q)
            jwk["dp"] = _int_to_b64url(numbers.dmp1)
            jwk["dq"] = _int_to_b64url(numbers.dmq1)
            jwk["qi"] = _int_to_b64url(numbers.iqmp)
        return jwk

    def to_json_dict(self) -> dict[str, Any]:
        """Return the key-file form used by ``merkki key new``.

        ``{"type": "Multikey", "keyType", "publicKeyMultibase",
        "secretKeyMultibase", "publicKeyJwk", "privateKeyJwk"}``; RSA keys use
        ``"type": "JsonWebKey"`` and only the JWK members.
        """
        if self.type is KeyType.RSA:
            return {
                "type": "JsonWebKey",
                "keyType": self.type.value,
                "publicKeyJwk": self.to_jwk(),
                "privateKeyJwk": self.to_jwk(private=True),
            }
        return {
            "type": "Multikey",
            "keyType": self.type.value,
            "publicKeyMultibase": self._public.to_multibase(),
            "secretKeyMultibase": self.private_multibase(),
            "publicKeyJwk": self.to_jwk(),
            "privateKeyJwk": self.to_jwk(private=True),
        }

    @classmethod
    def from_json_dict(cls, data: Mapping[str, Any]) -> KeyPair:
        """Load a key file written by :meth:`to_json_dict`, checking every part agrees.

        The private key comes from ``secretKeyMultibase`` or ``privateKeyJwk``
        (if both are present they must be the same key); ``publicKeyMultibase``,
        ``publicKeyJwk`` and ``keyType`` must match it. Other members (``id``,
        ``controller``) are ignored.
        """
        if not isinstance(data, Mapping):
            _fail(f"key file: expected a JSON object, got {type(data).__name__}")
        file_type = data.get("type")
        if file_type not in ("Multikey", "JsonWebKey"):
            _fail(f"key file member 'type': expected 'Multikey' or 'JsonWebKey', got {file_type!r}")
        declared = data.get("keyType")
        if declared not in tuple(KeyType):
            _fail(f"key file member 'keyType': expected Ed25519, P-256 or RSA, got {declared!r}")
        key_type = KeyType(declared)
        candidates = cls._private_candidates(data)
        pair = candidates[0]
        if any(other.to_jwk(private=True) != pair.to_jwk(private=True) for other in candidates[1:]):
            _fail("key file: secretKeyMultibase and privateKeyJwk are different keys")
        if pair.type is not key_type:
            _fail(f"key file member 'keyType': says {key_type.value}, the key is {pair.type.value}")
        cls._check_public_parts(data, pair.public)
        return pair

    @classmethod
    def _private_candidates(cls, data: Mapping[str, Any]) -> list[KeyPair]:
        candidates: list[KeyPair] = []
        secret = data.get("secretKeyMultibase")
        if secret is not None:
            if not isinstance(secret, str):
                _fail("key file member 'secretKeyMultibase': expected a string")
            candidates.append(cls.from_multibase(secret))
        private_jwk = data.get("privateKeyJwk")
        if private_jwk is not None:
            candidates.append(cls.from_jwk(private_jwk))
        if not candidates:
            _fail("key file: expected 'secretKeyMultibase' or 'privateKeyJwk', found neither")
        return candidates

    @staticmethod
    def _check_public_parts(data: Mapping[str, Any], public: PublicKey) -> None:
        public_multibase = data.get("publicKeyMultibase")
        if public_multibase is not None and PublicKey.from_multibase(public_multibase) != public:
            _fail("key file member 'publicKeyMultibase': does not match the private key")
        public_jwk = data.get("publicKeyJwk")
        if public_jwk is not None and PublicKey.from_jwk(public_jwk) != public:
            _fail("key file member 'publicKeyJwk': does not match the private key")


# --------------------------------------------------------------------------- verification methods


def public_key_from_verification_method(vm: Mapping[str, Any]) -> PublicKey:
    """Extract the public key of a verification method.

    Supported ``type`` values:

    * ``Multikey`` — ``publicKeyMultibase`` (Controlled Identifiers §2.2.2);
    * ``Ed25519VerificationKey2020`` — ``publicKeyMultibase`` ``z6Mk…``;
    * ``Ed25519VerificationKey2018`` — ``publicKeyBase58`` (raw 32 bytes);
    * ``JsonWebKey`` / ``JsonWebKey2020`` — ``publicKeyJwk`` (Controlled
      Identifiers §2.2.3).

    Anything else raises :class:`InvalidKey` naming the type.
    """
    if not isinstance(vm, Mapping):
        _fail(f"verification method: expected a JSON object, got {type(vm).__name__}")
    vm_type = vm.get("type")
    if vm_type in ("Multikey", "Ed25519VerificationKey2020"):
        text = vm.get("publicKeyMultibase")
        if not isinstance(text, str):
            _fail(f"{vm_type} member 'publicKeyMultibase': expected a string, got {text!r}")
        key = PublicKey.from_multibase(text)
        if vm_type == "Ed25519VerificationKey2020" and key.type is not KeyType.ED25519:
            _fail(f"Ed25519VerificationKey2020: expected an Ed25519 key, got {key.type.value}")
        return key
    if vm_type == "Ed25519VerificationKey2018":
        text = vm.get("publicKeyBase58")
        if not isinstance(text, str):
            _fail(f"{vm_type} member 'publicKeyBase58': expected a string, got {text!r}")
        try:
            raw = base58_decode(text)
        except InvalidEncoding as exc:
            _fail(f"{vm_type} member 'publicKeyBase58': {exc}", exc)
        return PublicKey.from_ed25519_bytes(raw)
    if vm_type in ("JsonWebKey", "JsonWebKey2020"):
        jwk = vm.get("publicKeyJwk")
        if not isinstance(jwk, Mapping):
            _fail(f"{vm_type} member 'publicKeyJwk': expected a JSON object, got {jwk!r}")
        return PublicKey.from_jwk(jwk)
    _fail(
        f"verification method type: expected Multikey, JsonWebKey, JsonWebKey2020, "
        f"Ed25519VerificationKey2020 or Ed25519VerificationKey2018, got {vm_type!r}"
    )
