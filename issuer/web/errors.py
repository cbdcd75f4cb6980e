"""The signed-in pages' refusals and how they are answered (pages, not problem JSON).

:class:`SignInRequired` → 303 to the sign-in page; :class:`RoleRefused` and
:class:`CsrfRefused` → a 403 page; :class:`TooManyAttempts` → a 429 page with
``Retry-After``. :func:`install` registers the handlers on the application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

if TYPE_CHECKING:
    from issuer.web.session import WebUser


class WebRefusal(Exception):
    """Base of the signed-in pages' refusals."""


class SignInRequired(WebRefusal):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class RoleRefused(WebRefusal):
    def __init__(self, user: WebUser) -> None:
        super().__init__(f"the role {user.role!r} may not open this page")
        self.user = user


class CsrfRefused(WebRefusal):
    pass


class TooManyAttempts(WebRefusal):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts; retry after {retry_after} s")
        self.retry_after = retry_after


def _error_page(request: Request, status: int, key: str, **params: object) -> Response:
    from issuer import i18n
    from issuer.web.deps import optional_user, render_admin, render_public

    user = optional_user(request)
    if user is not None:
        message = i18n.text(user.lang, key, **params)
        data = {"status": status, "message": message}
        return render_admin(request, user, "admin/error.html", data, status=status)
    from issuer.api.pages import page_language

    message = i18n.text(page_language(request), key, **params)
    data = {"status": status, "message": message}
    return render_public(request, "auth/error.html", data, status=status)


async def _sign_in(request: Request, exc: Exception) -> Response:  # noqa: ARG001
    location = exc.location if isinstance(exc, SignInRequired) else "/login"
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


async def _role(request: Request, exc: Exception) -> Response:  # noqa: ARG001
    return _error_page(request, 403, "admin_error_role")


async def _csrf(request: Request, exc: Exception) -> Response:  # noqa: ARG001
    return _error_page(request, 403, "admin_error_csrf")


async def _throttled(request: Request, exc: Exception) -> Response:
    retry_after = exc.retry_after if isinstance(exc, TooManyAttempts) else 60
    minutes = max(1, (retry_after + 59) // 60)
    response = _error_page(request, 429, "auth_error_throttled", minutes=minutes)
    response.headers["Retry-After"] = str(retry_after)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(SignInRequired, _sign_in)
    app.add_exception_handler(RoleRefused, _role)
    app.add_exception_handler(CsrfRefused, _csrf)
    app.add_exception_handler(TooManyAttempts, _throttled)
