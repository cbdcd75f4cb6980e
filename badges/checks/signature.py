"""Checks on who signed: issuer key binding and the proofs.

VC Data Integrity §4.3 and OB 3.0 §8.2.6.
"""

from __future__ import annotations

from datetime import UTC, datetime

from badges.checks.state import (
    SUPPORTED_DID_METHODS,
    VerifyState,
    error,
    failed,
    passed,
)
from badges.did import VerificationMethod
from badges.errors import InvalidInput, ProofError, ResolutionError
from badges.keys import PublicKey
from badges.model.dates import format_datetime, parse_datetime
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
        refused = _key_revocation(state, bound, _proof_created(proof))
        if refused is not None:
            return refused
        state.keys.append(bound)
        key_ids.append(bound.id)
    if state.jwt is not None:
        bound_jwt = _bind_jwt(state, issuer)
        if isinstance(bound_jwt, CheckResult):
            return bound_jwt
        refused = _key_revocation(state, bound_jwt, _jwt_signed_at(state.jwt))
        if refused is not None:
            return refused
        state.jwt_key = bound_jwt
        key_ids.append(bound_jwt.id)
    return passed("issuer", "ok_issuer", key=", ".join(key_ids), issuer=issuer)


def _bind_jwt(state: VerifyState, issuer: str) -> VerificationMethod | CheckResult:
    """Find the VC-JWT's key and bind it to the issuer (OB 3.0 §8.2.4.x, §8.2.6).

    ``kid``: dereferenced and bound like a Data Integrity verificationMethod.
    ``jwk``: OB 3.0 "Verify a Credential" uses it as the key; Merkki checks it
    against the keys the issuer publishes (see :func:`_bind_header_jwk`).
    Neither: the key is taken from the issuer's published assertion keys.
    """
    assert state.jwt is not None  # noqa: S101 - only called for JWTs
    header = state.jwt.header
    if "kid" in header:
        return _bind(state, header["kid"], issuer)
    try:
        embedded = jwt.header_key(header)
    except ProofError as exc:
        return failed("issuer", exc.code, detail=str(exc))
    alg = str(header["alg"])
    try:
        published: list[VerificationMethod] | None = state.resolver.assertion_methods(issuer)
    except (ResolutionError, InvalidInput):
        published = None  # the issuer's keys cannot be read (offline, unsupported id)
    if embedded is None:
        return _key_from_issuer(state, issuer, alg, published)
    return _bind_header_jwk(state, issuer, embedded, published)


def _key_from_issuer(
    state: VerifyState, issuer: str, alg: str, published: list[VerificationMethod] | None
) -> VerificationMethod | CheckResult:
    """No ``kid``/``jwk``: the key is one the issuer lists under ``assertionMethod``."""
    assert state.jwt is not None  # noqa: S101 - only called for JWTs
    if published is None:
        return error(
            "issuer",
            "key_unresolvable",
            key=issuer,
            detail='the JWT header has neither "kid" nor "jwk" and the issuer\'s keys '
            "could not be retrieved",
        )
    wanted = jwt.ALGORITHMS[alg]
    candidates = [m for m in published if m.public_key.type is wanted]
    if not candidates:
        return failed("issuer", "jwt_no_issuer_key", issuer=issuer, alg=alg)
    for method in candidates:
        try:
            jwt.verify_signature(state.jwt, method.public_key)
        except ProofError:
            continue
        return method
    return candidates[0]  # none verifies: the proof check reports invalid_signature


def _bind_header_jwk(
    state: VerifyState,
    issuer: str,
    embedded: PublicKey,
    published: list[VerificationMethod] | None,
) -> VerificationMethod | CheckResult:
    """A header ``jwk`` is the key (OB 3.0) unless what the issuer publishes says otherwise.

    * listed by the issuer under ``assertionMethod``: bound, as if named by ``kid``;
    * a DID issuer (did:key, did:web) that does not list it: ``key_not_bound``, a DID
      document is the complete list of the DID's keys;
    * an HTTPS issuer whose document lists other keys of the same type:
      ``key_not_bound``; one that lists no key for this algorithm: accepted with the
      warning ``jwk_not_bound`` (nothing binds it, nothing contradicts it);
    * the issuer's keys cannot be read: ``key_not_bound`` unless the caller chose
      ``accept_header_jwk`` (then accepted with the warning).
    """
    if published is not None:
        for method in published:
            if method.public_key == embedded:
                return method
        same_type = [m for m in published if m.public_key.type is embedded.type]
        if issuer.startswith("did:") or same_type:
            return failed("issuer", "key_not_bound", key="jwk", issuer=issuer)
    elif not state.accept_header_jwk:
        return failed("issuer", "key_not_bound", key="jwk", issuer=issuer)
    state.warnings.append(Warning("jwk_not_bound", {"issuer": issuer}))
    return VerificationMethod(
        id="jwk",
        type="JsonWebKey",
        controller=issuer,
        public_key=embedded,
        purposes=frozenset({"assertionMethod"}),
    )


def _proof_created(proof: JSONObject) -> datetime | None:
    """A Data Integrity proof's ``created`` (None when absent or not a date-time)."""
    created = proof.get("created")
    if not isinstance(created, str):
        return None
    try:
        return parse_datetime(created, "proof.created")
    except InvalidInput:
        return None


def _jwt_signed_at(decoded: jwt.DecodedJwt) -> datetime | None:
    """When a VC-JWT says it was signed: ``iat``, else ``nbf``, else ``validFrom``."""
    for claim in ("iat", "nbf"):
        value = decoded.payload.get(claim)
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, UTC)
            except (OverflowError, OSError, ValueError):
                return None
    credential = decoded.credential
    valid_from = credential.get("validFrom", credential.get("issuanceDate"))
    if isinstance(valid_from, str):
        try:
            return parse_datetime(valid_from, "validFrom")
        except InvalidInput:
            return None
    return None


def _key_revocation(
    state: VerifyState, method: VerificationMethod, signed_at: datetime | None
) -> CheckResult | None:
    """Refuse a proof made with a compromised key (Controlled Identifiers ``revoked``).

    A proof dated at or after the key's ``revoked`` time, or not dated at all,
    fails with ``key_revoked``; one dated before stays valid with the warning
    ``key_revoked_later`` (the date is the signer's claim: a thief holding the key
    can backdate it, which is why issuers should also revoke affected credentials).
    """
    if method.revoked is None:
        return None
    revoked = format_datetime(method.revoked)
    if signed_at is None:
        return failed("issuer", "key_revoked_undated", key=method.id, revoked=revoked)
    if signed_at >= method.revoked:
        return failed(
            "issuer",
            "key_revoked",
            key=method.id,
            revoked=revoked,
            signed=format_datetime(signed_at),
        )
    state.warnings.append(
        Warning(
            "key_revoked_later",
            {"key": method.id, "revoked": revoked, "signed": format_datetime(signed_at)},
        )
    )
    return None


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
