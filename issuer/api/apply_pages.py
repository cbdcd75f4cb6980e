"""The applicant's pages: apply for a badge, confirm the e-mail address, follow the status.

- ``GET/POST /apply/{achievement_id}``: the achievement (criteria, rubric levels, the
  evidence expected) and the form: e-mail, name, language, level, narrative and
  evidence (text, links, files). A submission makes a draft and mails a confirmation
  link; nothing goes to the reviewers before it is confirmed.
- ``GET/POST /applications/{id}/confirm?token=``: the link opens a page whose button
  confirms (a mail scanner that fetches the link confirms nothing).
- ``GET /applications/{id}?token=``: the status page (the capability link of the
  mails): status, history, the reviewer's message, and when more is asked for a form
  to add evidence / edit the narrative and send again (``POST …/resubmit``).
- ``GET /applications/{id}/evidence/{evidence_id}``: an evidence file, always as a
  download: public once the badge is issued (the credential names this URL and the
  file's SHA-256), before that only with the status token.

Forms work without script, carry the double-submit CSRF token of :mod:`issuer.csrf`,
and new applications are throttled per client address and per e-mail address.
"""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from issuer import csrf, i18n
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.pages import page_language, safe_link, static_url
from issuer.errors import (
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServiceError,
    UnsupportedMediaType,
)
from issuer.ratelimit import RateLimiter, parse_rate
from issuer.services import ServiceContext
from issuer.services import applications as service
from issuer.services import evidence as checks
from issuer.store.tables import Application
from issuer.web.deps import render_public

router = APIRouter(tags=["pages"], include_in_schema=False)

APPLY_RATE: Final = "30/hour"
"""New applications per client address (per service process)."""
MAX_BODY: Final = checks.MAX_FILES * checks.MAX_FILE_BYTES + 1024 * 1024
"""Largest form read: the files of one submission plus the text fields."""


def _css() -> dict[str, str]:
    return {"app_css_url": static_url("applications.css")}


def _limiter(request: Request) -> RateLimiter:
    state = request.app.state
    limiter: RateLimiter | None = getattr(state, "apply_rate_limiter", None)
    if limiter is None:
        limiter = RateLimiter(parse_rate(APPLY_RATE))
        state.apply_rate_limiter = limiter
    return limiter


def _message(request: Request, title: str, message: str, status: int) -> HTMLResponse:
    data = {"title": title, "message": message, "link": None, **_css()}
    return render_public(request, "apply/message.html", data, status=status)


def _not_found(request: Request) -> HTMLResponse:
    lang = page_language(request)
    return _message(
        request, i18n.text(lang, "app_status_title"), i18n.text(lang, "app_link_invalid"), 404
    )


# ---------------------------------------------------------------------- form reading


def _text(form: FormData, name: str, limit: int = 20_000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


async def _files(form: FormData) -> list[checks.CheckedFile]:
    uploads = [v for v in form.getlist("files") if isinstance(v, UploadFile) and v.filename]
    if len(uploads) > checks.MAX_FILES:
        raise InvalidRequest.field(("body", "files"), f"at most {checks.MAX_FILES} files")
    found = []
    for upload in uploads:
        data = await upload.read(checks.MAX_FILE_BYTES + 1)
        found.append(checks.check_file(upload.filename or "evidence", data))
    return found


async def _evidence(form: FormData) -> checks.EvidenceIn:
    text = checks.check_text(_text(form, "evidence_text", checks.MAX_TEXT + 1))
    lines = [line.strip() for line in _text(form, "urls").splitlines() if line.strip()]
    if len(lines) > checks.MAX_URLS:
        raise InvalidRequest.field(("body", "urls"), f"at most {checks.MAX_URLS} links")
    return checks.EvidenceIn(
        texts=[text] if text else [],
        urls=[checks.check_url(line) for line in lines],
        files=await _files(form),
    )


def _error_text(lang: str, exc: ServiceError) -> tuple[str, int]:
    if isinstance(exc, PayloadTooLarge):
        return i18n.text(lang, "app_error_too_large", detail=str(exc)), 413
    if isinstance(exc, UnsupportedMediaType):
        return i18n.text(lang, "app_error_type", detail=str(exc)), 415
    if isinstance(exc, RateLimited):
        return i18n.text(lang, "app_error_rate"), 429
    if isinstance(exc, Conflict):
        return i18n.text(lang, "app_error_state"), 409
    if isinstance(exc, InvalidRequest) and exc.errors:
        details = "; ".join(f"{e.loc[-1]}: {e.message}" for e in exc.errors)
        return i18n.text(lang, "app_error_invalid", detail=details), 422
    return i18n.text(lang, "app_error_invalid", detail=str(exc)), 422


def _csrf_ok(request: Request, form: FormData) -> bool:
    token = form.get(csrf.FIELD)
    tokens = csrf.CsrfTokens(request.app.state.settings.secret)
    return tokens.check(token if isinstance(token, str) else None, request.cookies.get(csrf.COOKIE))


def _body_too_large(request: Request) -> bool:
    length = request.headers.get("content-length", "")
    return not length.isdigit() or int(length) > MAX_BODY


# ---------------------------------------------------------------------- apply


def _apply_data(
    session: Session, ctx: ServiceContext, achievement_id: str, lang: str
) -> dict[str, Any]:
    achievement, version = service.open_achievement(session, achievement_id)
    data = service.achievement_json(ctx, achievement, version, lang)
    criteria = data.get("criteria") or {}
    return {
        "achievement_id": achievement.id,
        "content_lang": data.get("inLanguage"),
        "name": data.get("name"),
        "description": data.get("description"),
        "criteria": criteria.get("narrative") if isinstance(criteria, dict) else None,
        "levels": service.levels_of(data),
        "expectations": service.evidence_expectations(achievement, lang),
        "evidence_required": version.evidence_required,
    }


def _render_apply(
    request: Request,
    session: Session,
    ctx: ServiceContext,
    achievement_id: str,
    form: dict[str, str],
    errors: list[str],
    status: int = 200,
) -> HTMLResponse:
    lang = page_language(request)
    try:
        achievement = _apply_data(session, ctx, achievement_id, lang)
    except NotFound:
        return _not_found(request)
    values = {"email": "", "name": "", "language": lang, "level": "", "narrative": ""}
    values.update({"evidence_text": "", "urls": "", **form})
    data = {
        "a": achievement,
        "form": values,
        "errors": errors,
        "action": f"/apply/{quote(achievement_id)}?lang={lang}",
        "language_choices": [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGS],
        "limits": {"files": checks.MAX_FILES},
        **_css(),
    }
    return render_public(request, "apply/apply.html", data, status=status)


@router.get("/apply/{achievement_id}", response_class=HTMLResponse)
def apply_form(
    achievement_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    return _render_apply(request, session, ctx, achievement_id, {}, [])


@router.post("/apply/{achievement_id}", response_class=HTMLResponse)
async def apply_submit(
    achievement_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    lang = page_language(request)
    if _body_too_large(request):
        message = i18n.text(lang, "app_error_length")
        return _render_apply(request, session, ctx, achievement_id, {}, [message], 413)
    async with request.form(
        max_files=checks.MAX_FILES + 1, max_fields=30, max_part_size=1024 * 1024
    ) as form:
        values = {
            name: _text(form, name)
            for name in ("email", "name", "language", "level", "narrative", "evidence_text", "urls")
        }
        if not _csrf_ok(request, form):
            errors = [i18n.text(lang, "app_error_csrf")]
            return _render_apply(request, session, ctx, achievement_id, values, errors, 403)
        client = request.client.host if request.client else "unknown"
        try:
            if not _limiter(request).hit(client).allowed:
                raise RateLimited("too many applications from this address", 3600)
            evidence = await _evidence(form)
            data = service.ApplicationIn(
                email=values["email"],
                name=values["name"],
                language=values["language"],
                level=values["level"],
                narrative=values["narrative"],
                evidence=evidence,
            )
            service.create_application(session, ctx, achievement_id, data)
        except NotFound:
            return _not_found(request)
        except ServiceError as exc:
            session.rollback()
            message, status = _error_text(lang, exc)
            return _render_apply(request, session, ctx, achievement_id, values, [message], status)
    return _message(
        request,
        i18n.text(lang, "app_check_email_title"),
        i18n.text(lang, "app_check_email_body"),
        200,
    )


# ---------------------------------------------------------------------- confirm


@router.get("/applications/{application_id}/confirm", response_class=HTMLResponse)
def confirm_page(application_id: str, request: Request, token: str = "") -> HTMLResponse:
    lang = page_language(request)
    data = {
        "action": f"/applications/{quote(application_id)}/confirm?lang={lang}",
        "token": token[:200],
        **_css(),
    }
    return render_public(request, "apply/confirm.html", data)


@router.post("/applications/{application_id}/confirm", response_class=HTMLResponse)
async def confirm_submit(
    application_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> Response:
    lang = page_language(request)
    title = i18n.text(lang, "app_confirm_title")
    async with request.form(max_files=0, max_fields=5, max_part_size=4096) as form:
        if not _csrf_ok(request, form):
            return _message(request, title, i18n.text(lang, "app_error_csrf"), 403)
        token = _text(form, "token", 200)
    try:
        application = service.confirm_application(session, ctx, application_id, token)
    except NotFound:
        return _not_found(request)
    except Conflict:
        return _message(request, title, i18n.text(lang, "app_link_used"), 409)
    except Forbidden:
        return _message(request, title, i18n.text(lang, "app_link_invalid"), 403)
    target = _status_path(ctx, application, lang) + "&done=submitted"
    return RedirectResponse(target, status_code=303)


# ---------------------------------------------------------------------- status


def _status_path(ctx: ServiceContext, application: Application, lang: str) -> str:
    token = service.status_token(ctx, application.id)
    return f"/applications/{application.id}?token={token}&lang={lang}"


def _when(value: Any, lang: str) -> str:
    return f"{i18n.format_date(value, lang)} {value:%H:%M} UTC"


def status_data(
    session: Session, ctx: ServiceContext, application: Application, lang: str
) -> dict[str, Any]:
    """What the status page (and the review page) show of one application."""
    achievement, version = service.application_achievement(session, application)
    data = service.achievement_json(ctx, achievement, version, lang)
    levels = {level.key: level.name for level in service.levels_of(data)}
    token = service.status_token(ctx, application.id)
    evidence = []
    for item in checks.evidence_of(session, application.id):
        evidence.append(
            {
                "id": item.id,
                "kind": item.kind,
                "text": item.text,
                "url": safe_link(item.url),
                "raw_url": item.url,
                "file_name": item.file_name,
                "media_type": item.media_type,
                "size": i18n.text(lang, "app_file_size", size=max(1, (item.size or 0) // 1024)),
                "sha256": item.sha256,
                "download": f"/applications/{application.id}/evidence/{item.id}?token={token}",
            }
        )
    events = [
        {
            "when": _when(event.at, lang),
            "text": i18n.text(lang, f"app_event_{event.action}"),
            "by_reviewer": event.actor_type == "reviewer",
            "level": levels.get(event.level or "", event.level),
            "message": event.message
            if event.action in ("request_changes", "reject", "approve")
            else None,
        }
        for event in service.events_of(session, application.id)
    ]
    return {
        "app": {
            "id": application.id,
            "status": application.status,
            "status_text": i18n.text(lang, f"app_status_{application.status}"),
            "name": application.name,
            "narrative": application.narrative,
            "claimed_level": levels.get(application.claimed_level, application.claimed_level),
            "claimed_key": application.claimed_level,
            "approved_level": levels.get(application.approved_level or ""),
            "message": application.decision_message,
            "award_url": f"/credentials/{application.award_id}" if application.award_id else None,
            "submitted": _when(application.submitted_at, lang)
            if application.submitted_at
            else None,
        },
        "badge": {
            "name": data.get("name"),
            "content_lang": data.get("inLanguage"),
            "achievement_id": achievement.id,
        },
        "levels": service.levels_of(data),
        "evidence": evidence,
        "events": events,
    }


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def status_page(
    application_id: str, request: Request, session: SessionDep, ctx: ContextDep, token: str = ""
) -> HTMLResponse:
    try:
        application = service.by_status_token(session, ctx, application_id, token)
    except NotFound:
        return _not_found(request)
    return _render_status(request, session, ctx, application, [])


def _render_status(
    request: Request,
    session: Session,
    ctx: ServiceContext,
    application: Application,
    errors: list[str],
    status: int = 200,
) -> HTMLResponse:
    lang = page_language(request, application.language)
    done = request.query_params.get("done")
    notice = {"submitted": "app_confirmed", "resubmitted": "app_resubmitted"}.get(done or "")
    data = {
        **status_data(session, ctx, application, lang),
        "errors": errors,
        "notice": i18n.text(lang, notice) if notice else None,
        "token": service.status_token(ctx, application.id),
        "resubmit_action": f"/applications/{application.id}/resubmit?lang={lang}",
        "limits": {"files": checks.MAX_FILES},
        **_css(),
    }
    return render_public(request, "apply/status.html", data, status=status)


@router.post("/applications/{application_id}/resubmit", response_class=HTMLResponse)
async def resubmit(
    application_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> Response:
    lang = page_language(request)
    if _body_too_large(request):
        return _message(
            request,
            i18n.text(lang, "app_resubmit_title"),
            i18n.text(lang, "app_error_length"),
            413,
        )
    async with request.form(
        max_files=checks.MAX_FILES + 1, max_fields=30, max_part_size=1024 * 1024
    ) as form:
        try:
            application = service.by_status_token(
                session, ctx, application_id, _text(form, "token", 200)
            )
        except NotFound:
            return _not_found(request)
        if not _csrf_ok(request, form):
            errors = [i18n.text(lang, "app_error_csrf")]
            return _render_status(request, session, ctx, application, errors, 403)
        try:
            evidence = await _evidence(form)
            narrative = _text(form, "narrative", service.MAX_NARRATIVE + 1)
            service.resubmit(session, ctx, application, narrative=narrative, evidence=evidence)
        except ServiceError as exc:
            session.rollback()
            message, status = _error_text(lang, exc)
            return _render_status(request, session, ctx, application, [message], status)
    target = _status_path(ctx, application, lang) + "&done=resubmitted"
    return RedirectResponse(target, status_code=303)


@router.get("/applications/{application_id}/evidence/{evidence_id}")
def evidence_file(
    application_id: str,
    evidence_id: str,
    session: SessionDep,
    ctx: ContextDep,
    token: str = "",
) -> Response:
    """An evidence file as a download: public once approved, else with the status token."""
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound("evidence", evidence_id)
    item = checks.evidence_item(session, application_id, evidence_id)
    if item.kind != "file" or item.data is None:
        raise NotFound("evidence", evidence_id)
    if application.status != "approved":
        service.by_status_token(session, ctx, application_id, token)  # NotFound if wrong
    headers = checks.download_headers(item.file_name or "evidence", item.media_type or "")
    return Response(item.data, headers=headers)
