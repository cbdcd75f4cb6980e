"""``/my``: the earner's "My badges" pages, opened by magic links (no account).

- ``GET /my``: signed out, a form to ask for a link by e-mail (the answer is always the
  same, whether or not the address has badges); signed in, every badge awarded to the
  session's address in every organisation, with downloads, sharing, LinkedIn, QR, the
  privacy switch and wallet exports.
- ``GET /my/link/{secret}`` shows a button; ``POST`` to it uses the link and opens the
  session. Opening a link never uses it: mail scanners that follow links would
  otherwise spend it before the earner does.
- ``POST /my/badges/{id}/privacy``, ``POST /my/logout``.
- ``GET /my/badges/{id}/credential.json`` (the signed credential, or ``.jwt``) and
  ``/my/badges/{id}/wallet.json`` (an unsigned VerifiablePresentation holding it): files
  for wallets.

Every form carries a signed double-submit CSRF token (:mod:`issuer.csrf`, cookie on
``/my``). The session cookie ``merkki_earner`` is ``HttpOnly``, ``SameSite=Lax`` and
``Secure`` on https.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from issuer import csrf, i18n
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.pages import linkedin_url, live_status, page_language, render_page, static_url
from issuer.api.present import award_urls
from issuer.errors import NotFound
from issuer.ratelimit import RateLimiter, parse_rate
from issuer.security_headers import HSTS
from issuer.services import ServiceContext
from issuer.services import earner as earner_service
from issuer.services.pathways import progress_for
from issuer.store.tables import Award, EarnerSession

router = APIRouter(tags=["earner"], include_in_schema=False)

COOKIE = "merkki_earner"
MAX_FORM_BYTES = 16 * 1024
EMAIL_MAX = 320
_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


# ---------------------------------------------------------------------- helpers


def _https(request: Request) -> bool:
    return bool(request.app.state.settings.public_url.startswith("https://"))


def _headers(request: Request) -> dict[str, str]:
    headers = {"Cache-Control": "no-store", "Vary": "Accept-Language, Cookie"}
    if _https(request):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _tokens(request: Request) -> csrf.CsrfTokens:
    return csrf.CsrfTokens(request.app.state.settings.secret)


def _limiter(request: Request) -> RateLimiter:
    state = request.app.state
    limiter: RateLimiter | None = getattr(state, "earner_rate_limiter", None)
    if limiter is None:
        limiter = RateLimiter(parse_rate(state.settings.earner_link_rate))
        state.earner_rate_limiter = limiter
    return limiter


def earner_session(request: Request, session: Session) -> EarnerSession | None:
    """The visitor's open earner session, if any."""
    return earner_service.current_session(session, request.cookies.get(COOKIE))


def may_see_hidden_page(request: Request, session: Session, award: Award) -> bool:
    """Whether the visitor is the signed-in earner of ``award`` (for a hidden page)."""
    opened = earner_session(request, session)
    return opened is not None and opened.recipient_ref == award.recipient_ref


def _render(
    request: Request,
    template: str,
    data: dict[str, Any],
    lang: str,
    *,
    status: int = 200,
) -> HTMLResponse:
    """A ``/my`` page with a CSRF token (the visitor's if still valid, else a new one)."""
    tokens = _tokens(request)
    token = request.cookies.get(csrf.COOKIE)
    fresh = not tokens.valid(token)
    if fresh or token is None:
        token = tokens.issue()
    variables = {
        "csrf_field": csrf.FIELD,
        "csrf": token,
        "earner_css_url": static_url("earner.css"),
        **data,
    }
    response = render_page(
        request, template, variables, lang, status=status, headers=_headers(request)
    )
    if fresh:
        response.set_cookie(
            csrf.COOKIE,
            token,
            max_age=tokens.max_age,
            path="/my",
            secure=_https(request),
            httponly=True,
            samesite="strict",
        )
    return response


async def _form(request: Request) -> tuple[dict[str, str], bool]:
    """The posted form's text fields, and whether its CSRF token is good."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM_BYTES):
        return {}, False
    form = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FORM_BYTES)
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    ok = _tokens(request).check(fields.get(csrf.FIELD), request.cookies.get(csrf.COOKIE))
    return fields, ok


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303, headers={"Cache-Control": "no-store"})


# ---------------------------------------------------------------------- the list


def _pathway_progress(
    session: Session, awards: list[Award], ref: str, lang: str
) -> list[dict[str, Any]]:
    """The earner's started pathways in the organisations that awarded them badges
    (``issuer.services.pathways``): name, steps done of all, each step held or not."""
    shown: list[dict[str, Any]] = []
    for org_id in sorted({award.org_id for award in awards}):
        for item in progress_for(session, org_id, ref):
            if item.done == 0 and item.award_id is None:
                continue  # not started: not the earner's business yet
            steps = [*item.requires_all, *item.requires_any]
            shown.append(
                {
                    "name": i18n.pick_text(item.name, lang) or item.achievement_id,
                    "done": item.done,
                    "total": item.total,
                    "complete": item.complete,
                    "steps": [
                        {
                            "name": i18n.pick_text(step.name, lang) or step.achievement_id,
                            "held": step.held,
                        }
                        for step in steps
                    ],
                }
            )
    return shown


def badge_card(
    ctx: ServiceContext, award: Award, lang: str, now: datetime | None = None
) -> dict[str, Any]:
    """What ``my/badges.html`` shows for one award."""
    summary = earner_service.badge_summary(award, lang)
    urls = award_urls(ctx, award)
    name = summary["name"] or award.id
    return {
        "id": award.id,
        "name": name,
        "content_lang": award.language,
        "issuer_name": summary["issuer_name"],
        "description": summary["description"],
        "image": f"/credentials/{award.id}.png",
        "issued": i18n.format_date(award.valid_from, lang),
        "issued_iso": i18n.iso_datetime(award.valid_from),
        "valid_until": i18n.format_date(award.valid_until, lang),
        "valid_until_iso": i18n.iso_datetime(award.valid_until),
        "status": live_status(award, now or datetime.now(UTC)),
        "public_page": award.public_page,
        "page_url": urls.page,
        "png_url": urls.png,
        "svg_url": urls.svg,
        "json_url": urls.json_,
        "jwt_url": urls.jwt,
        "qr_svg_url": f"/credentials/{award.id}/qr.svg",
        "linkedin_url": linkedin_url(
            name=name,
            organization=summary["issuer_name"],
            issued=award.valid_from,
            expires=award.valid_until,
            page_url=urls.page,
            cert_id=award.id,
        ),
        "credential_file": f"/my/badges/{award.id}/credential.{'json' if award.ldp else 'jwt'}",
        "wallet_file": f"/my/badges/{award.id}/wallet.json",
    }


@router.get("/my", response_class=HTMLResponse)
def my_badges(request: Request, session: SessionDep, ctx: ContextDep) -> HTMLResponse:
    lang = page_language(request)
    opened = earner_session(request, session)
    if opened is None:
        signed_out = request.query_params.get("signed_out") == "1"
        data = {"sent": False, "errors": [], "email": "", "signed_out": signed_out, "message": ""}
        return _render(request, "my/request.html", data, lang)
    awards = earner_service.badges_of(session, opened.recipient_ref)
    data = {
        "badges": [badge_card(ctx, award, lang) for award in awards],
        "pathways": _pathway_progress(session, awards, opened.recipient_ref, lang),
    }
    return _render(request, "my/badges.html", data, lang)


@router.post("/my/link", response_class=HTMLResponse)
async def ask_for_link(request: Request, session: SessionDep, ctx: ContextDep) -> HTMLResponse:
    lang = page_language(request)
    fields, ok = await _form(request)
    email = fields.get("email", "").strip()[:EMAIL_MAX]
    data: dict[str, Any] = {
        "sent": False,
        "errors": [],
        "email": email,
        "signed_out": False,
        "message": "",
    }
    if not ok:
        data["errors"].append(i18n.text(lang, "error_csrf"))
        return _render(request, "my/request.html", data, lang, status=403)
    if earner_service.recipient_ref_of(ctx, email) is None:
        data["errors"].append(i18n.text(lang, "earner_error_email"))
        return _render(request, "my/request.html", data, lang, status=422)
    client = request.client.host if request.client else "unknown"
    decision = _limiter(request).hit(client)
    if not decision.allowed:
        data["errors"].append(i18n.text(lang, "earner_rate_limited"))
        response = _render(request, "my/request.html", data, lang, status=429)
        response.headers["Retry-After"] = str(max(1, int(decision.retry_after + 0.999)))
        return response
    earner_service.request_link(session, ctx, email, lang)
    minutes = int(earner_service.REQUEST_LINK_TTL.total_seconds() // 60)
    data.update(
        sent=True, email="", message=i18n.text(lang, "earner_request_sent", minutes=minutes)
    )
    return _render(request, "my/request.html", data, lang)


# ---------------------------------------------------------------------- magic links


def _link_page(request: Request, session: Session, secret: str, lang: str) -> HTMLResponse:
    link = earner_service.usable_link(session, secret)
    if link is None:
        return _render(request, "my/link.html", {"usable": False, "action": ""}, lang, status=410)
    action = f"/my/link/{secret}"
    return _render(request, "my/link.html", {"usable": True, "action": action}, lang)


@router.get("/my/link/{secret}", response_class=HTMLResponse)
def open_link(secret: str, request: Request, session: SessionDep) -> HTMLResponse:
    link = earner_service.usable_link(session, secret)
    fallback = link.lang if link is not None else i18n.DEFAULT_LANG
    return _link_page(request, session, secret, page_language(request, fallback))


@router.post("/my/link/{secret}", response_model=None)
async def use_link(
    secret: str, request: Request, session: SessionDep
) -> HTMLResponse | RedirectResponse:
    lang = page_language(request)
    _, ok = await _form(request)
    if not ok:
        response = _link_page(request, session, secret, lang)
        response.status_code = 403
        return response
    opened = earner_service.redeem_link(session, secret)
    if opened is None:
        return _render(request, "my/link.html", {"usable": False, "action": ""}, lang, status=410)
    redirect = _see_other("/my")
    redirect.set_cookie(
        COOKIE,
        opened.secret,
        max_age=int(earner_service.SESSION_TTL.total_seconds()),
        path="/",
        secure=_https(request),
        httponly=True,
        samesite="lax",
    )
    return redirect


@router.post("/my/logout", response_model=None)
async def sign_out(request: Request, session: SessionDep) -> RedirectResponse:
    _, ok = await _form(request)
    if not ok:
        return _see_other("/my")
    earner_service.end_session(session, request.cookies.get(COOKIE))
    response = _see_other("/my?signed_out=1")
    response.delete_cookie(COOKIE, path="/", secure=_https(request), httponly=True)
    return response


# ---------------------------------------------------------------------- one badge


def _signed_in(request: Request, session: Session, award_id: str) -> Award:
    opened = earner_session(request, session)
    if opened is None:
        raise NotFound("badge", award_id)
    return earner_service.own_award(session, opened.recipient_ref, award_id)


@router.post("/my/badges/{award_id}/privacy", response_model=None)
async def privacy(award_id: str, request: Request, session: SessionDep) -> RedirectResponse:
    fields, ok = await _form(request)
    opened = earner_session(request, session)
    if opened is None:
        return _see_other("/my")
    if ok:
        public = fields.get("public") == "1"
        earner_service.set_public_page(session, opened.recipient_ref, award_id, public)
    return _see_other(f"/my#badge-{award_id}")


def _file_name(award: Award, suffix: str) -> str:
    name = earner_service.badge_summary(award, award.language)["name"] or "badge"
    ascii_name = name.encode("ascii", "ignore").decode("ascii")
    cleaned = _FILE_NAME.sub("-", ascii_name).strip("-.")[:60] or "badge"
    return f"{cleaned}-{award.id[:8]}{suffix}"


def _download(body: str, media_type: str, file_name: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{file_name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type=media_type, headers=headers)


@router.get("/my/badges/{award_id}/credential.json")
def credential_file(award_id: str, request: Request, session: SessionDep) -> Response:
    award = _signed_in(request, session, award_id)
    if not award.ldp:
        raise NotFound("JSON-LD form (this credential is a VC-JWT only) of credential", award.id)
    body = json.dumps(award.credential, ensure_ascii=False, indent=2)
    return _download(body, "application/vc+ld+json", _file_name(award, ".json"))


@router.get("/my/badges/{award_id}/credential.jwt")
def credential_jwt_file(award_id: str, request: Request, session: SessionDep) -> Response:
    award = _signed_in(request, session, award_id)
    if award.jwt is None:
        raise NotFound("VC-JWT form of credential", award.id)
    return _download(award.jwt, "application/vc+jwt", _file_name(award, ".jwt"))


@router.get("/my/badges/{award_id}/wallet.json")
def wallet_file(award_id: str, request: Request, session: SessionDep) -> Response:
    award = _signed_in(request, session, award_id)
    body = json.dumps(earner_service.presentation(award), ensure_ascii=False, indent=2)
    return _download(body, "application/vp+ld+json", _file_name(award, "-presentation.json"))
