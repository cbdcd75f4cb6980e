"""Offline verification of Open Badges 3.0 credentials as a fixed pipeline of checks.

The order follows OB 3.0 "OpenBadgeCredential Verification" (§9.1) and VC Data
Integrity §4.3: parse → context → schema → issuer (key binding) → proof →
valid_from → valid_until → status → recipient. ``verify`` never raises for bad
input; it reports every check with a stable id and code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from badges.checks import (
    CheckFn,
    VerifyState,
    check_context,
    check_issuer,
    check_parse,
    check_proof,
    check_recipient,
    check_schema,
    check_status,
    check_valid_from,
    check_valid_until,
)
from badges.checks.state import error
from badges.did import DidResolver
from badges.report import CheckResult, Outcome, VerificationReport
from badges.status import StatusResolver
from badges.types import DocumentLoader, HttpFetcher, JSONObject

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
    state = VerifyState(
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
            results[check_id] = error(check_id, "internal_error", detail=type(exc).__name__)
    return VerificationReport(
        checks=tuple(results.values()),
        warnings=tuple(state.warnings),
        credential=state.credential or None,
        format=state.format,
    )
