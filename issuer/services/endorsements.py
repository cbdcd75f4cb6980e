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

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from badges.types import JSONObject
from issuer import i18n
from issuer.auth import Principal
from issuer.errors import NotFound
from issuer.services import ServiceContext, audit
from issuer.services.endorsement_credential import (
    Target,
    build_endorsement,
    clean_comment,
    endorse_as_issuer,
    find_public_target,
    publish,
    relation_label,
    resolve_target,
)
from issuer.services.endorsement_requests import (
    REQUEST_HOURS,
    REQUESTS_PER_ADDRESS_PER_HOUR,
    confirm_endorsement,
    pending_request,
    request_endorsement,
    token_hash,
)
from issuer.store import repo
from issuer.store.base import utcnow
from issuer.store.tables import Award, Endorsement

__all__ = [
    "MAX_EMBEDDED",
    "REQUESTS_PER_ADDRESS_PER_HOUR",
    "REQUEST_HOURS",
    "Target",
    "build_endorsement",
    "clean_comment",
    "confirm_endorsement",
    "embed",
    "embedded_for",
    "endorse_as_issuer",
    "endorser_profile_url",
    "find_public_target",
    "for_org",
    "list_for_target",
    "page_items",
    "pending_request",
    "public_endorsement",
    "publish",
    "relation_label",
    "request_endorsement",
    "resolve_target",
    "set_hidden",
    "token_hash",
]

MAX_EMBEDDED = 10
"""At most this many endorsements of an achievement (and of an issuer) go into a badge."""


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
