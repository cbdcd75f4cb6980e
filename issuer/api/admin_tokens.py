"""``/admin/tokens``: the organisation's API tokens (owners): list, create, revoke.

A new token's text is shown once, on the page that answers the creating POST (never
cached: ``Cache-Control: no-store``); only its hash is kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from issuer import i18n
from issuer.auth import SCOPES
from issuer.services import tokens
from issuer.store.tables import ApiToken
from issuer.web.deps import CheckedForm, OwnerUser, db_sessions, form_text, render_admin
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)


def _page(
    request: Request,
    user: WebUser,
    *,
    secret: str | None = None,
    error: str | None = None,
    notice: str | None = None,
    name: str = "",
    status: int = 200,
) -> Response:
    lang = user.lang
    with db_sessions(request)() as db:
        rows = tokens.list_tokens(db, user.org_slug)
        items = [
            {
                "id": row.id,
                "name": row.name,
                "scopes": row.scopes.split(","),
                "created": i18n.format_date(row.created_at, lang),
                "created_iso": i18n.iso_datetime(row.created_at),
                "revoked": row.revoked_at is not None,
            }
            for row in reversed(rows)
        ]
    data: dict[str, Any] = {
        "tokens": items,
        "scopes": list(SCOPES),
        "secret": secret,
        "error": error,
        "notice": notice,
        "name": name,
    }
    return render_admin(request, user, "admin/tokens.html", data, status=status)


@router.get("/admin/tokens")
def tokens_page(request: Request, user: OwnerUser) -> Response:
    notice = None
    if request.query_params.get("revoked"):
        notice = i18n.text(user.lang, "admin_tokens_revoked_ok")
    return _page(request, user, notice=notice)


@router.post("/admin/tokens")
def create_token(request: Request, user: OwnerUser, form: CheckedForm) -> Response:
    name = form_text(form, "name", 200)
    chosen = frozenset(value for value in form.getlist("scopes") if value in SCOPES)
    if not name:
        error = i18n.text(user.lang, "admin_tokens_no_name")
        return _page(request, user, error=error, status=400)
    if not chosen:
        error = i18n.text(user.lang, "admin_tokens_no_scopes")
        return _page(request, user, error=error, name=name, status=400)
    with db_sessions(request)() as db:
        _, secret = tokens.create_token(db, user.principal(), user.org_slug, chosen, name)
    return _page(request, user, secret=secret, status=201)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: str, user: OwnerUser, form: CheckedForm) -> Response:  # noqa: ARG001
    with db_sessions(request)() as db:
        row = db.get(ApiToken, token_id)
        if row is None or row.org_id != user.org_id:
            return _page(request, user, status=404)
        tokens.revoke_token(db, user.principal(), token_id)
    return RedirectResponse("/admin/tokens?revoked=1", status_code=303)
