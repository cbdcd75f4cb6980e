"""Checks on who signed: issuer key binding and the proofs.

VC Data Integrity §4.3 and OB 3.0 §8.2.6.
"""

from __future__ import annotations

from badges.checks.state import (
    SUPPORTED_DID_METHODS,
    VerifyState,
    error,
    failed,
    passed,
)
from badges.did import VerificationMethod
from badges.errors import InvalidInput, ProofError, ResolutionError
from badges.proofs import dataintegrity, jwt
from badges.report import CheckResult, Warning
from badges.types import JSONObject


def issuer_id(credential: JSONObject) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) and value else None


def _bind(state: VerifyState, vm_id: object, issuer: str) -> VerificationMethod | CheckResult:
    """VC Data Integrity §4.3 / OB §8.2.6: the key must be the issuer's assertion key."""
    if not isinstance(vm_id, str) or not vm_id:
        return failed("issuer", "malformed_proof", detail="no verificationMethod / kid")
    if vm_id.startswith("did:key:") and "#" not in vm_id:
        # did:key §3.1.2: the document holds exactly one key, ``did:key:<mb>#<mb>``.
        state.warnings.append(Warning("bare_did_key", {"key": vm_id}))
        vm_id = f"{vm_id}#{vm_id.removeprefix('did:key:')}"
    if vm_id.startswith("did:") and not vm_id.startswith(SUPPORTED_DID_METHODS):
        return failed("issuer", "unsupported_did_method", key=vm_id)
    if not vm_id.startswith(("did:", "https://", "http://")):
        return failed("issuer", "unsupported_did_method", key=vm_id)
    try:
        method = state.resolver.dereference(vm_id)
    except InvalidInput as exc:
        return failed("issuer", "key_unresolvable", key=vm_id, detail=str(exc))
    except ResolutionError as exc:
        return error("issuer", "key_unresolvable", key=vm_id, detail=str(exc))
    if method.controller != issuer:
        return failed("issuer", "key_not_bound", key=vm_id, issuer=issuer)
    if "assertionMethod" not in method.purposes:
        return failed("issuer", "key_not_authorized", key=vm_id)
    return method


def check_issuer(state: VerifyState) -> CheckResult:
    issuer = issuer_id(state.credential)
    if issuer is None:
        return failed("issuer", "issuer_missing")
    try:
        state.proofs = dataintegrity.proofs_of(state.credential)
    except ProofError as exc:
        return failed("issuer", exc.code, detail=str(exc))
    if not state.proofs and state.jwt is None:
        return failed("issuer", "no_proof")
    key_ids: list[str] = []
    for proof in state.proofs:
        bound = _bind(state, proof.get("verificationMethod"), issuer)
        if isinstance(bound, CheckResult):
            return bound
        state.keys.append(bound)
        key_ids.append(bound.id)
    if state.jwt is not None:
        bound_jwt = _bind_jwt(state, issuer)
        if isinstance(bound_jwt, CheckResult):
            return bound_jwt
        state.jwt_key = bound_jwt
        key_ids.append(bound_jwt.id)
    return passed("issuer", "ok_issuer", key=", ".join(key_ids), issuer=issuer)


def _bind_jwt(state: VerifyState, issuer: str) -> VerificationMethod | CheckResult:
    assert state.jwt is not None  # noqa: S101 - only called for JWTs
    header = state.jwt.header
    if "kid" in header:
        return _bind(state, header["kid"], issuer)
    try:
        embedded = jwt.header_key(header)
    except ProofError as exc:
        return failed("issuer", exc.code, detail=str(exc))
    if embedded is None:
        return failed(
            "issuer", "malformed_jwt", detail='the JWT header has neither "kid" nor "jwk"'
        )
    if issuer.startswith("did:key:"):
        own = _bind(state, f"{issuer}#{issuer.removeprefix('did:key:')}", issuer)
        if isinstance(own, VerificationMethod) and own.public_key == embedded:
            return own
    if state.accept_header_jwk:
        # OB 3.0 "Verify a Credential" (VC-JWT) step 3: "If the header includes a
        # jwk property, convert the jwk value into the public key" — no binding.
        state.warnings.append(Warning("jwk_not_bound", {"issuer": issuer}))
        return VerificationMethod(
            id="jwk",
            type="JsonWebKey",
            controller=issuer,
            public_key=embedded,
            purposes=frozenset({"assertionMethod"}),
        )
    return failed("issuer", "key_not_bound", key="jwk", issuer=issuer)


def check_proof(state: VerifyState) -> CheckResult:
    suites: list[str] = []
    for proof, method in zip(state.proofs, state.keys, strict=True):
        if proof.get("proofPurpose") != "assertionMethod":
            return failed("proof", "wrong_proof_purpose", purpose=proof.get("proofPurpose"))
        try:
            dataintegrity.verify_proof(
                state.credential, proof, method.public_key, loader=state.loader
            )
        except ProofError as exc:
            return failed("proof", exc.code, detail=str(exc))
        except ResolutionError as exc:
            return error("proof", "unsupported_cryptosuite", detail=str(exc))
        suites.append(str(proof.get("cryptosuite") or proof.get("type")))
    if state.jwt is not None and state.jwt_key is not None:
        try:
            jwt.verify_signature(state.jwt, state.jwt_key.public_key)
        except ProofError as exc:
            return failed("proof", exc.code, detail=str(exc))
        mismatches = jwt.claim_mismatches(state.jwt)
        if mismatches:
            return failed("proof", "claim_mismatch", detail="; ".join(mismatches))
        suites.append(f"VC-JWT {state.jwt.header['alg']}")
    return passed("proof", "ok_proof", suite=", ".join(suites))
