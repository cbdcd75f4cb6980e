"""The generated artwork of stored achievements and awards (``issuer.services.artwork``).

``GET /achievements/{id}/artwork.{png|svg}`` takes ``lang`` (default: the issuer's
default language, or the first language the achievement has), ``v`` (the digest of an
achievement version's source, as in the credential's default image URL
``…/artwork.png?lang=fi&v=…``; default: the current version) and ``level`` (a rubric
level key or id: the award's metal). The issuer's name goes on the ribbon when there is
no level.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.model.i18n import languages_of
from issuer.errors import NotFound
from issuer.services import artwork
from issuer.store import repo
from issuer.store.tables import Achievement, AchievementVersion, Award, Issuer


def _issuer_name(issuer: Issuer, lang: str) -> str | None:
    name = issuer.name
    if isinstance(name, Mapping):
        name = (
            name.get(lang) or name.get(issuer.default_language) or next(iter(name.values()), None)
        )
    return name if isinstance(name, str) and name.strip() else None


def _language(source: Mapping[str, Any], wanted: str | None, default: str) -> str:
    offered: list[str] = [*languages_of(source)] or [default]
    for lang in (wanted, default):
        if lang in offered:
            return lang
    return offered[0]


def _version(session: Session, row: Achievement, digest: str | None) -> AchievementVersion:
    if not digest:
        return repo.version(session, row.id, row.current_version)
    versions = session.scalars(
        select(AchievementVersion)
        .where(AchievementVersion.achievement_id == row.id)
        .order_by(AchievementVersion.version.desc())
    )
    for version in versions:
        if artwork.source_digest(version.source) == digest:
            return version
    raise NotFound("achievement version", f"{row.id}?v={digest}")


def achievement_artwork(
    session: Session,
    achievement_id: str,
    *,
    lang: str | None = None,
    digest: str | None = None,
    level: str | None = None,
) -> artwork.Artwork:
    """The artwork of a public achievement (see the module docstring)."""
    row = repo.public_achievement(session, achievement_id)
    version = _version(session, row, digest)
    issuer = repo.public_issuer(session, row.issuer_id)
    chosen = _language(version.source, lang, issuer.default_language)
    return artwork.artwork_for(
        version.source,
        seed=row.id,
        lang=chosen,
        catalog_key=row.catalog_key,
        level=level,
        issuer_name=_issuer_name(issuer, chosen),
    )


def award_artwork(session: Session, award: Award) -> artwork.Artwork:
    """The artwork of an award: its achievement version in its language, with the
    level it was awarded at (the credential's ``result``)."""
    row = repo.public_achievement(session, award.achievement_id)
    version = session.get(AchievementVersion, award.achievement_version_id)
    source = version.source if version is not None else {}
    issuer = repo.public_issuer(session, award.issuer_id)
    lang = _language(source, award.language, issuer.default_language)
    subject = award.credential.get("credentialSubject") or {}
    level = None
    for result in subject.get("result") or []:
        if isinstance(result, Mapping) and isinstance(result.get("achievedLevel"), str):
            level = artwork.level_key(result["achievedLevel"])
    return artwork.artwork_for(
        source,
        seed=row.id,
        lang=lang,
        catalog_key=row.catalog_key,
        level=level,
        issuer_name=_issuer_name(issuer, lang),
    )
