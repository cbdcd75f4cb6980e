"""Public endorsement pages and documents (no sign-in).

* ``/endorse/{target}`` (an award or achievement id): a person writes an endorsement
  (name, e-mail, relation, statement); a single-use link is mailed to the address.
* ``/endorse/confirm/{token}``: shows the statement and, on a POST (never on the GET a
  mail scanner may make), signs and publishes it with the person's Merkki-hosted identity.
* ``/endorsements/{id}``: the signed EndorsementCredential (JSON-LD; HTML for browsers),
  ``.json`` one form; ``/endorsers/{id}`` and ``/endorsers/{id}/did.json``: the person's
  Profile and the did:web document that binds their key.

Forms carry the signed double-submit CSRF token of :mod:`issuer.csrf` and count against
the verifier's per-client rate limit; requests per address are limited too.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Header, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from issuer import csrf, i18n
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.negotiation import negotiate
from issuer.api.pages import (
    csrf_tokens,
    page_language,
    render_form_page,
    static_url,
)
from issuer.errors import Conflict, NotFound, RateLimited
from issuer.models.endorsements import MAX_COMMENT, RELATIONS
from issuer.ratelimit import RateLimiter
from issuer.services import ServiceContext
from issuer.services import endorsements as service
from issuer.services import endorsers as endorser_service
from issuer.services.mail import enqueue_mail
from issuer.store.tables import Endorsement

router = APIRouter(tags=["endorsements"], include_in_schema=False)

JSON_TYPES = ("application/ld+json", "application/vc+ld+json", "application/vc", "application/json")
PUBLIC = {"Access-Control-Allow-Origin": "*"}
MAX_FORM_BYTES = 16 * 1024
MAX_NAME = 200


def _document(data: dict[str, Any], media_type: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type=media_type, headers=PUBLIC)


def _render(
    request: Request,
    template: str,
    data: dict[str, Any],
    lang: str,
    *,
    status: int = 200,
    form: bool = False,
) -> HTMLResponse:
    """An endorse page; a form page gets a CSRF token (the visitor's if still valid)."""
    variables = {"endorse_css_url": static_url("endorsements.css"), **data}
    return render_form_page(
        request, template, variables, lang, cookie_path="/endorse", status=status, form=form
    )


def _rate_limited(request: Request) -> bool:
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return False
    return not limiter.hit(request.client.host if request.client else "unknown").allowed


async def _form(request: Request) -> dict[str, str] | None:
    """The posted fields as text, or ``None`` when the body is too large or no form."""
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        return None
    async with request.form(max_files=0, max_fields=10, max_part_size=MAX_FORM_BYTES) as form:
        return {key: value for key, value in form.items() if isinstance(value, str)}


def _csrf_ok(request: Request, fields: dict[str, str]) -> bool:
    return csrf_tokens(request).check(fields.get(csrf.FIELD), request.cookies.get(csrf.COOKIE))


# ---------------------------------------------------------------------- the form


def _form_data(
    target: service.Target, lang: str, values: dict[str, str], errors: list[str]
) -> dict[str, Any]:
    return {
        "target": {
            "type": target.type,
            "name": target.name_in(lang),
            "url": target.page_url,
            "active": target.active,
        },
        "relations": [(key, i18n.text(lang, f"endorse_relation_{key}")) for key in RELATIONS],
        "values": {key: values.get(key, "") for key in ("name", "email", "relation", "statement")},
        "errors": errors,
        "limit": MAX_COMMENT,
        "action": f"/endorse/{target.id}",
    }


def _target(session: Session, ctx: ServiceContext, target_id: str) -> service.Target:
    target = service.find_public_target(session, ctx, target_id)
    if target.type not in ("award", "achievement"):  # pragma: no cover - find_public_target
        raise NotFound("endorsement target", target_id)
    return target


@router.get("/endorse/{target_id}", response_class=HTMLResponse)
def endorse_form(
    target_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    target = _target(session, ctx, target_id)
    lang = page_language(request, target.language)
    data = _form_data(target, lang, {}, [])
    return _render(request, "endorse/form.html", data, lang, form=target.active)


def _check(fields: dict[str, str], lang: str) -> tuple[dict[str, str], list[str]]:
    values = {key: fields.get(key, "").strip() for key in ("name", "email", "relation")}
    values["statement"] = fields.get("statement", "").strip()
    errors = []
    if not values["name"] or len(values["name"]) > MAX_NAME or not values["name"].isprintable():
        errors.append(i18n.text(lang, "endorse_error_name"))
    try:
        values["email"] = normalize_email(values["email"])
    except InvalidInput:
        errors.append(i18n.text(lang, "endorse_error_email"))
    if values["relation"] not in RELATIONS:
        errors.append(i18n.text(lang, "endorse_error_relation"))
    if not values["statement"] or len(values["statement"]) > MAX_COMMENT:
        errors.append(i18n.text(lang, "endorse_error_statement", limit=MAX_COMMENT))
    return values, errors


def _mail(
    templates: Environment, ctx: ServiceContext, lang: str, name: str, target: str, link: str
) -> tuple[str, str, str]:
    """(subject, text, html) of the confirmation mail."""
    data = {
        "t": i18n.TEXTS[lang],
        "lang": lang,
        "name": name,
        "target": target,
        "link": link,
        "hours": service.REQUEST_HOURS,
        "base_url": ctx.base_url,
    }
    subject = i18n.text(lang, "endorse_mail_subject", target=target)
    text = templates.get_template("mail/endorsement_confirm.txt").render(data)
    html = templates.get_template("mail/endorsement_confirm.html").render(data)
    return subject, text, html


@router.post("/endorse/{target_id}", response_class=HTMLResponse)
async def endorse_submit(
    target_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    target = _target(session, ctx, target_id)
    lang = page_language(request, target.language)
    fields = await _form(request)
    if fields is None:
        data = _form_data(
            target, lang, {}, [i18n.text(lang, "endorse_error_statement", limit=MAX_COMMENT)]
        )
        return _render(request, "endorse/form.html", data, lang, status=413, form=True)
    if not _csrf_ok(request, fields):
        data = _form_data(target, lang, fields, [i18n.text(lang, "endorse_error_csrf")])
        return _render(request, "endorse/form.html", data, lang, status=403, form=True)
    if not target.active:
        data = _form_data(target, lang, fields, [i18n.text(lang, "endorse_target_closed")])
        return _render(request, "endorse/form.html", data, lang, status=409, form=True)
    values, errors = _check(fields, lang)
    if errors:
        data = _form_data(target, lang, values, errors)
        return _render(request, "endorse/form.html", data, lang, status=422, form=True)
    if _rate_limited(request):
        data = _form_data(target, lang, values, [i18n.text(lang, "endorse_error_rate")])
        return _render(request, "endorse/form.html", data, lang, status=429, form=True)
    try:
        row, token = service.request_endorsement(
            session,
            ctx,
            target,
            name=values["name"],
            email=values["email"],
            relation=values["relation"],
            comment=values["statement"],
            lang=lang,
        )
    except RateLimited:
        data = _form_data(target, lang, values, [i18n.text(lang, "endorse_error_rate")])
        return _render(request, "endorse/form.html", data, lang, status=429, form=True)
    link = ctx.url(f"endorse/confirm/{token}")
    subject, text, html = _mail(
        request.app.state.templates, ctx, lang, values["name"], target.name_in(lang), link
    )
    enqueue_mail(
        session,
        to=values["email"],
        subject=subject,
        text=text,
        html=html,
        kind="endorsement_confirm",
        org_id=row.org_id,
    )
    session.commit()
    data = {
        "target": {"name": target.name_in(lang), "url": target.page_url},
        "hours": service.REQUEST_HOURS,
    }
    return _render(request, "endorse/sent.html", data, lang)


# ---------------------------------------------------------------------- confirmation


def _invalid_link(request: Request, lang: str, status: int = 404) -> HTMLResponse:
    data = {"message": i18n.text(lang, "endorse_link_invalid")}
    return _render(request, "endorse/message.html", data, lang, status=status)


@router.get("/endorse/confirm/{token}", response_class=HTMLResponse)
def confirm_form(
    token: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    lang = page_language(request)
    try:
        pending = service.pending_request(session, token)
        target = service.resolve_target(session, ctx, pending.target_type, pending.target_id)
    except NotFound:
        return _invalid_link(request, lang)
    lang = page_language(request, pending.language)
    data = {
        "target": {"name": target.name_in(lang), "url": target.page_url},
        "name": pending.name,
        "relation": service.relation_label(pending.relation, lang),
        "statement": pending.comment,
        "content_lang": pending.language,
        "action": f"/endorse/confirm/{token}",
    }
    return _render(request, "endorse/confirm.html", data, lang, form=True)


@router.post("/endorse/confirm/{token}", response_class=Response)
async def confirm_submit(
    token: str, request: Request, session: SessionDep, ctx: ContextDep
) -> Response:
    lang = page_language(request)
    fields = await _form(request)
    if fields is None or not _csrf_ok(request, fields):
        data = {"message": i18n.text(lang, "endorse_error_csrf")}
        return _render(request, "endorse/message.html", data, lang, status=403)
    try:
        row = service.confirm_endorsement(session, ctx, token)
    except NotFound:
        return _invalid_link(request, lang)
    except Conflict:
        data = {"message": i18n.text(lang, "endorse_target_closed")}
        return _render(request, "endorse/message.html", data, lang, status=409)
    return RedirectResponse(f"/endorsements/{row.id}?lang={lang}", status_code=303)


# ---------------------------------------------------------------------- documents


@router.get("/endorsements/{endorsement_id}.json", response_class=Response)
def endorsement_json(endorsement_id: str, session: SessionDep) -> Response:
    row = service.public_endorsement(session, endorsement_id)
    return _document(row.credential, "application/ld+json")


def _page(
    request: Request, ctx: ServiceContext, session: Session, row: Endorsement
) -> HTMLResponse:
    lang = page_language(request, row.language)
    try:
        target = service.resolve_target(session, ctx, row.target_type, row.target_id)
        target_name, target_url = target.name_in(lang), target.page_url
    except NotFound:  # pragma: no cover - targets are never deleted
        target_name, target_url = row.target_id, None
    url = ctx.url(f"endorsements/{row.id}")
    data = {
        "e": {
            "name": row.endorser_name,
            "relation": service.relation_label(row.relation, lang),
            "comment": row.comment,
            "content_lang": row.language,
            "date": i18n.format_date(row.created_at, lang),
            "date_iso": i18n.iso_datetime(row.created_at),
            "hidden": row.hidden,
            "issuer_id": (row.credential.get("issuer") or {}).get("id"),
            "profile_url": service.endorser_profile_url(ctx, row),
            "target_name": target_name,
            "target_url": target_url,
            "json_url": f"{url}.json",
            "verify_url": "/verify?" + urlencode({"url": f"{url}.json", "lang": lang}),
        }
    }
    response = _render(request, "endorse/endorsement.html", data, lang)
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


@router.get("/endorsements/{endorsement_id}", response_class=Response)
def endorsement(
    endorsement_id: str,
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    row = service.public_endorsement(session, endorsement_id)
    offers = [*JSON_TYPES, "text/html"]
    chosen = negotiate(accept, offers)
    if chosen is None:
        raise HTTPException(406, f"this endorsement is available as {', '.join(offers)}")
    if chosen == "text/html":
        return _page(request, ctx, session, row)
    response = _document(row.credential, chosen)
    response.headers["Vary"] = "Accept"
    return response


@router.get("/endorsers/{endorser_id}/did.json", response_class=Response)
def endorser_did(endorser_id: str, session: SessionDep, ctx: ContextDep) -> Response:
    found = endorser_service.public(session, endorser_id)
    return _document(endorser_service.did_document(ctx, found), "application/did+json")


@router.get("/endorsers/{endorser_id}", response_class=Response)
def endorser_profile(
    endorser_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> Response:
    found = endorser_service.public(session, endorser_id)
    lang = page_language(request)
    return _document(endorser_service.profile_document(ctx, found, lang), "application/ld+json")
