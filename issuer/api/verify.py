"""Public verification: ``POST /api/v1/verify`` and W3C VC-API ``POST /credentials/verify``.

No authentication; both are rate-limited per client address (``MERKKI_VERIFY_RATE``,
one token bucket per address in each service process: 429 ``rate-limited`` with
``Retry-After``). Bodies are read with a cap before anything is parsed.

``/api/v1/verify`` takes

- ``application/json``: ``{"credential": <object or JWT text>}`` or ``{"url": "…"}``,
  optionally with ``"recipient": "<e-mail, DID or URL>"`` (at most 2 MiB);
- ``multipart/form-data``: the field ``file`` (a baked PNG or SVG, a JSON or JWT file),
  or the text field ``credential`` or ``url``; optional field ``recipient`` (at most
  5 MiB);
- the credential itself as the body: ``application/ld+json``, ``application/vc+ld+json``,
  ``application/vc``, ``application/vc+jwt``, ``application/jwt``, ``text/plain``,
  ``image/png`` or ``image/svg+xml`` (``?recipient=`` then names the recipient);

and answers 200 with the report (``verdict``, ``checks``, ``facts``, ``warnings``) in
``?lang=fi|sv|en`` or the best ``Accept-Language`` (English by default), whatever the
verdict. A request that cannot be verified at all is a problem: 400
``malformed-request`` (not JSON), 413 ``payload-too-large``, 415
``unsupported-media-type``, 422 ``validation-error`` (no input, several inputs, wrong
member types).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any, Final
from urllib.parse import unquote_to_bytes

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from badges.report import Outcome, VerificationReport
from issuer import i18n
from issuer.api.bodies import media_type, read_capped
from issuer.errors import (
    InvalidRequest,
    MalformedRequest,
    PayloadTooLarge,
    RateLimited,
    UnsupportedMediaType,
)
from issuer.ratelimit import RateLimiter
from issuer.services.verification import Submission, Verifier

router = APIRouter(tags=["verification"])

MAX_JSON_BYTES: Final = 2 * 1024 * 1024
MAX_UPLOAD_BYTES: Final = 5 * 1024 * 1024
MULTIPART_OVERHEAD: Final = 64 * 1024
LANGUAGES: Final = ("en", "fi", "sv")
ENVELOPE_TYPES: Final = frozenset({"application/json"})
CREDENTIAL_BODY_TYPES: Final = frozenset(
    {"application/ld+json", "application/vc+ld+json", "application/vc"}
)
TEXT_BODY_TYPES: Final = frozenset({"application/vc+jwt", "application/jwt", "text/plain"})
IMAGE_BODY_TYPES: Final = frozenset({"image/png", "image/svg+xml"})
_ENVELOPE_MEMBERS: Final = frozenset({"credential", "url", "recipient"})
_NO_STORE: Final = {"Cache-Control": "no-store", "Vary": "Accept-Language"}
_ACCEPTED = (
    "send application/json {credential|url, recipient?}, a multipart form with the field "
    "`file`, or the credential itself (application/ld+json, application/vc+jwt, image/png, "
    "image/svg+xml)"
)


async def _read(request: Request, limit: int) -> bytes:
    return await read_capped(request, limit, f"the request body is larger than {limit // 1024} KiB")


def pick_language(query: str | None, accept_language: str | None) -> str:
    """``?lang=`` if it is fi, sv or en, else the best of them in ``Accept-Language``."""
    if query:
        wanted = query.strip().lower()[:2]
        if wanted in LANGUAGES:
            return wanted
    return i18n.accept_language(accept_language) or i18n.DEFAULT_LANG


def rate_limit(request: Request) -> None:
    """Take a token from the client's bucket or answer 429."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    decision = limiter.hit(client)
    if not decision.allowed:
        retry = int(decision.retry_after)
        raise RateLimited(f"too many verification requests; retry in {retry} s", retry)


RateLimit = Annotated[None, Depends(rate_limit)]


def _text(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidRequest.field(("body", name), "expected a string")
    return value


def _from_envelope(body: bytes) -> Submission:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"the body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidRequest.field(("body",), "expected a JSON object {credential|url, …}")
    unknown = sorted(set(data) - _ENVELOPE_MEMBERS)
    if unknown:
        raise InvalidRequest.field(
            ("body", unknown[0]),
            f"unknown member; expected credential, url or recipient (got {', '.join(unknown)})",
        )
    credential = data.get("credential")
    if credential is not None and not isinstance(credential, dict | str):
        raise InvalidRequest.field(
            ("body", "credential"), "expected a credential object or a JWT string"
        )
    return Submission(
        credential=credential,
        url=_text(data.get("url"), "url"),
        recipient=_text(data.get("recipient"), "recipient"),
    )


async def _from_multipart(request: Request, body: bytes) -> Submission:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=5)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise MalformedRequest(f"not a valid multipart form: {exc}") from exc
    try:
        fields: dict[str, str] = {}
        data: bytes | None = None
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                if name != "file":
                    raise InvalidRequest.field(("body", name), "send the file in the field `file`")
                data = await value.read(MAX_UPLOAD_BYTES + 1)
            elif name in _ENVELOPE_MEMBERS:
                fields[name] = value
            else:
                raise InvalidRequest.field(
                    ("body", name), "unknown field; expected file, credential, url or recipient"
                )
    finally:
        await form.close()
    if data is not None and len(data) > MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(f"the file is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MiB")
    return Submission(
        credential=fields.get("credential") or None,
        url=fields.get("url") or None,
        file=data,
        recipient=fields.get("recipient") or None,
    )


async def read_submission(request: Request) -> Submission:
    """The submission in the request body (see the module's docstring)."""
    kind = media_type(request.headers.get("content-type"))
    recipient = request.query_params.get("recipient") or None
    if kind in ENVELOPE_TYPES:
        return _from_envelope(await _read(request, MAX_JSON_BYTES))
    if kind == "multipart/form-data":
        body = await _read(request, MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD)
        return await _from_multipart(request, body)
    if kind in CREDENTIAL_BODY_TYPES:
        body = await _read(request, MAX_JSON_BYTES)
        return Submission(file=body, recipient=recipient)
    if kind in TEXT_BODY_TYPES:
        body = await _read(request, MAX_JSON_BYTES)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MalformedRequest("the body is not UTF-8 text") from exc
        return Submission(credential=text.strip() or None, recipient=recipient)
    if kind in IMAGE_BODY_TYPES:
        return Submission(file=await _read(request, MAX_UPLOAD_BYTES), recipient=recipient)
    raise UnsupportedMediaType(f"unsupported content type {kind or 'none'!r}: {_ACCEPTED}")


def _verifier(request: Request) -> Verifier:
    verifier: Verifier = request.app.state.verifier
    return verifier


_REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "credential": {
                            "oneOf": [{"type": "object"}, {"type": "string"}],
                            "description": "The credential: a JSON object, or JSON / compact "
                            "JWT / JWS text",
                        },
                        "url": {
                            "type": "string",
                            "format": "uri",
                            "description": "Fetch this: a credential, a hosted OB 2.0 "
                            "assertion or a baked PNG/SVG image",
                        },
                        "recipient": {
                            "type": "string",
                            "description": "An e-mail address (or DID/URL) to compare with "
                            "the credential's subject",
                        },
                    },
                },
                "example": {"url": "https://merkki.example/credentials/…"},
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "recipient": {"type": "string"},
                    },
                }
            },
        },
    }
}
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The report (whatever the verdict)"},
    400: {"description": "`malformed-request`: the body cannot be parsed", **_PROBLEM},
    413: {"description": "`payload-too-large`: over 2 MiB (JSON) or 5 MiB (upload)", **_PROBLEM},
    415: {"description": "`unsupported-media-type`", **_PROBLEM},
    422: {"description": "`validation-error`: no input, several inputs", **_PROBLEM},
    429: {"description": "`rate-limited`: see `Retry-After`", **_PROBLEM},
}


@router.post(
    "/api/v1/verify",
    summary="Verify a badge (JSON, JWT, baked PNG/SVG or a URL)",
    description="No authentication. Answers the verification report: the overall `verdict` "
    "(`valid`, `invalid`, `revoked`, `suspended`, `expired`, `indeterminate`), every check "
    "with its `id`, `outcome`, stable `code` and a `message` in `?lang=` (fi, sv, en) or "
    "the `Accept-Language`, the badge's `facts` and `warnings`. Rate-limited per client.",
    openapi_extra=_REQUEST_BODY,
    responses=_RESPONSES,
)
async def verify_badge(
    request: Request,
    _: RateLimit,
    lang: Annotated[str | None, Query(description="fi, sv or en")] = None,
) -> Response:
    submission = await read_submission(request)
    report = await run_in_threadpool(_verifier(request).verify, submission)
    language = pick_language(lang, request.headers.get("accept-language"))
    body = report.to_dict(language)
    body["lang"] = language
    return Response(
        orjson.dumps(body),
        media_type="application/json",
        headers={**_NO_STORE, "Content-Language": language},
    )


# ---------------------------------------------------------------------- W3C VC-API

_ENVELOPED = "EnvelopedVerifiableCredential"
_JWT_DATA_PREFIXES = ("data:application/vc+jwt,", "data:application/jwt,")
_VC_DM = "https://www.w3.org/TR/vc-data-model#"
_SECURITY = "https://w3id.org/security#"
_PROBLEM_TYPES: Final = {
    "parse": _VC_DM + "PARSING_ERROR",
    "context": _VC_DM + "PARSING_ERROR",
    "schema": _VC_DM + "MALFORMED_VALUE_ERROR",
    "issuer": _SECURITY + "PROOF_VERIFICATION_ERROR",
    "proof": _SECURITY + "PROOF_VERIFICATION_ERROR",
    "status": "https://www.w3.org/ns/credentials/status-list#STATUS_VERIFICATION_ERROR",
}
"""Check id → the ProblemDetails ``type`` the W3C specifications define for it; other
checks use ``https://merkki.fi/problems/verification#<code>``."""


def _vcapi_error(status: int, detail: str, request: Request) -> JSONResponse:
    body = {
        "type": "https://merkki.fi/problems/malformed-request",
        "title": "The request cannot be verified",
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _credential_from_vcapi(value: object) -> dict[str, Any] | str:
    """The credential object, or the VC-JWT of an ``EnvelopedVerifiableCredential``."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise InvalidRequest.field(
            ("body", "verifiableCredential"), "expected a verifiable credential object"
        )
    types = value.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if _ENVELOPED not in types:
        return value
    ident = value.get("id")
    if not isinstance(ident, str):
        raise InvalidRequest.field(
            ("body", "verifiableCredential", "id"), "expected a data: URL with the VC-JWT"
        )
    for prefix in _JWT_DATA_PREFIXES:
        if ident.startswith(prefix):
            return unquote_to_bytes(ident[len(prefix) :]).decode("utf-8", "replace").strip()
    raise InvalidRequest.field(
        ("body", "verifiableCredential", "id"),
        "an enveloped credential must be data:application/vc+jwt,<compact JWT>",
    )


def vcapi_result(report: VerificationReport, lang: str = "en") -> dict[str, Any]:
    """VC-API VerificationResult: ``verified``, ``checks`` (the checks performed and
    passed), ``warnings`` and ``errors`` (strings, as the VC-API shape most verifiers
    and test suites use) and ``problemDetails`` (RFC 9457 objects, the newer shape)."""
    problems = [
        {
            "type": _PROBLEM_TYPES.get(
                check.id, f"https://merkki.fi/problems/verification#{check.code}"
            ),
            "title": check.code,
            "detail": check.message(lang),
            "check": check.id,
        }
        for check in report.checks
        if check.outcome in (Outcome.FAILED, Outcome.ERROR)
    ]
    return {
        "verified": report.valid,
        "verdict": report.verdict.value,
        "checks": [c.id for c in report.checks if c.outcome is Outcome.PASSED],
        "warnings": [w.message(lang) for w in report.warnings],
        "errors": [f"{p['check']}: {p['detail']}" for p in problems],
        "problemDetails": problems,
    }


@router.post(
    "/credentials/verify",
    tags=["VC-API"],
    summary="W3C VC-API: verify a credential",
    description='Request `{"verifiableCredential": {...}, "options": {...}}`; the '
    "credential may be an `EnvelopedVerifiableCredential` whose `id` is "
    "`data:application/vc+jwt,<JWT>`. 200 when it verifies, 400 with the same result when "
    "it does not (or the request is malformed: problem+json). No options are needed; "
    "unknown options are ignored. No authentication; rate-limited per client.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["verifiableCredential"],
                        "properties": {
                            "verifiableCredential": {"type": "object"},
                            "options": {"type": "object"},
                        },
                    }
                }
            },
        }
    },
    responses={
        200: {"description": "Verified: `{verified, checks, warnings, errors, problemDetails}`"},
        400: {"description": "Not verified (same shape), or invalid input (problem+json)"},
        413: {"description": "Larger than 2 MiB", **_PROBLEM},
        429: {"description": "`rate-limited`", **_PROBLEM},
    },
)
async def vcapi_verify(request: Request, _: RateLimit) -> Response:
    kind = media_type(request.headers.get("content-type"))
    if kind not in ("application/json", "application/ld+json", ""):
        raise UnsupportedMediaType(f"send application/json, not {kind!r}")
    body = await _read(request, MAX_JSON_BYTES)
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return _vcapi_error(400, f"the body is not valid JSON: {exc}", request)
    if not isinstance(data, dict) or "verifiableCredential" not in data:
        return _vcapi_error(400, "expected {verifiableCredential, options}", request)
    options = data.get("options", {})
    if not isinstance(options, dict):
        return _vcapi_error(400, "options: expected an object", request)
    try:
        credential = _credential_from_vcapi(data["verifiableCredential"])
        submission = Submission(credential=credential)
        submission.validate()
    except InvalidRequest as exc:
        return _vcapi_error(400, str(exc), request)
    report = await run_in_threadpool(_verifier(request).verify, submission)
    lang = pick_language(request.query_params.get("lang"), request.headers.get("accept-language"))
    return Response(
        orjson.dumps(vcapi_result(report, lang)),
        status_code=200 if report.valid else 400,
        media_type="application/json",
        headers=_NO_STORE,
    )
