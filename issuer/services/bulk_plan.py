"""What a bulk job needs to issue its rows, prepared once per job: the decrypted key,
the verification method, and per language the localised achievement and issuer profile.
Each row then costs building and signing its credential only."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from badges.identity import normalize_email
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair
from badges.model import Recipient, build_credential
from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer.errors import Conflict, FormatUnavailable, InvalidRequest
from issuer.services import ServiceContext, status_lists
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
from issuer.services.awards import name_identifier, result_for
from issuer.store import repo
from issuer.store.base import new_id
from issuer.store.tables import (
    Achievement,
    AchievementVersion,
    BulkJob,
    BulkJobRow,
    Issuer,
    SigningKey,
)


@dataclass
class JobPlan:
    ctx: ServiceContext
    job: BulkJob
    achievement: Achievement
    version: AchievementVersion
    issuer: Issuer
    key: SigningKey
    pair: KeyPair
    method: str
    fmt: str
    ldp: bool
    languages: list[str]
    default_language: str
    lease: timedelta
    _achievements: dict[str, JSONObject] = field(default_factory=dict)
    _profiles: dict[str, JSONObject] = field(default_factory=dict)

    @property
    def org_id(self) -> str:
        return self.job.org_id

    @classmethod
    def load(cls, session: Session, ctx: ServiceContext, job: BulkJob, lease: timedelta) -> JobPlan:
        """Raises a service error (the job then fails) if the job cannot be issued now."""
        achievement = repo.achievement(session, job.org_id, job.achievement_id)
        if achievement.archived:
            raise Conflict(f"achievement {achievement.id!r} was archived")
        version = repo.version(session, achievement.id, achievement.current_version)
        issuer = repo.issuer(session, job.org_id, achievement.issuer_id)
        key = repo.current_key(session, issuer.id)
        ldp = key.key_type == "Ed25519"
        if issuer.format == "ldp" and not ldp:
            raise FormatUnavailable(
                f"the issuer's current key is {key.key_type}: eddsa-rdfc-2022 needs Ed25519"
            )
        langs: list[str] = list(languages_of(version.source))
        default = issuer.default_language if issuer.default_language in langs else langs[0]
        session.expunge_all()  # the plan outlives this session
        return cls(
            ctx=ctx,
            job=job,
            achievement=achievement,
            version=version,
            issuer=issuer,
            key=key,
            pair=issuer_service.key_pair(ctx, key),
            method=issuer_service.verification_method(ctx, issuer, key),
            fmt=issuer.format,
            ldp=ldp,
            languages=langs,
            default_language=default,
            lease=lease,
        )

    def _localized(self, lang: str) -> tuple[JSONObject, JSONObject]:
        if lang not in self._achievements:
            url = self.ctx.url(f"achievements/{self.achievement.id}")
            self._achievements[lang] = localize(self.version.source, lang, url)
            profile = issuer_service.profile(self.ctx, self.issuer, [self.key], lang)
            self._profiles[lang] = profile
        return self._achievements[lang], self._profiles[lang]

    def _recipient(self, row: BulkJobRow) -> tuple[Recipient, str]:
        if row.recipient_type == "email":
            email = normalize_email(row.recipient)
            return Recipient(email=email), self.ctx.box.recipient_hash(email)
        return Recipient(id=row.recipient), row.recipient

    def award_values(self, session: Session, row: BulkJobRow, now: datetime) -> dict[str, Any]:
        """The ``awards`` row for ``row``, its credential signed (not added anywhere).

        Its status list entries are claimed in ``session``: the caller inserts the row in
        the same transaction.
        """
        lang = row.language or self.default_language
        if lang not in self.languages:
            raise InvalidRequest(f"the achievement is in {', '.join(self.languages)} only")
        achievement_json, profile = self._localized(lang)
        valid_until = row.valid_until
        if valid_until is None and self.version.default_validity_days:
            valid_until = now + timedelta(days=self.version.default_validity_days)
        elif valid_until is not None and valid_until.astimezone(UTC) <= now:
            raise InvalidRequest(f"valid_until {valid_until.isoformat()} has passed")
        recipient, ref = self._recipient(row)
        award_id = new_id()
        credential = build_credential(
            issuer=profile,
            achievement=achievement_json,
            recipient=recipient,
            valid_from=now,
            valid_until=valid_until,
            credential_id=self.ctx.url(f"credentials/{award_id}"),
            result=[result_for(achievement_json, row.level)] if row.level else None,
            evidence=[{"id": url, "type": ["Evidence"]} for url in row.evidence_urls] or None,
            narrative=row.narrative,
        )
        if row.name:
            subject: dict[str, Any] = credential["credentialSubject"]
            subject["identifier"] = [*subject.get("identifier", []), name_identifier(row.name)]
        # claimed last, once nothing can fail: an unused claim would break the batch's commit
        allocations = status_lists.allocate_entries(session, self.issuer, award_id)
        credential["credentialStatus"] = status_lists.credential_status(self.ctx, allocations)
        signed = (
            sign_credential(credential, self.pair, self.method, created=now) if self.ldp else None
        )
        return {
            "id": award_id,
            "org_id": self.org_id,
            "issuer_id": self.issuer.id,
            "achievement_id": self.achievement.id,
            "achievement_version_id": self.version.id,
            "achievement_version": self.version.version,
            "signing_key_id": self.key.id,
            "recipient_type": row.recipient_type,
            "recipient_ref": ref,
            "language": lang,
            "format": self.fmt,
            "status": "active",
            "credential": signed if signed is not None else copy.deepcopy(credential),
            "ldp": self.ldp,
            "jwt": sign_credential_jwt(credential, self.pair, self.method)
            if self.fmt == "jwt"
            else None,
            "valid_from": now,
            "valid_until": valid_until,
            "idempotency_key": row.idempotency_key,
            "request_hash": row.idempotency_key.rpartition(":")[2][:64],
            "created_by": self.job.created_by,
            "created_at": now,
        }
