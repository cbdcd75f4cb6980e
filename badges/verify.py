"""Offline verification of Open Badges 3.0 credentials as a fixed pipeline of checks.

The order follows OB 3.0 "OpenBadgeCredential Verification" (§9.1) and VC Data
Integrity §4.3: parse → context → schema → issuer (key binding) → proof →
valid_from → valid_until → status → recipient. ``verify`` never raises for bad
input; it reports every check with a stable id and code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from badges.did import DidResolver, VerificationMethod
from badges.errors import BadgesError, InvalidInput, ProofError, ResolutionError
from badges.identity import identity_matches
from badges.model.base import SCHEMA_VALIDATOR_TYPE
from badges.proofs import dataintegrity, jwt
from badges.proofs.jwt import DecodedJwt
from badges.report import CheckResult, Outcome, VerificationReport, Warning
from badges.schema import (
    SchemaIssue,
    schemas_for,
    validate_credential,
    vc_version,
)
from badges.status import StatusResolver
from badges.types import DocumentLoader, HttpFetcher, JSONObject

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
MAX_INPUT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
SUPPORTED_DID_METHODS = ("did:key:", "did:web:")


@dataclass
class _State:
    """What the checks share while one credential is verified."""

    raw: object
    now: datetime
    skew: timedelta
    resolver: DidResolver
    loader: DocumentLoader | None
    status_resolver: StatusResolver | None
    recipient: str | None
    accept_header_jwk: bool = False
    credential: JSONObject = field(default_factory=dict)
    jwt: DecodedJwt | None = None
    format: str | None = None
    proofs: list[JSONObject] = field(default_factory=list)
    keys: list[VerificationMethod] = field(default_factory=list)
    jwt_key: VerificationMethod | None = None
    warnings: list[Warning] = field(default_factory=list)


CheckFn = Callable[[_State], CheckResult]


def _passed(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.PASSED, code, params)


def _failed(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.FAILED, code, params)


def _error(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.ERROR, code, params)


def _depth_ok(value: object, limit: int = MAX_DEPTH) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return True


def check_parse(state: _State) -> CheckResult:
    """Accept a dict, JSON text or a compact JWT (OB 3.0 §8.2, "Document Formats")."""
    raw = state.raw
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_INPUT_BYTES:
            return _failed("parse", "too_large", limit=MAX_INPUT_BYTES)
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return _failed("parse", "not_json", detail="not UTF-8 text")
    if isinstance(raw, str):
        if len(raw) > MAX_INPUT_BYTES:
            return _failed("parse", "too_large", limit=MAX_INPUT_BYTES)
        if jwt.looks_like_jwt(raw):
            try:
                state.jwt = jwt.decode_jwt(raw)
            except ProofError as exc:
                return _failed("parse", "malformed_jwt", detail=str(exc))
            raw, state.format = state.jwt.credential, "jwt"
        else:
            try:
                raw = json.loads(raw)
            except RecursionError:
                return _failed("parse", "too_deep", limit=MAX_DEPTH)
            except ValueError as exc:
                return _failed("parse", "not_json", detail=str(exc))
    if not isinstance(raw, dict):
        return _failed("parse", "not_object")
    if not _depth_ok(raw):
        return _failed("parse", "too_deep", limit=MAX_DEPTH)
    state.credential = raw
    state.format = state.format or "ldp"
    return _passed("parse", "ok_parse", format="VC-JWT" if state.jwt else "JSON-LD")


def check_context(state: _State) -> CheckResult:
    """VC DM §4.3 contexts and §4.5 types; OB 3.0 requires its context second."""
    cred = state.credential
    context = cred.get("@context")
    if not isinstance(context, list) or not context:
        return _failed("context", "bad_context", detail="@context must be a non-empty list")
    if context[0] not in (VC_V2, VC_V1):
        return _failed("context", "bad_context", detail=f"the first entry must be {VC_V2}")
    types = cred.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return _failed("context", "bad_type", detail='"type" must include VerifiableCredential')
    if OB_TYPES.intersection(types) and not (
        len(context) > 1 and isinstance(context[1], str) and OB_CONTEXT.match(context[1])
    ):
        return _failed(
            "context", "bad_context", detail="the Open Badges 3.0 context must come second"
        )
    return _passed("context", "ok_context")


def _declares_schema(credential: JSONObject) -> bool:
    declared = credential.get("credentialSchema")
    return any(
        isinstance(entry, dict) and entry.get("type") == SCHEMA_VALIDATOR_TYPE
        for entry in (declared if isinstance(declared, list) else [declared])
    )


def _subject_identified(credential: JSONObject) -> bool:
    subjects = credential.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if not isinstance(subject, dict) or not (subject.get("id") or subject.get("identifier")):
            return False
    return True


def check_schema(state: _State) -> CheckResult:
    """OB 3.0 §9.1 step 1: conformance to the official JSON Schema (local copies).

    "If the OpenBadgeCredential has a ``credentialSchema`` property, and the type
    [...] is 1EdTechJsonSchemaValidator2019, check that the credential conforms":
    a declared schema is enforced; for a credential that declares none, the
    schema for its type is still applied but its findings are warnings. The one
    unconditional rule: "``credentialSubject`` is identified by an ``id`` and/or
    an ``identifier``". A credential of another type (CLR, status list) passes.
    """
    names, _ = schemas_for(state.credential)
    if not names:
        state.warnings.append(Warning("schema_not_applicable"))
        return _passed("schema", "schema_not_applicable")
    issues = validate_credential(state.credential)
    declared = _declares_schema(state.credential)
    if not _subject_identified(state.credential):
        issues.append(SchemaIssue("credentialSubject", 'needs an "id" or an "identifier"'))
    state.warnings.extend(
        Warning("schema_warning", {"detail": f"{i.path}: {i.message}"})
        for i in issues
        if not i.is_error or not declared
    )
    errors = [i for i in issues if i.is_error]
    if errors and declared:
        first = errors[0]
        detail = f"{first.path or '(root)'}: {first.message}"
        if len(errors) > 1:
            detail += f" (+{len(errors) - 1} more)"
        return _failed("schema", "schema_invalid", detail=detail)
    if vc_version(state.credential) == "1.1":
        state.warnings.append(Warning("schema_vc11"))
    if errors:
        return _passed("schema", "schema_undeclared", count=len(errors))
    return _passed("schema", "ok_schema")


def issuer_id(credential: JSONObject) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) and value else None


def _bind(state: _State, vm_id: object, issuer: str) -> VerificationMethod | CheckResult:
    """VC Data Integrity §4.3 / OB §8.2.6: the key must be the issuer's assertion key."""
    if not isinstance(vm_id, str) or not vm_id:
        return _failed("issuer", "malformed_proof", detail="no verificationMethod / kid")
    if vm_id.startswith("did:key:") and "#" not in vm_id:
        # did:key §3.1.2: the document holds exactly one key, ``did:key:<mb>#<mb>``.
        state.warnings.append(Warning("bare_did_key", {"key": vm_id}))
        vm_id = f"{vm_id}#{vm_id.removeprefix('did:key:')}"
    if vm_id.startswith("did:") and not vm_id.startswith(SUPPORTED_DID_METHODS):
        return _failed("issuer", "unsupported_did_method", key=vm_id)
    if not vm_id.startswith(("did:", "https://", "http://")):
        return _failed("issuer", "unsupported_did_method", key=vm_id)
    try:
        method = state.resolver.dereference(vm_id)
    except InvalidInput as exc:
        return _failed("issuer", "key_unresolvable", key=vm_id, detail=str(exc))
    except ResolutionError as exc:
        return _error("issuer", "key_unresolvable", key=vm_id, detail=str(exc))
    if method.controller != issuer:
        return _failed("issuer", "key_not_bound", key=vm_id, issuer=issuer)
    if "assertionMethod" not in method.purposes:
        return _failed("issuer", "key_not_authorized", key=vm_id)
    return method


def check_issuer(state: _State) -> CheckResult:
    issuer = issuer_id(state.credential)
    if issuer is None:
        return _failed("issuer", "issuer_missing")
    try:
        state.proofs = dataintegrity.proofs_of(state.credential)
    except ProofError as exc:
        return _failed("issuer", exc.code, detail=str(exc))
    if not state.proofs and state.jwt is None:
        return _failed("issuer", "no_proof")
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
    return _passed("issuer", "ok_issuer", key=", ".join(key_ids), issuer=issuer)


def _bind_jwt(state: _State, issuer: str) -> VerificationMethod | CheckResult:
    assert state.jwt is not None  # noqa: S101 - only called for JWTs
    header = state.jwt.header
    if "kid" in header:
        return _bind(state, header["kid"], issuer)
    try:
        embedded = jwt.header_key(header)
    except ProofError as exc:
        return _failed("issuer", exc.code, detail=str(exc))
    if embedded is None:
        return _failed(
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
    return _failed("issuer", "key_not_bound", key="jwk", issuer=issuer)


def check_proof(state: _State) -> CheckResult:
    suites: list[str] = []
    for proof, method in zip(state.proofs, state.keys, strict=True):
        if proof.get("proofPurpose") != "assertionMethod":
            return _failed("proof", "wrong_proof_purpose", purpose=proof.get("proofPurpose"))
        try:
            dataintegrity.verify_proof(
                state.credential, proof, method.public_key, loader=state.loader
            )
        except ProofError as exc:
            return _failed("proof", exc.code, detail=str(exc))
        except ResolutionError as exc:
            return _error("proof", "unsupported_cryptosuite", detail=str(exc))
        suites.append(str(proof.get("cryptosuite") or proof.get("type")))
    if state.jwt is not None and state.jwt_key is not None:
        try:
            jwt.verify_signature(state.jwt, state.jwt_key.public_key)
        except ProofError as exc:
            return _failed("proof", exc.code, detail=str(exc))
        mismatches = jwt.claim_mismatches(state.jwt)
        if mismatches:
            return _failed("proof", "claim_mismatch", detail="; ".join(mismatches))
        suites.append(f"VC-JWT {state.jwt.header['alg']}")
    return _passed("proof", "ok_proof", suite=", ".join(suites))


def _date(state: _State, *names: str) -> tuple[str | None, datetime | None]:
    for name in names:
        value = state.credential.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not re.search(r"T.*(Z|[+-]\d\d:\d\d)$", value):
            raise InvalidInput(f'"{name}" must be a date-time with a time zone, got {value!r}')
        try:
            return value, datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidInput(f'"{name}" is not a valid date-time: {value!r}') from exc
    return None, None


def check_valid_from(state: _State) -> CheckResult:
    """OB 3.0 §9.1 step 4: not valid before ``validFrom`` (VC 1.1: ``issuanceDate``)."""
    try:
        text, when = _date(state, "validFrom", "issuanceDate")
    except InvalidInput as exc:
        return _failed("valid_from", "bad_date", detail=str(exc))
    if when is None:
        return _failed("valid_from", "bad_date", detail='"validFrom" is missing')
    if when > state.now + state.skew:
        return _failed("valid_from", "not_yet_valid", valid_from=text)
    return _passed("valid_from", "ok_valid_from", valid_from=text)


def check_valid_until(state: _State) -> CheckResult:
    """OB 3.0 §9.1 step 4: expired after ``validUntil`` (VC 1.1: ``expirationDate``)."""
    try:
        text, when = _date(state, "validUntil", "expirationDate")
    except InvalidInput as exc:
        return _failed("valid_until", "bad_date", detail=str(exc))
    if when is None:
        return _passed("valid_until", "no_expiry")
    if when < state.now - state.skew:
        return _failed("valid_until", "expired", valid_until=text)
    return _passed("valid_until", "ok_valid_until", valid_until=text)


def check_status(state: _State) -> CheckResult:
    """OB 3.0 §9.1 step 4 / Bitstring Status List §3.2: revoked or suspended?"""
    raw = state.credential.get("credentialStatus")
    if raw is None:
        return _passed("status", "no_status")
    entries = raw if isinstance(raw, list) else [raw]
    if state.status_resolver is None:
        state.warnings.append(Warning("status_not_checked"))
        return CheckResult("status", Outcome.SKIPPED, "status_not_checked")
    unchecked = 0
    for entry in entries:
        if not isinstance(entry, dict):
            return _failed("status", "status_invalid", detail="credentialStatus must be an object")
        try:
            result = state.status_resolver(entry)
        except ResolutionError as exc:
            return _error("status", "status_unreachable", detail=str(exc))
        except BadgesError as exc:
            return _failed("status", "status_invalid", detail=str(exc))
        if result is None:
            state.warnings.append(Warning("status_type_not_checked", {"type": entry.get("type")}))
            unchecked += 1
            continue
        if result.is_set and result.purpose in ("revocation", "suspension"):
            return _failed("status", "revoked" if result.purpose == "revocation" else "suspended")
    if unchecked == len(entries):
        return CheckResult("status", Outcome.SKIPPED, "status_not_checked")
    return _passed("status", "ok_status")


def check_recipient(state: _State) -> CheckResult:
    """OB 3.0 §9.1 step 5 (optional): compare a known identifier with the subject."""
    wanted = state.recipient
    if wanted is None:
        return CheckResult("recipient", Outcome.SKIPPED, "recipient_not_requested")
    subject = state.credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if subject.get("id") == wanted:
        return _passed("recipient", "ok_recipient", recipient=wanted)
    identifiers = subject.get("identifier") or []
    for ident in identifiers if isinstance(identifiers, list) else [identifiers]:
        if not isinstance(ident, dict) or not isinstance(ident.get("identityHash"), str):
            continue
        if ident.get("hashed") is True:
            if identity_matches(ident["identityHash"], wanted, ident.get("salt")):
                return _passed("recipient", "ok_recipient", recipient=wanted)
        elif ident["identityHash"].strip().lower() == wanted.strip().lower():
            return _passed("recipient", "ok_recipient", recipient=wanted)
    return _failed("recipient", "recipient_mismatch", recipient=wanted)


CHECKS: tuple[tuple[str, CheckFn, tuple[str, ...]], ...] = (
    ("parse", check_parse, ()),
    ("context", check_context, ("parse",)),
    ("schema", check_schema, ("parse",)),
    ("issuer", check_issuer, ("parse",)),
    ("proof", check_proof, ("issuer",)),
    ("valid_from", check_valid_from, ("proof",)),
    ("valid_until", check_valid_until, ("proof",)),
    ("status", check_status, ("proof",)),
    ("recipient", check_recipient, ("proof",)),
)
"""(check id, check, ids of the checks that must pass first), in order."""


def verify(
    credential: JSONObject | str | bytes,
    *,
    now: datetime | None = None,
    skew: timedelta = timedelta(minutes=5),
    resolver: DidResolver | None = None,
    fetch: HttpFetcher | None = None,
    loader: DocumentLoader | None = None,
    status_resolver: StatusResolver | None = None,
    recipient: str | None = None,
    accept_header_jwk: bool = False,
) -> VerificationReport:
    """Verify a credential given as a dict, JSON text or compact JWT.

    ``now`` fixes the clock, ``skew`` tolerates clock differences, ``resolver``
    (or a ``fetch`` to build one) dereferences keys, ``loader`` serves JSON-LD
    contexts (pinned ones by default), ``status_resolver`` reads status lists
    and ``recipient`` (an e-mail, DID or URL) is compared with the subject.
    ``accept_header_jwk=True`` follows OB 3.0 "Verify a Credential" literally and
    trusts a VC-JWT header ``jwk`` that no issuer document lists (with a
    warning); by default such a key is ``key_not_bound``.
    """
    state = _State(
        raw=credential,
        now=(now or datetime.now(UTC)).astimezone(UTC),
        skew=skew,
        resolver=resolver or DidResolver(fetch),
        loader=loader,
        status_resolver=status_resolver,
        recipient=recipient,
        accept_header_jwk=accept_header_jwk,
    )
    results: dict[str, CheckResult] = {}
    for check_id, run, requires in CHECKS:
        if any(results[dep].outcome is not Outcome.PASSED for dep in requires):
            results[check_id] = CheckResult(check_id, Outcome.SKIPPED, "skipped_after_failure")
            continue
        try:
            results[check_id] = run(state)
        except Exception as exc:  # a bug must not turn into a crash for the caller
            results[check_id] = _error(check_id, "internal_error", detail=type(exc).__name__)
    return VerificationReport(
        checks=tuple(results.values()),
        warnings=tuple(state.warnings),
        credential=state.credential or None,
        format=state.format,
    )
