"""A person's endorsement: the e-mail request and its single-use confirmation.

The public page ``/endorse/{target}`` stores a pending :class:`EndorsementRequest` and mails
a token (only its hash is kept); confirming it signs the endorsement with the person's own
Merkki-hosted identity (:mod:`issuer.services.endorsers`), never with the organisation's key.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from issuer.auth import Principal
from issuer.errors import Conflict, NotFound, RateLimited
from issuer.services import ServiceContext, endorsers
from issuer.services.endorsement_credential import (
    Target,
    clean_comment,
    publish,
    resolve_target,
)
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Endorsement, EndorsementRequest, Endorser

REQUEST_HOURS = 48
REQUESTS_PER_ADDRESS_PER_HOUR = 5


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
    return publish(
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
