"""The achievement an application is for: the open achievements, the version applied
for, its JSON in the applicant's language, its rubric levels and the evidence the
catalog expects (part of :mod:`issuer.services.applications`, which re-exports it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy.orm import Session

from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer import i18n
from issuer.catalog import load_catalog
from issuer.errors import InvalidRequest, NotFound
from issuer.services import ServiceContext
from issuer.services.achievements import localize
from issuer.store import repo
from issuer.store.tables import Achievement, AchievementVersion, Application


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    description: str | None


def open_achievement(
    session: Session, achievement_id: str
) -> tuple[Achievement, AchievementVersion]:
    """A non-archived achievement anyone may apply for (else :class:`NotFound`)."""
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.archived:
        raise NotFound("achievement", achievement_id)
    return achievement, repo.version(session, achievement.id, achievement.current_version)


def application_achievement(
    session: Session, application: Application
) -> tuple[Achievement, AchievementVersion]:
    """The achievement applied for (archived or not) and the version applied for."""
    achievement = repo.public_achievement(session, application.achievement_id)
    return achievement, repo.version(session, achievement.id, application.achievement_version)


def achievement_json(
    ctx: ServiceContext, achievement: Achievement, version: AchievementVersion, lang: str
) -> JSONObject:
    """The achievement in ``lang`` (or its closest language) as OB 3.0 JSON."""
    langs = list(languages_of(version.source))
    chosen = lang if lang in langs else langs[0]
    return localize(version.source, chosen, ctx.url(f"achievements/{achievement.id}"))


def levels_of(achievement: JSONObject) -> list[Level]:
    """The rubric levels of a localized achievement, keyed like ``result_for`` takes them."""
    found: list[Level] = []
    for description in achievement.get("resultDescription") or []:
        for item in description.get("rubricCriterionLevel") or []:
            fragment = str(item.get("id", "")).rpartition("#")[2]
            key = fragment.removeprefix("level-")
            name = i18n.pick_text(item.get("name"), "en") or key
            found.append(Level(key, name, i18n.pick_text(item.get("description"), "en")))
    return found


@cache
def _expectations() -> dict[str, dict[str, str]]:
    return {entry.key: dict(entry.evidence_expectations) for entry in load_catalog().achievements}


def evidence_expectations(achievement: Achievement, lang: str) -> str | None:
    """What evidence the catalog expects for ``achievement`` (catalog achievements only)."""
    texts = _expectations().get(achievement.catalog_key or "")
    return i18n.pick_text(texts, lang) if texts else None


def check_level(levels: Sequence[Level], level: str) -> str:
    """``level`` if it is one of ``levels`` (``""`` when there are none), else 422."""
    if not levels:
        return ""
    keys = [item.key for item in levels]
    if level not in keys:
        raise InvalidRequest.field(("body", "level"), f"choose one of: {', '.join(keys)}")
    return level


def level_name(
    ctx: ServiceContext,
    achievement: Achievement,
    version: AchievementVersion,
    application: Application,
) -> str | None:
    """The approved level's name in the applicant's language (its key if unnamed)."""
    if not application.approved_level:
        return None
    lang = application.language
    for item in levels_of(achievement_json(ctx, achievement, version, lang)):
        if item.key == application.approved_level:
            return item.name
    return application.approved_level
