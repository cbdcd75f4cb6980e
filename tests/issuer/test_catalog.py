"""The shipped leadership catalog: every badge in fi/sv/en is a valid OB 3.0 Achievement."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from badges.schema import validate_achievement
from issuer.catalog import (
    LEVELS,
    Catalog,
    CatalogAchievement,
    CatalogError,
    Pathway,
    dump_catalog,
    load_catalog,
    localized_achievement,
    parse_catalog,
)
from tests.conftest import REPO

CATALOG_FILE = REPO / "issuer" / "catalog" / "leadership.json"
LANGS = ("fi", "sv", "en")
BASE = "https://merkki.example/achievements"

# The service seeds at least these; the rest are the programmes' other badges.
SEEDED = {
    "peer-mentoring-participant",
    "peer-mentoring-facilitator",
    "reverse-mentoring-mentor",
    "reverse-mentoring-mentee",
    "internal-developer",
    "multi-location-work-leadership",
    "competence-management",
    "onboarding-leadership",
}
REQUIRED = SEEDED | {
    "development-project-leader",
    "pedagogical-leadership",
    "change-leadership",
    "hr-network-contributor",
    "equality-planning",
    "digital-collaboration",
}
FAMILIES = {
    "mentoring",
    "development",
    "hr-network",
    "pedagogy",
    "work-organisation",
    "competence",
    "onboarding",
    "change",
    "equality",
    "digital",
    "pathway",
}
PATHWAYS = {"mentoring-leader", "developing-leader", "people-developer"}

CATALOG = load_catalog()
ENTRIES = {entry.key: entry for entry in CATALOG.achievements}
KEYS = sorted(ENTRIES)
BADGES = sorted(key for key in KEYS if ENTRIES[key].family != "pathway")
ESCO = {
    "T1.3": "working with digital devices and applications",
    "T2.2": "planning and organising",
    "T2.3": "dealing with problems",
    "T2.4": "thinking creatively and innovatively",
    "T4.3": "collaborating in teams and networks",
    "T4.4": "leading others",
    "T4.5": "following an ethical code of conduct",
}


def raw_catalog() -> Any:
    return json.loads(CATALOG_FILE.read_text(encoding="utf-8"))


def local(key: str, lang: str) -> dict[str, Any]:
    return localized_achievement(ENTRIES[key], lang, f"{BASE}/{key}")


def test_catalog_has_the_required_badges() -> None:
    assert len(CATALOG.achievements) >= 12
    assert set(ENTRIES) >= REQUIRED | PATHWAYS
    assert {entry.key for entry in CATALOG.achievements if entry.family == "pathway"} == PATHWAYS
    assert not SEEDED - set(ENTRIES), "the service seeds these"


def test_keys_are_unique_slugs_and_families_known() -> None:
    keys = [entry.key for entry in CATALOG.achievements]
    assert len(keys) == len(set(keys))
    for entry in CATALOG.achievements:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.key)
        assert entry.family in FAMILIES
        assert entry.default_validity_days is None or entry.default_validity_days > 0
        assert "id" not in entry.source


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", KEYS)
def test_localized_achievement_is_valid(key: str, lang: str) -> None:
    achievement = local(key, lang)
    assert validate_achievement(achievement) == []
    assert achievement["id"] == f"{BASE}/{key}"
    assert achievement["inLanguage"] == lang
    assert achievement["achievementType"] in {"Badge", "Competency", "Certificate"}
    for text in (
        achievement["name"],
        achievement["description"],
        achievement["criteria"]["narrative"],
    ):
        assert isinstance(text, str)
        assert text.strip()
    assert re.search(r"^1\. ", achievement["criteria"]["narrative"], re.MULTILINE)
    assert achievement["tag"]
    assert all(isinstance(tag, str) and tag for tag in achievement["tag"])
    assert not json.dumps(achievement).count('{"fi"')  # no Translations object left


@pytest.mark.parametrize("key", BADGES)
def test_languages_really_differ(key: str) -> None:
    texts: list[list[str]] = [[], [], [], [], [], []]
    for lang in LANGS:
        achievement = local(key, lang)
        levels = achievement["resultDescription"][0]["rubricCriterionLevel"]
        texts[0].append(achievement["name"])
        texts[1].append(achievement["description"])
        texts[2].append(achievement["criteria"]["narrative"])
        texts[3].append(" ".join(achievement["tag"]))
        texts[4].append(levels[0]["description"])
        texts[5].append(levels[2]["description"])
    for values in texts:
        assert len(set(values)) == 3, values
    expectations = ENTRIES[key].evidence_expectations
    assert set(expectations) == set(LANGS)
    assert len(set(expectations.values())) == 3


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", BADGES)
def test_rubric_has_three_levels_in_order(key: str, lang: str) -> None:
    achievement_id = f"{BASE}/{key}"
    (description,) = local(key, lang)["resultDescription"]
    assert description["resultType"] == "RubricCriterionLevel"
    assert description["id"] == f"{achievement_id}#level"
    assert description["requiredLevel"] == f"{achievement_id}#level-foundation"
    levels = description["rubricCriterionLevel"]
    assert [level["id"] for level in levels] == [f"{achievement_id}#level-{k}" for k in LEVELS]
    assert [level["level"] for level in levels] == ["1", "2", "3"]
    assert all(level["name"] and level["description"] for level in levels)


def test_level_names_are_the_same_across_the_catalog() -> None:
    for lang in LANGS:
        names = {
            tuple(
                level["name"]
                for level in local(key, lang)["resultDescription"][0]["rubricCriterionLevel"]
            )
            for key in BADGES
        }
        assert len(names) == 1, names
    assert next(iter(names)) == ("Foundation", "Practitioner", "Expert")


def test_alignments_are_known_targets() -> None:
    """ESCO alignments use only the transversal skill URIs listed in ``ESCO`` (checked
    against a published ESCO export); the others are https links (Finlex, DigComp)."""
    for key in BADGES:
        esco = []
        for lang in LANGS:
            for alignment in local(key, lang).get("alignment", []):
                if alignment.get("targetFramework") == "ESCO":
                    code = alignment["targetCode"]
                    assert alignment["targetUrl"] == f"http://data.europa.eu/esco/skill/{code}"
                    assert alignment["targetName"] == ESCO[code]
                    assert alignment["targetType"] == "ceasn:Competency"
                    esco.append(code)
                else:
                    assert alignment["targetUrl"].startswith("https://")
        assert esco, f"{key} has no ESCO alignment"


def test_pathways_reference_existing_keys() -> None:
    assert {pathway.achievement for pathway in CATALOG.pathways} == PATHWAYS
    for pathway in CATALOG.pathways:
        assert set(pathway.requires_all) | set(pathway.requires_any) <= set(BADGES)
        assert not set(pathway.requires_all) & set(pathway.requires_any)
        assert 0 <= pathway.any_count <= len(pathway.requires_any)
        criteria = local(pathway.achievement, "en")["criteria"]["narrative"]
        for key in pathway.requires_all + pathway.requires_any:
            assert local(key, "en")["name"] in criteria


def test_mentoring_leader_pathway() -> None:
    (pathway,) = [p for p in CATALOG.pathways if p.achievement == "mentoring-leader"]
    assert ENTRIES["mentoring-leader"].source["name"]["fi"] == "Mentoroiva johtaja"
    assert pathway.requires_all == ["peer-mentoring-facilitator", "reverse-mentoring-mentor"]
    assert set(pathway.requires_any) == {
        "peer-mentoring-participant",
        "reverse-mentoring-mentee",
        "change-leadership",
    }
    assert pathway.any_count == 1


def test_dump_load_round_trips_exactly(tmp_path: Path) -> None:
    raw = raw_catalog()
    assert dump_catalog(CATALOG) == raw
    assert parse_catalog(dump_catalog(CATALOG)) == CATALOG
    # An export written the way the file is written is byte-identical to the shipped file.
    text = json.dumps(dump_catalog(CATALOG), ensure_ascii=False, indent=2) + "\n"
    assert text == CATALOG_FILE.read_text(encoding="utf-8")
    out = tmp_path / "catalog.json"
    out.write_text(text, encoding="utf-8")
    assert load_catalog(out) == CATALOG


def test_dump_is_a_copy() -> None:
    catalog = load_catalog()
    dumped = dump_catalog(catalog)
    dumped["achievements"][0]["achievement"]["name"]["fi"] = "muutettu"
    dumped["pathways"][0]["requires_all"].append("x")
    assert catalog == CATALOG


def test_localizing_does_not_touch_the_source() -> None:
    entry = ENTRIES["peer-mentoring-facilitator"]
    before = copy.deepcopy(entry.source)
    local("peer-mentoring-facilitator", "sv")
    assert entry.source == before


def test_achievement_lookup() -> None:
    assert CATALOG.achievement("internal-developer").family == "development"
    with pytest.raises(KeyError):
        CATALOG.achievement("no-such-badge")


def test_achievement_id_with_fragment_is_refused() -> None:
    with pytest.raises(CatalogError):
        localized_achievement(ENTRIES["internal-developer"], "fi", f"{BASE}/x#frag")


def _broken(change: Any) -> dict[str, Any]:
    data: dict[str, Any] = raw_catalog()
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["pathways"][0]["requires_any"].append("nope"), "no achievement"),
        (lambda d: d["achievements"].append(d["achievements"][0]), "duplicate"),
        (lambda d: d["achievements"][0]["achievement"].update(id="urn:x"), "without id"),
        (lambda d: d["pathways"][0].update(requires_all=["mentoring-leader"]), "own achievement"),
        (lambda d: d["pathways"].append(dict(d["pathways"][0])), "duplicate pathway"),
        (
            lambda d: d["pathways"].append(
                {"achievement": "change-leadership", "requires_all": ["mentoring-leader"]}
            ),
            "cycle",
        ),
        (
            lambda d: d["achievements"][1]["achievement"]["alignment"][0].update(
                targetType="Skill"
            ),
            "OB 3.0 schema",
        ),
        (lambda d: d["achievements"][0].update(key="Not A Slug"), "slug"),
        (lambda d: d["achievements"][0].update(extra=1), "unknown field"),
        (lambda d: d["achievements"][0].pop("evidence_expectations"), "missing"),
        (lambda d: d["achievements"][0].update(default_validity_days=0), "positive"),
        (lambda d: d["pathways"][0].update(any_count=5), "any_count"),
        (lambda d: d["achievements"][0]["achievement"].pop("criteria"), "criteria"),
        (lambda d: d["achievements"][0]["evidence_expectations"].update(de="Text"), "texts"),
        (lambda d: d["achievements"][0]["evidence_expectations"].update(fi=" "), "non-empty"),
    ],
)
def test_malformed_catalogs_are_refused(change: Any, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        parse_catalog(_broken(change))


def test_bad_json_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"bad.json:1: catalog: not valid JSON"):
        load_catalog(path)


def test_entries_are_plain_dataclasses() -> None:
    entry = CatalogAchievement("x", "digital", {}, False, {"fi": "x"})
    assert entry.default_validity_days is None
    assert Catalog([], []).pathways == []
    assert Pathway("x", ["y"]).requires_any == []
