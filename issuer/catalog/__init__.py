"""The leadership badge catalog (``leadership.json``): multilingual OB 3.0 achievements
and pathways. Each entry's Achievement source (``badges.model.i18n``) has no ``id``; its
result description and rubric level ids are fragments (``#level-foundation``) anchored to
the published id by :func:`localized_achievement`. :func:`dump_catalog` writes exactly
what :func:`parse_catalog` reads, so ``catalog export`` / ``import`` round-trip."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from badges.errors import InvalidInput
from badges.model import LANGUAGES, Translations, localized
from badges.model.i18n import languages_of
from badges.types import JSONObject

LEVELS = ("foundation", "practitioner", "expert")
"""Rubric level keys, in order; level ids are ``<achievement id>#level-<key>``."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY = ("key", "family", "evidence_required", "evidence_expectations", "default_validity_days")
_PATHWAY = ("key", "name", "description", "requires_all", "requires_any", "any_count")


class CatalogError(InvalidInput):
    """The catalog data is malformed; the message names the entry and field."""


@dataclass(slots=True)
class CatalogAchievement:
    key: str
    family: str
    source: JSONObject
    evidence_required: bool
    evidence_expectations: Translations
    default_validity_days: int | None = None


@dataclass(slots=True)
class Pathway:
    key: str
    name: Translations
    description: Translations
    requires_all: list[str]
    requires_any: list[str]
    any_count: int = 0


@dataclass(slots=True)
class Catalog:
    achievements: list[CatalogAchievement]
    pathways: list[Pathway]

    def achievement(self, key: str) -> CatalogAchievement:
        """The entry with this key (``KeyError`` if there is none)."""
        if found := [entry for entry in self.achievements if entry.key == key]:
            return found[0]
        raise KeyError(key)


def _fields(value: object, required: set[str], optional: set[str], where: str) -> JSONObject:
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: expected an object")
    if missing := required - value.keys():
        raise CatalogError(f"{where}: missing {', '.join(sorted(missing))}")
    if unknown := value.keys() - required - optional:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return value


def _slug(value: object, where: str) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise CatalogError(f"{where}: {value!r} is not a lowercase slug like 'peer-mentoring'")
    return value


def _texts(value: object, where: str) -> Translations:
    if not isinstance(value, dict) or not value or not set(value) <= set(LANGUAGES):
        raise CatalogError(f"{where}: expected texts by language ({', '.join(LANGUAGES)})")
    for lang, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise CatalogError(f"{where}.{lang}: expected a non-empty text")
    return dict(value)


def _keys(value: object, known: set[str], where: str) -> list[str]:
    if not isinstance(value, list) or len(set(map(str, value))) != len(value):
        raise CatalogError(f"{where}: expected a list of distinct achievement keys")
    if unknown := [key for key in value if key not in known]:
        raise CatalogError(f"{where}: no achievement with key {unknown[0]!r}")
    return list(value)


def _achievement(value: object, where: str) -> CatalogAchievement:
    data = _fields(value, {*_ENTRY[:4], "achievement"}, {_ENTRY[4]}, where)
    source, days = data["achievement"], data.get("default_validity_days")
    if not isinstance(source, dict) or "id" in source or "inLanguage" in source:
        raise CatalogError(f"{where}.achievement: expected a multilingual source without id")
    if days is not None and (type(days) is not int or days <= 0):
        raise CatalogError(f"{where}.default_validity_days: expected a positive integer or null")
    if not isinstance(data["evidence_required"], bool):
        raise CatalogError(f"{where}.evidence_required: expected true or false")
    expectations = _texts(data["evidence_expectations"], f"{where}.evidence_expectations")
    key, family = _slug(data["key"], f"{where}.key"), _slug(data["family"], f"{where}.family")
    entry = CatalogAchievement(
        key, family, copy.deepcopy(source), data["evidence_required"], expectations, days
    )
    if not (langs := languages_of(source)):
        raise CatalogError(f"{where}.achievement: no language (fi, sv, en) has all the texts")
    for lang in langs:
        try:
            localized_achievement(entry, lang, "urn:merkki:catalog-check")
        except InvalidInput as exc:
            raise CatalogError(f"{where}.achievement ({lang}): {exc}") from exc
    return entry


def _pathway(value: object, known: set[str], where: str) -> Pathway:
    data = _fields(value, set(_PATHWAY[:3]), set(_PATHWAY[3:]), where)
    required = _keys(data.get("requires_all", []), known, f"{where}.requires_all")
    choices = _keys(data.get("requires_any", []), known, f"{where}.requires_any")
    count = data.get("any_count", 0)
    if type(count) is not int or not bool(choices) <= count <= len(choices):
        raise CatalogError(f"{where}.any_count: expected 1..{len(choices)} (0 if none)")
    if set(required) & set(choices) or not required + choices:
        raise CatalogError(f"{where}: requires_all and requires_any must differ and not be empty")
    key, name = _slug(data["key"], f"{where}.key"), _texts(data["name"], f"{where}.name")
    description = _texts(data["description"], f"{where}.description")
    return Pathway(key, name, description, required, choices, count)


def _unique(keys: list[str], where: str) -> None:
    if dupes := sorted({key for key in keys if keys.count(key) > 1}):
        raise CatalogError(f"{where}: duplicate key(s) {', '.join(dupes)}")


def parse_catalog(data: object) -> Catalog:
    """A :class:`Catalog` from its JSON object; raises :class:`CatalogError`."""
    top = _fields(data, {"achievements"}, {"pathways"}, "catalog")
    items, paths = top["achievements"], top.get("pathways", [])
    if not isinstance(items, list) or not isinstance(paths, list):
        raise CatalogError("catalog: achievements and pathways must be lists")
    achievements = [_achievement(item, f"achievements[{i}]") for i, item in enumerate(items)]
    _unique([entry.key for entry in achievements], "achievements")
    known = {entry.key for entry in achievements}
    pathways = [_pathway(item, known, f"pathways[{i}]") for i, item in enumerate(paths)]
    _unique([pathway.key for pathway in pathways], "pathways")
    return Catalog(achievements, pathways)


def load_catalog(path: Path | None = None) -> Catalog:
    """Read a catalog file (default: the shipped ``leadership.json``)."""
    if path is None:
        text = resources.files(__package__).joinpath("leadership.json").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path or 'leadership.json'}: not valid JSON ({exc})") from exc
    return parse_catalog(data)


def dump_catalog(catalog: Catalog) -> JSONObject:
    """The catalog's JSON object (a deep copy); :func:`parse_catalog` reads it back equal."""
    data = {
        "achievements": [
            {**{f: getattr(e, f) for f in _ENTRY}, "achievement": e.source}
            for e in catalog.achievements
        ],
        "pathways": [{f: getattr(p, f) for f in _PATHWAY} for p in catalog.pathways],
    }
    return copy.deepcopy(data)


def _anchor(obj: dict[str, Any], field: str, achievement_id: str) -> None:
    value = obj.get(field)
    if isinstance(value, str) and value.startswith("#"):
        obj[field] = achievement_id + value


def localized_achievement(entry: CatalogAchievement, lang: str, achievement_id: str) -> JSONObject:
    """The OB 3.0 Achievement JSON of ``entry`` in ``lang`` (with ``inLanguage``), whose
    ``id`` is ``achievement_id`` and level ids ``<achievement_id>#level-<level>``."""
    if not achievement_id or "#" in achievement_id:
        raise CatalogError(f"achievement id {achievement_id!r}: expected a URI without fragment")
    data = copy.deepcopy(entry.source)
    data["id"] = achievement_id
    for description in data.get("resultDescription") or []:
        _anchor(description, "id", achievement_id)
        _anchor(description, "requiredLevel", achievement_id)
        for level in description.get("rubricCriterionLevel") or []:
            _anchor(level, "id", achievement_id)
    return localized(data, lang).to_json()
