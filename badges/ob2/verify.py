"""Verification of Open Badges 2.0 Assertions as a fixed pipeline of checks.

OB 2.0 "Verification" (implementation section). The pipeline depends on the
Assertion's VerificationObject:

- hosted: parse → hosted (fetch the Assertion at its ``id``; that copy is used
  from then on) → assertion (Data Validation of Assertion, BadgeClass, issuer
  Profile) → issuer (the ``id`` is within the issuer's scope) → valid_from →
  valid_until → status → recipient;
- signed: parse → assertion → issuer (the key is linked from the Profile and owned
  by it) → proof (the JWS) → valid_from → valid_until → status → recipient.

Like OB 3.0 verification it never raises for bad input, and a document that
cannot be fetched makes the verdict ``indeterminate``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from badges.checks.state import error
from badges.ob2.checks import (
    check_assertion,
    check_hosted,
    check_hosted_scope,
    check_parse,
    check_signature,
    check_signed_issuer,
)
from badges.ob2.links import Links
from badges.ob2.state import Ob2CheckFn, Ob2State
from badges.ob2.validity import check_expires, check_issued_on, check_recipient, check_revocation
from badges.report import CheckResult, Outcome, VerificationReport
from badges.types import HttpFetcher, JSONObject

Pipeline = tuple[tuple[str, Ob2CheckFn, tuple[str, ...]], ...]
"""(check id, check, ids of the checks that must pass first), in order."""

HOSTED: Pipeline = (
    ("hosted", check_hosted, ("parse",)),
    ("assertion", check_assertion, ("hosted",)),
    ("issuer", check_hosted_scope, ("assertion",)),
    ("valid_from", check_issued_on, ("issuer",)),
    ("valid_until", check_expires, ("issuer",)),
    ("status", check_revocation, ("issuer",)),
    ("recipient", check_recipient, ("issuer",)),
)

SIGNED: Pipeline = (
    ("assertion", check_assertion, ("parse",)),
    ("issuer", check_signed_issuer, ("assertion",)),
    ("proof", check_signature, ("issuer",)),
    ("valid_from", check_issued_on, ("proof",)),
    ("valid_until", check_expires, ("proof",)),
    ("status", check_revocation, ("proof",)),
    ("recipient", check_recipient, ("proof",)),
)


def _run(check_id: str, run: Ob2CheckFn, state: Ob2State) -> CheckResult:
    try:
        return run(state)
    except Exception as exc:  # a bug must not turn into a crash for the caller
        return error(check_id, "internal_error", detail=type(exc).__name__)


def verify_ob2(
    assertion: JSONObject | str | bytes,
    *,
    fetch: HttpFetcher | None = None,
    now: datetime | None = None,
    skew: timedelta = timedelta(minutes=5),
    recipient: str | None = None,
) -> VerificationReport:
    """Verify an OB 2.0 Assertion given as a dict, JSON text, a compact JWS or its URL.

    ``fetch`` retrieves the hosted Assertion, BadgeClass, issuer Profile,
    CryptographicKey and RevocationList (nothing is fetched without it);
    ``now`` fixes the clock, ``skew`` tolerates clock differences and
    ``recipient`` (an e-mail address, URL or telephone number) is compared with
    the Assertion's IdentityObject. ``report.format`` is ``ob2-hosted`` or
    ``ob2-signed``; ``report.related`` holds the BadgeClass and issuer Profile.
    """
    state = Ob2State(
        raw=assertion,
        now=(now or datetime.now(UTC)).astimezone(UTC),
        skew=skew,
        links=Links(fetch),
        recipient=recipient,
    )
    results: dict[str, CheckResult] = {"parse": _run("parse", check_parse, state)}
    pipeline = HOSTED if state.mode == "hosted" else SIGNED
    for check_id, run, requires in pipeline:
        if any(results[dep].outcome is not Outcome.PASSED for dep in requires):
            results[check_id] = CheckResult(check_id, Outcome.SKIPPED, "skipped_after_failure")
            continue
        results[check_id] = _run(check_id, run, state)
    related = {name: doc for name, doc in (("badge", state.badge), ("issuer", state.issuer)) if doc}
    return VerificationReport(
        checks=tuple(results.values()),
        warnings=tuple(state.warnings),
        credential=state.assertion or None,
        format=state.format,
        related=related or None,
    )
