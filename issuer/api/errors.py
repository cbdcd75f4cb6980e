"""RFC 9457 problem details: every error the service answers, from one table.

Each problem has a stable ``type`` URI ``https://merkki.fi/problems/<code>``, a fixed
``title`` per type, the ``status``, a ``detail`` for this occurrence and the
``instance`` path; validation problems add ``errors: [{loc, field, message}]``.
Unexpected exceptions become ``internal-error`` without any trace of the code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from badges.errors import BadgesError, InvalidImage, InvalidInput
from issuer.crypto import DecryptionError
from issuer.errors import (
    Conflict,
    CredentialRejected,
    CsvProblem,
    CsvRejected,
    FieldError,
    Forbidden,
    FormatUnavailable,
    IdempotencyConflict,
    InvalidRequest,
    MalformedRequest,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServiceError,
    Unauthenticated,
    UnsupportedMediaType,
)

log = logging.getLogger("merkki.api")

PROBLEM_BASE: Final = "https://merkki.fi/problems/"
PROBLEM_MEDIA_TYPE: Final = "application/problem+json"


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    status: int
    title: str

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.code


VALIDATION = Problem("validation-error", 422, "The request is not valid")
INTERNAL = Problem("internal-error", 500, "Internal server error")
NOT_ACCEPTABLE = Problem("not-acceptable", 406, "No acceptable representation")

PROBLEMS: Final[dict[type[Exception], Problem]] = {
    NotFound: Problem("not-found", 404, "Not found"),
    Unauthenticated: Problem("unauthenticated", 401, "Authentication required"),
    Forbidden: Problem("forbidden", 403, "Missing scope"),
    Conflict: Problem("conflict", 409, "Conflict with the current state"),
    IdempotencyConflict: Problem("idempotency-conflict", 409, "Idempotency key reused"),
    FormatUnavailable: Problem("format-unavailable", 409, "Format not available"),
    InvalidRequest: VALIDATION,
    CsvRejected: Problem("invalid-csv", 422, "The CSV file has invalid rows"),
    CredentialRejected: Problem("invalid-credential", 400, "The credential cannot be issued"),
    InvalidInput: Problem("invalid-input", 422, "The input cannot be used"),
    InvalidImage: Problem("invalid-image", 422, "The image cannot be used"),
    PayloadTooLarge: Problem("payload-too-large", 413, "The upload is too large"),
    UnsupportedMediaType: Problem("unsupported-media-type", 415, "Unsupported media type"),
    MalformedRequest: Problem("malformed-request", 400, "The request body cannot be parsed"),
    RateLimited: Problem("rate-limited", 429, "Too many requests"),
    DecryptionError: Problem("signing-key-unavailable", 500, "Signing key unavailable"),
    BadgesError: Problem("signing-failed", 500, "The credential could not be made"),
    IntegrityError: Problem(
        "conflict", 409, "The change conflicts with another made at the same time; retry"
    ),
}
"""Exception class → problem; the most specific class in the exception's MRO wins."""

HTTP_PROBLEMS: Final[dict[int, Problem]] = {
    404: Problem("not-found", 404, "Not found"),
    405: Problem("method-not-allowed", 405, "Method not allowed"),
    406: NOT_ACCEPTABLE,
}


def problem_for(exc: BaseException) -> Problem | None:
    for cls in type(exc).__mro__:
        if cls in PROBLEMS:
            return PROBLEMS[cls]
    return None


def problem_response(
    problem: Problem,
    detail: str,
    request: Request,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    rows: list[CsvProblem] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [
            {
                "loc": list(error.loc),
                "field": ".".join(str(part) for part in error.loc),
                "message": error.message,
            }
            for error in errors
        ]
    if rows:  # a CSV file's bad rows: the spreadsheet line, column, stable code and reason
        for item, row in zip(body["errors"], rows, strict=True):
            item.update(line=row.line, column=row.column, code=row.code, reason=row.reason)
    return JSONResponse(
        body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


async def _service_error(request: Request, exc: Exception) -> JSONResponse:
    problem = problem_for(exc) or INTERNAL
    headers = None
    if isinstance(exc, Unauthenticated):
        has_token = request.headers.get("authorization", "").lower().startswith("bearer ")
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"' if has_token else "Bearer"}
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    if problem.status >= 500:
        log.error("request_failed path=%s error=%s", request.url.path, type(exc).__name__)
    # Only our own messages reach clients: a database error's text would show SQL.
    safe = isinstance(exc, ServiceError | BadgesError) and problem.status < 500
    detail = str(exc) if safe else problem.title
    errors = (
        getattr(exc, "errors", None)
        if isinstance(exc, InvalidRequest | CredentialRejected)
        else None
    )
    rows = exc.rows if isinstance(exc, CsvRejected) else None
    return problem_response(problem, detail, request, errors, headers, rows)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this class
    errors = [
        FieldError(tuple(error.get("loc", ())), str(error.get("msg", "invalid")))
        for error in exc.errors()
    ]
    fields = ", ".join(".".join(map(str, error.loc)) for error in errors)
    return problem_response(VALIDATION, f"invalid fields: {fields}", request, errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101 - registered for this class
    problem = HTTP_PROBLEMS.get(exc.status_code) or Problem(
        f"http-{exc.status_code}", exc.status_code, str(exc.detail)
    )
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(problem, str(exc.detail), request, headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected_error path=%s", request.url.path, exc_info=exc)
    return problem_response(INTERNAL, INTERNAL.title, request)


def install(app: FastAPI) -> None:
    """Register the handlers: service errors, validation, HTTP errors, anything else."""
    for cls in PROBLEMS:
        app.add_exception_handler(cls, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
