"""Embedded endorsements (OB 3.0 §9.1 step 6, "EndorsementCredential Verification").

"Verify each embedded EndorsementCredential the same way": each one found in the badge
(``endorsement`` of the credential, of its ``issuer`` Profile, of the achievement and of
the achievement's ``creator``; and the compact JWS strings of ``endorsementJwt``) goes
through the whole OB 3.0 pipeline on its own (its own proof and its own issuer's key
binding, validity and status), and its ``credentialSubject.id`` must name the object it is
embedded in, or it would lend its words to something else.

Verdict (decision): the ``endorsement`` check is *advisory*
(:data:`badges.report.ADVISORY_CHECKS`). It is ``failed`` when any embedded endorsement is
not valid, ``error`` when one could not be checked (its issuer's key could not be fetched),
and each such endorsement is a warning and an entry of ``report.endorsements``; the badge's
verdict is decided by its own checks alone. An endorsement changed after the badge was
signed also breaks the badge's own proof, which the ``proof`` check reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from badges.checks.state import VerifyState, error, failed, passed
from badges.report import CheckResult, EndorsementResult, Outcome, VerificationReport, Warning
from badges.types import JSONObject

MAX_ENDORSEMENTS = 32
"""At most this many embedded endorsements are verified per badge (each may fetch keys)."""

Embedded = tuple[str, str | None, object]
"""(where, the id its subject must name, the endorsement: an object or a compact JWS)."""


def _object(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def embedded_endorsements(credential: JSONObject) -> list[Embedded]:
    """Every embedded endorsement of ``credential``, in document order."""
    subject = _object(credential.get("credentialSubject")) or {}
    achievement = _object(subject.get("achievement")) or {}
    places: list[tuple[str, dict[str, Any] | None]] = [
        ("credential", credential),
        ("issuer", _object(credential.get("issuer"))),
        ("achievement", achievement),
        ("creator", _object(achievement.get("creator"))),
    ]
    found: list[Embedded] = []
    for where, holder in places:
        if holder is None:
            continue
        expected = holder.get("id") if isinstance(holder.get("id"), str) else None
        for name in ("endorsement", "endorsementJwt"):
            items = holder.get(name)
            for item in items if isinstance(items, list) else [items] if items else []:
                found.append((where, expected, item))
    return found


def _summary(where: str, expected: str | None, report: VerificationReport) -> EndorsementResult:
    credential = report.credential or {}
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
    subject = _object(credential.get("credentialSubject")) or {}
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    is_endorsement = "EndorsementCredential" in types
    return EndorsementResult(
        where=where,
        id=credential.get("id") if isinstance(credential.get("id"), str) else None,
        issuer_id=issuer_id if isinstance(issuer_id, str) else None,
        issuer_name=issuer_name if isinstance(issuer_name, str) else None,
        comment=subject.get("endorsementComment")
        if isinstance(subject.get("endorsementComment"), str)
        else None,
        subject_matches=is_endorsement and (expected is None or subject.get("id") == expected),
        report=report,
    )


def _problem(result: EndorsementResult) -> str:
    if not result.subject_matches:
        return f"{result.where}: not an endorsement of this {result.where}"
    bad = [c for c in result.report.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)]
    return f"{result.where}: " + ", ".join(f"{c.id} {c.code}" for c in bad)


def check_endorsements(
    state: VerifyState,
    found: list[Embedded],
    verify_one: Callable[[object], VerificationReport],
) -> tuple[CheckResult, tuple[EndorsementResult, ...]]:
    """The ``endorsement`` check and each embedded endorsement's own result."""
    if len(found) > MAX_ENDORSEMENTS:
        state.warnings.append(Warning("endorsements_truncated", {"limit": MAX_ENDORSEMENTS}))
    results = tuple(
        _summary(where, expected, verify_one(raw))
        for where, expected, raw in found[:MAX_ENDORSEMENTS]
    )
    bad = [r for r in results if not r.valid]
    for result in bad:
        state.warnings.append(
            Warning(
                "endorsement_not_valid",
                {
                    "id": result.id or "?",
                    "issuer": result.issuer_name or result.issuer_id or "?",
                    "verdict": result.report.verdict.value if result.subject_matches else "invalid",
                    "detail": _problem(result),
                },
            )
        )
    count = len(results)
    invalid = [r for r in bad if not r.subject_matches or r.report.verdict.value != "indeterminate"]
    detail = "; ".join(_problem(r) for r in bad[:3])
    if invalid:
        check = failed(
            "endorsement", "endorsement_invalid", failed=len(invalid), count=count, detail=detail
        )
    elif bad:
        check = error("endorsement", "endorsement_unverifiable", count=len(bad), detail=detail)
    else:
        check = passed("endorsement", "ok_endorsement", count=count)
    return check, results
