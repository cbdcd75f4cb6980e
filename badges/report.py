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
class VerificationReport:
    """What ``badges.verify`` returns; never raised, always complete."""

    checks: tuple[CheckResult, ...]
    warnings: tuple[Warning, ...] = ()
    credential: JSONObject | None = None
    format: str | None = None

    @property
    def verdict(self) -> Verdict:
        failed = [c for c in self.checks if c.outcome is Outcome.FAILED]
        other = [c for c in failed if c.code not in _VERDICT_BY_CODE]
        if other:
            return Verdict.INVALID
        for code in ("revoked", "suspended", "expired"):
            if any(c.code == code for c in failed):
                return _VERDICT_BY_CODE[code]
        if any(c.outcome is Outcome.ERROR for c in self.checks):
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
            c.message(lang) for c in self.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)
        ]

    def to_dict(self, lang: str = "en") -> JSONObject:
        """The JSON form of the report, with messages in ``lang``."""
        return {
            "valid": self.valid,
            "verdict": self.verdict.value,
            "format": self.format,
            "checks": [c.to_dict(lang) for c in self.checks],
            "errors": self.errors(lang),
            "warnings": [w.message(lang) for w in self.warnings],
            "facts": facts(self.credential) if self.credential else None,
        }


def _id_and_name(value: object) -> tuple[Any, Any]:
    if isinstance(value, dict):
        return value.get("id"), value.get("name")
    return value, None


def facts(credential: JSONObject) -> JSONObject:
    """What the badge says, for display: issuer, achievement, subject and dates."""
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    issuer_id, issuer_name = _id_and_name(credential.get("issuer"))
    achievement_id, achievement_name = _id_and_name(subject.get("achievement"))
    return {
        "id": credential.get("id"),
        "name": credential.get("name"),
        "issuer": {"id": issuer_id, "name": issuer_name},
        "achievement": {"id": achievement_id, "name": achievement_name},
        "subject": subject.get("id"),
        "valid_from": credential.get("validFrom") or credential.get("issuanceDate"),
        "valid_until": credential.get("validUntil") or credential.get("expirationDate"),
    }
