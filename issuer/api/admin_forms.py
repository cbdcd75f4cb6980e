"""Helpers of the admin pages for the people who award (``issuer.api.admin_*``): field
errors next to their fields, notices after a change, 404 pages and role checks.

A form's errors are ``{field name: message}``; a template shows each message next to its
field (``admin/_fields.html``) and a summary at the top. Messages of pydantic and of the
service are mapped to translated texts where one fits; the service's own message is
shown as it is otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from issuer import i18n
from issuer.api.pages import static_url
from issuer.errors import InvalidRequest
from issuer.web.deps import form_text, render_admin, require_role
from issuer.web.session import WebUser

Errors = dict[str, str]

AwardingUser = Annotated[WebUser, Depends(require_role("owner", "issuer"))]
"""May award, revoke, suspend and reinstate (the ``award`` and ``revoke`` scopes)."""
ManagingUser = Annotated[WebUser, Depends(require_role("owner"))]
"""May edit achievements and issuers (the ``manage`` scope)."""

NOTICES: Final = frozenset(
    {
        "adm_created",
        "adm_unchanged",
        "adm_archive_done",
        "adm_restore_done",
        "adm_awarded",
        "adm_profile_saved",
        "adm_rotated",
    }
)
"""Notices a page shows for ``?done=<key>`` (any other value shows nothing)."""

_PYDANTIC_TEXTS: Final = {
    "missing": "adm_err_required",
    "string_too_short": "adm_err_required",
    "too_short": "adm_err_required",
    "string_pattern_mismatch": "adm_err_format",
    "int_parsing": "adm_err_number",
    "greater_than": "adm_err_number",
    "less_than_equal": "adm_err_number",
    "datetime_parsing": "adm_err_date",
    "datetime_from_date_parsing": "adm_err_date",
    "date_from_datetime_parsing": "adm_err_date",
}


def can(user: WebUser) -> dict[str, bool]:
    """What ``user``'s role may do here (templates show forms only for these)."""
    scopes = user.principal().scopes
    return {
        "award": "award" in scopes,
        "revoke": "revoke" in scopes,
        "manage": "manage" in scopes,
    }


def page(
    request: Request,
    user: WebUser,
    template: str,
    data: Mapping[str, Any],
    *,
    status: int = 200,
) -> HTMLResponse:
    """An admin page of this area: ``render_admin`` with ``can``, the notice and our JS."""
    done = request.query_params.get("done", "")
    notice = i18n.text(user.lang, done) if done in NOTICES else None
    variables = {
        "can": can(user),
        "notice": notice,
        "pages_js_url": static_url("admin-pages.js"),
        "pages_css_url": static_url("admin-pages.css"),
        "errors": {},
        **data,
    }
    return render_admin(request, user, template, variables, status=status)


def not_found(request: Request, user: WebUser) -> HTMLResponse:
    data = {"status": 404, "message": i18n.text(user.lang, "adm_not_found")}
    return render_admin(request, user, "admin/error.html", data, status=404)


def see_other(path: str, done: str | None = None) -> RedirectResponse:
    """303 to ``path`` (after a POST), with a notice key."""
    target = f"{path}{'&' if '?' in path else '?'}done={done}" if done else path
    return RedirectResponse(target, status_code=303)


def field_errors(
    exc: ValidationError | InvalidRequest,
    lang: str,
    names: Callable[[Sequence[str | int]], str | None],
    *,
    fallback: str,
) -> Errors:
    """``{form field: message}`` of ``exc``; ``names`` maps an error's location (without
    a leading ``body``) to a form field (``None``: ``fallback``)."""
    errors: Errors = {}
    if isinstance(exc, ValidationError):
        for item in exc.errors():
            loc = [part for part in item.get("loc", ()) if part != "body"]
            key = _PYDANTIC_TEXTS.get(str(item.get("type")))
            message = i18n.text(lang, key) if key else str(item.get("msg", ""))
            errors.setdefault(names(loc) or fallback, message)
        return errors
    for error in exc.errors or []:
        loc = [part for part in error.loc if part != "body"]
        errors.setdefault(names(loc) or fallback, _service_message(error.message, lang))
    if not errors:
        errors[fallback] = _service_message(str(exc), lang)
    return errors


def _service_message(message: str, lang: str) -> str:
    lowered = message.lower()
    if "must be in the future" in lowered:
        return i18n.text(lang, "adm_err_future")
    if "must not be in the future" in lowered:
        return i18n.text(lang, "adm_err_past")
    if "requires evidence" in lowered:
        return i18n.text(lang, "adm_err_evidence")
    if "e-mail" in lowered or "email" in lowered:
        return i18n.text(lang, "adm_err_email")
    return message


def text(form: FormData, name: str, limit: int = 2000) -> str:
    return form_text(form, name, limit)


def lines(form: FormData, name: str, limit: int = 20000) -> list[str]:
    """A textarea's non-empty lines."""
    return [line.strip() for line in text(form, name, limit).splitlines() if line.strip()]


def parse_date(value: str) -> date | None:
    """``yyyy-mm-dd`` (what ``<input type=date>`` sends), or ``None`` when empty; raises
    ``ValueError`` otherwise."""
    return date.fromisoformat(value) if value else None


def end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=UTC)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def date_text(value: datetime | date | None, lang: str) -> str:
    return i18n.format_date(value, lang) or ""


def time_text(value: datetime | None) -> str:
    """``2026-11-29 14:05 UTC``."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
