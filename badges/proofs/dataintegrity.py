"""The generic Data Integrity algorithms (VC Data Integrity 1.0 §4.2, §4.3).

Add Proof and Verify Proof for suites that transform with RDFC-1.0 and hash with
SHA-256: ``hashData = SHA-256(canonical proof config) || SHA-256(canonical document)``
(VC-DI-EdDSA §3.3.4 Hashing, proof hash first), signed with Ed25519.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from badges.canon import canonicalize
from badges.encoding import base58btc_decode, base58btc_encode
from badges.errors import InvalidEncoding, JsonLdError, ProofError
from badges.keys import KeyPair, PublicKey
from badges.proofs.suites import EDDSA_RDFC_2022, Cryptosuite, find_suite
from badges.types import DocumentLoader, JSONObject

ASSERTION_METHOD = "assertionMethod"
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def add_proof(
    document: JSONObject,
    key: KeyPair,
    verification_method: str,
    *,
    suite: Cryptosuite = EDDSA_RDFC_2022,
    created: datetime | None = None,
    proof_purpose: str = ASSERTION_METHOD,
    loader: DocumentLoader | None = None,
) -> JSONObject:
    """Return a copy of ``document`` with a new proof (VC Data Integrity §4.2 Add Proof).

    An existing ``proof`` becomes a proof set: the new proof is appended and, like
    every member of a set, signs the document without any proofs.
    """
    if suite.legacy:
        raise ProofError(f"{suite.label} is accepted for verification only", "legacy_suite")
    if key.type not in suite.key_types:
        raise ProofError(f"{suite.label} cannot sign with a {key.type} key", "key_type_mismatch")
    when = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    proof: JSONObject = {"type": suite.proof_type}
    if suite.cryptosuite:
        proof["cryptosuite"] = suite.cryptosuite
    proof["created"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    proof["verificationMethod"] = verification_method
    proof["proofPurpose"] = proof_purpose
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    signature = key.sign(hash_data(unsecured, proof, loader))
    proof["proofValue"] = "z" + base58btc_encode(signature)
    secured = dict(document)
    existing = document.get("proof")
    if existing is None:
        secured["proof"] = proof
    else:
        previous = existing if isinstance(existing, list) else [existing]
        secured["proof"] = [*previous, proof]
    return secured


def hash_data(
    unsecured: JSONObject, proof_options: JSONObject, loader: DocumentLoader | None
) -> bytes:
    """VC-DI-EdDSA §3.3.2–3.3.4: canonicalize both, hash both, proof hash first.

    Raises ``JsonLdError`` (safe mode) when either contains data outside its contexts.
    """
    config = {k: v for k, v in proof_options.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    canon_proof = canonicalize(config, loader)
    canon_doc = canonicalize(unsecured, loader)
    return (
        hashlib.sha256(canon_proof.encode()).digest() + hashlib.sha256(canon_doc.encode()).digest()
    )


def proofs_of(document: JSONObject) -> list[JSONObject]:
    """The document's proofs as a list (a single proof or a proof set)."""
    raw = document.get("proof")
    if raw is None:
        return []
    items: list[Any] = raw if isinstance(raw, list) else [raw]
    for item in items:
        if not isinstance(item, dict):
            raise ProofError('"proof" must be an object or a list of objects', "malformed_proof")
    return items


def check_proof_shape(document: JSONObject, proof: JSONObject) -> Cryptosuite:
    """Check a proof's required members (VC Data Integrity §4.3 steps 1–5); return its suite."""
    suite = find_suite(proof.get("type"), proof.get("cryptosuite"))
    if suite is None:
        label = proof.get("cryptosuite") or proof.get("type")
        raise ProofError(
            f"unsupported proof type or cryptosuite {label!r}", "unsupported_cryptosuite"
        )
    for member in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(member), str):
            raise ProofError(f'proof "{member}" must be a string', "malformed_proof")
    created = proof.get("created")
    if created is not None and (not isinstance(created, str) or not _DATETIME.match(created)):
        raise ProofError(
            f'proof "created" must be an XML dateTime, got {created!r}', "malformed_proof"
        )
    proof_context = proof.get("@context")
    if proof_context is not None:
        doc_context = document.get("@context")
        wanted = proof_context if isinstance(proof_context, list) else [proof_context]
        have = doc_context if isinstance(doc_context, list) else [doc_context]
        if have[: len(wanted)] != wanted:
            raise ProofError(
                "the proof's @context does not match the start of the credential's @context",
                "proof_context_mismatch",
            )
    return suite


def verify_proof(
    document: JSONObject,
    proof: JSONObject,
    public_key: PublicKey,
    *,
    loader: DocumentLoader | None = None,
) -> None:
    """VC Data Integrity §4.3 Verify Proof for one proof of ``document``.

    Returns normally when the signature verifies; raises ``ProofError`` (with a
    stable ``code``) otherwise. Key binding is the caller's job.
    """
    suite = check_proof_shape(document, proof)
    if public_key.type not in suite.key_types:
        raise ProofError(
            f"{suite.label} needs an Ed25519 key, the verification method has {public_key.type}",
            "key_type_mismatch",
        )
    proof_value: str = proof["proofValue"]
    if not proof_value.startswith("z"):
        raise ProofError(
            '"proofValue" must be base58btc multibase (start with "z")', "malformed_proof"
        )
    try:
        signature = base58btc_decode(proof_value[1:])
    except InvalidEncoding as exc:
        raise ProofError(f'"proofValue" is not valid base58btc: {exc}', "malformed_proof") from exc
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in proof:  # eddsa-rdfc-2022 §3.3.2: the proof's context governs
        unsecured["@context"] = proof["@context"]
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    try:
        data = hash_data(unsecured, options, loader)
    except JsonLdError as exc:
        raise ProofError(
            f"the credential cannot be canonicalized: {exc}", "proof_transformation_error"
        ) from exc
    if not public_key.verify(signature, data):
        raise ProofError("the signature does not match the credential", "invalid_signature")
