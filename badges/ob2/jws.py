"""Signed OB 2.0 Assertions: a compact JWS whose payload is the Assertion JSON.

OB 2.0 "SignedBadge Verification" steps 1–2 and 6 (RFC 7515 §5.2). The ``alg``
comes from a fixed allow-list bound to key types (RS256, which the spec
recommends, and ES256), so ``none`` and HMAC can never verify. Keys come from
``CryptographicKey.publicKeyPem`` documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm as CryptographyUnsupported
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from badges.encoding import b64url_decode
from badges.errors import InvalidEncoding, InvalidKey, ProofError, UnsupportedAlgorithm
from badges.keys import KeyType, PublicKey
from badges.types import JSONObject

ALGORITHMS: dict[str, KeyType] = {"RS256": KeyType.RSA, "ES256": KeyType.P256}
"""The allow-list: each JWS ``alg`` with the only key type that may verify it."""

MAX_JWS_CHARS = 2 * 1024 * 1024
MAX_PEM_CHARS = 16 * 1024


@dataclass(frozen=True, slots=True)
class Ob2Jws:
    """A decoded (not yet verified) compact JWS."""

    header: JSONObject
    payload: JSONObject
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> object:
        return self.header.get("alg")


def looks_like_jws(text: str) -> bool:
    """Three dot-separated segments and not JSON (the signature may be empty: ``none``)."""
    stripped = text.strip()
    return stripped.count(".") == 2 and not stripped.startswith(("{", "[", "<"))


def _segment(text: str, name: str) -> JSONObject:
    try:
        value: Any = json.loads(b64url_decode(text))
    except (InvalidEncoding, ValueError, RecursionError) as exc:
        raise ProofError(f"the JWS {name} is not base64url-encoded JSON", "malformed_jwt") from exc
    if not isinstance(value, dict):
        raise ProofError(f"the JWS {name} must be a JSON object", "malformed_jwt")
    return value


def peek_payload(token: str) -> object:
    """The decoded JSON payload of a compact JWS, or ``None`` if it has none (never raises)."""
    parts = token.strip().split(".")
    if len(parts) != 3 or len(token) > MAX_JWS_CHARS:
        return None
    try:
        return json.loads(b64url_decode(parts[1]))
    except (InvalidEncoding, ValueError, RecursionError):
        return None


def decode_jws(token: str) -> Ob2Jws:
    """Parse a compact JWS (RFC 7515 §7.1) without verifying it; raises ``ProofError``.

    An invalid payload "MUST be treated as invalid" (OB 2.0 SignedBadge step 2).
    """
    token = token.strip()
    if len(token) > MAX_JWS_CHARS:
        raise ProofError(f"the JWS is larger than {MAX_JWS_CHARS} characters", "malformed_jwt")
    parts = token.split(".")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise ProofError("a compact JWS has three dot-separated parts", "malformed_jwt")
    header = _segment(parts[0], "header")
    payload = _segment(parts[1], "payload")
    try:
        signature = b64url_decode(parts[2])
    except InvalidEncoding as exc:
        raise ProofError(f"the JWS signature is not base64url: {exc}", "malformed_jwt") from exc
    if "crit" in header:
        raise ProofError('JWS header "crit" is not supported', "malformed_jwt")
    return Ob2Jws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def check_alg(jws: Ob2Jws) -> KeyType:
    """The key type the header's ``alg`` needs; ``UnsupportedAlgorithm`` outside the allow-list."""
    alg = jws.alg
    if not isinstance(alg, str) or alg not in ALGORITHMS:
        raise UnsupportedAlgorithm(f'JWS "alg" must be one of {", ".join(ALGORITHMS)}, got {alg!r}')
    return ALGORITHMS[alg]


def verify_jws(jws: Ob2Jws, key: PublicKey) -> None:
    """RFC 7515 §5.2 step 8 with the alg ↔ key type binding; raises ``ProofError``."""
    wanted = check_alg(jws)
    if key.type is not wanted:
        raise ProofError(
            f'JWS "alg" {jws.alg} cannot be verified with a {key.type} key', "key_type_mismatch"
        )
    if not key.verify(jws.signature, jws.signing_input):
        raise ProofError("the JWS signature does not match", "invalid_signature")


def public_key_from_pem(pem: str) -> PublicKey:
    """A ``CryptographicKey.publicKeyPem`` (SubjectPublicKeyInfo PEM) as a ``PublicKey``."""
    if len(pem) > MAX_PEM_CHARS:
        raise InvalidKey(f"publicKeyPem is longer than {MAX_PEM_CHARS} characters")
    try:
        crypto = load_pem_public_key(pem.strip().encode("ascii"))
    except (ValueError, TypeError, UnicodeEncodeError, CryptographyUnsupported) as exc:
        raise InvalidKey(f"publicKeyPem is not a PEM public key: {exc}") from exc
    return PublicKey.from_cryptography(crypto)
