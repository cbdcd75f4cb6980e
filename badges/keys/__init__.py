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

from badges.keys.common import (
    MAX_RSA_BITS,
    MIN_RSA_BITS,
    KeyType,
    PrivateCryptoKey,
    PublicCryptoKey,
)
from badges.keys.methods import public_key_from_verification_method
from badges.keys.pair import KeyPair
from badges.keys.public import PublicKey

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
