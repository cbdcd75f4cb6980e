"""``/admin``: the dashboard of the people who award (awards per week as a server-drawn
SVG bar chart, the most awarded badges, pending applications and recent activity).

The other pages of this area: ``admin_achievements``, ``admin_awards``, ``admin_issuers``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from issuer import i18n
from issuer.api.admin_forms import page, time_text
from issuer.api.deps import SessionDep
from issuer.services import dashboard
from issuer.web.deps import CurrentUser

router = APIRouter(tags=["admin"], include_in_schema=False)


@router.get("/admin")
def dashboard_page(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    lang = user.lang
    weeks = dashboard.awards_per_week(session, user.org_id)
    top = dashboard.awards_per_achievement(session, user.org_id)
    events = dashboard.recent_events(session, user.org_id)
    most = max((item.count for item in top), default=0)
    data = {
        "chart": dashboard.bar_chart(weeks, lang),
        "top": [
            {
                "id": item.achievement_id,
                "name": i18n.pick_text(item.name, lang) or item.achievement_id,
                "count": item.count,
                "share": round(100 * item.count / most) if most else 0,
            }
            for item in top
        ],
        "pending": dashboard.pending_applications(session, user.org_id),
        "events": [
            {
                "at": time_text(event.at),
                "at_iso": i18n.iso_datetime(event.at),
                "actor": event.actor_name,
                "action": event.action,
                "target_type": event.target_type,
                "target_id": event.target_id,
                "href": _target_href(event.target_type, event.target_id),
            }
            for event in events
        ],
    }
    return page(request, user, "admin/dashboard.html", data)


def _target_href(target_type: str, target_id: str) -> str | None:
    paths = {
        "award": "/admin/awards/",
        "achievement": "/admin/achievements/",
        "issuer": "/admin/issuers/",
    }
    prefix = paths.get(target_type)
    return prefix + target_id if prefix else None
