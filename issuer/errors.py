"""Exceptions the service layer raises; ``issuer.api.errors`` maps each to a problem type.

::

    ServiceError
    ├── NotFound            (LookupError)   404 not-found — also another organisation's objects
    ├── Unauthenticated                     401 unauthenticated
    ├── Forbidden                           403 forbidden (missing scope)
    ├── Conflict                            409 conflict
    │   ├── IdempotencyConflict             409 idempotency-conflict
    │   └── FormatUnavailable               409 format-unavailable
    ├── InvalidRequest      (ValueError)    422 validation-error, with field errors
    │   └── CsvRejected                     422 invalid-csv, with every bad row of the file
    ├── MalformedRequest    (ValueError)    400 malformed-request (a body that cannot be parsed)
    ├── RateLimited                         429 rate-limited, with Retry-After
    ├── PayloadTooLarge                     413 payload-too-large (an upload over its limit)
    ├── UnsupportedMediaType                415 unsupported-media-type
    └── CredentialRejected  (ValueError)    400 invalid-credential (W3C VC-API issue)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input: ``loc`` as FastAPI reports it (``["body", "recipient", "email"]``)."""

    loc: tuple[str | int, ...]
    message: str


class ServiceError(Exception):
    """Root of the service's exceptions; ``str(exc)`` is the problem's ``detail``."""


class NotFound(ServiceError, LookupError):
    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"{kind} {ident!r} not found")
        self.kind = kind


class Unauthenticated(ServiceError):
    pass


class Forbidden(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class IdempotencyConflict(Conflict):
    pass


class FormatUnavailable(Conflict):
    pass


class PayloadTooLarge(ServiceError):
    """An upload larger than the endpoint accepts (refused before it is read whole)."""


class UnsupportedMediaType(ServiceError):
    """A body of a ``Content-Type`` the endpoint does not take."""


class MalformedRequest(ServiceError, ValueError):
    """A request body that cannot be parsed at all (not JSON, not a multipart form)."""


class RateLimited(ServiceError):
    """Too many requests from this client; retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidRequest(ServiceError, ValueError):
    """Input that passed the request schema but not the service's rules."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    @classmethod
    def field(cls, loc: tuple[str | int, ...], message: str) -> InvalidRequest:
        """A single invalid field: ``InvalidRequest.field(("body", "level"), "…")``."""
        return cls(f"{'.'.join(map(str, loc))}: {message}", [FieldError(loc, message)])


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """One bad line of an uploaded CSV file (``line`` ``None``: the whole file)."""

    line: int | None
    column: str | None
    code: str
    reason: str


class CsvRejected(InvalidRequest):
    """An uploaded CSV file with bad rows: nothing of it was accepted."""

    def __init__(self, message: str, rows: list[CsvProblem]) -> None:
        loc: tuple[str | int, ...]
        errors = []
        for row in rows:
            loc = ("body",) if row.line is None else ("body", row.line)
            errors.append(FieldError((*loc, row.column) if row.column else loc, row.reason))
        super().__init__(message, errors)
        self.rows = rows


class CredentialRejected(ServiceError, ValueError):
    """A credential given to ``POST /credentials/issue`` that cannot be signed."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []
