"""Awarding: build the OB 3.0 credential, sign it with the issuer's current key, store it.

Stored forms (decision):

* Ed25519 keys (the default): ``credential`` always carries an eddsa-rdfc-2022 proof.
  With ``format: jwt`` the same credential, without that proof, is also signed as a
  VC-JWT (``jwt``): two independently verifiable forms of one credential, served at
  ``/credentials/{id}.json`` and ``/credentials/{id}.jwt``.
* P-256 and RSA keys cannot make eddsa-rdfc-2022 proofs: only ``format: jwt`` is
  possible; ``credential`` then holds the unsecured credential (for display and the
  API) and ``.json`` answers 404 - the VC-JWT is the credential.

The recipient's e-mail is only in the credential as a salted SHA-256 hash (a fresh
salt per award); the database keeps an HMAC of the normalised address for search.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from badges.model import Recipient
from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import Conflict, FormatUnavailable, IdempotencyConflict, InvalidRequest
from issuer.models.awards import AwardCreate, RecipientIn
from issuer.services import ServiceContext, audit, credential_build, earner, pathways
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
from issuer.services.credential_build import name_identifier as name_identifier
from issuer.services.credential_build import result_for as result_for
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award


def _request_hash(body: AwardCreate) -> str:
    data = body.model_dump(mode="json", exclude={"idempotency_key"})
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _recipient(ctx: ServiceContext, given: RecipientIn) -> tuple[Recipient, str, str]:
    """``(Recipient for the credential, recipient type, searchable reference)``."""
    if given.email is not None:
        try:
            email = normalize_email(given.email)
        except InvalidInput as exc:
            raise InvalidRequest.field(("body", "recipient", "email"), str(exc)) from exc
        return Recipient(email=email), "email", ctx.box.recipient_hash(email)
    if given.did is not None:
        return Recipient(id=given.did), "did", given.did
    if given.url is not None:
        return Recipient(id=given.url), "url", given.url
    raise InvalidRequest.field(("body", "recipient"), "give exactly one of email, did or url")


def recipient_ref(ctx: ServiceContext, value: str) -> str:
    """What to search ``awards.recipient_ref`` for: e-mails are hashed like on issue."""
    value = value.strip()
    if "@" in value and ":" not in value:
        try:
            return ctx.box.recipient_hash(value)
        except InvalidInput as exc:
            raise InvalidRequest.field(("query", "recipient"), str(exc)) from exc
    return value


def _valid_until(body: AwardCreate, days: int | None, now: datetime) -> datetime | None:
    if body.valid_until is None:
        return now + timedelta(days=days) if days else None
    given = body.valid_until
    when = given if given.tzinfo else given.replace(tzinfo=UTC)  # no zone: UTC, as the CLI
    if when <= now:
        raise InvalidRequest.field(("body", "valid_until"), "must be in the future")
    return when.astimezone(UTC).replace(microsecond=0)


def _replay(existing: Award, request_hash: str) -> tuple[Award, bool]:
    if existing.request_hash != request_hash:
        raise IdempotencyConflict(
            "this idempotency_key was used for a different award request; use a new key"
        )
    return existing, False


def issue_award(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    body: AwardCreate,
    *,
    evidence: list[JSONObject] | None = None,
) -> tuple[Award, bool]:
    """Issue one award; returns ``(award, created)`` (``False``: an idempotent replay).

    ``evidence``: OB 3.0 Evidence objects to put in the credential as they are (for
    evidence with a name, narrative or hash; ``issuer.services.applications``), after
    those of ``body.evidence_urls``."""
    org_id, request_hash = actor.org, _request_hash(body)
    if body.idempotency_key is not None:
        existing = repo.award_by_idempotency_key(session, org_id, body.idempotency_key)
        if existing is not None:
            return _replay(existing, request_hash)
    achievement = repo.achievement(session, org_id, body.achievement_id)
    if achievement.archived:
        raise Conflict(f"achievement {achievement.id!r} is archived; restore it to award it")
    version = repo.version(session, achievement.id, achievement.current_version)
    issuer = repo.issuer(session, org_id, achievement.issuer_id)
    key = repo.current_key(session, issuer.id)
    langs: list[str] = list(languages_of(version.source))
    if body.language is not None and body.language not in langs:
        raise InvalidRequest.field(
            ("body", "language"), f"the achievement is in {', '.join(langs)} only"
        )
    lang = body.language or (
        issuer.default_language if issuer.default_language in langs else langs[0]
    )
    fmt = body.format or issuer.format
    ldp = key.key_type == "Ed25519"
    if fmt == "ldp" and not ldp:
        raise FormatUnavailable(
            f"the issuer's current key is {key.key_type}: eddsa-rdfc-2022 needs Ed25519; "
            "request format jwt"
        )
    if version.evidence_required and not (body.evidence_urls or evidence):
        raise InvalidRequest.field(("body", "evidence_urls"), "this achievement requires evidence")
    recipient, recipient_type, ref = _recipient(ctx, body.recipient)
    now = utcnow()
    valid_until = _valid_until(body, version.default_validity_days, now)
    award_id = new_id()
    achievement_json = localize(version.source, lang, ctx.url(f"achievements/{achievement.id}"))
    credential = credential_build.build(
        ctx,
        award_id=award_id,
        profile=issuer_service.profile(ctx, issuer, [key], lang),
        achievement=achievement_json,
        recipient=recipient,
        valid_from=now,
        valid_until=valid_until,
        level=body.level,
        evidence=[{"id": url, "type": ["Evidence"]} for url in body.evidence_urls]
        + list(evidence or []),
        narrative=body.narrative,
        name=name_identifier(body.name) if body.name is not None else None,
    )
    award = Award(
        **credential_build.award_values(
            session,
            ctx,
            credential_build.Signer.of(ctx, issuer, key),
            credential,
            award_id=award_id,
            achievement_id=achievement.id,
            version_id=version.id,
            version=version.version,
            recipient_type=recipient_type,
            recipient_ref=ref,
            language=lang,
            fmt=fmt,
            valid_from=now,
            valid_until=valid_until,
            created_by=actor.actor_id,
            now=now,
        ),
        idempotency_key=body.idempotency_key,
        request_hash=request_hash,
    )
    session.add(award)
    try:  # any flush from here on may hit the idempotency key of a concurrent request
        audit.record(
            session,
            actor,
            "award.create",
            "award",
            award.id,
            achievement_id=achievement.id,
            version=version.version,
            format=fmt,
            language=lang,
        )
        if recipient.email is not None:  # the plain address exists only now: tell the earner
            earner.queue_award_mail(session, ctx, award, recipient.email)
        # pathways this award completes are awarded in this transaction (exactly once)
        pathways.after_award(session, ctx, award, recipient.email or str(recipient.id), actor)
        session.commit()
    except IntegrityError:
        session.rollback()
        if body.idempotency_key is None:
            raise
        existing = repo.award_by_idempotency_key(session, org_id, body.idempotency_key)
        if existing is None:  # pragma: no cover - the constraint that failed was another
            raise
        return _replay(existing, request_hash)
    return award, True


def list_awards(
    session: Session,
    ctx: ServiceContext,
    org_id: str,
    *,
    achievement_id: str | None,
    recipient: str | None,
    status: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Award], str | None]:
    stmt = select(Award).where(Award.org_id == org_id)
    if achievement_id:
        stmt = stmt.where(Award.achievement_id == achievement_id)
    if recipient:
        stmt = stmt.where(Award.recipient_ref == recipient_ref(ctx, recipient))
    if status:
        stmt = stmt.where(Award.status == status)
    rows, next_cursor = repo.page(session, stmt, Award.id, cursor, limit)
    return list(rows), next_cursor
