"""``/admin/applications``: the review queue and one application (reviewers and owners).

The queue lists the organisation's applications by status (default: waiting for
review) and badge. An application's page shows the applicant's narrative, claimed
level, every evidence item (files only as downloads: ``Content-Disposition:
attachment``, the sniffed type, ``nosniff`` and a sandboxing CSP, never rendered
inline) and the history, with three decisions, each a CSRF-protected form: approve at
a level (issues the badge), ask for more (a message) or reject (a reason). Decisions
go through :func:`issuer.services.applications.decide` as the reviewer's principal,
so they are audited like the API's.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer import i18n
from issuer.api.apply_pages import status_data
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.pages import static_url
from issuer.errors import Conflict, NotFound, ServiceError
from issuer.services import ServiceContext, evidence
from issuer.services import applications as service
from issuer.services.evidence import download_headers
from issuer.store import repo
from issuer.store.tables import Achievement, Application
from issuer.web.deps import CheckedForm, form_text, render_admin, require_role
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)

Reviewer = Annotated[WebUser, Depends(require_role("owner", "reviewer"))]
PAGE_SIZE = 50
FILTER_STATUSES = ("submitted", "changes_requested", "approved", "rejected")
DECISIONS = ("approve", "request_changes", "reject")


def _names(session: Session, ctx: ServiceContext, org_id: str, lang: str) -> dict[str, str]:
    """The organisation's achievements' names in ``lang``, by id."""
    names = {}
    for achievement in session.scalars(select(Achievement).where(Achievement.org_id == org_id)):
        version = repo.version(session, achievement.id, achievement.current_version)
        data = service.achievement_json(ctx, achievement, version, lang)
        names[achievement.id] = str(data.get("name") or achievement.id)
    return names


@router.get("/admin/applications")
def queue(request: Request, user: Reviewer, session: SessionDep, ctx: ContextDep) -> Response:
    params = request.query_params
    status = params.get("status", "submitted")
    status = status if status in (*FILTER_STATUSES, "") else "submitted"
    achievement_id = params.get("achievement_id", "")[:64]
    rows, next_cursor = service.list_applications(
        session,
        user.org_id,
        status=status or None,
        achievement_id=achievement_id or None,
        cursor=params.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    names = _names(session, ctx, user.org_id, user.lang)
    items = [
        {
            "id": row.id,
            "name": row.name,
            "badge": names.get(row.achievement_id, row.achievement_id),
            "level": row.claimed_level,
            "status": row.status,
            "status_text": i18n.text(user.lang, f"app_status_{row.status}"),
            "submitted": i18n.format_date(row.submitted_at, user.lang) or "–",
        }
        for row in rows
    ]
    next_url = None
    if next_cursor:
        query = {"status": status, "achievement_id": achievement_id, "cursor": next_cursor}
        next_url = "/admin/applications?" + urlencode(query)
    data = {
        "items": items,
        "filters": {"status": status, "achievement_id": achievement_id},
        "statuses": [(s, i18n.text(user.lang, f"app_status_{s}")) for s in FILTER_STATUSES],
        "achievements": sorted(names.items(), key=lambda pair: pair[1].lower()),
        "next_url": next_url,
        "app_css_url": static_url("applications.css"),
    }
    return render_admin(request, user, "admin/applications.html", data)


def _detail(
    request: Request,
    user: WebUser,
    session: Session,
    ctx: ServiceContext,
    application: Application,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    data: dict[str, Any] = status_data(session, ctx, application, user.lang)
    for item in data["evidence"]:
        item["download"] = f"/admin/applications/{application.id}/evidence/{item['id']}"
    can_decide = application.status == "submitted"
    data.update(
        {
            "error": error,
            "done": request.query_params.get("done") == "1",
            "can_decide": can_decide,
            "can_reject": application.status in ("submitted", "changes_requested"),
            "reviewer": application.reviewer_name,
            "action": f"/admin/applications/{application.id}/decide",
            "app_css_url": static_url("applications.css"),
        }
    )
    return render_admin(request, user, "admin/applications_detail.html", data, status=status)


@router.get("/admin/applications/{application_id}")
def detail(
    application_id: str, request: Request, user: Reviewer, session: SessionDep, ctx: ContextDep
) -> Response:
    application = service.get_application(session, user.org_id, application_id)
    return _detail(request, user, session, ctx, application)


@router.post("/admin/applications/{application_id}/decide")
def decide(
    application_id: str,
    request: Request,
    user: Reviewer,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    decision = form_text(form, "decision", 32)
    application = service.get_application(session, user.org_id, application_id)
    if decision not in DECISIONS:
        error = i18n.text(user.lang, "app_error_invalid", detail="decision")
        return _detail(request, user, session, ctx, application, error=error, status=422)
    try:
        service.decide(
            session,
            ctx,
            user.principal(),
            application_id,
            decision,  # type: ignore[arg-type]
            level=form_text(form, "level", 200) or None,
            message=form_text(form, "message", service.MAX_MESSAGE + 1) or None,
        )
    except NotFound:
        raise
    except ServiceError as exc:
        session.rollback()
        application = service.get_application(session, user.org_id, application_id)
        error = i18n.text(user.lang, "app_error_invalid", detail=str(exc))
        status = 409 if isinstance(exc, Conflict) else 422
        return _detail(request, user, session, ctx, application, error=error, status=status)
    return RedirectResponse(f"/admin/applications/{application_id}?done=1", status_code=303)


@router.get("/admin/applications/{application_id}/evidence/{evidence_id}")
def evidence_file(
    application_id: str, evidence_id: str, user: Reviewer, session: SessionDep
) -> Response:
    service.get_application(session, user.org_id, application_id)
    item = evidence.evidence_item(session, application_id, evidence_id)
    if item.kind != "file" or item.data is None:
        raise NotFound("evidence file", evidence_id)
    headers = download_headers(item.file_name or "evidence", item.media_type or "")
    return Response(item.data, headers=headers)
