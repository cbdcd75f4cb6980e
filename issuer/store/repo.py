"""Small query functions. Every function that reads an organisation's objects takes its
``org_id`` and filters on it: another organisation's object is simply not found."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from issuer.errors import InvalidRequest, NotFound
from issuer.store.tables import (
    Achievement,
    AchievementVersion,
    Award,
    Issuer,
    Organization,
    SigningKey,
)

Row = TypeVar("Row")


# --------------------------------------------------------------------------- pages


def encode_cursor(last_id: str | int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text or not text.isprintable():
        raise InvalidRequest.field(("query", "cursor"), "not a cursor from a previous page")
    return text


def page(
    session: Session,
    stmt: Select[Row],
    id_column: InstrumentedAttribute[Any],
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[Row], str | None]:
    """Keyset pagination in id order (ids are time-ordered): rows after ``cursor``."""
    if cursor is not None:
        after = decode_cursor(cursor)
        if id_column.type.python_type is not int:
            stmt = stmt.where(id_column > after)
        elif after.isdigit():
            stmt = stmt.where(id_column > int(after))
        else:
            raise InvalidRequest.field(("query", "cursor"), "not a cursor from a previous page")
    rows = session.scalars(stmt.order_by(id_column).limit(limit + 1)).all()
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(getattr(rows[-1], "id"))  # noqa: B009 - rows are any table


# --------------------------------------------------------------------------- lookups


def org_by_slug(session: Session, slug: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        raise NotFound("organisation", slug)
    return org


def issuer(session: Session, org_id: str, issuer_id: str) -> Issuer:
    row = session.scalar(select(Issuer).where(Issuer.id == issuer_id, Issuer.org_id == org_id))
    if row is None:
        raise NotFound("issuer", issuer_id)
    return row


def public_issuer(session: Session, issuer_id: str) -> Issuer:
    """An issuer for the public, unauthenticated endpoints (any organisation)."""
    row = session.get(Issuer, issuer_id)
    if row is None:
        raise NotFound("issuer", issuer_id)
    return row


def first_issuer(session: Session, org_id: str) -> Issuer | None:
    return session.scalar(select(Issuer).where(Issuer.org_id == org_id).order_by(Issuer.id))


def issuers_of(session: Session, org_id: str) -> Sequence[Issuer]:
    return session.scalars(select(Issuer).where(Issuer.org_id == org_id)).all()


def keys_of(session: Session, issuer_id: str) -> Sequence[SigningKey]:
    return session.scalars(
        select(SigningKey).where(SigningKey.issuer_id == issuer_id).order_by(SigningKey.id)
    ).all()


def keys_by_issuer(session: Session, issuer_ids: Sequence[str]) -> dict[str, list[SigningKey]]:
    found: dict[str, list[SigningKey]] = {issuer_id: [] for issuer_id in issuer_ids}
    stmt = select(SigningKey).where(SigningKey.issuer_id.in_(issuer_ids)).order_by(SigningKey.id)
    for key in session.scalars(stmt):
        found[key.issuer_id].append(key)
    return found


def current_key(session: Session, issuer_id: str) -> SigningKey:
    key = session.scalar(
        select(SigningKey).where(SigningKey.issuer_id == issuer_id, SigningKey.status == "current")
    )
    if key is None:
        raise NotFound("current signing key of issuer", issuer_id)
    return key


def achievement(session: Session, org_id: str, achievement_id: str) -> Achievement:
    row = session.scalar(
        select(Achievement).where(Achievement.id == achievement_id, Achievement.org_id == org_id)
    )
    if row is None:
        raise NotFound("achievement", achievement_id)
    return row


def public_achievement(session: Session, achievement_id: str) -> Achievement:
    row = session.get(Achievement, achievement_id)
    if row is None:
        raise NotFound("achievement", achievement_id)
    return row


def version(session: Session, achievement_id: str, number: int) -> AchievementVersion:
    row = session.scalar(
        select(AchievementVersion).where(
            AchievementVersion.achievement_id == achievement_id,
            AchievementVersion.version == number,
        )
    )
    if row is None:
        raise NotFound("achievement version", f"{achievement_id} v{number}")
    return row


def current_versions(
    session: Session, achievements: Sequence[Achievement]
) -> dict[str, AchievementVersion]:
    """The current version of each achievement, in one query."""
    if not achievements:
        return {}
    wanted = {(a.id, a.current_version) for a in achievements}
    stmt = select(AchievementVersion).where(
        AchievementVersion.achievement_id.in_([a.id for a in achievements])
    )
    return {
        v.achievement_id: v
        for v in session.scalars(stmt)
        if (v.achievement_id, v.version) in wanted
    }


def award(session: Session, org_id: str, award_id: str) -> Award:
    row = session.scalar(select(Award).where(Award.id == award_id, Award.org_id == org_id))
    if row is None:
        raise NotFound("award", award_id)
    return row


def public_award(session: Session, award_id: str) -> Award:
    row = session.get(Award, award_id)
    if row is None:
        raise NotFound("credential", award_id)
    return row


def award_by_idempotency_key(session: Session, org_id: str, key: str) -> Award | None:
    return session.scalar(select(Award).where(Award.org_id == org_id, Award.idempotency_key == key))
