"""Validation against the official OB 3.0 JSON Schemas (local copies)."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import referencing.exceptions
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.schema import (
    KNOWN_SCHEMA_URLS,
    SchemaIssue,
    format_path,
    load_schema,
    schemas_for,
    validate_achievement,
    validate_credential,
    validate_profile,
    vc_version,
)
from tests.conftest import REPO, SPEC, VECTORS, load_json

EXAMPLES = VECTORS / "ob_v3p0" / "examples"
SCHEMA_DIR = REPO / "badges" / "schemas"
UNSIGNED_VECTOR = VECTORS / "ob_v3p0" / "ldp-ob.unsigned.extracted.json"
VC1 = "https://www.w3.org/2018/credentials/v1"


def basic() -> dict[str, Any]:
    data: dict[str, Any] = load_json(EXAMPLES / "basicOpenBadgeCredential.extracted.json")
    return data


def paths(issues: list[SchemaIssue]) -> list[str]:
    return [issue.path for issue in issues if issue.is_error]


# ---------------------------------------------------------------- the shipped files


def test_shipped_schemas_are_byte_exact_copies() -> None:
    shipped = sorted(SCHEMA_DIR.glob("*.json"))
    assert [p.name for p in shipped] == [
        "ob_v3p0_achievementcredential_schema.json",
        "ob_v3p0_endorsementcredential-jsonschema1.json",
        "ob_v3p0_profile-jsonschema1.json",
    ]
    sources = (SPEC / "SOURCES.md").read_text(encoding="utf-8")
    for path in shipped:
        original = SPEC / "schemas" / "ob_v3p0" / path.name
        assert path.read_bytes() == original.read_bytes()
        assert hashlib.sha256(path.read_bytes()).hexdigest() in sources


@pytest.mark.parametrize("name", ["achievementcredential", "endorsementcredential", "profile"])
def test_schemas_are_valid_draft_2019_09(name: Any) -> None:
    schema = load_schema(name)
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/schema")
    jsonschema.Draft201909Validator.check_schema(schema)


def test_remote_refs_are_never_fetched() -> None:
    from badges.schema import _make_validator

    validator = _make_validator({"$ref": "https://example.com/never-fetched.json"})
    with pytest.raises(referencing.exceptions.Unresolvable):
        list(validator.iter_errors({}))


# ---------------------------------------------------------------- spec examples


@pytest.mark.parametrize(
    "path",
    [*sorted(EXAMPLES.glob("*.extracted.json")), UNSIGNED_VECTOR],
    ids=lambda p: p.name,
)
def test_spec_examples_validate(path: Path) -> None:
    issues = validate_credential(load_json(path))
    assert [i for i in issues if i.is_error] == []


def test_endorsement_example_reports_its_custom_schema_as_not_available_offline() -> None:
    issues = validate_credential(load_json(EXAMPLES / "endorsement.extracted.json"))
    assert issues == [
        SchemaIssue(
            "credentialSchema[1].id",
            "schema 'https://state.gov/schema/endorsementcredential.json' is not available "
            "offline; not validated",
            "warning",
        )
    ]
    assert not issues[0].is_error


def test_signed_vector_with_a_single_proof_object_validates() -> None:
    signed = load_json(VECTORS / "ob_v3p0" / "ldp-ob.signed.extracted.json")
    assert isinstance(signed["proof"], dict)
    assert validate_credential(signed) == []
    before = copy.deepcopy(signed)
    signed["proof"]["type"] = 5
    assert paths(validate_credential(signed)) == ["proof.type"]
    before["proof"]["type"] = 5
    assert signed == before  # the input is not normalised in place


# ---------------------------------------------------------------- broken credentials

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for part in parents:
            data = data[part]
        data[last] = value

    return apply


def _delete(path: str) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for part in parents:
            data = data[part]
        del data[last]

    return apply


BROKEN: list[tuple[str, Mutation, str]] = [
    (
        "missing achievement",
        _delete("credentialSubject.achievement"),
        "credentialSubject.achievement",
    ),
    (
        "missing criteria",
        _delete("credentialSubject.achievement.criteria"),
        "credentialSubject.achievement.criteria",
    ),
    (
        "missing achievement name",
        _delete("credentialSubject.achievement.name"),
        "credentialSubject.achievement.name",
    ),
    ("issuer is a number", _set("issuer", 42), "issuer"),
    ("issuer profile without type", _delete("issuer.type"), "issuer.type"),
    ("issuer profile without id", _delete("issuer.id"), "issuer.id"),
    ("type is a string", _set("type", "OpenBadgeCredential"), "type"),
    ("type lacks VerifiableCredential", _set("type", ["OpenBadgeCredential"]), "type"),
    ("type lacks OpenBadgeCredential", _set("type", ["VerifiableCredential", "X"]), "type"),
    ("missing validFrom", _delete("validFrom"), "validFrom"),
    ("validFrom without zone", _set("validFrom", "2010-01-01T00:00:00"), "validFrom"),
    ("validFrom not a date", _set("validFrom", "yesterday"), "validFrom"),
    ("context order", _set("@context", basic()["@context"][::-1]), "@context[0]"),
    ("context too short", _set("@context", basic()["@context"][:1]), "@context"),
    ("missing id", _delete("id"), "id"),
    ("subject type missing", _delete("credentialSubject.type"), "credentialSubject.type"),
    (
        "image with extra key",
        _set("credentialSubject.achievement.image", {"id": "x", "type": "Image", "alt": "?"}),
        "credentialSubject.achievement.image",
    ),
    (
        "bad achievementType",
        _set("credentialSubject.achievement.achievementType", "Merkki"),
        "credentialSubject.achievement.achievementType",
    ),
    ("evidence not an array", _set("evidence", {"type": ["Evidence"]}), "evidence"),
    ("evidence without type", _set("evidence", [{"name": "x"}]), "evidence[0].type"),
    (
        "identifier not hashed bool",
        _set(
            "credentialSubject.identifier",
            [
                {
                    "type": "IdentityObject",
                    "hashed": "true",
                    "identityHash": "x",
                    "identityType": "emailAddress",
                }
            ],
        ),
        "credentialSubject.identifier[0].hashed",
    ),
    (
        "identifier bad identityType",
        _set(
            "credentialSubject.identifier",
            [
                {
                    "type": "IdentityObject",
                    "hashed": False,
                    "identityHash": "x",
                    "identityType": "mail",
                }
            ],
        ),
        "credentialSubject.identifier[0].identityType",
    ),
]


@pytest.mark.parametrize(("mutate", "path"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_credentials_name_the_path(mutate: Mutation, path: str) -> None:
    data = basic()
    mutate(data)
    issues = validate_credential(data)
    assert path in paths(issues), issues
    assert all(issue.message for issue in issues)


def test_missing_property_message() -> None:
    data = basic()
    del data["credentialSubject"]["achievement"]["criteria"]
    assert validate_credential(data) == [
        SchemaIssue("credentialSubject.achievement.criteria", "required property is missing")
    ]


def test_issuer_of_wrong_kind_message() -> None:
    data = basic()
    data["issuer"] = 42
    [issue] = validate_credential(data)
    assert issue.path == "issuer"
    assert "string or Profile" in issue.message
    assert "integer" in issue.message


@pytest.mark.parametrize("value", [None, [], "text", 3])
def test_non_objects(value: Any) -> None:
    [issue] = validate_credential(value)
    assert issue.path == ""
    assert "JSON object" in issue.message


def test_unknown_type_and_no_schema() -> None:
    data = basic()
    data["type"] = ["VerifiableCredential"]
    assert paths(validate_credential(data)) == ["type"]


# ---------------------------------------------------------------- schema choice


def test_credential_schema_entries_select_local_copies() -> None:
    data = basic()
    data["credentialSchema"] = [
        {"id": url, "type": "1EdTechJsonSchemaValidator2019"} for url in KNOWN_SCHEMA_URLS
    ]
    names, warnings = schemas_for(data)
    assert names == ["achievementcredential", "endorsementcredential", "profile"]
    assert warnings == []


def test_declared_endorsement_schema_is_applied_to_a_badge() -> None:
    data = basic()
    data["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
            "ob_v3p0_endorsementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    assert "type" in paths(validate_credential(data))  # no EndorsementCredential in type


def test_other_validator_types_are_ignored() -> None:
    data = basic()
    data["credentialSchema"] = [{"id": "https://example.com/s.json", "type": "JsonSchema"}]
    assert validate_credential(data) == []


def test_unknown_schema_url_is_a_warning_not_a_crash() -> None:
    data = basic()
    data["credentialSchema"] = [
        {"id": "https://example.com/s.json", "type": "1EdTechJsonSchemaValidator2019"}
    ]
    [issue] = validate_credential(data)
    assert issue.severity == "warning"
    assert "not available offline" in issue.message


# ---------------------------------------------------------------- VC 1.1


def vc11() -> dict[str, Any]:
    data = basic()
    data["@context"] = [VC1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json"]
    data["issuanceDate"] = data.pop("validFrom")
    data["expirationDate"] = "2030-01-01T00:00:00Z"
    return data


def test_vc_version() -> None:
    assert vc_version(basic()) == "2.0"
    assert vc_version(vc11()) == "1.1"
    assert vc_version({"@context": "https://example.com"}) is None
    assert vc_version([]) is None


def test_vc11_credentials_validate_as_their_vc2_equivalent() -> None:
    data = vc11()
    before = copy.deepcopy(data)
    assert validate_credential(data) == []
    assert data == before


def test_vc11_issues_use_the_vc11_names() -> None:
    data = vc11()
    data["issuanceDate"] = "2010-01-01"
    data["expirationDate"] = "never"
    assert paths(validate_credential(data)) == ["expirationDate", "issuanceDate"]
    del data["issuanceDate"]
    assert "issuanceDate" in paths(validate_credential(data))


def test_vc11_still_checks_the_ob_structure() -> None:
    data = vc11()
    del data["credentialSubject"]["achievement"]["criteria"]
    assert paths(validate_credential(data)) == ["credentialSubject.achievement.criteria"]


def test_vc11_ob_context_must_still_come_second() -> None:
    data = vc11()
    data["@context"][1] = "https://example.com/context.json"
    assert paths(validate_credential(data)) == ["@context[1]"]


# ---------------------------------------------------------------- profile / achievement / paths


def test_validate_profile() -> None:
    profile = load_json(REPO / "examples" / "issuer.json")
    assert paths(validate_profile(profile)) == ["id"]  # the CLI supplies the id
    profile["id"] = "did:web:esimerkkila.example"
    assert validate_profile(profile) == []
    profile["email"] = ["x@y.fi"]
    assert paths(validate_profile(profile)) == ["email"]


def test_validate_achievement() -> None:
    achievement = load_json(REPO / "examples" / "achievement.json")
    assert validate_achievement(achievement) == []
    del achievement["criteria"]
    achievement["resultDescription"][0]["rubricCriterionLevel"][0].pop("name")
    assert paths(validate_achievement(achievement)) == [
        "criteria",
        "resultDescription[0].rubricCriterionLevel[0].name",
    ]


def test_format_path() -> None:
    assert (
        format_path(["credentialSubject", "result", 0, "type"])
        == "credentialSubject.result[0].type"
    )
    assert format_path(["@context", 1]) == "@context[1]"
    assert format_path([]) == ""


def test_issue_str() -> None:
    assert str(SchemaIssue("", "x")) == "(root): x"
    assert str(SchemaIssue("a.b", "y")) == "a.b: y"


def test_example_json_files_parse() -> None:
    for name in ("issuer.json", "achievement.json"):
        json.loads((REPO / "examples" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("mutate", "path"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_fast_path_agrees_with_jsonschema_on_broken(mutate: Mutation, path: str) -> None:
    from badges.schema import _validator, is_valid_fast

    data = basic()
    assert is_valid_fast("achievementcredential", data)
    mutate(data)
    full = list(_validator("achievementcredential").iter_errors(data))
    assert is_valid_fast("achievementcredential", data) is (not full)


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [
            "id",
            "type",
            "issuer",
            "validFrom",
            "validUntil",
            "name",
            "credentialSubject",
            "credentialSubject.id",
            "credentialSubject.type",
            "credentialSubject.achievement",
            "credentialSubject.achievement.criteria",
            "credentialSubject.achievement.image",
            "credentialSubject.result",
            "credentialSubject.identifier",
            "evidence",
            "credentialStatus",
            "credentialSchema",
            "proof",
            "awardedDate",
        ]
    ),
    st.recursive(
        JSON_LEAVES,
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
        max_leaves=8,
    ),
)
def test_fast_path_agrees_with_jsonschema_on_random_values(member: str, value: Any) -> None:
    """The compiled validator and jsonschema give the same yes/no on arbitrary changes."""
    from badges.schema import _validator, is_valid_fast

    data = basic()
    _set(member, value)(data)
    full = list(_validator("achievementcredential").iter_errors(data))
    assert is_valid_fast("achievementcredential", data) is (not full), full
