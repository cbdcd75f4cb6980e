"""Timestamps in credentials: RFC 3339 ``date-time`` with a time zone ("DateTimeZ").

Output is always UTC with a ``Z`` and whole seconds (``2024-05-01T09:30:00Z``):
sub-second precision is truncated so that what is signed is what is shown.
Input must carry a time zone; VC 1.1 allowed ``xsd:dateTime`` without one, but
such a timestamp is ambiguous, so it is rejected (``InvalidCredential``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from badges.errors import InvalidCredential

_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt](?P<time>\d{2}:\d{2}:\d{2})(?P<frac>\.\d+)?"
    r"(?P<tz>[Zz]|[+-]\d{2}:\d{2})"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_datetime(text: str, field: str = "date-time") -> datetime:
    """Parse an RFC 3339 date-time that has a time zone; ``InvalidCredential`` otherwise."""
    match = _DATE_TIME.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InvalidCredential(
            f"{field}: {text!r} is not an RFC 3339 date-time with a time zone "
            "(e.g. 2024-05-01T09:30:00Z)"
        )
    frac = (match["frac"] or "")[:7]  # Python keeps microseconds: a dot and six digits
    tz = "+00:00" if match["tz"] in ("Z", "z") else match["tz"]
    try:
        return datetime.fromisoformat(f"{match['date']}T{match['time']}{frac}{tz}")
    except ValueError as exc:
        raise InvalidCredential(f"{field}: {text!r} is not a valid date-time ({exc})") from exc


def is_datetime(value: object) -> bool:
    """``format: date-time`` check (non-strings pass, as JSON Schema requires)."""
    if not isinstance(value, str):
        return True
    try:
        parse_datetime(value)
    except InvalidCredential:
        return False
    return True


def is_date(value: object) -> bool:
    """``format: date`` check: ``YYYY-MM-DD`` (non-strings pass)."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def require_aware(value: datetime, field: str) -> datetime:
    """Return ``value``; ``InvalidCredential`` naming ``field`` if it has no time zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidCredential(
            f"{field}: {value.isoformat()} has no time zone; use an aware datetime "
            "(e.g. datetime(..., tzinfo=UTC))"
        )
    return value


def format_datetime(value: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` in UTC, microseconds dropped."""
    utc = require_aware(value, "date-time").astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )


def _coerce(value: object) -> object:
    if isinstance(value, str):
        return parse_datetime(value)
    if isinstance(value, datetime):
        return require_aware(value, "date-time")
    raise ValueError(f"expected an RFC 3339 date-time string, got {type(value).__name__}")


DateTimeZ = Annotated[
    datetime,
    BeforeValidator(_coerce),
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
]
"""A time-zone-aware datetime, read from RFC 3339 text and written as UTC ``…Z``."""


def _field_date(data: Mapping[str, Any], names: tuple[str, str]) -> datetime | None:
    for name in names:
        value = data.get(name)
        if value is None:
            continue
        if isinstance(value, datetime):
            return require_aware(value, name)
        if not isinstance(value, str):
            raise InvalidCredential(f"{name}: expected a date-time string, got {value!r}")
        return parse_datetime(value, name)
    return None


def credential_dates(data: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
    """``(valid_from, valid_until)`` of a VC 2.0 or VC 1.1 credential (as a JSON object).

    VC 2.0 ``validFrom``/``validUntil`` take precedence over the VC 1.1
    ``issuanceDate``/``expirationDate`` ("Verification", OB 3.0 §9.1 note: treat
    them as equivalent). Missing dates are ``None``; an unparseable date raises
    ``InvalidCredential`` naming the field.
    """
    return (
        _field_date(data, ("validFrom", "issuanceDate")),
        _field_date(data, ("validUntil", "expirationDate")),
    )
