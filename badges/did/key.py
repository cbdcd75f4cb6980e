"""did:key (W3C CCG did:key method v0.7): create and resolve offline, Ed25519 and P-256."""

from __future__ import annotations

from badges.did.common import (
    DID_CONTEXT,
    MULTIKEY_CONTEXT,
)
from badges.errors import InvalidDid, InvalidKey
from badges.keys import KeyType, PublicKey
from badges.types import JSONObject


def did_key(public: PublicKey) -> str:
    """Return ``did:key:<publicKeyMultibase>`` for an Ed25519 or P-256 key (did:key §3.1.1)."""
    if public.type not in (KeyType.ED25519, KeyType.P256):
        raise InvalidDid(f"did:key: expected an Ed25519 or P-256 key, got {public.type.value}")
    return "did:key:" + public.to_multibase()


def did_key_verification_method_id(public: PublicKey) -> str:
    """Return ``did:key:z…#z…``, the id of the key's verification method (did:key §3.1.2)."""
    did = did_key(public)
    return f"{did}#{public.to_multibase()}"


def _parse_did_key(did: str) -> tuple[str, PublicKey]:
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise InvalidDid(f"did:key: expected a DID starting 'did:key:', got {did!r}")
    multibase = did.removeprefix("did:key:")
    if not multibase.startswith("z") or not multibase.isalnum() or not multibase.isascii():
        raise InvalidDid(
            f"did:key: expected 'did:key:z' + base58btc key (no path/fragment), got {did!r}"
        )
    try:
        public = PublicKey.from_multibase(multibase)
    except InvalidKey as exc:
        raise InvalidDid(f"did:key: invalid key in {did!r}: {exc}") from exc
    if public.type not in (KeyType.ED25519, KeyType.P256):
        raise InvalidDid(f"did:key: expected an Ed25519 or P-256 key, got {public.type.value}")
    if public.to_multibase() != multibase:  # pragma: no cover - base58 is canonical
        raise InvalidDid(f"did:key: non-canonical key encoding in {did!r}")
    return multibase, public


def resolve_did_key(did: str) -> JSONObject:
    """Generate the DID document of a did:key (did:key §3.1.2, Multikey form).

    One ``Multikey`` verification method ``did#<multibase>`` controlled by the
    DID, listed under authentication, assertionMethod, capabilityInvocation and
    capabilityDelegation. Ed25519 and P-256 only; anything else raises
    :class:`InvalidDid`.
    """
    multibase, _public = _parse_did_key(did)
    vm_id = f"{did}#{multibase}"
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }
