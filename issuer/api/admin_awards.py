"""``/admin/awards``: the award form for one recipient, the awards list with filters and
an award's page with revoke / suspend / reinstate behind a confirmation step.

Awarding goes through ``issuer.services.awards.issue_award`` and status changes through
``issuer.services.award_status``, with the signed-in user as the actor. A status form
without ``confirm=yes`` answers a confirmation page (the page's script asks in a
``<dialog>`` instead and sends ``confirm=yes`` itself).
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from badges.model.i18n import languages_of
from issuer import i18n
from issuer.api.admin_forms import (
    AwardingUser,
    Errors,
    date_text,
    end_of_day,
    field_errors,
    lines,
    not_found,
    page,
    parse_date,
    see_other,
    start_of_day,
    text,
    time_text,
)
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.pages import level_name, live_status
from issuer.api.present import award_urls
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.models.awards import AwardCreate
from issuer.services import ServiceContext, award_status
from issuer.services import awards as award_service
from issuer.services.award_search import AwardFilter, search_awards
from issuer.store import repo
from issuer.store.tables import Achievement, AchievementVersion, Award
from issuer.web.deps import CheckedForm, CurrentUser
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)

PAGE_SIZE: Final = 25
STATUSES: Final = ("active", "suspended", "revoked", "superseded")
ACTIONS: Final = ("revoke", "suspend", "reinstate")


def _achievement_options(session: Any, org_id: str, lang: str) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(Achievement).where(Achievement.org_id == org_id).order_by(Achievement.id)
    ).all()
    versions = repo.current_versions(session, rows)
    options = [
        (row.id, i18n.pick_text(versions[row.id].source.get("name"), lang) or row.id)
        for row in rows
        if not row.archived and row.id in versions
    ]
    return sorted(options, key=lambda item: item[1].lower())


def _recipient_label(award: Award, lang: str) -> str:
    subject = award.credential.get("credentialSubject") or {}
    for item in subject.get("identifier") or []:
        if item.get("identityType") == "name" and not item.get("hashed"):
            return str(item.get("identityHash"))
    if award.recipient_type == "email":
        return i18n.text(lang, "adm_email_hashed")
    return award.recipient_ref


def _achievement_name(award: Award) -> str:
    subject = award.credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    return str(achievement.get("name") or award.credential.get("name") or award.achievement_id)


# ---------------------------------------------------------------------- the list


@router.get("/admin/awards")
def list_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    ctx: ContextDep,
    recipient: str = "",
    achievement: str = "",
    status: str = "",
    date_from: str = "",
    date_to: str = "",
    cursor: str | None = None,
) -> HTMLResponse:
    errors: Errors = {}
    where: dict[str, Any] = {
        "recipient": recipient.strip()[:320] or None,
        "achievement_id": achievement[:64] or None,
        "status": status if status in STATUSES else None,
    }
    for name, value, key in (
        ("date_from", date_from, "created_from"),
        ("date_to", date_to, "created_before"),
    ):
        try:
            day = parse_date(value[:10])
        except ValueError:
            errors[name] = i18n.text(user.lang, "adm_err_date")
            continue
        if day is not None:
            where[key] = (
                start_of_day(day)
                if key == "created_from"
                else start_of_day(day) + timedelta(days=1)
            )
    rows: Any = []
    next_cursor = None
    try:
        rows, next_cursor = search_awards(
            session, ctx, user.org_id, AwardFilter(**where), cursor=cursor, limit=PAGE_SIZE
        )
    except InvalidRequest as exc:
        errors.update(
            field_errors(
                exc,
                user.lang,
                lambda loc: "recipient" if "recipient" in loc else None,
                fallback="recipient",
            )
        )
    query = {
        "recipient": recipient,
        "achievement": achievement,
        "status": status,
        "date_from": date_from,
        "date_to": date_to,
    }
    data = {
        "items": [_row(award, user.lang) for award in rows],
        "query": query,
        "achievements": _achievement_options(session, user.org_id, user.lang),
        "statuses": STATUSES,
        "errors": errors,
        "next_cursor": next_cursor,
        "paged": cursor is not None,
    }
    return page(request, user, "admin/awards.html", data)


def _row(award: Award, lang: str) -> dict[str, Any]:
    return {
        "id": award.id,
        "recipient": _recipient_label(award, lang),
        "achievement": _achievement_name(award),
        "status": live_status(award) if award.status == "active" else award.status,
        "created": date_text(award.created_at, lang),
        "created_iso": i18n.iso_datetime(award.created_at),
    }


# ---------------------------------------------------------------------- the award form


def _award_form(
    request: Request,
    user: WebUser,
    session: Any,
    achievement_id: str,
    values: dict[str, Any],
    errors: Errors,
    *,
    status: int = 200,
) -> HTMLResponse:
    chosen: tuple[Achievement, AchievementVersion] | None = None
    if achievement_id:
        try:
            chosen = award_service_achievement(session, user.org_id, achievement_id)
        except NotFound:
            chosen = None
    data: dict[str, Any] = {
        "achievements": _achievement_options(session, user.org_id, user.lang),
        "chosen": None,
        "values": values,
        "errors": errors,
    }
    if chosen is not None:
        achievement, version = chosen
        source = version.source
        langs = list(languages_of(source))
        levels = []
        for description in source.get("resultDescription") or []:
            for item in description.get("rubricCriterionLevel") or []:
                key = str(item.get("id", "")).rpartition("#")[2].removeprefix("level-")
                levels.append((key, i18n.pick_text(item.get("name"), user.lang) or key))
        data["chosen"] = {
            "id": achievement.id,
            "name": i18n.pick_text(source.get("name"), user.lang) or achievement.id,
            "archived": achievement.archived,
            "evidence_required": version.evidence_required,
            "languages": [(code, i18n.LANGUAGE_NAMES[code]) for code in langs],
            "levels": levels,
            "image": _image(achievement.id, source),
        }
        if not values.get("language"):
            values["language"] = user.lang if user.lang in langs else langs[0]
    return page(request, user, "admin/award_new.html", data, status=status)


def award_service_achievement(
    session: Any, org_id: str, achievement_id: str
) -> tuple[Achievement, AchievementVersion]:
    achievement = repo.achievement(session, org_id, achievement_id)
    return achievement, repo.version(session, achievement.id, achievement.current_version)


def _image(achievement_id: str, source: dict[str, Any]) -> str:
    image = source.get("image")
    url = image.get("id") if isinstance(image, dict) else image
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return url
    return f"/achievements/{achievement_id}/artwork.svg"


@router.get("/admin/awards/new")
def new_award_page(
    request: Request, user: AwardingUser, session: SessionDep, achievement: str = ""
) -> HTMLResponse:
    values = dict.fromkeys(
        ("email", "name", "language", "level", "narrative", "evidence_urls", "valid_until"), ""
    )
    values["idempotency_key"] = secrets.token_urlsafe(16)
    return _award_form(request, user, session, achievement[:64], values, {})


_AWARD_FIELDS: Final = {
    "recipient": "email",
    "name": "name",
    "narrative": "narrative",
    "evidence_urls": "evidence_urls",
    "level": "level",
    "valid_until": "valid_until",
    "language": "language",
    "achievement_id": "achievement",
}


def _award_field(loc: Any) -> str | None:
    return _AWARD_FIELDS.get(str(loc[0])) if loc else None


@router.post("/admin/awards/new")
def create_award(
    request: Request,
    user: AwardingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    values = {
        "email": text(form, "email", 320),
        "name": text(form, "name", 200),
        "language": text(form, "language", 2),
        "level": text(form, "level", 200),
        "narrative": text(form, "narrative", 20000),
        "evidence_urls": text(form, "evidence_urls", 100000),
        "valid_until": text(form, "valid_until", 10),
        "idempotency_key": text(form, "idempotency_key", 200) or secrets.token_urlsafe(16),
    }
    achievement_id = text(form, "achievement", 64)
    errors: Errors = {}
    if not values["email"]:
        errors["email"] = i18n.text(user.lang, "adm_err_required")
    valid_until = None
    try:
        day = parse_date(values["valid_until"])
        valid_until = end_of_day(day) if day else None
    except ValueError:
        errors["valid_until"] = i18n.text(user.lang, "adm_err_date")
    if not errors:
        try:
            body = AwardCreate.model_validate(
                {
                    "achievement_id": achievement_id,
                    "recipient": {"email": values["email"]},
                    "name": values["name"] or None,
                    "narrative": values["narrative"] or None,
                    "evidence_urls": lines(form, "evidence_urls", 100000),
                    "level": values["level"] or None,
                    "valid_until": valid_until,
                    "language": values["language"] or None,
                    "idempotency_key": f"admin:{values['idempotency_key']}",
                }
            )
            award, _ = award_service.issue_award(session, ctx, user.principal(), body)
            return see_other(f"/admin/awards/{award.id}", "adm_awarded")
        except (ValidationError, InvalidRequest) as exc:
            session.rollback()
            errors = field_errors(exc, user.lang, _award_field, fallback="email")
            if "evidence_urls" in errors and "http" in errors["evidence_urls"].lower():
                errors["evidence_urls"] = i18n.text(user.lang, "adm_err_url")
        except NotFound:
            session.rollback()
            errors = {"achievement": i18n.text(user.lang, "adm_not_found")}
        except Conflict as exc:
            session.rollback()
            errors = {"email": str(exc)}
    return _award_form(request, user, session, achievement_id, values, errors, status=422)


# ---------------------------------------------------------------------- one award


def _detail(ctx: ServiceContext, award: Award, lang: str) -> dict[str, Any]:
    urls = award_urls(ctx, award)
    subject = award.credential.get("credentialSubject") or {}
    return {
        "id": award.id,
        "recipient": _recipient_label(award, lang),
        "recipient_type": award.recipient_type,
        "achievement": _achievement_name(award),
        "achievement_id": award.achievement_id,
        "version": award.achievement_version,
        "status": live_status(award) if award.status == "active" else award.status,
        "raw_status": award.status,
        "language": i18n.LANGUAGE_NAMES.get(award.language, award.language),
        "format": award.format,
        "level": level_name(subject.get("achievement") or {}, subject.get("result") or []),
        "narrative": subject.get("narrative"),
        "created": time_text(award.created_at),
        "valid_from": date_text(award.valid_from, lang),
        "valid_until": date_text(award.valid_until, lang),
        "revoked": (
            i18n.text(
                lang,
                "adm_revoked_because",
                date=date_text(award.revoked_at, lang),
                reason=award.revocation_reason or "",
            )
            if award.revoked_at
            else None
        ),
        "suspended": (
            i18n.text(
                lang,
                "adm_suspended_because",
                date=date_text(award.suspended_at, lang),
                reason=award.suspension_reason or "",
            )
            if award.status == "suspended" and award.suspended_at
            else None
        ),
        "urls": {"page": urls.page, "json": urls.json_, "jwt": urls.jwt, "png": urls.png},
        "actions": _actions(award.status),
    }


def _actions(status: str) -> list[str]:
    if status == "active":
        return ["suspend", "revoke"]
    if status == "suspended":
        return ["reinstate", "revoke"]
    return []


@router.get("/admin/awards/{award_id}")
def award_page(
    award_id: str, request: Request, user: CurrentUser, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    try:
        award = repo.award(session, user.org_id, award_id)
    except NotFound:
        return not_found(request, user)
    detail = _detail(ctx, award, user.lang)
    changed = request.query_params.get("changed") in ACTIONS
    data = {"award": detail, "reason": "", "errors": {}, "changed": changed}
    return page(request, user, "admin/award.html", data)


@router.post("/admin/awards/{award_id}/{action}")
def change_status(
    award_id: str,
    action: str,
    request: Request,
    user: AwardingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    try:
        award = repo.award(session, user.org_id, award_id)
    except NotFound:
        return not_found(request, user)
    if action not in ACTIONS:
        return not_found(request, user)
    reason = text(form, f"reason_{action}", 2000) or text(form, "reason", 2000)
    detail = _detail(ctx, award, user.lang)
    if action != "reinstate" and not reason:
        errors = {f"reason_{action}": i18n.text(user.lang, "adm_err_required")}
        data = {"award": detail, "reason": reason, "errors": errors}
        return page(request, user, "admin/award.html", data, status=422)
    if text(form, "confirm", 10) != "yes":
        data = {"award": detail, "action": action, "reason": reason}
        return page(request, user, "admin/award_confirm.html", data)
    actor = user.principal()
    try:
        if action == "revoke":
            award_status.revoke(session, ctx, actor, award.id, reason)
        elif action == "suspend":
            award_status.suspend(session, ctx, actor, award.id, reason)
        else:
            award_status.reinstate(session, ctx, actor, award.id, reason or None)
    except Conflict as exc:
        session.rollback()
        data = {"award": detail, "reason": reason, "errors": {f"reason_{action}": str(exc)}}
        return page(request, user, "admin/award.html", data, status=409)
    return see_other(f"/admin/awards/{award.id}?changed={action}")
