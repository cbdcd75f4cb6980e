"""Catalog files (JSON, YAML): exact round trips, errors with file, line and key, and every
catalog achievement's credential in fi/sv/en valid against the OB 3.0 schema and signed
(RDFC-1.0 canonicalization) and verified."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from badges.issue import sign_credential
from badges.model import Recipient, build_credential
from badges.schema import validate_credential
from badges.testing import did_key_identity, w3c_test_key
from badges.verify import verify
from issuer.catalog import CatalogError, load_catalog, localized_achievement
from issuer.catalog.files import catalog_text, format_for, read_catalog
from tests.conftest import REPO

CATALOG = load_catalog()
SHIPPED = (REPO / "issuer" / "catalog" / "leadership.json").read_text(encoding="utf-8")
LANGS = ("fi", "sv", "en")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_write_read_write_is_byte_exact(fmt: str, tmp_path: Path) -> None:
    text = catalog_text(CATALOG, fmt)  # type: ignore[arg-type]
    again = read_catalog(text, fmt)  # type: ignore[arg-type]
    assert again == CATALOG
    assert catalog_text(again, fmt) == text  # type: ignore[arg-type]
    path = tmp_path / f"catalog.{fmt}"
    path.write_text(text, encoding="utf-8")
    assert load_catalog(path) == CATALOG


def test_json_is_written_as_the_shipped_file() -> None:
    assert catalog_text(CATALOG, "json") == SHIPPED


def test_yaml_is_readable_block_style() -> None:
    text = catalog_text(CATALOG, "yaml")
    assert text.startswith("achievements:\n- key: peer-mentoring-participant\n")
    assert "narrative:\n        fi: |-\n" in text  # multi-line texts as literal blocks
    assert "Vertaismentoroinnin osallistuja" in text  # UTF-8, not escapes


def test_format_by_extension() -> None:
    assert format_for("a.json") == "json"
    assert format_for("a.YAML") == "yaml"
    assert format_for(Path("x/a.yml")) == "yaml"
    with pytest.raises(CatalogError, match=r"\.json, \.yaml or \.yml"):
        format_for("a.txt")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_errors_name_file_line_path_and_key(fmt: str) -> None:
    text = catalog_text(CATALOG, fmt)  # type: ignore[arg-type]
    slug = '"key": "internal-developer"' if fmt == "json" else "key: internal-developer"
    bad = text.replace(slug, slug.replace("internal-developer", "Internal Developer"), 1)
    count = '"any_count": 2' if fmt == "json" else "any_count: 2"
    bad = bad.replace(count, count.replace("2", "9"))
    with pytest.raises(CatalogError) as caught:
        read_catalog(bad, fmt, f"leadership.{fmt}")  # type: ignore[arg-type]
    problems = caught.value.problems
    slug_line = _line_of(bad, slug.replace("internal-developer", "Internal Developer"))
    count_line = _line_of(bad, count.replace("2", "9"))
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        f"leadership.{fmt}:{slug_line}: achievements[4].key (Internal Developer): "
        "'Internal Developer' is not a lowercase slug like 'peer-mentoring'"
    )
    assert f"leadership.{fmt}:{count_line}: pathways[2].any_count (people-developer)" in lines[-1]
    assert [p.path for p in problems][-1] == ("pathways", 2, "any_count")
    # the developing-leader pathway names the key that is now missing, at its own line
    assert any(p.path == ("pathways", 1, "requires_all", 0) for p in problems)


def test_schema_errors_point_into_the_achievement() -> None:
    data = json.loads(SHIPPED)
    data["achievements"][2]["achievement"]["alignment"][0]["targetType"] = "Skill"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    with pytest.raises(CatalogError) as caught:
        read_catalog(text, "json", "c.json")
    (problem,) = caught.value.problems
    assert problem.path == ("achievements", 2, "achievement", "alignment", 0, "targetType")
    assert problem.key == "reverse-mentoring-mentor"
    assert problem.line == _line_of(text, '"targetType": "Skill"')
    assert "OB 3.0 schema" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1]\nb: *x\n", "anchors and aliases"),
        ("achievements: []\nachievements: []\n", "duplicate key 'achievements'"),
        ("achievements: [\n", "not valid YAML"),
        ("!!python/object:os.system {}\n", "not valid YAML"),
        ("- 1\n", "expected an object"),
        ("achievements: {}\n", "expected a list"),
    ],
)
def test_bad_yaml_is_refused(text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        read_catalog(text, "yaml", "c.yaml")


def test_json_constants_are_refused() -> None:
    with pytest.raises(CatalogError, match="NaN is not a JSON number"):
        read_catalog('{"achievements": [], "x": NaN}', "json")


KEY = w3c_test_key()
ISSUER_DID, METHOD = did_key_identity(KEY)


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalog_credential_is_schema_valid_signed_and_verifies(lang: str) -> None:
    now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    for entry in CATALOG.achievements:
        achievement = localized_achievement(
            entry, lang, f"https://merkki.example/achievements/{entry.key}"
        )
        levels = [
            level["id"]
            for description in achievement.get("resultDescription", [])
            for level in description["rubricCriterionLevel"]
        ]
        result = None
        if levels:
            description_id = achievement["resultDescription"][0]["id"]
            result = [
                {
                    "type": ["Result"],
                    "resultDescription": description_id,
                    "achievedLevel": levels[1],
                }
            ]
        credential = build_credential(
            issuer={"id": ISSUER_DID, "type": ["Profile"], "name": "Testikaupunki"},
            achievement=achievement,
            recipient=Recipient(email="maija@example.fi"),
            valid_from=now,
            credential_id=f"urn:uuid:00000000-0000-4000-8000-{abs(hash(entry.key)) % 10**12:012d}",
            result=result,
        )
        assert credential["credentialSubject"]["achievement"]["inLanguage"] == lang
        assert [i for i in validate_credential(credential) if i.is_error] == [], entry.key
        signed = sign_credential(credential, KEY, METHOD, created=now)  # canonicalizes
        report = verify(signed, now=now, recipient="maija@example.fi")
        assert report.valid, (entry.key, [c for c in report.checks if c.outcome != "passed"])
