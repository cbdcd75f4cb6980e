"""Peer endorsements as signed OB 3.0 ``EndorsementCredential``s.

Who signs is the credential's ``issuer`` (OB 3.0 "EndorsementCredential"):

* an **issuer profile** of any organisation in Merkki (API token scope ``endorse``) signs
  with its current Ed25519 key, exactly as it signs badges;
* a **person** endorses on the public page ``/endorse/{target}`` and confirms by e-mail;
  the credential is then signed by the person's own Merkki-hosted identity
  (:mod:`issuer.services.endorsers`), never by the organisation's key.

The endorsed object is an award (``credentialSubject.id`` = the credential's id), an
achievement (its ``/achievements/{id}`` URL) or an issuer (its DID). A signed credential
cannot change, so visible endorsements of an achievement or issuer that exist when a badge
is issued are embedded in it (:func:`embed`: ``achievement.endorsement`` and the issuer
Profile's ``endorsement``); later ones, and endorsements of one award, are linked from the
badge's page and the API. The endorsed object's organisation may hide an endorsement: it
stays signed and valid (its URL keeps answering) but is not listed, shown or embedded.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badges.issue import sign_credential
from badges.keys import KeyPair
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.model.base import (
    ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB_EXTENSIONS_CONTEXT,
    SCHEMA_VALIDATOR_TYPE,
)
from badges.model.dates import format_datetime
from badges.schema import validate_credential
from badges.types import JSONObject
from issuer import i18n
from issuer.auth import Principal
from issuer.errors import Conflict, FormatUnavailable, InvalidRequest, NotFound, RateLimited
from issuer.models.endorsements import MAX_COMMENT, EndorsementCreate
from issuer.services import ServiceContext, audit, endorsers
from issuer.services import issuers as issuer_service
from issuer.services.texts import pick
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award, Endorsement, EndorsementRequest, Endorser

MAX_EMBEDDED = 10
"""At most this many endorsements of an achievement (and of an issuer) go into a badge."""
REQUEST_HOURS = 48
REQUESTS_PER_ADDRESS_PER_HOUR = 5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Target:
    """What is endorsed, as the credential and the pages need it."""

    type: str  # award | achievement | issuer
    id: str
    org_id: str
    issuer_id: str  # the issuer of the award/achievement, or the issuer itself
    subject_id: str  # credentialSubject.id
    name: Any  # a string or texts by language
    language: str
    page_url: str
    active: bool

    def name_in(self, lang: str) -> str:
        return str(pick(self.name, lang))


def resolve_target(session: Session, ctx: ServiceContext, kind: str, target_id: str) -> Target:
    """The award, achievement or issuer ``target_id`` of any organisation (or NotFound)."""
    if kind == "award":
        award = repo.public_award(session, target_id)
        return Target(
            "award",
            award.id,
            award.org_id,
            award.issuer_id,
            str(award.credential.get("id") or ctx.url(f"credentials/{award.id}")),
            award.credential.get("name") or award.id,
            award.language,
            ctx.url(f"credentials/{award.id}"),
            award.status == "active",
        )
    if kind == "achievement":
        achievement = repo.public_achievement(session, target_id)
        version = repo.version(session, achievement.id, achievement.current_version)
        issuer = repo.public_issuer(session, achievement.issuer_id)
        return Target(
            "achievement",
            achievement.id,
            achievement.org_id,
            issuer.id,
            ctx.url(f"achievements/{achievement.id}"),
            version.source.get("name") or achievement.id,
            issuer.default_language,
            ctx.url(f"achievements/{achievement.id}"),
            not achievement.archived,
        )
    if kind == "issuer":
        issuer = repo.public_issuer(session, target_id)
        keys = repo.keys_of(session, issuer.id)
        return Target(
            "issuer",
            issuer.id,
            issuer.org_id,
            issuer.id,
            issuer_service.did_of(ctx, issuer, keys),
            issuer.name,
            issuer.default_language,
            ctx.url(f"issuers/{issuer.id}"),
            True,
        )
    raise InvalidRequest.field(("body", "target_type"), "award, achievement or issuer")


def find_public_target(session: Session, ctx: ServiceContext, target_id: str) -> Target:
    """``/endorse/{target}``: an award id, else an achievement id."""
    if session.get(Award, target_id) is not None:
        return resolve_target(session, ctx, "award", target_id)
    return resolve_target(session, ctx, "achievement", target_id)


def clean_comment(text: str) -> str:
    """The statement as stored and signed: trimmed, no control characters but line breaks."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned or len(cleaned) > MAX_COMMENT:
        raise InvalidRequest.field(
            ("body", "comment"), f"give a statement of 1 to {MAX_COMMENT} characters"
        )
    return cleaned


def relation_label(relation: str | None, lang: str) -> str | None:
    return i18n.text(lang, f"endorse_relation_{relation}") if relation else None


def build_endorsement(
    ctx: ServiceContext,
    *,
    endorsement_id: str,
    issuer: JSONObject,
    target: Target,
    endorser_name: str,
    relation: str | None,
    comment: str,
    lang: str,
    now: datetime,
) -> JSONObject:
    """The unsigned EndorsementCredential (declaring the official JSON Schema)."""
    target_name = target.name_in(lang)
    if relation:
        description = i18n.text(
            lang,
            "endorse_credential_description",
            name=endorser_name,
            relation=relation_label(relation, lang),
            target=target_name,
        )
    else:
        description = i18n.text(
            lang, "endorse_credential_description_plain", name=endorser_name, target=target_name
        )
    credential: JSONObject = {
        "@context": [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
        "id": ctx.url(f"endorsements/{endorsement_id}"),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": i18n.text(lang, "endorse_credential_name", target=target_name),
        "description": description,
        "issuer": issuer,
        "validFrom": format_datetime(now),
        "credentialSubject": {
            "id": target.subject_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
        "credentialSchema": [
            {"id": ENDORSEMENT_CREDENTIAL_SCHEMA_URL, "type": SCHEMA_VALIDATOR_TYPE}
        ],
    }
    problems = [issue for issue in validate_credential(credential) if issue.is_error]
    if problems:  # pragma: no cover - the parts above are fixed; a bug, not bad input
        raise RuntimeError(f"EndorsementCredential does not fit its schema: {problems[0]}")
    return credential


def _sign(credential: JSONObject, pair: KeyPair, method: str, now: datetime) -> JSONObject:
    """eddsa-rdfc-2022; ``proof`` as a one-item array, as the OB 3.0 JSON Schema wants it
    (the same RDF: VC 2.0 ``proof`` is a graph container, one proof or a set of them)."""
    signed = sign_credential(credential, pair, method, created=now)
    if isinstance(signed.get("proof"), dict):
        signed["proof"] = [signed["proof"]]
    return signed


# ---------------------------------------------------------------------- issuer profiles


def endorse_as_issuer(
    session: Session, ctx: ServiceContext, actor: Principal, body: EndorsementCreate
) -> Endorsement:
    """``POST /api/v1/endorsements``: one of the actor's issuers endorses a target."""
    issuer = repo.issuer(session, actor.org, body.issuer_id)
    key = repo.current_key(session, issuer.id)
    if key.key_type != "Ed25519":
        raise FormatUnavailable(
            f"the issuer's current key is {key.key_type}: endorsements are signed with "
            "eddsa-rdfc-2022, which needs an Ed25519 key"
        )
    target = resolve_target(session, ctx, body.target_type, body.target_id)
    if target.issuer_id == issuer.id:
        raise Conflict("an issuer cannot endorse itself or the badges it issues")
    if not target.active:
        raise Conflict(f"the {target.type} {target.id!r} is not active and cannot be endorsed")
    comment = clean_comment(body.comment)
    lang = body.language or target.language
    now, endorsement_id = utcnow(), new_id()
    profile = issuer_service.profile(ctx, issuer, [key], lang)
    name = str(profile.get("name") or issuer.id)
    return _publish(
        session,
        ctx,
        actor,
        endorsement_id=endorsement_id,
        profile=profile,
        target=target,
        endorser_name=name,
        stored_name=name[:200],
        relation=body.relation,
        comment=comment,
        lang=lang,
        now=now,
        pair=issuer_service.key_pair(ctx, key),
        method=issuer_service.verification_method(ctx, issuer, key),
        endorser_type="issuer",
        endorser_org_id=actor.org,
        endorser_issuer_id=issuer.id,
        endorser_id=None,
        audit_details={"issuer_id": issuer.id},
    )


def _publish(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    *,
    endorsement_id: str,
    profile: JSONObject,
    target: Target,
    endorser_name: str,
    stored_name: str,
    relation: str | None,
    comment: str,
    lang: str,
    now: datetime,
    pair: KeyPair,
    method: str,
    endorser_type: str,
    endorser_org_id: str,
    endorser_issuer_id: str | None,
    endorser_id: str | None,
    audit_details: dict[str, str],
) -> Endorsement:
    """Build, sign, store and audit one endorsement of ``target`` by ``actor``; commits."""
    credential = build_endorsement(
        ctx,
        endorsement_id=endorsement_id,
        issuer=profile,
        target=target,
        endorser_name=endorser_name,
        relation=relation,
        comment=comment,
        lang=lang,
        now=now,
    )
    row = Endorsement(
        id=endorsement_id,
        org_id=target.org_id,
        target_type=target.type,
        target_id=target.id,
        endorser_type=endorser_type,
        endorser_org_id=endorser_org_id,
        endorser_issuer_id=endorser_issuer_id,
        endorser_id=endorser_id,
        endorser_name=stored_name,
        relation=relation,
        comment=comment,
        language=lang,
        credential=_sign(credential, pair, method, now),
        hidden=False,
        created_by=actor.actor_id,
        created_at=now,
    )
    session.add(row)
    audit.record(
        session,
        actor,
        "endorsement.create",
        "endorsement",
        row.id,
        endorsed_type=target.type,
        endorsed_id=target.id,
        **audit_details,
    )
    session.commit()
    return row


# ---------------------------------------------------------------------- people (e-mail)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_endorsement(
    session: Session,
    ctx: ServiceContext,
    target: Target,
    *,
    name: str,
    email: str,
    relation: str,
    comment: str,
    lang: str,
) -> tuple[EndorsementRequest, str]:
    """A pending endorsement and its single-use token (to mail; only its hash is kept).

    The caller queues the mail in the same session and commits. At most
    :data:`REQUESTS_PER_ADDRESS_PER_HOUR` requests per address, so the page cannot be
    used to flood someone's mailbox.
    """
    email_ref = ctx.box.recipient_hash(email)
    since = utcnow() - timedelta(hours=1)
    recent = session.scalar(
        select(func.count())
        .select_from(EndorsementRequest)
        .where(EndorsementRequest.email_ref == email_ref, EndorsementRequest.created_at >= since)
    )
    if (recent or 0) >= REQUESTS_PER_ADDRESS_PER_HOUR:
        raise RateLimited("too many endorsement requests for this address", 3600)
    existing = endorsers.find(session, target.org_id, email_ref)
    endorser_id = existing.id if existing is not None else new_id()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = EndorsementRequest(
        id=new_id(),
        org_id=target.org_id,
        target_type=target.type,
        target_id=target.id,
        endorser_id=endorser_id,
        name=name,
        email_ref=email_ref,
        email_hash=endorsers.email_hash(email, endorser_id),
        relation=relation,
        comment=clean_comment(comment),
        language=lang,
        token_hash=token_hash(token),
        expires_at=now + timedelta(hours=REQUEST_HOURS),
        created_at=now,
    )
    session.add(row)
    return row, token


def pending_request(session: Session, token: str) -> EndorsementRequest:
    """The unconfirmed, unexpired request of ``token`` (else NotFound)."""
    row = session.scalar(
        select(EndorsementRequest).where(EndorsementRequest.token_hash == token_hash(token))
    )
    if row is None or row.confirmed_at is not None or row.expires_at <= utcnow():
        raise NotFound("endorsement request", "(token)")
    return row


def _endorser_for(session: Session, ctx: ServiceContext, request: EndorsementRequest) -> Endorser:
    found = endorsers.find(session, request.org_id, request.email_ref)
    if found is not None:
        if found.name != request.name:
            found.name, found.updated_at = request.name, utcnow()
        return found
    made = endorsers.new_endorser(
        ctx,
        endorser_id=request.endorser_id,
        org_id=request.org_id,
        name=request.name,
        email_ref=request.email_ref,
        public_hash=request.email_hash,
    )
    session.add(made)
    return made


def confirm_endorsement(session: Session, ctx: ServiceContext, token: str) -> Endorsement:
    """Sign and publish the request of ``token`` with the person's identity (single use)."""
    request = pending_request(session, token)
    now = utcnow()
    claimed = session.execute(
        update(EndorsementRequest)
        .where(EndorsementRequest.id == request.id, EndorsementRequest.confirmed_at.is_(None))
        .values(confirmed_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        session.rollback()
        raise NotFound("endorsement request", "(token)")
    target = resolve_target(session, ctx, request.target_type, request.target_id)
    if not target.active:
        session.rollback()
        raise Conflict(f"the {target.type} is no longer active and cannot be endorsed")
    try:
        endorser = _endorser_for(session, ctx, request)
        session.flush()
    except IntegrityError:  # the same address confirmed another request at this moment
        session.rollback()
        return confirm_endorsement(session, ctx, token)
    request.endorsement_id = endorsement_id = new_id()
    actor = Principal(f"endorser:{endorser.id}", endorser.name, target.org_id, frozenset())
    return _publish(
        session,
        ctx,
        actor,
        endorsement_id=endorsement_id,
        profile=endorsers.profile(ctx, endorser, request.language),
        target=target,
        endorser_name=endorser.name,
        stored_name=endorser.name,
        relation=request.relation,
        comment=request.comment,
        lang=request.language,
        now=now,
        pair=endorsers.key_pair(ctx, endorser),
        method=endorsers.verification_method(ctx, endorser.id),
        endorser_type="person",
        endorser_org_id=target.org_id,
        endorser_issuer_id=None,
        endorser_id=endorser.id,
        audit_details={"endorser_id": endorser.id},
    )


# ---------------------------------------------------------------------- reading and moderation


def public_endorsement(session: Session, endorsement_id: str) -> Endorsement:
    row = session.get(Endorsement, endorsement_id)
    if row is None:
        raise NotFound("endorsement", endorsement_id)
    return row


def for_org(session: Session, org_id: str, endorsement_id: str) -> Endorsement:
    """An endorsement of the organisation's objects, or one it gave (else NotFound)."""
    row = session.get(Endorsement, endorsement_id)
    if row is None or org_id not in (row.org_id, row.endorser_org_id):
        raise NotFound("endorsement", endorsement_id)
    return row


def list_for_target(
    session: Session,
    target_type: str,
    target_ids: Sequence[str],
    *,
    include_hidden: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[Sequence[Endorsement], str | None]:
    stmt = select(Endorsement).where(
        Endorsement.target_type == target_type, Endorsement.target_id.in_(list(target_ids))
    )
    if not include_hidden:
        stmt = stmt.where(Endorsement.hidden.is_(False))
    return repo.page(session, stmt, Endorsement.id, cursor, limit)


def set_hidden(
    session: Session, actor: Principal, endorsement_id: str, hidden: bool
) -> Endorsement:
    """Moderation by the endorsed object's organisation: hide (or show again)."""
    row = session.get(Endorsement, endorsement_id)
    if row is None or row.org_id != actor.org:
        raise NotFound("endorsement", endorsement_id)
    if row.hidden == hidden:
        return row
    row.hidden = hidden
    row.hidden_at = utcnow() if hidden else None
    row.hidden_by = actor.actor_id if hidden else None
    action = "endorsement.hide" if hidden else "endorsement.show"
    audit.record(session, actor, action, "endorsement", row.id, endorsed_id=row.target_id)
    session.commit()
    return row


# ---------------------------------------------------------------------- embedding


def embedded_for(
    session: Session, achievement_id: str, issuer_id: str
) -> dict[str, list[JSONObject]]:
    """The signed endorsements to embed in a new badge: ``{"achievement": [...],
    "issuer": [...]}``, visible ones only, newest first, at most :data:`MAX_EMBEDDED` each."""
    found: dict[str, list[JSONObject]] = {"achievement": [], "issuer": []}
    for kind, target_id in (("achievement", achievement_id), ("issuer", issuer_id)):
        stmt = (
            select(Endorsement)
            .where(
                Endorsement.target_type == kind,
                Endorsement.target_id == target_id,
                Endorsement.hidden.is_(False),
            )
            .order_by(Endorsement.id.desc())
            .limit(MAX_EMBEDDED)
        )
        found[kind] = [dict(row.credential) for row in session.scalars(stmt)]
    return found


def embed(session: Session, credential: JSONObject, achievement_id: str, issuer_id: str) -> None:
    """Put :func:`embedded_for` into an unsigned badge credential, as OB 3.0 places them:
    ``credentialSubject.achievement.endorsement`` and ``issuer.endorsement``."""
    found = embedded_for(session, achievement_id, issuer_id)
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if found["achievement"] and isinstance(achievement, dict):
        achievement["endorsement"] = found["achievement"]
    issuer = credential.get("issuer")
    if found["issuer"] and isinstance(issuer, dict):
        issuer["endorsement"] = found["issuer"]


# ---------------------------------------------------------------------- the badge page


def endorser_profile_url(ctx: ServiceContext, row: Endorsement) -> str:
    if row.endorser_issuer_id is not None:
        return ctx.url(f"issuers/{row.endorser_issuer_id}")
    return ctx.url(f"endorsers/{row.endorser_id}")


def page_items(
    session: Session, ctx: ServiceContext, award: Award, lang: str
) -> list[dict[str, Any]]:
    """The visible endorsements of an award, its achievement and issuer, for its page."""
    stmt = (
        select(Endorsement)
        .where(
            Endorsement.hidden.is_(False),
            or_(
                (Endorsement.target_type == "award") & (Endorsement.target_id == award.id),
                (Endorsement.target_type == "achievement")
                & (Endorsement.target_id == award.achievement_id),
                (Endorsement.target_type == "issuer") & (Endorsement.target_id == award.issuer_id),
            ),
        )
        .order_by(Endorsement.id)
        .limit(100)
    )
    return [
        {
            "id": row.id,
            "name": row.endorser_name,
            "relation": relation_label(row.relation, lang),
            "comment": row.comment,
            "content_lang": row.language,
            "of": i18n.text(lang, f"endorsement_of_{row.target_type}"),
            "date": i18n.format_date(row.created_at, lang),
            "date_iso": i18n.iso_datetime(row.created_at),
            "url": ctx.url(f"endorsements/{row.id}"),
            "profile_url": endorser_profile_url(ctx, row),
        }
        for row in session.scalars(stmt)
    ]
