"""``/admin/audit``: the organisation's audit log (owners), newest first, with filters
(action, actor, target, date range) and pages of :data:`PAGE_SIZE` events."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from issuer import i18n
from issuer.store.tables import AuditEvent
from issuer.web.deps import OwnerUser, render_admin

router = APIRouter(tags=["admin"], include_in_schema=False)

PAGE_SIZE = 50


def _db(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _day(value: str) -> date | None:
    """``YYYY-MM-DD`` → the date; raises ``ValueError`` for anything else."""
    return date.fromisoformat(value) if value else None


@router.get("/admin/audit")
def audit_page(request: Request, user: OwnerUser) -> Response:
    params = request.query_params
    filters = {
        name: (params.get(name) or "").strip()[:200]
        for name in ("action", "actor", "target", "from", "to")
    }
    error = None
    try:
        start, end = _day(filters["from"]), _day(filters["to"])
    except ValueError:
        start = end = None
        error = i18n.text(user.lang, "admin_audit_bad_date")
    before = params.get("before", "")
    stmt = select(AuditEvent).where(AuditEvent.org_id == user.org_id)
    if filters["action"]:
        stmt = stmt.where(AuditEvent.action == filters["action"])
    if filters["actor"]:
        pattern = f"%{filters['actor'].lower()}%"
        stmt = stmt.where(
            or_(AuditEvent.actor_id == filters["actor"], AuditEvent.actor_name.ilike(pattern))
        )
    if filters["target"]:
        stmt = stmt.where(
            or_(
                AuditEvent.target_id == filters["target"],
                AuditEvent.target_type == filters["target"],
            )
        )
    if start is not None:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(start, time(), tzinfo=UTC))
    if end is not None:
        stmt = stmt.where(
            AuditEvent.at < datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
        )
    if before.isdigit():
        stmt = stmt.where(AuditEvent.id < int(before))
    with _db(request)() as db:
        rows = db.scalars(stmt.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1)).all()
        actions = db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.org_id == user.org_id)
            .distinct()
            .order_by(AuditEvent.action)
        ).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    events = [
        {
            "at": row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "at_iso": i18n.iso_datetime(row.at),
            "action": row.action,
            "actor": row.actor_name,
            "actor_id": row.actor_id,
            "target": f"{row.target_type} {row.target_id}",
            "details": _details(row.details),
        }
        for row in rows
    ]
    kept = {name: value for name, value in filters.items() if value}
    next_url = None
    if more and rows:
        next_url = "/admin/audit?" + urlencode({**kept, "before": rows[-1].id})
    first_url = "/admin/audit?" + urlencode(kept) if before else None
    data: dict[str, Any] = {
        "events": events,
        "actions": list(actions),
        "filters": filters,
        "error": error,
        "next_url": next_url,
        "first_url": first_url,
    }
    return render_admin(request, user, "admin/audit.html", data, status=400 if error else 200)


def _details(details: dict[str, Any] | None) -> str:
    if not details:
        return ""
    text = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 300 else text[:299] + "…"
