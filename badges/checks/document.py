"""Checks on the document itself: parse, ``@context``/``type`` and JSON Schema.

OB 3.0 §9.1 step 1 and "Open Badges Document Formats".
"""

from __future__ import annotations

import json

from badges.checks.state import (
    MAX_DEPTH,
    MAX_INPUT_BYTES,
    OB_CONTEXT,
    OB_TYPES,
    VC_V1,
    VC_V2,
    VerifyState,
    depth_ok,
    failed,
    passed,
)
from badges.errors import ProofError
from badges.model.base import SCHEMA_VALIDATOR_TYPE
from badges.proofs import jwt
from badges.report import CheckResult, Warning
from badges.schema import (
    SchemaIssue,
    schemas_for,
    validate_credential,
    vc_version,
)
from badges.types import JSONObject


def check_parse(state: VerifyState) -> CheckResult:
    """Accept a dict, JSON text or a compact JWT (OB 3.0 §8.2, "Document Formats")."""
    raw = state.raw
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_INPUT_BYTES:
            return failed("parse", "too_large", limit=MAX_INPUT_BYTES)
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return failed("parse", "not_json", detail="not UTF-8 text")
    if isinstance(raw, str):
        if len(raw) > MAX_INPUT_BYTES:
            return failed("parse", "too_large", limit=MAX_INPUT_BYTES)
        if jwt.looks_like_jwt(raw):
            try:
                state.jwt = jwt.decode_jwt(raw)
            except ProofError as exc:
                return failed("parse", "malformed_jwt", detail=str(exc))
            raw, state.format = state.jwt.credential, "jwt"
        else:
            try:
                raw = json.loads(raw)
            except RecursionError:
                return failed("parse", "too_deep", limit=MAX_DEPTH)
            except ValueError as exc:
                return failed("parse", "not_json", detail=str(exc))
    if not isinstance(raw, dict):
        return failed("parse", "not_object")
    if not depth_ok(raw):
        return failed("parse", "too_deep", limit=MAX_DEPTH)
    state.credential = raw
    state.format = state.format or "ldp"
    return passed("parse", "ok_parse", format="VC-JWT" if state.jwt else "JSON-LD")


def check_context(state: VerifyState) -> CheckResult:
    """VC DM §4.3 contexts and §4.5 types; OB 3.0 requires its context second."""
    cred = state.credential
    context = cred.get("@context")
    if not isinstance(context, list) or not context:
        return failed("context", "bad_context", detail="@context must be a non-empty list")
    if context[0] not in (VC_V2, VC_V1):
        return failed("context", "bad_context", detail=f"the first entry must be {VC_V2}")
    types = cred.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        return failed("context", "bad_type", detail='"type" must include VerifiableCredential')
    if OB_TYPES.intersection(types) and not (
        len(context) > 1 and isinstance(context[1], str) and OB_CONTEXT.match(context[1])
    ):
        return failed(
            "context", "bad_context", detail="the Open Badges 3.0 context must come second"
        )
    return passed("context", "ok_context")


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


def check_schema(state: VerifyState) -> CheckResult:
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
        return passed("schema", "schema_not_applicable")
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
        return failed("schema", "schema_invalid", detail=detail)
    if vc_version(state.credential) == "1.1":
        state.warnings.append(Warning("schema_vc11"))
    if errors:
        return passed("schema", "schema_undeclared", count=len(errors))
    return passed("schema", "ok_schema")
