"""The structured result of a verification: checks, their outcomes and the verdict.

Each check is tri-state plus skipped, as in digitalcredentials/verifier-core and
spruceid/ssi: ``failed`` means checked and wrong, ``error`` means it could not be
checked (a key or status list could not be fetched), ``skipped`` means it was
not run because a check it depends on did not pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from badges.messages import message
from badges.types import JSONObject


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    SKIPPED = "skipped"


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    INDETERMINATE = "indeterminate"


_VERDICT_BY_CODE = {
    "revoked": Verdict.REVOKED,
    "suspended": Verdict.SUSPENDED,
    "expired": Verdict.EXPIRED,
}
ADVISORY_CHECKS = frozenset({"endorsement"})
"""Checks reported in full that do not decide the verdict: an embedded endorsement that
does not verify says nothing against the badge's own issuer and proof (its failure is in
the check, in ``warnings`` and in ``endorsements``)."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one check; ``code`` selects the message, ``params`` fill it."""

    id: str
    outcome: Outcome
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return message(self.code, self.params, lang)

    def to_dict(self, lang: str = "en") -> JSONObject:
        return {
            "id": self.id,
            "outcome": self.outcome.value,
            "code": self.code,
            "message": self.message(lang),
        }


@dataclass(frozen=True, slots=True)
class Warning:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return message(self.code, self.params, lang)


@dataclass(frozen=True, slots=True)
class EndorsementResult:
    """One embedded EndorsementCredential and its own verification.

    Made by ``badges.checks.endorsements``."""

    where: str
    """Where it was embedded: ``credential``, ``issuer``, ``achievement`` or ``creator``."""
    id: str | None
    issuer_id: str | None
    issuer_name: str | None
    comment: str | None
    subject_matches: bool
    """Its ``credentialSubject.id`` is the object it is embedded in."""
    report: VerificationReport

    @property
    def valid(self) -> bool:
        return self.subject_matches and self.report.valid

    def to_dict(self, lang: str = "en") -> JSONObject:
        return {
            "where": self.where,
            "id": self.id,
            "issuer": {"id": self.issuer_id, "name": self.issuer_name},
            "comment": self.comment,
            "valid": self.valid,
            "verdict": self.report.verdict.value if self.subject_matches else "invalid",
            "subject_matches": self.subject_matches,
            "errors": self.report.errors(lang),
        }


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """What ``badges.verify`` returns; never raised, always complete."""

    checks: tuple[CheckResult, ...]
    warnings: tuple[Warning, ...] = ()
    credential: JSONObject | None = None
    format: str | None = None
    related: JSONObject | None = None
    """Documents the credential links to, fetched to verify it (OB 2.0: ``badge``, ``issuer``)."""
    baked: str | None = None
    """The media type of the image the credential was baked into (``image/png``...), if any."""
    endorsements: tuple[EndorsementResult, ...] = ()
    """The embedded endorsements, each verified on its own (OB 3.0 §9.1 step 6)."""

    @property
    def verdict(self) -> Verdict:
        decisive = [c for c in self.checks if c.id not in ADVISORY_CHECKS]
        failed = [c for c in decisive if c.outcome is Outcome.FAILED]
        other = [c for c in failed if c.code not in _VERDICT_BY_CODE]
        if other:
            return Verdict.INVALID
        for code in ("revoked", "suspended", "expired"):
            if any(c.code == code for c in failed):
                return _VERDICT_BY_CODE[code]
        if any(c.outcome is Outcome.ERROR for c in decisive):
            return Verdict.INDETERMINATE
        return Verdict.VALID

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID

    def check(self, check_id: str) -> CheckResult:
        """The result of the check with ``check_id`` (KeyError if it did not run)."""
        for result in self.checks:
            if result.id == check_id:
                return result
        raise KeyError(check_id)

    def errors(self, lang: str = "en") -> list[str]:
        return [
            c.message(lang)
            for c in self.checks
            if c.outcome in (Outcome.FAILED, Outcome.ERROR) and c.id not in ADVISORY_CHECKS
        ]

    def to_dict(self, lang: str = "en") -> JSONObject:
        """The JSON form of the report, with messages in ``lang``."""
        data = {
            "valid": self.valid,
            "verdict": self.verdict.value,
            "format": self.format,
            "checks": [c.to_dict(lang) for c in self.checks],
            "errors": self.errors(lang),
            "warnings": [w.message(lang) for w in self.warnings],
            "facts": facts(self.credential, self.related, self.baked) if self.credential else None,
        }
        if self.endorsements:
            data["endorsements"] = [e.to_dict(lang) for e in self.endorsements]
        return data


def _id_and_name(value: object) -> tuple[Any, Any]:
    if isinstance(value, dict):
        return value.get("id"), value.get("name")
    return value, None


def _ref(value: object) -> Any:
    """A link that may be a string or an object with an ``id`` (Image, Criteria...)."""
    return value.get("id") if isinstance(value, dict) else value


def _criteria(value: object) -> Any:
    if isinstance(value, dict):
        return value.get("narrative") or value.get("id")
    return value


def _recipient(kind: Any, identity: Any, hashed: Any) -> JSONObject:
    hashed = hashed is True
    return {"type": kind, "identity": None if hashed else identity, "hashed": hashed}


def facts(
    credential: JSONObject, related: JSONObject | None = None, baked: str | None = None
) -> JSONObject:
    """What the badge says, for display: issuer, achievement, recipient and dates.

    The same keys for OB 3.0 credentials and OB 2.0 Assertions (whose BadgeClass
    and issuer Profile come from ``related`` when they were linked, not embedded).
    """
    if "badge" in credential and "credentialSubject" not in credential:
        found = _ob2_facts(credential, related or {})
    else:
        found = _ob3_facts(credential)
    found["baked"] = baked
    return found


def _ob3_facts(credential: JSONObject) -> JSONObject:
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    issuer_id, issuer_name = _id_and_name(credential.get("issuer"))
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    identifiers = subject.get("identifier")
    identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
    identifier = next((i for i in identifiers if isinstance(i, dict)), None)
    if subject.get("id") is not None or identifier is None:
        recipient = _recipient("id" if subject.get("id") else None, subject.get("id"), False)
    else:
        recipient = _recipient(
            identifier.get("identityType"), identifier.get("identityHash"), identifier.get("hashed")
        )
    valid_from = credential.get("validFrom") or credential.get("issuanceDate")
    return {
        "id": credential.get("id"),
        "name": credential.get("name"),
        "issuer": {"id": issuer_id, "name": issuer_name},
        "achievement": {
            "id": achievement.get("id"),
            "name": achievement.get("name"),
            "description": achievement.get("description"),
            "criteria": _criteria(achievement.get("criteria")),
            "image": _ref(achievement.get("image")),
        },
        "subject": subject.get("id"),
        "recipient": recipient,
        "issued": subject.get("awardedDate") or valid_from,
        "valid_from": valid_from,
        "valid_until": credential.get("validUntil") or credential.get("expirationDate"),
    }


def _ob2_facts(assertion: JSONObject, related: JSONObject) -> JSONObject:
    badge = assertion.get("badge")
    badge = badge if isinstance(badge, dict) else related.get("badge") or {}
    issuer = badge.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else related.get("issuer") or {}
    recipient = assertion.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    hashed = recipient.get("hashed")
    return {
        "id": assertion.get("id"),
        "name": badge.get("name"),
        "issuer": {"id": _ref(badge.get("issuer")), "name": issuer.get("name")},
        "achievement": {
            "id": _ref(assertion.get("badge")),
            "name": badge.get("name"),
            "description": badge.get("description"),
            "criteria": _criteria(badge.get("criteria")),
            "image": _ref(assertion.get("image")) or _ref(badge.get("image")),
        },
        "subject": None if hashed is True else recipient.get("identity"),
        "recipient": _recipient(recipient.get("type"), recipient.get("identity"), hashed),
        "issued": assertion.get("issuedOn"),
        "valid_from": assertion.get("issuedOn"),
        "valid_until": assertion.get("expires"),
    }
