"""Signing in and out, password reset by e-mail, invitations and switching organisation.

Every form carries a CSRF token (:mod:`issuer.web.deps`); the session cookie is
``HttpOnly``, ``SameSite=Lax``, and on https ``Secure`` with the ``__Host-`` prefix.
A sign-in always makes a new session (no fixation); ``next`` may only be a local path.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker

from issuer import i18n
from issuer.api.pages import page_language
from issuer.auth import Principal
from issuer.errors import Conflict
from issuer.services import audit, users, web_sessions
from issuer.services.mail import enqueue_mail
from issuer.store.tables import Invitation, User
from issuer.web.deps import (
    CheckedForm,
    CurrentUser,
    form_text,
    local_path,
    optional_user,
    render_public,
    session_cookie_name,
    session_token,
)
from issuer.web.errors import TooManyAttempts

router = APIRouter(tags=["sign-in"], include_in_schema=False)


def _db(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _https(request: Request) -> bool:
    return bool(request.app.state.settings.public_url.startswith("https://"))


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


def _start_session(request: Request, response: Response, user_id: str, org_id: str) -> None:
    """A new session for ``user_id`` (ending the browser's previous one) and its cookie."""
    with _db(request)() as db:
        old = session_token(request)
        if old:
            web_sessions.end(db, old)
        token = web_sessions.create(
            db,
            user_id,
            org_id,
            user_agent=request.headers.get("user-agent"),
            ip=_client_ip(request),
        )
    response.set_cookie(
        session_cookie_name(request),
        token,
        max_age=int(web_sessions.ABSOLUTE_TIMEOUT.total_seconds()),
        path="/",
        secure=_https(request),
        httponly=True,
        samesite="lax",
    )


def render_mail(request: Request, name: str, variables: dict[str, Any]) -> tuple[str, str]:
    """``templates/mail/NAME.txt`` (not escaped) and ``.html`` (escaped) rendered."""
    environment: Environment = request.app.state.templates
    text = environment.overlay(autoescape=False).get_template(f"mail/{name}.txt")
    html = environment.get_template(f"mail/{name}.html")
    return text.render(variables), html.render(variables)


# ---------------------------------------------------------------------- sign in / out


def _login_page(
    request: Request,
    *,
    email: str = "",
    error: str | None = None,
    status: int = 200,
    next_: str | None = None,
) -> HTMLResponse:
    lang = page_language(request)
    notice = None
    if request.query_params.get("signed_out"):
        notice = i18n.text(lang, "auth_signed_out")
    elif request.query_params.get("reset"):
        notice = i18n.text(lang, "auth_reset_done")
    data = {
        "email": email,
        "error": error,
        "notice": notice,
        "next": local_path(next_ or request.query_params.get("next")),
    }
    return render_public(request, "auth/login.html", data, status=status)


@router.get("/login")
def login_form(request: Request) -> Response:
    if optional_user(request) is not None:
        return _redirect(local_path(request.query_params.get("next")))
    return _login_page(request)


@router.post("/login")
def login(request: Request, form: CheckedForm) -> Response:
    email = form_text(form, "email", 320)
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    target = local_path(form_text(form, "next") or request.query_params.get("next"))
    lang = page_language(request)
    with _db(request)() as db:
        try:
            user = users.authenticate(db, email, password, _client_ip(request))
        except users.Throttled as exc:
            raise TooManyAttempts(exc.retry_after) from exc
        if user is None:
            error = i18n.text(lang, "auth_error_login")
            return _login_page(request, email=email, error=error, status=400, next_=target)
        org_id = web_sessions.first_org(db, user.id)
        user_id = user.id
        if org_id is None:
            error = i18n.text(lang, "auth_error_no_org")
            return _login_page(request, email=email, error=error, status=403, next_=target)
        audit.record(
            db,
            Principal(f"user:{user_id}", user.email, org_id, frozenset()),
            "user.login",
            "user",
            user_id,
            ip=_client_ip(request),
        )
        db.commit()
    response = _redirect(target)
    _start_session(request, response, user_id, org_id)
    return response


@router.post("/logout")
def logout(request: Request, form: CheckedForm) -> Response:  # noqa: ARG001
    token = session_token(request)
    if token:
        with _db(request)() as db:
            web_sessions.end(db, token)
    response = _redirect("/login?signed_out=1")
    response.delete_cookie(
        session_cookie_name(request), path="/", secure=_https(request), httponly=True
    )
    return response


@router.post("/admin/org")
def switch_org(request: Request, user: CurrentUser, form: CheckedForm) -> Response:
    token = session_token(request) or ""
    with _db(request)() as db:
        web_sessions.switch_org(db, token, user.user_id, form_text(form, "org_id", 64))
    return _redirect(local_path(form_text(form, "next")))


# ---------------------------------------------------------------------- password reset


@router.get("/password/forgot")
def forgot_form(request: Request) -> Response:
    return render_public(request, "auth/forgot.html", {"sent": False, "email": ""})


@router.post("/password/forgot")
def forgot(request: Request, form: CheckedForm) -> Response:
    email = form_text(form, "email", 320)
    lang = page_language(request)
    with _db(request)() as db:
        found = users.request_reset(db, email)
        if found is not None:
            user, token = found
            mail_lang = user.lang if user.lang in i18n.LANGS else lang
            link = request.app.state.context.url(f"password/reset/{token}")
            _queue(request, db, user, mail_lang, link)
            db.commit()
    return render_public(request, "auth/forgot.html", {"sent": True, "email": ""})


def _queue(request: Request, db: Session, user: User, lang: str, link: str) -> None:
    variables = {
        "lang": lang,
        "t": i18n.TEXTS[lang],
        "link": link,
        "body": i18n.text(lang, "auth_mail_reset_body", email=user.email),
    }
    text, html = render_mail(request, "password_reset", variables)
    enqueue_mail(
        db,
        to=user.email,
        subject=i18n.text(lang, "auth_mail_reset_subject"),
        text=text,
        html=html,
        kind="password_reset",
    )


def _reset_page(
    request: Request, token: str, *, valid: bool, error: str | None = None, status: int = 200
) -> HTMLResponse:
    data = {
        "valid": valid,
        "error": error,
        "action": f"/password/reset/{quote(token, safe='')}",
        "min_length": users.MIN_PASSWORD,
    }
    return render_public(request, "auth/reset.html", data, status=status)


@router.get("/password/reset/{token}")
def reset_form(request: Request, token: str) -> Response:
    with _db(request)() as db:
        valid = users.reset_user(db, token) is not None
    return _reset_page(request, token, valid=valid, status=200 if valid else 404)


def _password_error(lang: str, exc: users.PasswordRejected) -> str:
    return i18n.text(lang, f"auth_error_{exc.code}", min=users.MIN_PASSWORD)


@router.post("/password/reset/{token}")
def reset(request: Request, token: str, form: CheckedForm) -> Response:
    password = form.get("password")
    repeated = form.get("password2")
    lang = page_language(request)
    with _db(request)() as db:
        try:
            user = users.reset_password(
                db,
                token,
                password if isinstance(password, str) else "",
                repeated if isinstance(repeated, str) else "",
            )
        except users.PasswordRejected as exc:
            return _reset_page(
                request, token, valid=True, error=_password_error(lang, exc), status=400
            )
    if user is None:
        return _reset_page(request, token, valid=False, status=404)
    response = _redirect("/login?reset=1")
    response.delete_cookie(session_cookie_name(request), path="/", secure=_https(request))
    return response


# ---------------------------------------------------------------------- invitations


def _invite_page(
    request: Request,
    db: Session,
    token: str,
    invitation: Invitation | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = page_language(request)
    data: dict[str, Any] = {
        "valid": invitation is not None,
        "error": error,
        "action": f"/invite/{quote(token, safe='')}",
        "min_length": users.MIN_PASSWORD,
        "mode": "invalid",
        "intro": "",
        "org_name": "",
        "other": "",
        "login_url": "/login?next=" + quote(f"/invite/{token}", safe="/"),
    }
    if invitation is None:
        return render_public(request, "auth/invite.html", data, status=404)
    org = users.organization(db, invitation.org_id)
    role = i18n.text(lang, f"admin_role_{invitation.role}")
    data["org_name"] = org.name
    data["intro"] = i18n.text(
        lang, "auth_invite_intro", org=org.name, role=role, email=invitation.email
    )
    signed_in = optional_user(request)
    if signed_in is not None:
        if signed_in.email == invitation.email:
            data["mode"] = "join"
        else:
            data["mode"] = "other"
            data["other"] = i18n.text(
                lang, "auth_invite_other", email=signed_in.email, invited=invitation.email
            )
    elif users.user_by_email(db, invitation.email) is not None:
        data["mode"] = "sign_in"
    else:
        data["mode"] = "create"
    return render_public(request, "auth/invite.html", data, status=status)


@router.get("/invite/{token}")
def invitation_page(request: Request, token: str) -> Response:
    with _db(request)() as db:
        return _invite_page(request, db, token, users.open_invitation(db, token))


@router.post("/invite/{token}")
def accept_invitation(request: Request, token: str, form: CheckedForm) -> Response:
    lang = page_language(request)
    with _db(request)() as db:
        invitation = users.open_invitation(db, token)
        if invitation is None:
            return _invite_page(request, db, token, None)
        signed_in = optional_user(request)
        account = None
        if signed_in is not None:
            account = db.get(User, signed_in.user_id)
        password = form.get("password")
        repeated = form.get("password2")
        try:
            user = users.accept_invitation(
                db,
                invitation,
                account,
                name=form_text(form, "name", 200),
                password=password if isinstance(password, str) else "",
                repeated=repeated if isinstance(repeated, str) else "",
                lang=lang,
            )
        except users.PasswordRejected as exc:
            db.rollback()
            return _invite_page(
                request, db, token, invitation, error=_password_error(lang, exc), status=400
            )
        except Conflict:
            db.rollback()
            return _invite_page(request, db, token, invitation, status=409)
        user_id, org_id = user.id, invitation.org_id
    response = _redirect("/admin")
    if signed_in is not None:
        with _db(request)() as db:
            web_sessions.switch_org(db, session_token(request) or "", user_id, org_id)
    else:
        _start_session(request, response, user_id, org_id)
    return response
