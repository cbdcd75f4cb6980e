"""What a bulk job needs to issue its rows, prepared once per job: the decrypted key,
the verification method, the endorsements to embed, and per language the localised
achievement and issuer profile.
Each row then costs building and signing its credential only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from badges.identity import normalize_email
from badges.model import Recipient
from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer.errors import Conflict, FormatUnavailable, InvalidRequest
from issuer.services import ServiceContext, credential_build
from issuer.services import endorsements as endorsement_service
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
from issuer.services.credential_build import name_identifier
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
    signer: credential_build.Signer
    endorsements: credential_build.Endorsements
    fmt: str
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
        plan = cls(
            ctx=ctx,
            job=job,
            achievement=achievement,
            version=version,
            issuer=issuer,
            key=key,
            signer=credential_build.Signer.of(ctx, issuer, key),
            endorsements=endorsement_service.embedded_for(session, achievement.id, issuer.id),
            fmt=issuer.format,
            languages=langs,
            default_language=default,
            lease=lease,
        )
        session.expunge_all()  # the plan outlives this session
        return plan

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
        credential = credential_build.build(
            self.ctx,
            award_id=award_id,
            profile=profile,
            achievement=achievement_json,
            recipient=recipient,
            valid_from=now,
            valid_until=valid_until,
            level=row.level,
            evidence=[{"id": url, "type": ["Evidence"]} for url in row.evidence_urls],
            narrative=row.narrative,
            name=name_identifier(row.name) if row.name else None,
        )
        values = credential_build.award_values(
            session,
            self.ctx,
            self.signer,
            credential,
            award_id=award_id,
            achievement_id=self.achievement.id,
            version_id=self.version.id,
            version=self.version.version,
            recipient_type=row.recipient_type,
            recipient_ref=ref,
            language=lang,
            fmt=self.fmt,
            valid_from=now,
            valid_until=valid_until,
            created_by=self.job.created_by,
            now=now,
            endorsements=self.endorsements,
        )
        values["idempotency_key"] = row.idempotency_key
        values["request_hash"] = row.idempotency_key.rpartition(":")[2][:64]
        return values
