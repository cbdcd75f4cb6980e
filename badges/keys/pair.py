"""Key pairs: generation, import/export and signing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
)

from badges.encoding import (
    MULTICODEC_ED25519_PRIV,
    MULTICODEC_P256_PRIV,
    b64url_encode,
    multibase_decode,
    multibase_encode,
    multicodec_decode,
    multicodec_encode,
)
from badges.errors import InvalidEncoding
from badges.keys.common import (
    _ED25519_BYTES,
    _P256_BYTES,
    _P256_ORDER,
    MAX_RSA_BITS,
    MIN_RSA_BITS,
    KeyType,
    PrivateCryptoKey,
    _check_jwk_metadata,
    _fail,
    _int_to_b64url,
    _jwk_bytes,
    _jwk_int,
    _jwk_key_type,
)
from badges.keys.public import PublicKey

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
