"""The public HTML pages: rendering with the shared layout, the badge page's data, QR codes
and the static stylesheet.

:func:`render_page` renders a template that extends ``base.html`` in the visitor's
language (:func:`page_language`), remembers a ``?lang=`` choice in a cookie and sends
the strict headers of :mod:`issuer.security_headers`. :func:`credential_page` is what
``credential.html`` shows for one award. Every URL taken from a credential is filtered
by :func:`safe_link` / :func:`safe_image` before it reaches an ``href`` or ``src``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlalchemy.orm import Session

from badges.model.i18n import languages_of
from badges.qr import qr_png, qr_svg
from issuer import csrf, i18n
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.present import award_urls
from issuer.errors import NotFound
from issuer.security_headers import IMAGE_HEADERS, PAGE_HEADERS, STATIC_HEADERS
from issuer.services import ServiceContext
from issuer.services import endorsements as endorsement_service
from issuer.services.achievements import localize
from issuer.store import repo
from issuer.store.tables import AchievementVersion, Award

router = APIRouter(tags=["pages"], include_in_schema=False)

STATIC_FILES = {
    "merkki.css": "text/css; charset=utf-8",
    "admin.css": "text/css; charset=utf-8",
    "applications.css": "text/css; charset=utf-8",
    "earner.css": "text/css; charset=utf-8",
    "endorsements.css": "text/css; charset=utf-8",
    "admin-bulk.css": "text/css; charset=utf-8",
    "admin-bulk.js": "text/javascript; charset=utf-8",
    "admin-pages.css": "text/css; charset=utf-8",
    "admin-pages.js": "text/javascript; charset=utf-8",
}
LANG_COOKIE_AGE = 365 * 24 * 3600
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


# ---------------------------------------------------------------------- static files


@cache
def static_file(name: str) -> bytes:
    """A file of ``issuer/static`` (only the names in :data:`STATIC_FILES`)."""
    return (resources.files("issuer") / "static" / name).read_bytes()


def static_url(name: str) -> str:
    """``/static/NAME?v=HASH``: a new URL whenever the file changes, so it caches forever."""
    digest = hashlib.sha256(static_file(name)).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


@router.get("/static/{name}")
def static(name: str) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise NotFound("static file", name)
    return Response(static_file(name), media_type=media_type, headers=STATIC_HEADERS)


# ---------------------------------------------------------------------- rendering


def page_language(request: Request, fallback: str = i18n.DEFAULT_LANG) -> str:
    """The language to show ``request``'s page in."""
    return i18n.choose_language(
        request.query_params.get("lang"),
        request.cookies.get(i18n.COOKIE),
        request.headers.get("accept-language"),
        fallback,
    )


def language_links(request: Request, current: str) -> list[dict[str, Any]]:
    """The language switcher: this page in each language (``?lang=``), ``current`` marked."""
    links = []
    for code in i18n.LANGS:
        query = {**request.query_params, "lang": code}
        links.append(
            {
                "code": code,
                "name": i18n.LANGUAGE_NAMES[code],
                "href": f"{request.url.path}?{urlencode(query)}",
                "current": code == current,
            }
        )
    return links


def render_page(
    request: Request,
    template: str,
    data: dict[str, Any],
    lang: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """``template`` rendered with ``data`` and the layout's variables, with page headers."""
    environment: Environment = request.app.state.templates
    variables = {
        "lang": lang,
        "t": i18n.TEXTS[lang],
        "languages": language_links(request, lang),
        "css_url": static_url("merkki.css"),
        **data,
    }
    body = environment.get_template(template).render(variables)
    response = HTMLResponse(body, status_code=status)
    response.headers.update(PAGE_HEADERS)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.headers["Cache-Control"] = "no-cache"
    response.headers.update(headers or {})
    remember_language(request, response)
    return response


def csrf_tokens(request: Request) -> csrf.CsrfTokens:
    """The double-submit CSRF tokens of the visitors' forms (keyed by the app's secret)."""
    return csrf.CsrfTokens(request.app.state.settings.secret)


def render_form_page(
    request: Request,
    template: str,
    data: dict[str, Any],
    lang: str,
    *,
    cookie_path: str,
    status: int = 200,
    form: bool = True,
) -> HTMLResponse:
    """:func:`render_page` (never stored) with ``csrf_field`` and ``csrf`` for a visitor's
    form: the visitor's token if still valid, else a new one, set as a cookie on
    ``cookie_path`` (also after a refused token, 403). Pages without a form (``form`` false)
    get a token only to fill the variable, and no cookie."""
    tokens = csrf_tokens(request)
    token = request.cookies.get(csrf.COOKIE)
    fresh = form and (not tokens.valid(token) or status == 403)
    if fresh or token is None:
        token = tokens.issue()
    variables = {"csrf_field": csrf.FIELD, "csrf": token, **data}
    response = render_page(
        request, template, variables, lang, status=status, headers={"Cache-Control": "no-store"}
    )
    if fresh:
        response.set_cookie(
            csrf.COOKIE,
            token,
            max_age=tokens.max_age,
            path=cookie_path,
            secure=request.app.state.settings.public_url.startswith("https://"),
            httponly=True,
            samesite="strict",
        )
    return response


def remember_language(request: Request, response: Response) -> None:
    """Keep a ``?lang=`` choice in the language cookie (when it is new)."""
    chosen = request.query_params.get("lang")
    if chosen in i18n.LANGS and request.cookies.get(i18n.COOKIE) != chosen:
        response.set_cookie(
            i18n.COOKIE,
            chosen,
            max_age=LANG_COOKIE_AGE,
            secure=request.app.state.settings.public_url.startswith("https://"),
            httponly=True,
            samesite="lax",
        )


# ---------------------------------------------------------------------- untrusted URLs


def safe_link(value: object) -> str | None:
    """``value`` if it is an http(s) URL to put in an ``href`` (never ``javascript:``)."""
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return None


def safe_image(value: object, own_origin: str) -> str | None:
    """An image URL the page's policy lets the browser load: https, embedded PNG, JPEG,
    GIF, WebP or SVG (an ``<img>`` runs no script), or the service's own images."""
    if isinstance(value, dict):
        value = value.get("id")
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    if lowered.startswith("https://") or value.startswith(own_origin + "/"):
        return value
    embedded = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
    if lowered.startswith((*embedded, "data:image/svg+xml")):
        return value
    return None


# ---------------------------------------------------------------------- the badge page


def level_name(achievement: dict[str, Any], results: object) -> str | None:
    """The name of the rubric level the results say was achieved."""
    if not isinstance(results, list):
        return None
    wanted = {r.get("achievedLevel") for r in results if isinstance(r, dict)}
    descriptions = achievement.get("resultDescription")
    for description in descriptions if isinstance(descriptions, list) else []:
        levels = description.get("rubricCriterionLevel") if isinstance(description, dict) else []
        for level in levels if isinstance(levels, list) else []:
            if isinstance(level, dict) and level.get("id") in wanted:
                return str(level.get("name"))
    return None


def evidence_items(credential: dict[str, Any]) -> list[dict[str, Any]]:
    """The credential's evidence: a name (or the URL), a safe link, the narrative."""
    evidence = credential.get("evidence") or []
    items = []
    for item in evidence if isinstance(evidence, list) else [evidence]:
        if not isinstance(item, dict):
            continue
        url = safe_link(item.get("id"))
        items.append(
            {
                "name": item.get("name") or url or item.get("description"),
                "url": url,
                "narrative": item.get("narrative") or item.get("description"),
            }
        )
    return items


def live_status(award: Award, now: datetime | None = None) -> str:
    """active, revoked, suspended or expired (an active award past its ``valid_until``)."""
    now = now or datetime.now(UTC)
    if award.status != "active":
        return award.status
    until = award.valid_until
    if until is not None and (until if until.tzinfo else until.replace(tzinfo=UTC)) < now:
        return "expired"
    return "active"


def linkedin_url(
    *,
    name: str,
    organization: str | None,
    issued: datetime | None,
    expires: datetime | None,
    page_url: str,
    cert_id: str,
) -> str:
    """LinkedIn's "Add licence or certification" form, filled in."""
    fields: dict[str, str] = {"startTask": "CERTIFICATION_NAME", "name": name}
    if organization:
        fields["organizationName"] = organization
    if issued is not None:
        fields["issueYear"] = str(issued.year)
        fields["issueMonth"] = str(issued.month)
    if expires is not None:
        fields["expirationYear"] = str(expires.year)
        fields["expirationMonth"] = str(expires.month)
    fields["certUrl"] = page_url
    fields["certId"] = cert_id
    return f"{LINKEDIN_ADD}?{urlencode(fields)}"


def credential_page(
    ctx: ServiceContext, award: Award, lang: str, now: datetime | None = None
) -> dict[str, Any]:
    """The template variables of ``credential.html`` for one award (all of them: the
    template is strict). Labels are in ``lang``; the credential's own texts stay in
    its language (``content_lang``)."""
    credential = award.credential
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    issuer = credential.get("issuer") or {}
    names = [
        item.get("identityHash")
        for item in subject.get("identifier") or []
        if item.get("identityType") == "name" and not item.get("hashed")
    ]
    urls = award_urls(ctx, award)
    name = str(credential.get("name") or achievement.get("name") or award.id)
    issuer_name = i18n.pick_text(issuer.get("name"), lang)
    description = achievement.get("description")
    image = safe_image(achievement.get("image") or credential.get("image"), ctx.base_url)
    own_image = image if image and image.lower().startswith(("https://", "http://")) else None
    qr_png_url = f"{urls.page}/qr.png"
    badge = {
        "content_lang": achievement.get("inLanguage") or award.language,
        "translated_from": None,
        "name": name,
        "achievement_name": achievement.get("name") or name,
        "description": description,
        "criteria": (achievement.get("criteria") or {}).get("narrative"),
        "criteria_url": None,
        "image": image,
        "recipient_name": names[0] if names else None,
        "issuer_name": issuer_name,
        "issuer_url": safe_link(issuer.get("url")),
        "issuer_id": issuer.get("id"),
        "valid_from": i18n.format_date(award.valid_from, lang),
        "valid_from_iso": i18n.iso_datetime(award.valid_from),
        "valid_until": i18n.format_date(award.valid_until, lang),
        "valid_until_iso": i18n.iso_datetime(award.valid_until),
        "level": level_name(achievement, subject.get("result") or []),
        "narrative": subject.get("narrative"),
        "evidence": evidence_items(credential),
    }
    return {
        "b": badge,
        "status": live_status(award, now),
        "page_url": urls.page,
        "json_url": urls.json_,
        "jwt_url": urls.jwt,
        "png_url": urls.png,
        "svg_url": urls.svg,
        "qr_svg_url": f"{urls.page}/qr.svg",
        "qr_png_url": qr_png_url,
        "verify_url": "/verify?" + urlencode({"url": urls.page, "lang": lang}),
        "achievement_url": ctx.url(f"achievements/{award.achievement_id}"),
        "linkedin_url": linkedin_url(
            name=name,
            organization=issuer_name,
            issued=award.valid_from,
            expires=award.valid_until,
            page_url=urls.page,
            cert_id=award.id,
        ),
        "og": {
            "title": f"{name} – {issuer_name}" if issuer_name else name,
            "description": description or name,
            "image": own_image or qr_png_url,
            "image_alt": i18n.text(lang, "badge_image", name=name) if own_image else None,
            "url": urls.page,
        },
    }


def translate(
    badge: dict[str, Any], session: Session, ctx: ServiceContext, award: Award, lang: str
) -> None:
    """The achievement's texts in the page language, from the issuer's own multilingual
    version of it, when the credential (one language, as OB 3.0 credentials are) is in
    another; the page says so. The signed credential itself is unchanged."""
    if lang == award.language:
        return
    version = session.get(AchievementVersion, award.achievement_version_id)
    if version is None or lang not in languages_of(version.source):
        return
    localized = localize(version.source, lang, ctx.url(f"achievements/{award.achievement_id}"))
    results = (award.credential.get("credentialSubject") or {}).get("result") or []
    badge.update(
        name=localized.get("name") or badge["name"],
        achievement_name=localized.get("name") or badge["achievement_name"],
        description=localized.get("description"),
        criteria=(localized.get("criteria") or {}).get("narrative"),
        level=level_name(localized, results) or badge["level"],
        content_lang=lang,
        translated_from=i18n.LANGUAGE_NAMES.get(award.language, award.language),
    )


def render_credential(request: Request, ctx: ServiceContext, award: Award) -> HTMLResponse:
    """The badge's own page, in the visitor's language (the award's when nothing says)."""
    fallback = award.language if award.language in i18n.LANGS else i18n.DEFAULT_LANG
    lang = page_language(request, fallback)
    data = credential_page(ctx, award, lang)
    with request.app.state.sessions() as session:  # endorsements (issuer.services.endorsements)
        data["endorsements"] = endorsement_service.page_items(session, ctx, award, lang)
        translate(data["b"], session, ctx, award, lang)
    data["endorse_url"] = f"/endorse/{award.id}?lang={lang}" if award.status == "active" else None
    data["endorse_css_url"] = static_url("endorsements.css")
    vary = {"Vary": "Accept, Accept-Language, Cookie"}
    return render_page(request, "credential.html", data, lang, headers=vary)


# ---------------------------------------------------------------------- QR codes


@router.get("/credentials/{award_id}/qr.svg", summary="A QR code of the credential's page")
def credential_qr_svg(award_id: str, session: SessionDep, ctx: ContextDep) -> Response:
    award = repo.public_award(session, award_id)
    body = qr_svg(award_urls(ctx, award).page)
    return Response(body, media_type="image/svg+xml", headers=IMAGE_HEADERS)


@router.get("/credentials/{award_id}/qr.png", summary="A QR code of the credential's page")
def credential_qr_png(award_id: str, session: SessionDep, ctx: ContextDep) -> Response:
    award = repo.public_award(session, award_id)
    body = qr_png(award_urls(ctx, award).page)
    return Response(body, media_type="image/png", headers=IMAGE_HEADERS)
