"""Reading applications: one of an organisation's, a page of them, an application's
history (part of :mod:`issuer.services.applications`, which re-exports them)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.errors import NotFound
from issuer.store import repo
from issuer.store.tables import Application, ApplicationEvent


def get_application(session: Session, org_id: str, application_id: str) -> Application:
    """An application of the organisation (another organisation's: :class:`NotFound`)."""
    found = session.scalar(
        select(Application).where(Application.id == application_id, Application.org_id == org_id)
    )
    if found is None:
        raise NotFound("application", application_id)
    return found


def list_applications(
    session: Session,
    org_id: str,
    *,
    status: str | None,
    achievement_id: str | None,
    email_hash: str | None = None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Application], str | None]:
    """Applications newest last (keyset pages); drafts are hidden unless asked for."""
    stmt = select(Application).where(Application.org_id == org_id)
    if status:
        stmt = stmt.where(Application.status == status)
    else:
        stmt = stmt.where(Application.status != "draft")
    if achievement_id:
        stmt = stmt.where(Application.achievement_id == achievement_id)
    if email_hash:
        stmt = stmt.where(Application.email_hash == email_hash)
    rows, next_cursor = repo.page(session, stmt, Application.id, cursor, limit)
    return list(rows), next_cursor


def events_of(session: Session, application_id: str) -> list[ApplicationEvent]:
    stmt = (
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.id)
    )
    return list(session.scalars(stmt))
