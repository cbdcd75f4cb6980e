"""Organisations and API tokens (managed from the command line)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.auth import Principal, new_token
from issuer.errors import Conflict, NotFound
from issuer.services import audit
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import ApiToken, Organization


def create_organization(session: Session, actor: Principal, slug: str, name: str) -> Organization:
    if session.scalar(select(Organization).where(Organization.slug == slug)) is not None:
        raise Conflict(f"organisation {slug!r} exists already")
    org = Organization(id=new_id(), slug=slug, name=name, created_at=utcnow())
    session.add(org)
    session.flush()
    audit.record(session, actor, "organization.create", "organization", org.id, org_id=org.id)
    session.commit()
    return org


def create_token(
    session: Session, actor: Principal, org_slug: str, scopes: frozenset[str], name: str
) -> tuple[ApiToken, str]:
    """A new token; the returned text (``mk_…``) is shown once and stored only hashed."""
    org = repo.org_by_slug(session, org_slug)
    token_id, secret_hash, text = new_token()
    ordered = ",".join(sorted(scopes))
    token = ApiToken(
        id=token_id,
        org_id=org.id,
        name=name,
        scopes=ordered,
        secret_hash=secret_hash,
        created_at=utcnow(),
    )
    session.add(token)
    audit.record(
        session,
        actor,
        "token.create",
        "api_token",
        token_id,
        org_id=org.id,
        name=name,
        scopes=ordered,
    )
    session.commit()
    return token, text


def revoke_token(session: Session, actor: Principal, token_id: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("token", token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, actor, "token.revoke", "api_token", token.id, org_id=token.org_id)
        session.commit()
    return token


def list_tokens(session: Session, org_slug: str) -> Sequence[ApiToken]:
    org = repo.org_by_slug(session, org_slug)
    return session.scalars(
        select(ApiToken).where(ApiToken.org_id == org.id).order_by(ApiToken.created_at)
    ).all()
