"""``/verify``: the public page where anyone checks a badge, in Finnish, Swedish or English.

GET shows the form (``?url=`` fills in the address field); POST verifies what was
pasted, uploaded or addressed, with ``app.state.verifier`` (the same
:class:`~issuer.services.verification.Verifier` as ``POST /api/v1/verify``, and the
same per-client rate limit), and shows the verdict, the badge's facts and every check
with its message. The form is protected by :mod:`issuer.csrf`; a refused or unusable
submission shows the form again with the problem named and the typed input kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from badges.report import Outcome, VerificationReport
from issuer import csrf, i18n
from issuer.api.pages import (
    csrf_tokens,
    evidence_items,
    level_name,
    page_language,
    render_form_page,
    safe_image,
    safe_link,
)
from issuer.errors import PayloadTooLarge, ServiceError
from issuer.ratelimit import RateLimiter
from issuer.services.verification import MAX_SUBMISSION_BYTES, Submission, Verifier

router = APIRouter(tags=["pages"], include_in_schema=False)

MAX_BODY = MAX_SUBMISSION_BYTES + 64 * 1024
"""Largest form accepted: one credential or file of the verifier's limit, plus fields."""
VERDICT_STYLE = {
    "valid": "ok",
    "invalid": "bad",
    "revoked": "bad",
    "suspended": "warn",
    "expired": "warn",
    "indeterminate": "unknown",
}
OUTCOME_ICON = {"passed": "✓", "failed": "✗", "error": "!", "skipped": "–"}


@dataclass
class FormState:
    """What the form shows: the values typed so far and the problems found."""

    credential: str = ""
    url: str = ""
    recipient: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "credential": self.credential,
            "url": self.url,
            "recipient": self.recipient,
            "errors": self.errors,
        }


def _render(
    request: Request,
    lang: str,
    form: FormState,
    result: dict[str, Any] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The page, with a CSRF token (the visitor's if still valid, else a new one)."""
    data = {"form": form.as_dict(), "result": result}
    return render_form_page(
        request, "verify.html", data, lang, cookie_path="/verify", status=status
    )


@router.get("/verify", response_class=HTMLResponse, summary="The verify page")
def verify_form(request: Request) -> HTMLResponse:
    lang = page_language(request)
    url = request.query_params.get("url", "")
    return _render(request, lang, FormState(url=url if safe_link(url) else ""))


# ---------------------------------------------------------------------- the submission


def _text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


async def _upload(form: FormData) -> bytes | None:
    value = form.get("file")
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = await value.read(MAX_SUBMISSION_BYTES + 1)
    return data or None


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB"


async def _submission(form: FormData, state: FormState, lang: str) -> Submission | None:
    """The submission from the form, or ``None`` with ``state.errors`` filled."""
    upload = await _upload(form)
    given = [
        name
        for name, value in (
            ("credential", state.credential),
            ("file", upload),
            ("url", state.url),
        )
        if value
    ]
    if not given:
        state.errors.append(i18n.text(lang, "error_none"))
        return None
    if len(given) > 1:
        fields = ", ".join(i18n.text(lang, f"field_{name}") for name in given)
        state.errors.append(i18n.text(lang, "error_several", fields=fields))
        return None
    if upload is not None and len(upload) > MAX_SUBMISSION_BYTES:
        state.errors.append(i18n.text(lang, "error_too_large", limit=_size(MAX_SUBMISSION_BYTES)))
        return None
    if state.url and not safe_link(state.url):
        state.errors.append(i18n.text(lang, "error_url"))
        return None
    return Submission(
        credential=state.credential or None,
        url=state.url or None,
        file=upload,
        recipient=state.recipient or None,
    )


def _rate_limited(request: Request) -> int | None:
    """Seconds to wait when the client has used up its verifications, else ``None``."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return None
    decision = limiter.hit(request.client.host if request.client else "unknown")
    return None if decision.allowed else int(decision.retry_after)


@router.post("/verify", response_class=HTMLResponse, summary="Verify a badge (form)")
async def verify_submit(request: Request) -> HTMLResponse:
    lang = page_language(request)
    state = FormState()
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        state.errors.append(i18n.text(lang, "error_invalid", detail="Content-Length"))
        return _render(request, lang, state, status=411)
    if int(length) > MAX_BODY:
        state.errors.append(i18n.text(lang, "error_too_large", limit=_size(MAX_SUBMISSION_BYTES)))
        return _render(request, lang, state, status=413)
    async with request.form(max_files=1, max_fields=8, max_part_size=MAX_BODY) as form:
        state.credential = _text_field(form, "credential")
        state.url = _text_field(form, "url")
        state.recipient = _text_field(form, "recipient")
        token = form.get(csrf.FIELD)
        if not csrf_tokens(request).check(
            token if isinstance(token, str) else None, request.cookies.get(csrf.COOKIE)
        ):
            state.errors.append(i18n.text(lang, "error_csrf"))
            return _render(request, lang, state, status=403)
        wait = _rate_limited(request)
        if wait is not None:
            state.errors.append(i18n.text(lang, "error_rate", seconds=wait))
            return _render(request, lang, state, status=429)
        submission = await _submission(form, state, lang)
    if submission is None:
        return _render(request, lang, state, status=422)
    verifier: Verifier = request.app.state.verifier
    try:
        report = await run_in_threadpool(verifier.verify, submission)
    except PayloadTooLarge:
        state.errors.append(i18n.text(lang, "error_too_large", limit=_size(MAX_SUBMISSION_BYTES)))
        return _render(request, lang, state, status=413)
    except ServiceError as exc:
        state.errors.append(i18n.text(lang, "error_invalid", detail=str(exc)))
        return _render(request, lang, state, status=422)
    result = verify_result(report, lang, request.app.state.settings.public_url, state.recipient)
    return _render(request, lang, FormState(), result)


# ---------------------------------------------------------------------- the result


def _named(value: object, lang: str) -> tuple[str | None, dict[str, Any]]:
    """(name, object) of an issuer or achievement given as an object or an id."""
    if isinstance(value, dict):
        return i18n.pick_text(value.get("name"), lang), value
    return None, {"id": value} if isinstance(value, str) else {}


def badge_facts(credential: dict[str, Any], lang: str, own_origin: str) -> dict[str, Any]:
    """What the badge says, for display, from an OB 3.0 credential or an OB 2.0 assertion.

    Every text comes from an unverified document: the template escapes it and links
    pass :func:`safe_link` / :func:`safe_image`."""
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement_name, achievement = _named(subject.get("achievement"), lang)
    issuer_name, issuer = _named(credential.get("issuer"), lang)
    badge_class = credential.get("badge")  # OB 2.0: the assertion's BadgeClass
    if isinstance(badge_class, dict) and not achievement:
        achievement_name, achievement = _named(badge_class, lang)
        issuer_name, issuer = _named(badge_class.get("issuer"), lang)
    criteria = achievement.get("criteria")
    criteria_text = criteria.get("narrative") if isinstance(criteria, dict) else None
    criteria_url = safe_link(criteria.get("id") if isinstance(criteria, dict) else criteria)
    names = [
        item.get("identityHash")
        for item in subject.get("identifier") or []
        if isinstance(item, dict) and item.get("identityType") == "name" and not item.get("hashed")
    ]
    name = i18n.pick_text(credential.get("name"), lang) or achievement_name
    valid_from = credential.get("validFrom") or credential.get("issuanceDate")
    valid_from = valid_from or credential.get("issuedOn")
    valid_until = credential.get("validUntil") or credential.get("expirationDate")
    valid_until = valid_until or credential.get("expires")
    image = achievement.get("image") or credential.get("image")
    description = achievement.get("description")
    language = achievement.get("inLanguage") or credential.get("inLanguage")
    narrative = subject.get("narrative")
    return {
        "content_lang": language if isinstance(language, str) and len(language) <= 35 else None,
        "name": name,
        "achievement_name": achievement_name,
        "description": i18n.pick_text(description, lang),
        "criteria": i18n.pick_text(criteria_text, lang),
        "criteria_url": criteria_url,
        "image": safe_image(image, own_origin),
        "issuer_name": issuer_name,
        "issuer_id": issuer.get("id") if isinstance(issuer.get("id"), str) else None,
        "issuer_url": safe_link(issuer.get("url")),
        "recipient_name": names[0] if names and isinstance(names[0], str) else None,
        "valid_from": i18n.format_date(valid_from if isinstance(valid_from, str) else None, lang),
        "valid_from_iso": valid_from if isinstance(valid_from, str) else None,
        "valid_until": i18n.format_date(
            valid_until if isinstance(valid_until, str) else None, lang
        ),
        "valid_until_iso": valid_until if isinstance(valid_until, str) else None,
        "level": level_name(achievement, subject.get("result") or []),
        "narrative": narrative if isinstance(narrative, str) else None,
        "evidence": evidence_items(credential),
    }


def _check_name(check_id: str, lang: str) -> str:
    return i18n.TEXTS[lang].get(f"check_{check_id}", check_id)


def verify_result(
    report: VerificationReport, lang: str, own_origin: str, recipient: str = ""
) -> dict[str, Any]:
    """The template variables of a verification result."""
    verdict = report.verdict.value
    checks = [
        {
            "id": check.id,
            "name": _check_name(check.id, lang),
            "outcome": check.outcome.value,
            "outcome_text": i18n.text(lang, f"outcome_{check.outcome.value}"),
            "icon": OUTCOME_ICON[check.outcome.value],
            "message": check.message(lang),
        }
        for check in report.checks
    ]
    problems = [c for c in checks if c["outcome"] in (Outcome.FAILED, Outcome.ERROR)]
    recipient_state = "unchecked"
    for check in report.checks:
        if check.id == "recipient" and recipient:
            if check.outcome is Outcome.PASSED:
                recipient_state = "matched"
            elif check.outcome is Outcome.FAILED:
                recipient_state = "not_matched"
    return {
        "verdict": verdict,
        "style": VERDICT_STYLE.get(verdict, "unknown"),
        "verdict_text": i18n.text(lang, f"verdict_{verdict}"),
        "explain": i18n.text(lang, f"explain_{verdict}"),
        "problems": problems,
        "checks": checks,
        "warnings": [warning.message(lang) for warning in report.warnings],
        "recipient": recipient_state,
        "recipient_value": recipient,
        "badge": badge_facts(report.credential, lang, own_origin) if report.credential else None,
    }
