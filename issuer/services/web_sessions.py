"""Server-side sign-in sessions.

The cookie carries 256 random bits; the table keeps only their SHA-256 (a stolen
database lets nobody sign in). A session ends when it has been idle for
:data:`IDLE_TIMEOUT`, at its absolute ``expires_at`` (:data:`ABSOLUTE_TIMEOUT` after
sign-in), at sign-out, when the password changes, or when the user loses the
membership of the session's organisation or is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from issuer.store.base import utcnow
from issuer.store.tables import Membership, Organization, User, WebSession
from issuer.web.session import Role, WebUser

IDLE_TIMEOUT: Final = timedelta(hours=2)
ABSOLUTE_TIMEOUT: Final = timedelta(hours=12)
TOUCH_EVERY: Final = timedelta(minutes=1)
COOKIE: Final = "merkki_session"


def cookie_name(*, https: bool) -> str:
    """``__Host-`` prefixed on https: the browser then insists on Secure, Path=/, no Domain."""
    return f"__Host-{COOKIE}" if https else COOKIE


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(
    db: Session,
    user_id: str,
    org_id: str,
    *,
    user_agent: str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new session; returns the cookie's token (committed)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            id=session_id(token),
            user_id=user_id,
            org_id=org_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + ABSOLUTE_TIMEOUT,
            user_agent=(user_agent or "")[:300] or None,
            ip=(ip or "")[:64] or None,
        )
    )
    db.execute(delete(WebSession).where(WebSession.user_id == user_id, WebSession.expires_at < now))
    db.commit()
    return token


def load(
    db: Session,
    token: str,
    *,
    choice: str | None = None,
    accept: str = "en",
    now: datetime | None = None,
) -> WebUser | None:
    """The user of a live session (touching ``last_seen_at``), or ``None``. The page
    language is ``choice`` (``?lang=`` or the cookie), else the user's, else ``accept``."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    row = db.get(WebSession, session_id(token))
    if row is None:
        return None
    if row.expires_at <= now or row.last_seen_at + IDLE_TIMEOUT <= now:
        db.delete(row)
        db.commit()
        return None
    found = db.execute(
        select(User, Membership.role, Organization)
        .join(Membership, Membership.user_id == User.id)
        .join(Organization, Organization.id == Membership.org_id)
        .where(User.id == row.user_id, Membership.org_id == row.org_id)
    ).first()
    if found is None or found[0].disabled:
        db.delete(row)
        db.commit()
        return None
    user, role, org = found
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return WebUser(
        user_id=user.id,
        email=user.email,
        name=user.name,
        org_id=org.id,
        org_slug=org.slug,
        role=cast(Role, role),
        lang=choice or user.lang or accept,
        org_name=org.name,
        session_id=row.id,
    )


def end(db: Session, token: str) -> None:
    """Sign out: the session is deleted (committed)."""
    db.execute(delete(WebSession).where(WebSession.id == session_id(token)))
    db.commit()


def switch_org(db: Session, token: str, user_id: str, org_id: str) -> bool:
    """Make ``org_id`` the session's organisation if the user is a member of it."""
    row = db.get(WebSession, session_id(token))
    member = db.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.org_id == org_id)
    )
    if row is None or row.user_id != user_id or member is None:
        return False
    row.org_id = org_id
    db.commit()
    return True


def user_orgs(db: Session, user_id: str) -> list[dict[str, Any]]:
    """The organisations the user belongs to: ``{id, slug, name, role}``, by name."""
    rows = db.execute(
        select(Organization, Membership.role)
        .join(Membership, Membership.org_id == Organization.id)
        .where(Membership.user_id == user_id)
        .order_by(Organization.name)
    ).all()
    return [{"id": org.id, "slug": org.slug, "name": org.name, "role": role} for org, role in rows]


def first_org(db: Session, user_id: str) -> str | None:
    """The organisation a new session starts in (the first membership)."""
    return db.scalar(
        select(Membership.org_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at, Membership.id)
        .limit(1)
    )
