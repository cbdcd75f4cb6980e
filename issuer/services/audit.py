"""The append-only audit log: who did what to which object, when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.auth import Principal
from issuer.store import repo
from issuer.store.tables import AuditEvent


def record(
    session: Session,
    actor: Principal,
    action: str,
    target_type: str,
    target_id: str,
    *,
    org_id: str | None = None,
    **details: Any,
) -> None:
    """Add an event to the session (committed with the change it describes)."""
    session.add(
        AuditEvent(
            org_id=org_id if org_id is not None else actor.org_id,
            actor_id=actor.actor_id,
            actor_name=actor.actor_name,
            action=action,
            target_type=target_type,
            target_id=target_id,
            details=details,
        )
    )


def list_events(
    session: Session, org_id: str, *, action: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[AuditEvent], str | None]:
    stmt = select(AuditEvent).where(AuditEvent.org_id == org_id)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return repo.page(session, stmt, AuditEvent.id, cursor, limit)
