"""``/admin/issuers``: the organisation's issuers, an issuer's profile (names in fi/sv/en,
website, e-mail, logo, default format and language, signed OB 2.0) and its keys page:
rotate, mark compromised and re-issue the affected awards, each behind a confirmation
step (``confirm=yes``; the page's script asks in a ``<dialog>``). Owners only change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from issuer import i18n
from issuer.api.admin_forms import (
    Errors,
    ManagingUser,
    field_errors,
    not_found,
    page,
    see_other,
    text,
    time_text,
)
from issuer.api.deps import ContextDep, SessionDep
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.models.issuers import IssuerUpdate
from issuer.services import ServiceContext, renewal
from issuer.services import issuers as issuer_service
from issuer.services import keys as key_service
from issuer.store import repo
from issuer.store.tables import Issuer
from issuer.web.deps import CheckedForm, CurrentUser
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)

KEY_TYPES: Final = (("ed25519", "Ed25519"), ("p256", "P-256"), ("rsa", "RSA 2048"))
KEY_ACTIONS: Final = ("rotate", "compromise", "reissue")


@router.get("/admin/issuers")
def list_page(request: Request, user: CurrentUser, session: SessionDep) -> HTMLResponse:
    issuers = repo.issuers_of(session, user.org_id)
    items = [
        {
            "id": row.id,
            "name": i18n.pick_text(row.name, user.lang) or row.id,
            "did_method": row.did_method,
            "url": row.url,
        }
        for row in issuers
    ]
    return page(request, user, "admin/issuers.html", {"items": items})


def _profile_values(issuer: Issuer) -> dict[str, Any]:
    values: dict[str, Any] = {
        f"name_{code}": (issuer.name.get(code, "") if isinstance(issuer.name, dict) else "")
        for code in i18n.LANGS
    }
    if isinstance(issuer.name, str):
        values[f"name_{issuer.default_language}"] = issuer.name
    values.update(
        url=issuer.url or "",
        email=issuer.email or "",
        image=issuer.image if issuer.image and not issuer.image.startswith("data:") else "",
        format=issuer.format,
        default_language=issuer.default_language,
        ob2_signed=issuer.ob2_signed,
    )
    return values


def _keys(ctx: ServiceContext, session: Session, issuer: Issuer) -> list[dict[str, Any]]:
    out = []
    for key in reversed(repo.keys_of(session, issuer.id)):
        out.append(
            {
                "id": key.id,
                "short": key.id[:8],
                "type": key.key_type,
                "status": key.status,
                "created": time_text(key.created_at),
                "retired": time_text(key.retired_at),
                "since": time_text(key.compromised_since),
                "reason": key.compromise_reason,
                "affected": key_service.count_affected(session, key),
                "method": issuer_service.verification_method(ctx, issuer, key),
            }
        )
    return out


def _issuer_page(
    request: Request,
    user: WebUser,
    session: Session,
    ctx: ServiceContext,
    issuer: Issuer,
    *,
    values: dict[str, Any] | None = None,
    errors: Errors | None = None,
    message: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    keys = repo.keys_of(session, issuer.id)
    now_text = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M")
    data = {
        "issuer": {
            "id": issuer.id,
            "name": i18n.pick_text(issuer.name, user.lang) or issuer.id,
            "did": issuer_service.did_of(ctx, issuer, keys),
            "did_method": issuer.did_method,
            "format": issuer.format,
        },
        "values": values or _profile_values(issuer),
        "errors": errors or {},
        "keys": _keys(ctx, session, issuer),
        "key_types": KEY_TYPES,
        "langs": [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGS],
        "now": now_text,
        "message": message,
    }
    return page(request, user, "admin/issuer.html", data, status=status)


@router.get("/admin/issuers/{issuer_id}")
def issuer_page(
    issuer_id: str, request: Request, user: CurrentUser, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    try:
        issuer = repo.issuer(session, user.org_id, issuer_id)
    except NotFound:
        return not_found(request, user)
    message = None
    reissued = request.query_params.get("reissued", "")
    remaining = request.query_params.get("remaining", "")
    affected = request.query_params.get("affected", "")
    if reissued.isdigit() and remaining.isdigit():
        message = i18n.text(user.lang, "adm_reissued", count=reissued, remaining=remaining)
    elif affected.isdigit():
        message = i18n.text(user.lang, "adm_compromised_done", count=affected)
    return _issuer_page(request, user, session, ctx, issuer, message=message)


def _profile_field(loc: Any) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    if head == "name":
        lang = next((str(p) for p in loc[1:] if str(p) in i18n.LANGS), "fi")
        return f"name_{lang}"
    return head if head in ("url", "email", "image", "format", "default_language") else None


@router.post("/admin/issuers/{issuer_id}")
def save_profile(
    issuer_id: str,
    request: Request,
    user: ManagingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    try:
        issuer = repo.issuer(session, user.org_id, issuer_id)
    except NotFound:
        return not_found(request, user)
    values: dict[str, Any] = {
        f"name_{code}": text(form, f"name_{code}", 200) for code in i18n.LANGS
    }
    values.update(
        url=text(form, "url", 2000),
        email=text(form, "email", 320),
        image=text(form, "image", 2000),
        format=text(form, "format", 8),
        default_language=text(form, "default_language", 2),
        ob2_signed=bool(text(form, "ob2_signed")),
    )
    names = {code: values[f"name_{code}"] for code in i18n.LANGS if values[f"name_{code}"]}
    errors: Errors = {}
    if not names:
        errors["name_fi"] = i18n.text(user.lang, "adm_err_required")
    if not errors:
        try:
            body = IssuerUpdate.model_validate(
                {
                    "name": names,
                    "url": values["url"] or None,
                    "email": values["email"] or None,
                    "image": values["image"] or None,
                    "ob2_signed": values["ob2_signed"],
                    **{
                        name: values[name]
                        for name in ("format", "default_language")
                        if values[name]
                    },
                }
            )
            if not values["image"] and issuer.image and issuer.image.startswith("data:"):
                body = body.model_copy(update={"image": issuer.image})  # keep an embedded logo
            issuer_service.update_issuer(session, user.principal(), user.org_id, issuer.id, body)
            return see_other(f"/admin/issuers/{issuer.id}", "adm_profile_saved")
        except (ValidationError, InvalidRequest) as exc:
            session.rollback()
            errors = field_errors(exc, user.lang, _profile_field, fallback="name_fi")
            for name in ("url", "image"):
                if name in errors:
                    errors[name] = i18n.text(user.lang, "adm_err_url")
            if "email" in errors:
                errors["email"] = i18n.text(user.lang, "adm_err_email")
    return _issuer_page(
        request, user, session, ctx, issuer, values=values, errors=errors, status=422
    )


@router.post("/admin/issuers/{issuer_id}/keys/{action}")
def key_action(
    issuer_id: str,
    action: str,
    request: Request,
    user: ManagingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    try:
        issuer = repo.issuer(session, user.org_id, issuer_id)
    except NotFound:
        return not_found(request, user)
    if action not in KEY_ACTIONS:
        return not_found(request, user)
    key_id = text(form, "key_id", 64)
    fields = {
        "key_type": text(form, "key_type", 10),
        "key_id": key_id,
        "since": text(form, "since", 20) or text(form, f"since_{key_id[:8]}", 20),
        "reason": text(form, "reason", 2000) or text(form, f"reason_{key_id[:8]}", 2000),
    }
    errors: Errors = {}
    since: datetime | None = None
    if action == "compromise":
        try:
            since = datetime.fromisoformat(fields["since"]).replace(tzinfo=UTC)
        except ValueError:
            errors[f"since_{fields['key_id'][:8]}"] = i18n.text(user.lang, "adm_err_date")
        else:
            if since > datetime.now(UTC):
                errors[f"since_{fields['key_id'][:8]}"] = i18n.text(user.lang, "adm_err_past")
    if errors:
        return _issuer_page(request, user, session, ctx, issuer, errors=errors, status=422)
    if text(form, "confirm", 10) != "yes":
        data = _confirm_data(session, issuer, action, fields, user.lang)
        return page(request, user, "admin/issuer_confirm.html", data)
    actor = user.principal()
    target = f"/admin/issuers/{issuer.id}"
    try:
        if action == "rotate":
            key_type = fields["key_type"] if fields["key_type"] in dict(KEY_TYPES) else None
            key_service.rotate_key(session, ctx, actor, user.org_id, issuer.id, key_type)
            return see_other(target, "adm_rotated")
        if action == "compromise" and since is not None:
            done = key_service.compromise_key(
                session,
                ctx,
                actor,
                user.org_id,
                issuer.id,
                fields["key_id"],
                since,
                fields["reason"] or None,
            )
            return see_other(f"{target}?affected={done.affected}")
        result = renewal.reissue_compromised(
            session, ctx, actor, user.org_id, issuer.id, fields["key_id"]
        )
        return see_other(f"{target}?reissued={len(result.reissued)}&remaining={result.remaining}")
    except (Conflict, InvalidRequest, NotFound) as exc:
        session.rollback()
        message = (
            i18n.text(user.lang, "adm_did_key_fixed") if issuer.did_method == "key" else str(exc)
        )
        return _issuer_page(
            request, user, session, ctx, issuer, errors={"keys": message}, status=409
        )


def _confirm_data(
    session: Session, issuer: Issuer, action: str, fields: dict[str, str], lang: str
) -> dict[str, Any]:
    name = i18n.pick_text(issuer.name, lang) or issuer.id
    if action == "rotate":
        question = i18n.text(lang, "adm_confirm_rotate", name=name)
    elif action == "compromise":
        since = fields["since"].replace("T", " ") + " UTC"
        question = i18n.text(
            lang, "adm_confirm_compromise", key_id=fields["key_id"][:8], since=since
        )
    else:
        count = 0
        try:
            key = key_service.issuer_key(session, issuer.id, fields["key_id"])
            count = key_service.count_affected(session, key)
        except NotFound:
            pass
        question = i18n.text(lang, "adm_confirm_reissue", count=count)
    return {
        "issuer_id": issuer.id,
        "action": action,
        "question": question,
        "yes": i18n.text(lang, f"adm_yes_{action}"),
        "fields": {name: value for name, value in fields.items() if value},
    }
