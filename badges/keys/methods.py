"""Public keys from verification method objects (Multikey, Ed25519 2018/2020, JWK)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from badges.encoding import (
    base58_decode,
)
from badges.errors import InvalidEncoding
from badges.keys.common import (
    KeyType,
    _fail,
)
from badges.keys.public import PublicKey

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
