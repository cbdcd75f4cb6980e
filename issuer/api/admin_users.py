"""``/admin/users``: the organisation's members (owners): invite, change role, remove.

An invitation is an e-mail with a single-use link (``/invite/{token}``, 7 days); the
organisation always keeps at least one owner.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from issuer import i18n
from issuer.api.auth_pages import render_mail
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.services import users
from issuer.services.mail import enqueue_mail
from issuer.web.deps import CheckedForm, OwnerUser, db_sessions, form_text, render_admin
from issuer.web.session import ROLES, WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)


def _page(
    request: Request,
    user: WebUser,
    *,
    error: str | None = None,
    notice: str | None = None,
    email: str = "",
    status: int = 200,
) -> Response:
    lang = user.lang
    with db_sessions(request)() as db:
        people = [
            {
                "id": member.user_id,
                "email": member.email,
                "name": member.name,
                "role": member.role,
                "last_login": i18n.format_date(member.last_login_at, lang),
                "disabled": member.disabled,
                "you": member.user_id == user.user_id,
            }
            for member in users.members(db, user.org_id)
        ]
        pending = [
            {
                "email": row.email,
                "role": row.role,
                "expires": i18n.format_date(row.expires_at, lang),
            }
            for row in users.pending_invitations(db, user.org_id)
        ]
    data: dict[str, Any] = {
        "members": people,
        "pending": pending,
        "roles": list(ROLES),
        "error": error,
        "notice": notice,
        "email": email,
    }
    return render_admin(request, user, "admin/users.html", data, status=status)


@router.get("/admin/users")
def users_page(request: Request, user: OwnerUser) -> Response:
    notice = None
    invited = request.query_params.get("invited")
    if invited:
        notice = i18n.text(user.lang, "admin_users_invited", email=invited[:320])
    elif request.query_params.get("removed"):
        notice = i18n.text(user.lang, "admin_users_removed")
    elif request.query_params.get("saved"):
        notice = i18n.text(user.lang, "admin_saved")
    return _page(request, user, notice=notice)


def _done(query: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users?{query}", status_code=303)


@router.post("/admin/users/invite")
def invite(request: Request, user: OwnerUser, form: CheckedForm) -> Response:
    email = form_text(form, "email", 320)
    role = form_text(form, "role", 16)
    lang = user.lang
    with db_sessions(request)() as db:
        try:
            invitation, token = users.invite(db, user.principal(), user.org_id, email, role)
        except InvalidRequest:
            db.rollback()
            error = i18n.text(lang, "admin_users_bad_email")
            return _page(request, user, error=error, email=email, status=400)
        except Conflict:
            db.rollback()
            error = i18n.text(lang, "admin_users_member_exists")
            return _page(request, user, error=error, email=email, status=409)
        link = request.app.state.context.url(f"invite/{token}")
        role_name = i18n.text(lang, f"admin_role_{role}")
        org_name = user.org_name or user.org_slug
        subject = i18n.text(lang, "auth_mail_invite_subject", org=org_name)
        body = i18n.text(
            lang, "auth_mail_invite_body", inviter=user.email, org=org_name, role=role_name
        )
        variables = {
            "lang": lang,
            "t": i18n.TEXTS[lang],
            "link": link,
            "body": body,
            "subject": subject,
        }
        text, html = render_mail(request, "invitation", variables)
        enqueue_mail(
            db,
            to=invitation.email,
            subject=subject,
            text=text,
            html=html,
            kind="invitation",
            org_id=user.org_id,
        )
        db.commit()
        sent_to = invitation.email
    return _done("invited=" + quote(sent_to, safe="@"))


@router.post("/admin/users/{user_id}/role")
def change_role(request: Request, user_id: str, user: OwnerUser, form: CheckedForm) -> Response:
    role = form_text(form, "role", 16)
    with db_sessions(request)() as db:
        try:
            users.change_role(db, user.principal(), user.org_id, user_id, role)
        except Conflict:
            error = i18n.text(user.lang, "admin_users_last_owner")
            return _page(request, user, error=error, status=409)
        except NotFound:
            return _page(request, user, status=404)
        except InvalidRequest:
            return _page(request, user, status=400)
    return _done("saved=1")


@router.post("/admin/users/{user_id}/remove")
def remove(request: Request, user_id: str, user: OwnerUser, form: CheckedForm) -> Response:  # noqa: ARG001
    with db_sessions(request)() as db:
        try:
            users.remove_member(db, user.principal(), user.org_id, user_id)
        except Conflict:
            error = i18n.text(user.lang, "admin_users_last_owner")
            return _page(request, user, error=error, status=409)
        except NotFound:
            return _page(request, user, status=404)
    return _done("removed=1")
