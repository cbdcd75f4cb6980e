"""Checks on whether it holds now: validity period, status and recipient (OB 3.0 §9.1 steps 4–5)."""

from __future__ import annotations

import re
from datetime import datetime

from badges.checks.state import (
    VerifyState,
    error,
    failed,
    passed,
)
from badges.errors import BadgesError, InvalidInput, ResolutionError
from badges.identity import identity_matches
from badges.report import CheckResult, Outcome, Warning


def _date(state: VerifyState, *names: str) -> tuple[str | None, datetime | None]:
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


def check_valid_from(state: VerifyState) -> CheckResult:
    """OB 3.0 §9.1 step 4: not valid before ``validFrom`` (VC 1.1: ``issuanceDate``)."""
    try:
        text, when = _date(state, "validFrom", "issuanceDate")
    except InvalidInput as exc:
        return failed("valid_from", "bad_date", detail=str(exc))
    if when is None:
        return failed("valid_from", "bad_date", detail='"validFrom" is missing')
    if when > state.now + state.skew:
        return failed("valid_from", "not_yet_valid", valid_from=text)
    return passed("valid_from", "ok_valid_from", valid_from=text)


def check_valid_until(state: VerifyState) -> CheckResult:
    """OB 3.0 §9.1 step 4: expired after ``validUntil`` (VC 1.1: ``expirationDate``)."""
    try:
        text, when = _date(state, "validUntil", "expirationDate")
    except InvalidInput as exc:
        return failed("valid_until", "bad_date", detail=str(exc))
    if when is None:
        return passed("valid_until", "no_expiry")
    if when < state.now - state.skew:
        return failed("valid_until", "expired", valid_until=text)
    return passed("valid_until", "ok_valid_until", valid_until=text)


def check_status(state: VerifyState) -> CheckResult:
    """OB 3.0 §9.1 step 4 / Bitstring Status List §3.2: revoked or suspended?"""
    raw = state.credential.get("credentialStatus")
    if raw is None:
        return passed("status", "no_status")
    entries = raw if isinstance(raw, list) else [raw]
    if state.status_resolver is None:
        state.warnings.append(Warning("status_not_checked"))
        return CheckResult("status", Outcome.SKIPPED, "status_not_checked")
    unchecked = 0
    for entry in entries:
        if not isinstance(entry, dict):
            return failed("status", "status_invalid", detail="credentialStatus must be an object")
        try:
            result = state.status_resolver(entry)
        except ResolutionError as exc:
            return error("status", "status_unreachable", detail=str(exc))
        except BadgesError as exc:
            return failed("status", "status_invalid", detail=str(exc))
        if result is None:
            state.warnings.append(Warning("status_type_not_checked", {"type": entry.get("type")}))
            unchecked += 1
            continue
        if result.is_set and result.purpose in ("revocation", "suspension"):
            return failed("status", "revoked" if result.purpose == "revocation" else "suspended")
    if unchecked == len(entries):
        return CheckResult("status", Outcome.SKIPPED, "status_not_checked")
    return passed("status", "ok_status")


def check_recipient(state: VerifyState) -> CheckResult:
    """OB 3.0 §9.1 step 5 (optional): compare a known identifier with the subject."""
    wanted = state.recipient
    if wanted is None:
        return CheckResult("recipient", Outcome.SKIPPED, "recipient_not_requested")
    subject = state.credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    if subject.get("id") == wanted:
        return passed("recipient", "ok_recipient", recipient=wanted)
    identifiers = subject.get("identifier") or []
    for ident in identifiers if isinstance(identifiers, list) else [identifiers]:
        if not isinstance(ident, dict) or not isinstance(ident.get("identityHash"), str):
            continue
        if ident.get("hashed") is True:
            if identity_matches(ident["identityHash"], wanted, ident.get("salt")):
                return passed("recipient", "ok_recipient", recipient=wanted)
        elif ident["identityHash"].strip().lower() == wanted.strip().lower():
            return passed("recipient", "ok_recipient", recipient=wanted)
    return failed("recipient", "recipient_mismatch", recipient=wanted)
