"""The admin dashboard's numbers: awards per week, per achievement, pending applications
and the latest audit events of one organisation.

Each function is one or two queries that run alike on SQLite and PostgreSQL (no
date-truncation functions: the weeks are counted with one ``CASE`` sum each).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from issuer import i18n
from issuer.store import repo
from issuer.store.tables import Achievement, AuditEvent, Award

WEEKS = 12
TOP_ACHIEVEMENTS = 10
RECENT_EVENTS = 10
PENDING_STATUSES = ("submitted",)
"""Statuses of ``applications`` rows that wait for a reviewer."""


@dataclass(frozen=True)
class WeekCount:
    start: date  # the week's Monday (UTC)
    count: int


@dataclass(frozen=True)
class AchievementCount:
    achievement_id: str
    name: dict[str, str] | str
    count: int


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def awards_per_week(
    session: Session, org_id: str, *, weeks: int = WEEKS, now: datetime | None = None
) -> list[WeekCount]:
    """Awards made in each of the last ``weeks`` weeks (Monday to Sunday, UTC), oldest
    first; the last one is the current week."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    starts = [week_start(today) - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    bounds = [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in starts]
    bounds.append(bounds[-1] + timedelta(weeks=1))
    columns = [
        func.coalesce(
            func.sum(case((and_(Award.created_at >= low, Award.created_at < high), 1), else_=0)),
            0,
        )
        for low, high in itertools.pairwise(bounds)
    ]
    row = session.execute(
        select(*columns).where(Award.org_id == org_id, Award.created_at >= bounds[0])
    ).one()
    return [WeekCount(start, int(count)) for start, count in zip(starts, row, strict=True)]


def awards_per_achievement(
    session: Session, org_id: str, *, limit: int = TOP_ACHIEVEMENTS
) -> list[AchievementCount]:
    """The achievements awarded most (all time), with their current names."""
    count = func.count(Award.id)
    rows = session.execute(
        select(Award.achievement_id, count)
        .where(Award.org_id == org_id)
        .group_by(Award.achievement_id)
        .order_by(count.desc(), Award.achievement_id)
        .limit(limit)
    ).all()
    if not rows:
        return []
    achievements = session.scalars(
        select(Achievement).where(
            Achievement.org_id == org_id, Achievement.id.in_([r[0] for r in rows])
        )
    ).all()
    versions = repo.current_versions(session, achievements)
    names: dict[str, Any] = {
        key: version.source.get("name") or key for key, version in versions.items()
    }
    return [AchievementCount(r[0], names.get(r[0], r[0]), int(r[1])) for r in rows]


def pending_applications(session: Session, org_id: str) -> int | None:
    """Applications waiting for review; ``None`` when this service has no applications
    (the table does not exist)."""
    try:
        if not inspect(session.get_bind()).has_table("applications"):
            return None
        statuses = ", ".join(f"'{status}'" for status in PENDING_STATUSES)
        found = session.scalar(
            text(
                "SELECT count(*) FROM applications "  # noqa: S608 - constant statuses
                f"WHERE org_id = :org AND status IN ({statuses})"
            ),
            {"org": org_id},
        )
    except SQLAlchemyError:
        session.rollback()
        return None
    return int(found or 0)


def recent_events(
    session: Session, org_id: str, *, limit: int = RECENT_EVENTS
) -> Sequence[AuditEvent]:
    """The organisation's latest audit events, newest first."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.org_id == org_id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()


# --------------------------------------------------------------------------- the chart

CHART_WIDTH = 640
CHART_HEIGHT = 220
_LEFT, _BOTTOM, _TOP = 48, 34, 20


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str  # the week's Monday as people of the page's language write it
    short: str  # the Monday as d.m.


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if value <= step * 4:
            return step * 4
    return value + (-value % 1000)


def bar_chart(weeks: Sequence[WeekCount], lang: str) -> dict[str, Any]:
    """Geometry of the weekly bar chart drawn as inline SVG by ``admin/dashboard.html``."""
    top = _nice_max(max((w.count for w in weeks), default=0))
    plot_w = CHART_WIDTH - _LEFT - 8
    plot_h = CHART_HEIGHT - _BOTTOM - _TOP
    slot = plot_w / max(len(weeks), 1)
    bars = []
    for i, week in enumerate(weeks):
        height = plot_h * week.count / top if top else 0
        bars.append(
            Bar(
                x=round(_LEFT + i * slot + slot * 0.15, 1),
                y=round(_TOP + plot_h - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                count=week.count,
                label=i18n.format_date(week.start, lang) or "",
                short=f"{week.start.day}.{week.start.month}.",
            )
        )
    ticks = [
        {"value": top * i // 4, "y": round(_TOP + plot_h - plot_h * i / 4, 1)} for i in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": _LEFT,
        "right": CHART_WIDTH - 8,
        "baseline": _TOP + plot_h,
        "bars": bars,
        "ticks": ticks,
        "total": sum(w.count for w in weeks),
    }
