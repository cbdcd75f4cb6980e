"""The OB 2.0 checks on whether the badge holds now: dates, revocation and recipient.

OB 2.0 "Verification": "The Assertion has not expired", "has not been revoked by
the issuer" (SignedBadge step 7: the issuer Profile's ``revocationList``) and
"was awarded to a valid property value of the expected recipient" (IdentityObject).
"""

from __future__ import annotations

from badges.checks.state import error, failed, passed
from badges.errors import InvalidInput, ResolutionError
from badges.identity import identity_matches
from badges.ob2.documents import parse_date_time, ref_id, revocation_list_problems
from badges.ob2.state import Ob2State
from badges.report import CheckResult, Outcome, Warning


def check_issued_on(state: Ob2State) -> CheckResult:
    """``issuedOn`` in the future (beyond the allowed clock skew) is not valid yet."""
    text = state.assertion.get("issuedOn")
    try:
        when = parse_date_time(text, "issuedOn")
    except InvalidInput as exc:
        return failed("valid_from", "bad_date", detail=str(exc))
    if when > state.now + state.skew:
        return failed("valid_from", "not_yet_valid", valid_from=text)
    return passed("valid_from", "ok_valid_from", valid_from=text)


def check_expires(state: Ob2State) -> CheckResult:
    """ "After this time, the badge should be considered expired" (Assertion ``expires``)."""
    text = state.assertion.get("expires")
    if text is None:
        return passed("valid_until", "no_expiry")
    try:
        when = parse_date_time(text, "expires")
    except InvalidInput as exc:
        return failed("valid_until", "bad_date", detail=str(exc))
    if when < state.now - state.skew:
        return failed("valid_until", "expired", valid_until=text)
    return passed("valid_until", "ok_valid_until", valid_until=text)


def _revoked_entry(entries: list[object], assertion_id: object, uid: object) -> object | None:
    """The ``revokedAssertions`` entry naming the Assertion by ``id`` (or legacy ``uid``)."""
    for entry in entries:
        if isinstance(entry, str):
            if entry == assertion_id:
                return entry
        elif isinstance(entry, dict) and entry.get("revoked") is not False:
            if entry.get("id") is not None and entry.get("id") == assertion_id:
                return entry
            if uid is not None and entry.get("uid") == uid:
                return entry
    return None


def check_revocation(state: Ob2State) -> CheckResult:
    """SignedBadge step 7 (and a hosted copy's ``revoked``): revoked by the issuer?"""
    assertion = state.assertion
    if assertion.get("revoked") is True:
        note_revocation_reason(state, assertion.get("revocationReason"))
        return failed("status", "revoked")
    list_url = ref_id((state.issuer or {}).get("revocationList"))
    if list_url is None:
        if state.mode == "hosted":
            return passed("status", "ok_status")
        return passed("status", "no_status")
    try:
        document = state.links.document(list_url, "RevocationList")
    except ResolutionError as exc:
        return error("status", "status_unreachable", detail=str(exc))
    except InvalidInput as exc:
        return failed("status", "status_invalid", detail=str(exc))
    problems = revocation_list_problems(document)
    if problems:
        return failed("status", "status_invalid", detail=problems[0])
    entry = _revoked_entry(document["revokedAssertions"], assertion.get("id"), assertion.get("uid"))
    if entry is not None:
        note_revocation_reason(
            state, entry.get("revocationReason") if isinstance(entry, dict) else None
        )
        return failed("status", "revoked")
    return passed("status", "ok_status")


def note_revocation_reason(state: Ob2State, reason: object) -> None:
    """Keep the issuer's published ``revocationReason`` as a note for the reader."""
    if isinstance(reason, str) and reason.strip():
        state.warnings.append(Warning("ob2_revocation_reason", {"reason": reason.strip()}))


def check_recipient(state: Ob2State) -> CheckResult:
    """Compare a known identity with the IdentityObject (plain or ``sha256$``/``md5$`` hashed).

    E-mail addresses compare case-insensitively; a hash is tried with the
    address as given and lowercased (``badges.identity.identity_matches``).
    """
    wanted = state.recipient
    if wanted is None:
        return CheckResult("recipient", Outcome.SKIPPED, "recipient_not_requested")
    recipient = state.assertion.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    identity = recipient.get("identity")
    if not isinstance(identity, str):
        return failed("recipient", "recipient_mismatch", recipient=wanted)
    salt = recipient.get("salt")
    salt = salt if isinstance(salt, str) else None
    if recipient.get("hashed") is True:
        matched = identity_matches(identity, wanted, salt)
    elif recipient.get("type") == "email":
        matched = identity.strip().casefold() == wanted.strip().casefold()
    else:
        matched = identity.strip() == wanted.strip()
    if matched:
        return passed("recipient", "ok_recipient", recipient=wanted)
    return failed("recipient", "recipient_mismatch", recipient=wanted)
