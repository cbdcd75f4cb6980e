"""The leadership badge catalog (``leadership.json``): multilingual OB 3.0 achievements
and pathways. Each entry's Achievement source (``badges.model.i18n``) has no ``id``; its
result description and rubric level ids are fragments (``#level-foundation``) anchored to
the published id by :func:`localized_achievement`. :func:`dump_catalog` writes exactly
what :func:`parse_catalog` reads, so ``catalog export`` / ``import`` round-trip; the file
formats (JSON, YAML) and error lines are in :mod:`issuer.catalog.files`.

A pathway names one of the catalog's achievements (the badge it awards) and its
requirements: every achievement of ``requires_all`` and at least ``any_count`` of
``requires_any``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from badges.errors import InvalidInput
from badges.model import LANGUAGES, Translations, localized
from badges.model.i18n import languages_of
from badges.schema import validate_achievement
from badges.types import JSONObject

LEVELS = ("foundation", "practitioner", "expert")
"""Rubric level keys, in order; level ids are ``<achievement id>#level-<key>``."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTRY = ("key", "family", "evidence_required", "evidence_expectations", "default_validity_days")
_PATHWAY = ("achievement", "requires_all", "requires_any", "any_count")
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One error: where (a path into the file's data, the entry's key, the file's line)."""

    path: Path_
    message: str
    key: str | None = None
    line: int | None = None

    @property
    def where(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
        return text or "catalog"

    def __str__(self) -> str:
        key = f" ({self.key})" if self.key else ""
        line = f"line {self.line}: " if self.line else ""
        return f"{line}{self.where}{key}: {self.message}"

    def located(self, name: str) -> str:
        """``FILE:LINE: where (key): message``, as compilers report."""
        key = f" ({self.key})" if self.key else ""
        place = f"{name}:{self.line}" if self.line else name
        return f"{place}: {self.where}{key}: {self.message}"


class CatalogError(InvalidInput):
    """The catalog data is malformed; ``problems`` lists every error found."""

    def __init__(self, message: str, problems: list[CatalogProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [CatalogProblem((), message)]


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
    achievement: str
    requires_all: list[str]
    requires_any: list[str] = field(default_factory=list)
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


class _Fail(Exception):
    """One problem inside an entry (``where`` as written in messages)."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where, self.message = where, message


def parse_path(where: str) -> Path_:
    """``"achievements[3].evidence_expectations.fi"`` → ``("achievements", 3, …, "fi")``."""
    parts = [name or index for name, index in _PATH_PART.findall(where)]
    return tuple(int(part) if part.isdigit() else part for part in parts)


def _fields(value: object, required: set[str], optional: set[str], where: str) -> JSONObject:
    if not isinstance(value, dict):
        raise _Fail(where, "expected an object")
    if missing := required - value.keys():
        raise _Fail(where, f"missing {', '.join(sorted(missing))}")
    if unknown := value.keys() - required - optional:
        raise _Fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    return value


def _slug(value: object, where: str) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value) or len(value) > 64:
        raise _Fail(where, f"{value!r} is not a lowercase slug like 'peer-mentoring'")
    return value


def _texts(value: object, where: str, *, empty: bool = False) -> Translations:
    if value == {} and empty:
        return {}
    if not isinstance(value, dict) or not value or not set(value) <= set(LANGUAGES):
        raise _Fail(where, f"expected texts by language ({', '.join(LANGUAGES)})")
    for lang, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise _Fail(f"{where}.{lang}", "expected a non-empty text")
    return dict(value)


def _keys(value: object, known: set[str], where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(key, str) for key in value):
        raise _Fail(where, "expected a list of achievement keys")
    if len(set(value)) != len(value):
        raise _Fail(where, "an achievement key is listed twice")
    for i, key in enumerate(value):
        if key not in known:
            raise _Fail(f"{where}[{i}]", f"no achievement with key {key!r}")
    return list(value)


def _achievement(value: object, where: str) -> CatalogAchievement:
    data = _fields(value, {*_ENTRY[:4], "achievement"}, {_ENTRY[4]}, where)
    key, family = _slug(data["key"], f"{where}.key"), _slug(data["family"], f"{where}.family")
    source, days = data["achievement"], data.get("default_validity_days")
    if not isinstance(source, dict) or "id" in source:
        raise _Fail(f"{where}.achievement", "expected a multilingual source without id")
    if days is not None and (type(days) is not int or days <= 0):
        raise _Fail(f"{where}.default_validity_days", "expected a positive integer or null")
    if not isinstance(data["evidence_required"], bool):
        raise _Fail(f"{where}.evidence_required", "expected true or false")
    expectations = _texts(
        data["evidence_expectations"], f"{where}.evidence_expectations", empty=True
    )
    entry = CatalogAchievement(
        key, family, copy.deepcopy(source), data["evidence_required"], expectations, days
    )
    if not (langs := languages_of(source)):
        raise _Fail(f"{where}.achievement", "no language (fi, sv, en) has all the texts")
    for lang in langs:
        try:
            data = localized_achievement(entry, lang, "urn:merkki:catalog-check")
        except InvalidInput as exc:
            inner, sep, text = str(exc).partition(": ")
            inner = inner.removeprefix("achievement").lstrip(".")
            if sep and inner and " " not in inner:
                raise _Fail(f"{where}.achievement.{inner}", f"{text} ({lang})") from exc
            raise _Fail(f"{where}.achievement", f"{exc} ({lang})") from exc
        for issue in validate_achievement(data):
            if issue.is_error:
                inner = issue.path.removeprefix("achievement").lstrip(".")
                place = f"{where}.achievement.{inner}" if inner else f"{where}.achievement"
                raise _Fail(place, f"{issue.message} (OB 3.0 schema, {lang})")
    return entry


def _pathway(value: object, known: set[str], where: str) -> Pathway:
    data = _fields(value, {"achievement", "requires_all"}, set(_PATHWAY[2:]), where)
    target = _slug(data["achievement"], f"{where}.achievement")
    if target not in known:
        raise _Fail(f"{where}.achievement", f"no achievement with key {target!r}")
    required = _keys(data["requires_all"], known, f"{where}.requires_all")
    choices = _keys(data.get("requires_any", []), known, f"{where}.requires_any")
    count = data.get("any_count", 0)
    if type(count) is not int or not bool(choices) <= count <= len(choices):
        raise _Fail(f"{where}.any_count", f"expected 1..{len(choices)} (0 if none)")
    if set(required) & set(choices) or not required + choices:
        raise _Fail(where, "requires_all and requires_any must differ and not both be empty")
    if target in required + choices:
        raise _Fail(where, f"the pathway's own achievement {target!r} cannot be required")
    return Pathway(target, required, choices, count)


def _entry_key(value: object) -> str | None:
    key = value.get("key") or value.get("achievement") if isinstance(value, dict) else None
    return key if isinstance(key, str) else None


def parse_catalog(data: object) -> Catalog:
    """A :class:`Catalog` from its JSON object; raises :class:`CatalogError` with every
    problem found (one per entry at most)."""
    problems: list[CatalogProblem] = []

    def note(fail: _Fail, value: object) -> None:
        problems.append(CatalogProblem(parse_path(fail.where), fail.message, _entry_key(value)))

    try:
        top = _fields(data, {"achievements"}, {"pathways"}, "catalog")
    except _Fail as fail:
        raise CatalogError(f"catalog: {fail.message}", [CatalogProblem((), fail.message)]) from None
    items, paths = top["achievements"], top.get("pathways", [])
    for name, value in (("achievements", items), ("pathways", paths)):
        if not isinstance(value, list):
            problems.append(CatalogProblem((name,), "expected a list"))
    if problems:
        raise CatalogError(str(problems[0]), problems)
    achievements: list[CatalogAchievement] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        try:
            entry = _achievement(item, f"achievements[{i}]")
            if entry.key in seen:
                raise _Fail(f"achievements[{i}].key", f"duplicate key {entry.key!r}")
        except _Fail as fail:
            note(fail, item)
        else:
            seen.add(entry.key)
            achievements.append(entry)
    known = {key for item in items if (key := _entry_key(item))}
    pathways: list[Pathway] = []
    targets: set[str] = set()
    for i, item in enumerate(paths):
        try:
            pathway = _pathway(item, known, f"pathways[{i}]")
            if pathway.achievement in targets:
                raise _Fail(f"pathways[{i}].achievement", "duplicate pathway achievement")
        except _Fail as fail:
            note(fail, item)
        else:
            targets.add(pathway.achievement)
            pathways.append(pathway)
    if not problems and (cycle := find_cycle(pathways)):
        problems.append(CatalogProblem(("pathways",), f"pathways form a cycle: {cycle}"))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise CatalogError(f"{problems[0]}{more}", problems)
    return Catalog(achievements, pathways)


def find_cycle(pathways: list[Pathway]) -> str | None:
    """``"a -> b -> a"`` if a pathway (transitively) requires its own achievement."""
    cycle = graph_cycle({p.achievement: [*p.requires_all, *p.requires_any] for p in pathways})
    return " -> ".join(cycle) if cycle else None


def graph_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle of ``graph`` (node → the nodes it requires) as ``[a, b, a]``, if any."""

    def visit(node: str, trail: list[str]) -> list[str] | None:
        if node in trail:
            return [*trail[trail.index(node) :], node]
        for child in graph.get(node, []):
            if found := visit(child, [*trail, node]):
                return found
        return None

    for start in graph:
        if found := visit(start, []):
            return found
    return None


def load_catalog(path: Path | None = None) -> Catalog:
    """Read a catalog file (JSON or YAML by extension; default: the shipped
    ``leadership.json``)."""
    from issuer.catalog.files import read_catalog

    if path is None:
        text = resources.files(__package__).joinpath("leadership.json").read_text("utf-8")
        return read_catalog(text, "json", "leadership.json")
    return read_catalog(Path(path).read_text(encoding="utf-8"), path=Path(path))


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


def _anchor(obj: dict[str, Any], name: str, achievement_id: str) -> None:
    value = obj.get(name)
    if isinstance(value, str) and value.startswith("#"):
        obj[name] = achievement_id + value


def localized_achievement(entry: CatalogAchievement, lang: str, achievement_id: str) -> JSONObject:
    """The OB 3.0 Achievement JSON of ``entry`` in ``lang`` (with ``inLanguage``), whose
    ``id`` is ``achievement_id`` and level ids ``<achievement_id>#level-<level>``."""
    if not achievement_id or "#" in achievement_id:
        raise CatalogError(f"achievement id {achievement_id!r}: expected a URI without fragment")
    data = copy.deepcopy(entry.source)
    data["id"] = achievement_id
    for description in data.get("resultDescription") or []:
        if not isinstance(description, dict):
            continue
        _anchor(description, "id", achievement_id)
        _anchor(description, "requiredLevel", achievement_id)
        for level in description.get("rubricCriterionLevel") or []:
            if isinstance(level, dict):
                _anchor(level, "id", achievement_id)
    return localized(data, lang).to_json()
