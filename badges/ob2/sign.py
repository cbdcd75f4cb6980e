"""Signing OB 2.0 Assertions: a compact JWS (RS256) whose payload is the Assertion JSON.

OB 2.0 "SignedBadge": "The JSON-LD representation of the Assertion should be used as
the JWS payload. For compatibility purposes, using RSA-SHA256 is recommended." The
header is ``{"alg": "RS256"}`` (RFC 7515 §7.1 compact serialization); the key that
verifies it is named by the Assertion's ``verification.creator``, not by the header.
Signing is deterministic (RSASSA-PKCS1-v1_5): the same Assertion and key always give
the same JWS.
"""

from __future__ import annotations

import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from badges.encoding import b64url_encode
from badges.errors import InvalidInput, InvalidKey
from badges.keys import KeyPair, KeyType
from badges.types import JSONObject

HEADER = {"alg": "RS256"}


def _rsa_private_key(key: KeyPair | str | bytes) -> rsa.RSAPrivateKey:
    crypto: object
    if isinstance(key, KeyPair):
        if key.type is not KeyType.RSA:
            raise InvalidKey(f"OB 2.0 assertions are signed with RSA keys (RS256), not {key.type}")
        crypto = key.crypto
    else:
        pem = key.encode("ascii") if isinstance(key, str) else key
        try:
            crypto = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise InvalidKey(f"not an unencrypted PEM private key: {exc}") from exc
    if not isinstance(crypto, rsa.RSAPrivateKey):
        raise InvalidKey("OB 2.0 assertions are signed with RSA keys (RS256)")
    if crypto.key_size < 2048:
        raise InvalidKey(f"an RSA key of {crypto.key_size} bits is too small (at least 2048)")
    return crypto


def _segment(data: JSONObject) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return b64url_encode(text.encode("utf-8"))


def sign_assertion(assertion: JSONObject, key: KeyPair | str | bytes) -> str:
    """The compact JWS (RS256) of ``assertion``, signed with an RSA key pair or PEM key."""
    if not isinstance(assertion, dict) or "Assertion" not in _types(assertion):
        raise InvalidInput("only an OB 2.0 Assertion object (type Assertion) can be signed")
    private = _rsa_private_key(key)
    signing_input = f"{_segment(HEADER)}.{_segment(assertion)}"
    signature = private.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url_encode(signature)}"


def public_key_pem(key: KeyPair | str | bytes) -> str:
    """The SubjectPublicKeyInfo PEM of an RSA key (a CryptographicKey's ``publicKeyPem``)."""
    public = _rsa_private_key(key).public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def _types(assertion: JSONObject) -> list[object]:
    value = assertion.get("type")
    return value if isinstance(value, list) else [value]
