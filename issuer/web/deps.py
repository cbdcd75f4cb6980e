"""FastAPI dependencies of the signed-in pages, and the admin layout.

- :func:`current_user` (``CurrentUser``): the signed-in user; a visitor without a
  valid session is sent to ``/login?next=<this page>`` (303).
- :func:`require_role`: a dependency that also requires one of the roles (403 page).
- :func:`checked_form`: the POSTed form after its CSRF token was checked (403 page).
  Signed-in forms carry a token bound to the session (HMAC of the session's id);
  forms of visitors (sign in, password reset, invitations) a signed double-submit
  token of :mod:`issuer.csrf`.
- :func:`render_admin`: a template extending ``admin/base.html`` with its variables.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from issuer import csrf, i18n
from issuer.api.pages import language_links, page_language, remember_language, static_url
from issuer.security_headers import admin_headers
from issuer.services import web_sessions
from issuer.web.errors import CsrfRefused, RoleRefused, SignInRequired
from issuer.web.session import Role, WebUser

CSRF_FIELD = csrf.FIELD
MAX_FORM_BYTES = 8 * 1024 * 1024
"""The largest form body read (multipart uploads included)."""
_CSRF_LABEL = b"merkki admin csrf v1"

NAV: tuple[tuple[str, str], ...] = (
    ("/admin", "admin_nav_dashboard"),
    ("/admin/achievements", "admin_nav_achievements"),
    ("/admin/awards", "admin_nav_awards"),
    ("/admin/bulk", "admin_nav_bulk"),
    ("/admin/applications", "admin_nav_applications"),
    ("/admin/issuers", "admin_nav_issuers"),
    ("/admin/tokens", "admin_nav_tokens"),
    ("/admin/users", "admin_nav_users"),
    ("/admin/audit", "admin_nav_audit"),
)
"""The admin navigation: (path, text key)."""


def db_sessions(request: Request) -> sessionmaker[Session]:
    """The app's database session factory (for pages that open their own sessions)."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _is_https(request: Request) -> bool:
    return bool(request.app.state.settings.public_url.startswith("https://"))


def session_cookie_name(request: Request) -> str:
    """``__Host-merkki_session`` on https (Secure, no Domain, Path=/), else ``merkki_session``."""
    return web_sessions.cookie_name(https=_is_https(request))


def session_token(request: Request) -> str | None:
    return request.cookies.get(session_cookie_name(request))


def local_path(value: str | None, default: str = "/admin") -> str:
    """``value`` if it is a path on this site (``/admin/x?y``), else ``default``: no
    ``//host``, ``/\\host``, scheme or control characters, so no open redirect."""
    if not value or len(value) > 2000 or not value.startswith("/"):
        return default
    if value.startswith(("//", "/\\")) or "\\" in value:
        return default
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return default
    return value


def _login_redirect(request: Request) -> SignInRequired:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return SignInRequired("/login?next=" + quote(local_path(target), safe="/"))


def optional_user(request: Request) -> WebUser | None:
    """The signed-in user, or ``None`` (no cookie, unknown, expired or disabled)."""
    token = session_token(request)
    if not token:
        return None
    cached = getattr(request.state, "web_user", None)
    if isinstance(cached, WebUser):
        return cached
    choice = request.query_params.get("lang") or request.cookies.get(i18n.COOKIE)
    explicit = choice if choice in i18n.LANGS else None
    accept = i18n.accept_language(request.headers.get("accept-language")) or i18n.DEFAULT_LANG
    with db_sessions(request)() as db:
        user = web_sessions.load(db, token, choice=explicit, accept=accept)
    if user is not None:
        request.state.web_user = user
    return user


def current_user(request: Request) -> WebUser:
    """The signed-in user; not signed in → 303 to ``/login?next=…``."""
    user = optional_user(request)
    if user is None:
        raise _login_redirect(request)
    return user


CurrentUser = Annotated[WebUser, Depends(current_user)]


def require_role(*roles: Role) -> Callable[[WebUser], WebUser]:
    """A dependency: the signed-in user, who must have one of ``roles`` (else a 403 page)."""

    def dependency(user: CurrentUser) -> WebUser:
        if user.role not in roles:
            raise RoleRefused(user)
        return user

    return dependency


OwnerUser = Annotated[WebUser, Depends(require_role("owner"))]


# ---------------------------------------------------------------------- CSRF


def _csrf_key(request: Request) -> bytes:
    secret: bytes = request.app.state.settings.secret
    return hmac.new(secret, _CSRF_LABEL, hashlib.sha256).digest()


def csrf_token_for(request: Request, user: WebUser) -> str:
    """The CSRF token of ``user``'s session (the same for every form of the session)."""
    return hmac.new(_csrf_key(request), user.session_id.encode("ascii"), hashlib.sha256).hexdigest()


def public_csrf_token(request: Request) -> str:
    """The visitor's double-submit token (from the cookie, or a new one the page must set
    with :func:`set_public_csrf_cookie`)."""
    tokens = csrf.CsrfTokens(request.app.state.settings.secret)
    current = request.cookies.get(csrf.COOKIE)
    return current if current and tokens.valid(current) else tokens.issue()


def set_public_csrf_cookie(request: Request, response: HTMLResponse, token: str) -> None:
    if request.cookies.get(csrf.COOKIE) != token:
        response.set_cookie(
            csrf.COOKIE,
            token,
            max_age=csrf.MAX_AGE,
            secure=_is_https(request),
            httponly=True,
            samesite="strict",
        )


async def _read_form(request: Request) -> FormData:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        raise CsrfRefused("the form is too large")
    return await request.form(max_files=10, max_fields=2000)


def _csrf_ok(request: Request, form: FormData) -> bool:
    sent = form.get(CSRF_FIELD)
    given = sent if isinstance(sent, str) else ""
    user = optional_user(request)
    if user is not None:
        expected = csrf_token_for(request, user)
        if hmac.compare_digest(given.encode("utf-8"), expected.encode("ascii")):
            return True
        # a form loaded before signing in may still carry the visitor's token
    tokens = csrf.CsrfTokens(request.app.state.settings.secret)
    return tokens.check(given, request.cookies.get(csrf.COOKIE))


async def checked_form(request: Request) -> AsyncIterator[FormData]:
    """The POSTed form whose CSRF token matches: the session's when signed in, the
    visitor's double-submit cookie otherwise. Anything else → 403. Uploaded files are
    closed once the request is answered (or refused)."""
    form = await _read_form(request)
    try:
        if not _csrf_ok(request, form):
            raise CsrfRefused("the form's security token is missing or wrong; reload the page")
        yield form
    finally:
        await form.close()


CheckedForm = Annotated[FormData, Depends(checked_form)]


def form_text(form: FormData, name: str, limit: int = 2000) -> str:
    """A text field of ``form``, stripped and cut to ``limit`` characters (``""`` if absent)."""
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


# ---------------------------------------------------------------------- rendering


def _nav(request: Request, lang: str) -> list[dict[str, Any]]:
    path = request.url.path
    items = []
    for href, key in NAV:
        current = path == href or (href != "/admin" and path.startswith(href + "/"))
        items.append({"href": href, "label": i18n.text(lang, key), "current": current})
    return items


def _layout_variables(request: Request, lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": i18n.TEXTS[lang],
        "languages": language_links(request, lang),
        "csrf_field": CSRF_FIELD,
        "css_url": static_url("merkki.css"),
        "admin_css_url": static_url("admin.css"),
    }


def _render(
    request: Request,
    template: str,
    variables: dict[str, Any],
    lang: str,
    *,
    status: int,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    environment: Environment = request.app.state.templates
    body = environment.get_template(template).render(variables)
    response = HTMLResponse(body, status_code=status)
    response.headers.update(admin_headers(https=_is_https(request)))
    response.headers["Content-Language"] = lang
    response.headers.update(headers or {})
    remember_language(request, response)
    return response


def render_admin(
    request: Request,
    user: WebUser,
    template: str,
    data: dict[str, Any],
    *,
    status: int = 200,
) -> HTMLResponse:
    """``template`` (extending ``admin/base.html``) rendered for ``user`` with ``data``.

    The context has ``lang``, ``t`` (texts), ``user``, ``languages``, ``nav``, ``orgs``
    (for the organisation switcher), ``csrf_field``/``csrf_token``, ``css_url`` and
    ``admin_css_url``; ``data`` comes last and may override them."""
    lang = user.lang
    with db_sessions(request)() as db:
        orgs = web_sessions.user_orgs(db, user.user_id)
    variables = {
        **_layout_variables(request, lang),
        "user": user,
        "nav": _nav(request, lang),
        "orgs": orgs,
        "csrf_token": csrf_token_for(request, user),
        "current_path": local_path(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        ),
        **data,
    }
    return _render(request, template, variables, lang, status=status)


def render_public(
    request: Request,
    template: str,
    data: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A page for visitors (sign in, password reset, invitation) with a fresh or kept
    double-submit CSRF token in ``csrf_token`` and the admin headers."""
    lang = page_language(request)
    token = public_csrf_token(request)
    variables = {**_layout_variables(request, lang), "csrf_token": token, **data}
    response = _render(request, template, variables, lang, status=status, headers=headers)
    set_public_csrf_cookie(request, response, token)
    return response
