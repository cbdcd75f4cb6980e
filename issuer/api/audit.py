"""``/api/v1/audit``: the organisation's audit log (``manage`` tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from issuer.api import present
from issuer.api.deps import Cursor, Limit, ManageToken, SessionDep
from issuer.models.audit import AuditEventPublic
from issuer.models.common import Page
from issuer.services import audit as service

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", summary="Audit log, oldest first")
def list_audit_events(
    principal: ManageToken,
    session: SessionDep,
    action: Annotated[str | None, Query(max_length=64, description="e.g. award.create")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AuditEventPublic]:
    rows, next_cursor = service.list_events(
        session, principal.org, action=action, cursor=cursor, limit=limit
    )
    items = [present.audit_event(row) for row in rows]
    return Page[AuditEventPublic](items=items, next_cursor=next_cursor)
