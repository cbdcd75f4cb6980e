"""Achievements and their versions.

A version stores a *multilingual source*: an OB 3.0 Achievement without ``id`` in which
any text may be ``{"fi": …, "sv": …, "en": …}`` (``badges.model.i18n``), exactly like
the catalog's entries; result description and level ids may be ``#fragments``. A
credential carries one language: :func:`localize` picks it and anchors the fragments to
the achievement's public URL. Plain-string texts in a source without translations are
in the source's ``inLanguage`` (the request's ``language`` or the issuer's default).

Editing content (or ``evidence_required`` / ``default_validity_days``) adds a version;
awards keep the version they were issued with. Archiving changes no content.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.model.i18n import is_translations, languages_of
from badges.schema import validate_achievement
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.catalog import CatalogAchievement, localized_achievement
from issuer.errors import Conflict, FieldError, InvalidRequest, NotFound
from issuer.models.achievements import AchievementCreate, AchievementUpdate
from issuer.services import ServiceContext, audit
from issuer.services.artwork import default_image_url
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Achievement, AchievementVersion, Issuer

_SETTINGS = ("evidence_required", "default_validity_days")
_REQUIRED = ("name", "description", "criteria", "achievement_type", "evidence_required")


def localize(source: Mapping[str, Any], lang: str, achievement_id: str) -> JSONObject:
    """The OB 3.0 Achievement JSON of ``source`` in ``lang`` with id ``achievement_id``.

    The catalog's :func:`~issuer.catalog.localized_achievement` does the work, so
    seeded and API-made achievements follow one rule for ``#fragment`` ids. Without an
    uploaded image the image is the generated artwork of this version in ``lang``
    (``issuer.services.artwork.default_image_url``). An image without a caption gets the
    achievement's name in ``lang`` as its caption.
    """
    entry = CatalogAchievement("achievement", "service", dict(source), False, {})
    data = localized_achievement(entry, lang, achievement_id)
    if not data.get("image") and achievement_id.startswith(("https://", "http://")):
        data["image"] = {"id": default_image_url(achievement_id, source, lang), "type": "Image"}
    image = data.get("image")
    if isinstance(image, dict) and not image.get("caption") and isinstance(data.get("name"), str):
        data["image"] = {**image, "caption": data["name"]}  # OB Image: id, type, caption
    return data


def _has_translations(value: Any) -> bool:
    if is_translations(value):
        return True
    if isinstance(value, Mapping):
        return any(_has_translations(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_translations(item) for item in value)
    return False


def _with_types(items: list[JSONObject], kind: str, prefix: str) -> list[JSONObject]:
    out = []
    for i, item in enumerate(copy.deepcopy(items)):
        item.setdefault("type", [kind])
        item.setdefault("id", f"#{prefix}-{i + 1}")
        if kind == "ResultDescription":
            item["rubricCriterionLevel"] = _with_types(
                item.get("rubricCriterionLevel") or [], "RubricCriterionLevel", "level"
            )
            if not item["rubricCriterionLevel"]:
                del item["rubricCriterionLevel"]
        out.append(item)
    return out


def apply_fields(source: Mapping[str, Any], fields: Mapping[str, Any], lang: str) -> JSONObject:
    """A new source: ``source`` with the API fields set (``None`` or ``[]`` removes)."""
    data: JSONObject = copy.deepcopy(dict(source))
    criteria: JSONObject = dict(data.get("criteria") or {})
    simple = {"name": "name", "description": "description", "achievement_type": "achievementType"}
    for name, value in fields.items():
        if name in simple:
            data[simple[name]] = value
        elif name in ("criteria", "criteria_url"):
            member = "narrative" if name == "criteria" else "id"
            if value is None:
                criteria.pop(member, None)
            else:
                criteria[member] = value
        elif name == "image":
            data["image"] = {"id": value, "type": "Image"} if value else None
        elif name == "tags":
            data["tag"] = value or None
        elif name == "alignments":
            data["alignment"] = _with_types(value or [], "Alignment", "alignment") or None
        elif name == "result_description":
            data["resultDescription"] = (
                _with_types(value or [], "ResultDescription", "result") or None
            )
    data["criteria"] = criteria
    data = {key: value for key, value in data.items() if value is not None}
    data.pop("inLanguage", None)
    if not _has_translations(data):
        data["inLanguage"] = lang
    return data


_API_NAMES = {
    "alignment": "alignments",
    "resultDescription": "result_description",
    "tag": "tags",
    "achievementType": "achievement_type",
}


def _loc(path: str) -> tuple[str | int, ...]:
    """An OB path (``alignment[0].targetUrl``, ``alignment.0.targetUrl``) as an API loc."""
    parts: list[str | int] = []
    for part in re.split(r"[.\[\]]+", path.removeprefix("achievement.")):
        if part:
            parts.append(int(part) if part.isdigit() else part)
    if parts and isinstance(parts[0], str):
        parts[0] = _API_NAMES.get(parts[0], parts[0])
    if parts[:2] == ["criteria", "narrative"]:
        parts = ["criteria"]
    return ("body", *parts)


def _errors(message: str, lang: str) -> list[FieldError]:
    path, sep, text = message.partition(": ")
    if not sep or " " in path:
        return [FieldError(("body",), f"{message} ({lang})")]
    return [FieldError(_loc(path), f"{text} ({lang})")]


def validate_source(source: Mapping[str, Any]) -> list[str]:
    """The source's languages; each language version must be a valid OB 3.0 Achievement."""
    langs: list[str] = list(languages_of(source))
    if not langs:
        raise InvalidRequest(
            "no language has every text: give name, description, criteria and the other "
            "texts in at least one common language (fi, sv or en)"
        )
    for lang in langs:
        try:
            data = localize(source, lang, "urn:merkki:validation")
        except InvalidInput as exc:
            raise InvalidRequest(
                f"the {lang} version is not valid: {exc}", _errors(str(exc), lang)
            ) from exc
        issues = [issue for issue in validate_achievement(data) if issue.is_error]
        if issues:
            errors = [FieldError(_loc(issue.path), f"{issue.message} ({lang})") for issue in issues]
            raise InvalidRequest(f"the {lang} version is not a valid OB 3.0 Achievement", errors)
    return langs


def _search_text(source: Mapping[str, Any]) -> str:
    name = source.get("name")
    texts = name.values() if isinstance(name, Mapping) else [str(name)]
    return "\n".join(texts).lower()


def issuer_for(session: Session, org_id: str, issuer_id: str | None) -> Issuer:
    """The issuer ``issuer_id`` of the organisation, or its first one when not given."""
    if issuer_id is not None:
        return repo.issuer(session, org_id, issuer_id)
    issuer = repo.first_issuer(session, org_id)
    if issuer is None:
        raise Conflict("the organisation has no issuer yet: create one first")
    return issuer


def add_achievement(
    session: Session,
    actor: Principal,
    *,
    org_id: str,
    issuer_id: str,
    source: JSONObject,
    evidence_required: bool,
    default_validity_days: int | None,
    catalog_key: str | None = None,
) -> tuple[Achievement, AchievementVersion]:
    """Add an achievement with its first version (the caller validates and commits)."""
    now = utcnow()
    achievement = Achievement(
        id=new_id(),
        org_id=org_id,
        issuer_id=issuer_id,
        current_version=1,
        archived=False,
        catalog_key=catalog_key,
        search_text=_search_text(source),
        created_at=now,
        updated_at=now,
    )
    version = AchievementVersion(
        id=new_id(),
        achievement_id=achievement.id,
        version=1,
        source=source,
        evidence_required=evidence_required,
        default_validity_days=default_validity_days,
        created_at=now,
    )
    session.add(achievement)
    session.flush()
    session.add(version)
    audit.record(session, actor, "achievement.create", "achievement", achievement.id, org_id=org_id)
    return achievement, version


def create_achievement(
    session: Session, actor: Principal, org_id: str, body: AchievementCreate
) -> tuple[Achievement, AchievementVersion]:
    issuer = issuer_for(session, org_id, body.issuer_id)
    fields = body.model_dump(exclude={"issuer_id", "language", *_SETTINGS}, exclude_none=True)
    source = apply_fields(
        {"type": ["Achievement"]}, fields, body.language or issuer.default_language
    )
    validate_source(source)
    created = add_achievement(
        session,
        actor,
        org_id=org_id,
        issuer_id=issuer.id,
        source=source,
        evidence_required=body.evidence_required,
        default_validity_days=body.default_validity_days,
    )
    session.commit()
    return created


def add_version(
    session: Session,
    achievement: Achievement,
    current: AchievementVersion,
    source: JSONObject,
    evidence_required: bool,
    default_validity_days: int | None,
) -> AchievementVersion:
    """Add version n+1 with a (validated) ``source`` and make it current (no commit)."""
    version = AchievementVersion(
        id=new_id(),
        achievement_id=achievement.id,
        version=current.version + 1,
        source=source,
        evidence_required=evidence_required,
        default_validity_days=default_validity_days,
        created_at=utcnow(),
    )
    session.add(version)
    achievement.current_version = version.version
    achievement.search_text = _search_text(source)
    achievement.updated_at = utcnow()
    return version


def update_achievement(
    session: Session, actor: Principal, org_id: str, achievement_id: str, body: AchievementUpdate
) -> tuple[Achievement, AchievementVersion]:
    """Apply a PATCH: changed content makes version n+1; ``archived`` toggles the state."""
    achievement = repo.achievement(session, org_id, achievement_id)
    current = repo.version(session, achievement.id, achievement.current_version)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    archived = changes.pop("archived", None)
    language = changes.pop("language", None)
    for name in (*_REQUIRED, "archived"):
        if name in body.model_fields_set and getattr(body, name) is None:
            raise InvalidRequest.field(("body", name), "cannot be null")
    content = {name: value for name, value in changes.items() if name not in _SETTINGS}
    source = current.source
    if content or language:
        issuer = repo.issuer(session, org_id, achievement.issuer_id)
        lang = language or current.source.get("inLanguage") or issuer.default_language
        source = apply_fields(current.source, content, lang)
    evidence = changes.get("evidence_required", current.evidence_required)
    days = changes.get("default_validity_days", current.default_validity_days)
    version = current
    if (source, evidence, days) != (
        current.source,
        current.evidence_required,
        current.default_validity_days,
    ):
        validate_source(source)
        version = add_version(session, achievement, current, source, evidence, days)
        audit.record(
            session,
            actor,
            "achievement.update",
            "achievement",
            achievement.id,
            version=version.version,
            fields=sorted(changes),
        )
    if archived is not None and archived != achievement.archived:
        achievement.archived = archived
        achievement.updated_at = utcnow()
        action = "achievement.archive" if archived else "achievement.restore"
        audit.record(session, actor, action, "achievement", achievement.id)
    session.commit()
    return achievement, version


def list_achievements(
    session: Session,
    org_id: str,
    *,
    q: str | None,
    archived: bool | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[tuple[Achievement, AchievementVersion]], str | None]:
    stmt = select(Achievement).where(Achievement.org_id == org_id)
    if q:
        stmt = stmt.where(Achievement.search_text.contains(q.strip().lower(), autoescape=True))
    if archived is not None:
        stmt = stmt.where(Achievement.archived == archived)
    rows, next_cursor = repo.page(session, stmt, Achievement.id, cursor, limit)
    versions = repo.current_versions(session, rows)
    return [(row, versions[row.id]) for row in rows], next_cursor


def get_achievement(
    session: Session, org_id: str, achievement_id: str
) -> tuple[Achievement, AchievementVersion]:
    achievement = repo.achievement(session, org_id, achievement_id)
    return achievement, repo.version(session, achievement.id, achievement.current_version)


def public_document(
    ctx: ServiceContext,
    session: Session,
    achievement_id: str,
    lang: str | None,
    number: int | None,
) -> JSONObject:
    """``GET /achievements/{id}``: one language of one version (default: the current)."""
    achievement = repo.public_achievement(session, achievement_id)
    version = repo.version(session, achievement.id, number or achievement.current_version)
    langs: Sequence[str] = languages_of(version.source)
    if lang is None:
        issuer = repo.public_issuer(session, achievement.issuer_id)
        lang = issuer.default_language if issuer.default_language in langs else langs[0]
    elif lang not in langs:
        raise NotFound(f"{lang} version of achievement", achievement_id)
    body = localize(version.source, lang, ctx.url(f"achievements/{achievement.id}"))
    return {"@context": [VC_V2_CONTEXT, OB_CONTEXT], **body}
