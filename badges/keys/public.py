"""Public keys: Multikey, JWK and raw forms, and signature verification."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    encode_dss_signature,
)

from badges.encoding import (
    MULTICODEC_ED25519_PUB,
    MULTICODEC_P256_PUB,
    MULTICODEC_RSA_PUB,
    b64url_encode,
    multibase_decode,
    multibase_encode,
    multicodec_decode,
    multicodec_encode,
)
from badges.errors import InvalidEncoding
from badges.keys.common import (
    _ED25519_BYTES,
    _ED25519_SIGNATURE_BYTES,
    _JWK_PRIVATE_MEMBERS,
    _JWS_ALG,
    _MAX_RSA_EXPONENT_BITS,
    _P256_BYTES,
    _P256_ORDER,
    MAX_RSA_BITS,
    MIN_RSA_BITS,
    KeyType,
    PublicCryptoKey,
    _check_jwk_metadata,
    _check_rsa_public,
    _fail,
    _int_to_b64url,
    _jwk_bytes,
    _jwk_int,
    _jwk_key_type,
)

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
