"""Secrets derived from ``MERKKI_SECRET_KEY``: private keys at rest and recipient hashes.

Each purpose gets its own 256-bit key from HKDF-SHA256 (RFC 5869) with a distinct
``info`` label, so the secret itself is never used directly:

* private keys: AES-256-GCM (NIST SP 800-38D), a fresh 96-bit nonce per value and
  the signing key's row id as associated data, so a ciphertext cannot be moved to
  another row. Stored as ``v1.`` + base64url(nonce || ciphertext || tag).
* recipient e-mail addresses: HMAC-SHA256 of the normalised address, stored as
  ``hmac-sha256:<hex>`` to find a person's awards without storing the address.

Changing ``MERKKI_SECRET_KEY`` makes stored private keys unreadable and old
recipient searches miss: rotate it only with a re-encryption step.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from badges.identity import normalize_email

_VERSION = "v1."
_NONCE_BYTES = 12
_KEY_INFO = b"merkki/private-keys/aes-256-gcm/v1"
_RECIPIENT_INFO = b"merkki/recipient-hash/hmac-sha256/v1"
RECIPIENT_HASH_PREFIX = "hmac-sha256:"


class DecryptionError(Exception):
    """A stored private key cannot be decrypted (wrong secret or tampered row)."""


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


@dataclass(frozen=True)
class SecretBox:
    """Encrypts private keys and keys recipient hashes under keys derived from one secret."""

    secret: bytes = field(repr=False)
    _aead: AESGCM = field(init=False, repr=False)
    _hmac_key: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_aead", AESGCM(_derive(self.secret, _KEY_INFO)))
        object.__setattr__(self, "_hmac_key", _derive(self.secret, _RECIPIENT_INFO))

    def encrypt(self, plaintext: bytes, associated: str) -> str:
        """Encrypt ``plaintext`` bound to ``associated`` (the row id)."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, associated.encode("utf-8"))
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, stored: str, associated: str) -> bytes:
        """Decrypt a value made by :meth:`encrypt` for the same ``associated`` id."""
        if not stored.startswith(_VERSION):
            raise DecryptionError("unknown private key encoding")
        try:
            raw = base64.urlsafe_b64decode(stored.removeprefix(_VERSION))
            return self._aead.decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], associated.encode("utf-8")
            )
        except (InvalidTag, ValueError) as exc:
            raise DecryptionError(
                "cannot decrypt a private key: MERKKI_SECRET_KEY differs from the one it was "
                "stored with, or the row was altered"
            ) from exc

    def recipient_hash(self, email: str) -> str:
        """``hmac-sha256:<hex>`` of the normalised e-mail address."""
        digest = hmac.new(self._hmac_key, normalize_email(email).encode("utf-8"), hashlib.sha256)
        return RECIPIENT_HASH_PREFIX + digest.hexdigest()
