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
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from badges.issue import sign_credential, sign_credential_jwt
from badges.model import Recipient, build_credential
from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import Conflict, FormatUnavailable, IdempotencyConflict, InvalidRequest
from issuer.models.awards import AwardCreate, RecipientIn
from issuer.services import ServiceContext, audit, earner, pathways, status_lists
from issuer.services import endorsements as endorsement_service
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
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


def result_for(achievement: JSONObject, level: str) -> JSONObject:
    """The ``Result`` for a rubric level named by full id, fragment or key."""
    offered: list[str] = []
    for description in achievement.get("resultDescription") or []:
        for item in description.get("rubricCriterionLevel") or []:
            level_id = str(item.get("id", ""))
            fragment = level_id.rpartition("#")[2]
            offered.append(fragment.removeprefix("level-"))
            if level in (level_id, fragment) or fragment == f"level-{level}":
                return {
                    "type": ["Result"],
                    "resultDescription": description["id"],
                    "achievedLevel": level_id,
                }
    choices = ", ".join(offered) or "none: the achievement has no rubric levels"
    raise InvalidRequest.field(
        ("body", "level"), f"no rubric level {level!r}; choose one of: {choices}"
    )


def name_identifier(name: str) -> JSONObject:
    """The recipient's name as OB 3.0 ``IdentityObject`` (``identityType: name``, plain)."""
    return {"type": "IdentityObject", "hashed": False, "identityHash": name, "identityType": "name"}


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
    # the status entries first: the award row (same transaction) satisfies their key
    allocations = status_lists.allocate_entries(session, issuer, award_id)
    achievement_json = localize(version.source, lang, ctx.url(f"achievements/{achievement.id}"))
    credential = build_credential(
        issuer=issuer_service.profile(ctx, issuer, [key], lang),
        achievement=achievement_json,
        recipient=recipient,
        valid_from=now,
        valid_until=valid_until,
        credential_id=ctx.url(f"credentials/{award_id}"),
        result=[result_for(achievement_json, body.level)] if body.level else None,
        evidence=[{"id": url, "type": ["Evidence"]} for url in body.evidence_urls]
        + list(evidence or [])
        or None,
        narrative=body.narrative,
        status=status_lists.credential_status(ctx, allocations),
    )
    if body.name is not None:
        subject: dict[str, Any] = credential["credentialSubject"]
        subject["identifier"] = [*subject.get("identifier", []), name_identifier(body.name)]
    # endorsements of the achievement and issuer that exist now travel in the credential
    endorsement_service.embed(session, credential, achievement.id, issuer.id)
    pair = issuer_service.key_pair(ctx, key)
    method = issuer_service.verification_method(ctx, issuer, key)
    award = Award(
        id=award_id,
        org_id=org_id,
        issuer_id=issuer.id,
        achievement_id=achievement.id,
        achievement_version_id=version.id,
        achievement_version=version.version,
        signing_key_id=key.id,
        recipient_type=recipient_type,
        recipient_ref=ref,
        language=lang,
        format=fmt,
        status="active",
        credential=sign_credential(credential, pair, method, created=now) if ldp else credential,
        ldp=ldp,
        jwt=sign_credential_jwt(credential, pair, method) if fmt == "jwt" else None,
        valid_from=now,
        valid_until=valid_until,
        idempotency_key=body.idempotency_key,
        request_hash=request_hash,
        created_by=actor.actor_id,
        created_at=now,
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
