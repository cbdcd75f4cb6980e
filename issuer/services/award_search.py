"""Searching an organisation's awards for the admin pages: newest first, by recipient
(an e-mail address is looked up by its keyed hash, as the API does), achievement,
status and the day range they were made in; keyset pages by id (ids are time-ordered).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.services import ServiceContext
from issuer.services.awards import recipient_ref
from issuer.store import repo
from issuer.store.tables import Award


@dataclass(frozen=True)
class AwardFilter:
    recipient: str | None = None
    achievement_id: str | None = None
    status: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None


def search_awards(
    session: Session,
    ctx: ServiceContext,
    org_id: str,
    where: AwardFilter,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Award], str | None]:
    """One page of matching awards, newest first, and the cursor of the next page."""
    stmt = select(Award).where(Award.org_id == org_id)
    if where.recipient:
        stmt = stmt.where(Award.recipient_ref == recipient_ref(ctx, where.recipient))
    if where.achievement_id:
        stmt = stmt.where(Award.achievement_id == where.achievement_id)
    if where.status:
        stmt = stmt.where(Award.status == where.status)
    if where.created_from is not None:
        stmt = stmt.where(Award.created_at >= where.created_from)
    if where.created_before is not None:
        stmt = stmt.where(Award.created_at < where.created_before)
    if cursor is not None:
        stmt = stmt.where(Award.id < repo.decode_cursor(cursor))
    rows = session.scalars(stmt.order_by(Award.id.desc()).limit(limit + 1)).all()
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], repo.encode_cursor(rows[limit - 1].id)
