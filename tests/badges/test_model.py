"""Building, serialising and parsing OB 3.0 credentials with the typed models."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.errors import InvalidCredential
from badges.identity import hash_identity, identity_matches
from badges.model import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_V2_CONTEXT,
    Achievement,
    Criteria,
    EndorsementCredential,
    Evidence,
    Image,
    OpenBadgeCredential,
    Profile,
    Recipient,
    Result,
    build_credential,
    credential_dates,
    format_datetime,
    localized,
    localized_profile,
    parse_credential,
    parse_datetime,
    resolve_translations,
)
from badges.schema import validate_achievement, validate_credential
from tests.conftest import REPO, VECTORS, load_json

EXAMPLES = VECTORS / "ob_v3p0" / "examples"
T0 = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)
ISSUER_ID = "did:web:esimerkkila.example"


def issuer() -> dict[str, Any]:
    data: dict[str, Any] = load_json(REPO / "examples" / "issuer.json")
    data["id"] = ISSUER_ID
    return data


def achievement() -> dict[str, Any]:
    data: dict[str, Any] = load_json(REPO / "examples" / "achievement.json")
    return data


RD = achievement()["resultDescription"][0]
LEVELS = [level["id"] for level in RD["rubricCriterionLevel"]]


def build(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "issuer": issuer(),
        "achievement": achievement(),
        "recipient": Recipient(email="maija.meikalainen@esimerkkila.example"),
        "valid_from": T0,
        "salt": "suola",
    }
    args.update(overrides)
    return build_credential(**args)


def errors(credential: dict[str, Any]) -> list[str]:
    return [str(issue) for issue in validate_credential(credential) if issue.is_error]


# ---------------------------------------------------------------- the example files


def test_example_achievement_validates() -> None:
    assert validate_achievement(achievement()) == []
    model = Achievement.model_validate(achievement())
    assert model.inLanguage == "fi"
    assert model.achievementType == "Badge"
    [description] = model.resultDescription or []
    assert [lvl.name for lvl in description.rubricCriterionLevel or []] == [
        "Perustaso",
        "Harjaantunut",
        "Edistynyt",
    ]


def test_built_from_example_files_validates() -> None:
    credential = build()
    assert errors(credential) == []
    assert credential["name"] == "Vertaismentoroinnin ohjaaja"
    assert credential["issuer"]["id"] == ISSUER_ID


# ---------------------------------------------------------------- output shape


def test_output_shape_and_defaults() -> None:
    credential = build(credential_id="urn:uuid:7f0b0f64-3c5c-4a0c-9d5b-0c1f9a4c2e11")
    assert list(credential)[:3] == ["@context", "id", "type"]
    assert credential["@context"] == [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["validFrom"] == "2025-05-01T09:30:00Z"
    assert credential["credentialSchema"] == [
        {"id": ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    subject = credential["credentialSubject"]
    assert list(subject)[:1] == ["type"]
    assert "id" not in subject
    assert subject["identifier"] == [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": hash_identity("maija.meikalainen@esimerkkila.example", "suola"),
            "identityType": "emailAddress",
            "salt": "suola",
        }
    ]
    assert "validUntil" not in credential
    assert json.loads(json.dumps(credential)) == credential  # plain JSON values only


def test_key_order_is_stable() -> None:
    credential = build(
        credential_id="urn:uuid:1",
        valid_until=T0 + timedelta(days=1),
        evidence=[{"name": "x"}],
        status={
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": "https://esimerkkila.example/status/1",
        },
    )
    assert list(credential) == [
        "@context",
        "id",
        "type",
        "name",
        "issuer",
        "validFrom",
        "validUntil",
        "credentialSubject",
        "evidence",
        "credentialStatus",
        "credentialSchema",
    ]
    assert list(credential["credentialSubject"]["achievement"])[:2] == ["id", "type"]


def test_minted_ids_are_uuid_urns() -> None:
    first, second = build()["id"], build()["id"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first)
    assert first != second


def test_fresh_salt_when_none_and_no_salt_when_empty() -> None:
    a = build(salt=None)["credentialSubject"]["identifier"][0]
    b = build(salt=None)["credentialSubject"]["identifier"][0]
    assert a["salt"] != b["salt"]
    assert identity_matches(a["identityHash"], "maija.meikalainen@esimerkkila.example", a["salt"])
    unsalted = build(salt="")["credentialSubject"]["identifier"][0]
    assert "salt" not in unsalted
    assert unsalted["identityHash"] == hash_identity("maija.meikalainen@esimerkkila.example", None)


def test_email_is_normalised() -> None:
    ident = build(recipient=Recipient(email="  Maija.Meikalainen@Esimerkkila.EXAMPLE "))
    expected = hash_identity("maija.meikalainen@esimerkkila.example", "suola")
    assert ident["credentialSubject"]["identifier"][0]["identityHash"] == expected


def test_did_recipient_and_both() -> None:
    did = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    subject = build(recipient=Recipient(id=did))["credentialSubject"]
    assert subject["id"] == did
    assert "identifier" not in subject
    both = build(recipient=Recipient(email="a@b.fi", id=did))["credentialSubject"]
    assert both["id"] == did
    assert len(both["identifier"]) == 1


def test_datetimes_are_utc_whole_seconds() -> None:
    helsinki = timezone(timedelta(hours=3))
    credential = build(
        valid_from=datetime(2025, 5, 1, 12, 30, 15, 999999, tzinfo=helsinki),
        valid_until=datetime(2026, 5, 1, tzinfo=helsinki),
        awarded_date=datetime(2025, 4, 30, 23, 0, tzinfo=helsinki),
    )
    assert credential["validFrom"] == "2025-05-01T09:30:15Z"
    assert credential["validUntil"] == "2026-04-30T21:00:00Z"
    assert credential["awardedDate"] == "2025-04-30T20:00:00Z"
    assert errors(credential) == []


def test_optional_credential_parts() -> None:
    credential = build(
        name="Vertaismentoroinnin ohjaaja, kevät 2025",
        description="Kunta-alan HR-verkoston vertaismentorointi",
        image={
            "id": "https://esimerkkila.example/merkki.png",
            "type": "Image",
            "caption": "Merkki",
        },
        narrative="Ohjasi kolmikkoa neljässä tapaamisessa.",
        credential_schema=False,
    )
    assert credential["@context"] == [VC_V2_CONTEXT, OB_CONTEXT]
    assert "credentialSchema" not in credential
    assert credential["image"]["caption"] == "Merkki"
    assert credential["credentialSubject"]["narrative"].startswith("Ohjasi")
    assert errors(credential) == []


def test_status_gets_an_id_and_extension_types_get_the_context() -> None:
    status = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://esimerkkila.example/status/3",
    }
    credential = build(status=status, credential_schema=False)
    assert credential["credentialStatus"]["id"] == "https://esimerkkila.example/status/3#94567"
    assert "id" not in status
    assert OB_EXTENSIONS_CONTEXT not in credential["@context"]
    assert errors(credential) == []
    revocation = {"id": "https://esimerkkila.example/revocations", "type": "1EdTechRevocationList"}
    credential = build(status=revocation, credential_schema=False)
    assert credential["@context"][-1] == OB_EXTENSIONS_CONTEXT


# ---------------------------------------------------------------- rejected input


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"valid_from": datetime(2025, 5, 1)}, "validFrom: 2025-05-01T00:00:00 has no time zone"),
        ({"valid_until": datetime(2026, 5, 1)}, "validUntil: 2026-05-01T00:00:00 has no time zone"),
        ({"awarded_date": datetime(2025, 5, 1)}, "awardedDate"),
        ({"valid_until": T0}, "validUntil: 2025-05-01T09:30:00+00:00 is not after validFrom"),
        ({"valid_until": T0 - timedelta(days=1)}, "validUntil: 2025-04-30T09:30:00+00:00"),
        ({"valid_until": T0 + timedelta(microseconds=10)}, "is not after validFrom"),
        ({"issuer": {"name": "No id"}}, "issuer.id"),
        ({"issuer": "did:web:x"}, "issuer: expected an object"),
        ({"achievement": {"id": "urn:x", "name": "n"}}, "achievement.description"),
        ({"result": [{"resultDescription": "urn:nope"}]}, "result[0].resultDescription"),
        (
            {"result": [{"resultDescription": RD["id"], "achievedLevel": "urn:nope"}]},
            "result[0].achievedLevel",
        ),
        ({"evidence": [{"type": "Evidence", "name": 5}]}, "evidence[0].name"),
        ({"status": {"statusPurpose": "revocation"}}, "credentialStatus.type"),
    ],
)
def test_invalid_input_names_the_field(overrides: dict[str, Any], needle: str) -> None:
    with pytest.raises(InvalidCredential, match=re.escape(needle)):
        build(**overrides)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"email": "not-an-email"}, {"id": "no scheme"}, {"email": "a@b.fi", "id": ""}],
)
def test_recipient_validation(kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidCredential, match="recipient"):
        Recipient(**kwargs)


# ---------------------------------------------------------------- inputs are never mutated


def test_building_never_mutates_inputs() -> None:
    issuer_in, achievement_in = issuer(), achievement()
    result_in = [{"resultDescription": RD["id"], "achievedLevel": LEVELS[0]}]
    evidence_in = [{"type": ["Evidence"], "name": "Reflektio", "narrative": "…"}]
    status_in = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "1",
        "statusListCredential": "https://esimerkkila.example/status/1",
    }
    image_in = {"id": "https://esimerkkila.example/m.png", "type": "Image"}
    inputs = [issuer_in, achievement_in, result_in, evidence_in, status_in, image_in]
    before = copy.deepcopy(inputs)
    credential = build(
        issuer=issuer_in,
        achievement=achievement_in,
        result=result_in,
        evidence=evidence_in,
        status=status_in,
        image=image_in,
    )
    assert inputs == before
    credential["credentialSubject"]["achievement"]["name"] = "changed"
    credential["issuer"]["name"] = "changed"
    assert inputs == before  # no shared objects either


def test_building_from_models_never_mutates_them() -> None:
    issuer_model = Profile.model_validate(issuer())
    achievement_model = Achievement.model_validate(achievement())
    before = (issuer_model.model_dump(), achievement_model.model_dump())
    credential = build(issuer=issuer_model, achievement=achievement_model)
    credential["credentialSubject"]["achievement"]["tag"].append("x")
    assert (issuer_model.model_dump(), achievement_model.model_dump()) == before


# ---------------------------------------------------------------- many variants (hypothesis)

text = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)
uris = st.builds(lambda s: f"https://esimerkkila.example/{s}", st.uuids())
aware = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]),
)
recipients = st.one_of(
    st.builds(Recipient, email=st.emails()),
    st.builds(Recipient, id=st.sampled_from(["did:example:123", "https://a.example/u/1"])),
    st.builds(Recipient, email=st.emails(), id=st.just("did:example:456")),
)
evidence_items = st.fixed_dictionaries(
    {"type": st.just(["Evidence"]), "name": text},
    optional={"id": uris, "narrative": text, "genre": st.sampled_from(["Reflektio", "Palaute"])},
)


@st.composite
def achievements(draw: st.DrawFn) -> dict[str, Any]:
    data = achievement()
    for key in ("alignment", "resultDescription", "tag", "version", "humanCode", "fieldOfStudy"):
        if draw(st.booleans()):
            data.pop(key, None)
    if draw(st.booleans()):
        data["image"] = {"id": draw(uris), "type": "Image"}
    if draw(st.booleans()):
        data["name"] = draw(text)
        data["criteria"] = {"id": draw(uris)}
    if draw(st.booleans()):
        data["creditsAvailable"] = draw(st.floats(0, 60, allow_nan=False))
    return data


@st.composite
def variants(draw: st.DrawFn) -> dict[str, Any]:
    ach = draw(achievements())
    start = draw(aware)
    kwargs: dict[str, Any] = {
        "achievement": ach,
        "recipient": draw(recipients),
        "valid_from": start,
        "salt": draw(st.one_of(st.none(), st.just(""), text)),
    }
    if draw(st.booleans()):
        kwargs["valid_until"] = start + draw(st.timedeltas(timedelta(seconds=1), timedelta(3650)))
    if draw(st.booleans()):
        kwargs["evidence"] = draw(st.lists(evidence_items, min_size=1, max_size=3))
    if draw(st.booleans()):
        kwargs["narrative"] = draw(text)
    if draw(st.booleans()):
        kwargs["awarded_date"] = draw(aware)
    if "resultDescription" in ach and draw(st.booleans()):
        level = draw(st.sampled_from(LEVELS))
        kwargs["result"] = [{"resultDescription": RD["id"], "achievedLevel": level}]
    if draw(st.booleans()):
        kwargs["credential_schema"] = False
    return kwargs


@settings(max_examples=60, deadline=None)
@given(kwargs=variants())
def test_built_variants_validate_against_the_official_schema(kwargs: dict[str, Any]) -> None:
    before = copy.deepcopy(kwargs)
    credential = build(**kwargs)
    assert kwargs == before
    assert errors(credential) == []
    parsed = parse_credential(credential)
    assert isinstance(parsed, OpenBadgeCredential)
    assert parsed.to_json() == credential
    assert parsed.valid_from == kwargs["valid_from"].replace(microsecond=0)
    subject = credential["credentialSubject"]
    recipient: Recipient = kwargs["recipient"]
    assert ("id" in subject) == (recipient.id is not None)
    assert ("identifier" in subject) == (recipient.email is not None)
    if recipient.email is not None:
        ident = subject["identifier"][0]
        assert identity_matches(ident["identityHash"], recipient.email, ident.get("salt"))


# ---------------------------------------------------------------- parsing


def test_parse_spec_examples() -> None:
    badge = parse_credential(load_json(EXAMPLES / "fullOpenBadge.extracted.json"))
    assert isinstance(badge, OpenBadgeCredential)
    assert badge.credentialSubject.achievement.achievementType == "Degree"
    assert badge.issuer_id == "https://1edtech.edu/issuers/565049"
    endorsement = parse_credential(load_json(EXAMPLES / "endorsement.extracted.json"))
    assert isinstance(endorsement, EndorsementCredential)
    assert endorsement.valid_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert endorsement.model_extra == {}


def test_parse_keeps_extensions_and_does_not_mutate() -> None:
    data = load_json(EXAMPLES / "basicOpenBadgeCredential.extracted.json")
    data["credentialSubject"]["achievement"]["ext:level"] = {"x": 1}
    data["issuer"] = "https://example.com/issuers/876543"
    before = copy.deepcopy(data)
    parsed = parse_credential(data)
    assert data == before
    assert parsed.issuer_id == "https://example.com/issuers/876543"
    assert parsed.to_json()["credentialSubject"]["achievement"]["ext:level"] == {"x": 1}
    assert "credentialSchema" not in parsed.to_json()


def test_parse_vc11_dates() -> None:
    data = load_json(EXAMPLES / "basicOpenBadgeCredential.extracted.json")
    data["@context"] = [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    ]
    data["issuanceDate"] = data.pop("validFrom")
    data["expirationDate"] = "2030-01-01T02:00:00+02:00"
    parsed = parse_credential(data)
    assert parsed.validFrom is None
    assert parsed.valid_from == datetime(2010, 1, 1, tzinfo=UTC)
    assert parsed.valid_until == datetime(2030, 1, 1, tzinfo=UTC)
    assert credential_dates(data) == (parsed.valid_from, parsed.valid_until)
    assert parsed.to_json()["issuanceDate"] == "2010-01-01T00:00:00Z"


def test_credential_dates_prefers_vc2_names() -> None:
    assert credential_dates(
        {"validFrom": "2020-01-01T00:00:00Z", "issuanceDate": "2019-01-01T00:00:00Z"}
    ) == (datetime(2020, 1, 1, tzinfo=UTC), None)
    assert credential_dates({}) == (None, None)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"issuanceDate": "2010-01-01"}, "issuanceDate"),
        ({"validFrom": "2010-01-01T00:00:00"}, "validFrom"),
        ({"validUntil": "2010-13-01T00:00:00Z"}, "validUntil"),
        ({"expirationDate": 12}, "expirationDate"),
        ({"validFrom": "soon"}, "validFrom"),
    ],
)
def test_unparseable_dates(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidCredential, match=field):
        credential_dates(data)


def test_parse_rejects_non_credentials() -> None:
    with pytest.raises(InvalidCredential, match="type"):
        parse_credential({"type": ["VerifiableCredential"]})
    with pytest.raises(InvalidCredential, match="JSON object"):
        parse_credential([])  # type: ignore[arg-type]
    broken = load_json(EXAMPLES / "basicOpenBadgeCredential.extracted.json")
    del broken["credentialSubject"]["achievement"]
    with pytest.raises(InvalidCredential, match=r"credential\.credentialSubject\.achievement"):
        parse_credential(broken)
    broken = load_json(EXAMPLES / "basicOpenBadgeCredential.extracted.json")
    broken["validFrom"] = "2010-01-01T00:00:00"
    with pytest.raises(InvalidCredential, match="validFrom"):
        parse_credential(broken)


def test_parse_and_format_datetime() -> None:
    assert parse_datetime("2024-02-29t23:59:59.123456789z") == datetime(
        2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC
    )
    assert format_datetime(datetime(5, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0005-01-02T03:04:05Z"
    with pytest.raises(InvalidCredential):
        format_datetime(datetime(2020, 1, 1))


def test_models_directly() -> None:
    ach = Achievement(
        id="urn:uuid:1",
        name="Nimi",
        description="Kuvaus",
        criteria=Criteria(narrative="Tee näin."),
        image=Image(id="data:image/png;base64,AAAA"),
    )
    assert ach.to_json() == {
        "id": "urn:uuid:1",
        "type": ["Achievement"],
        "name": "Nimi",
        "description": "Kuvaus",
        "criteria": {"narrative": "Tee näin."},
        "image": {"id": "data:image/png;base64,AAAA", "type": "Image"},
    }
    assert Evidence(name="e").to_json() == {"type": ["Evidence"], "name": "e"}
    assert Result(resultDescription="urn:rd").to_json()["type"] == ["Result"]
    credential = OpenBadgeCredential.model_validate(build())
    assert credential.context[0] == VC_V2_CONTEXT


# ---------------------------------------------------------------- languages

MULTILINGUAL: dict[str, Any] = {
    "id": {
        "fi": "https://esimerkkila.example/merkit/ohjaaja",
        "sv": "https://esimerkkila.example/merkit/ohjaaja/sv",
    },
    "type": ["Achievement"],
    "name": {"fi": "Vertaismentoroinnin ohjaaja", "sv": "Handledare för kollegial mentorskap"},
    "description": {"fi": "Kuvaus", "sv": "Beskrivning"},
    "criteria": {"narrative": {"fi": "Kriteerit", "sv": "Kriterier"}},
    "tag": {"fi": ["mentorointi"], "sv": ["mentorskap"]},
    "achievementType": "Badge",
}


def test_localized_picks_one_language_and_links_the_others() -> None:
    before = copy.deepcopy(MULTILINGUAL)
    sv = localized(MULTILINGUAL, "sv")
    assert before == MULTILINGUAL
    assert sv.name == "Handledare för kollegial mentorskap"
    assert sv.criteria.narrative == "Kriterier"
    assert sv.tag == ["mentorskap"]
    assert sv.inLanguage == "sv"
    assert sv.id == "https://esimerkkila.example/merkit/ohjaaja/sv"
    assert [(r.id, r.inLanguage) for r in sv.related or []] == [
        ("https://esimerkkila.example/merkit/ohjaaja", "fi")
    ]
    credential = build(achievement=sv)
    assert errors(credential) == []
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "sv"


def test_localized_with_shared_id_has_no_related() -> None:
    source = dict(MULTILINGUAL, id="urn:uuid:0b7d4c1e-0000-4000-8000-000000000001")
    fi = localized(source, "fi")
    assert fi.id == source["id"]
    assert fi.related is None
    assert fi.description == "Kuvaus"


def test_localized_missing_language() -> None:
    with pytest.raises(InvalidCredential, match=r"^id: no 'en' text \(available: fi, sv\)"):
        localized(MULTILINGUAL, "en")
    shared_id = dict(MULTILINGUAL, id="urn:uuid:0b7d4c1e-0000-4000-8000-000000000002")
    with pytest.raises(InvalidCredential, match=r"^name: no 'en' text"):
        localized(shared_id, "en")
    en = localized(MULTILINGUAL, "en", fallback="fi")
    assert en.name == "Vertaismentoroinnin ohjaaja"
    with pytest.raises(InvalidCredential, match="inLanguage"):
        localized(MULTILINGUAL, "de")


def test_localized_refuses_to_relabel_a_single_language_source() -> None:
    assert localized(achievement(), "fi").inLanguage == "fi"
    with pytest.raises(InvalidCredential, match="inLanguage"):
        localized(achievement(), "sv")


def test_localized_profile_and_resolve() -> None:
    source = dict(issuer(), name={"fi": "Esimerkkilän kaupunki", "sv": "Exempelby stad"})
    assert localized_profile(source, "sv").name == "Exempelby stad"
    assert resolve_translations({"a": [{"fi": "x", "en": "y"}], "id": "z"}, "en") == {
        "a": ["y"],
        "id": "z",
    }
    # objects whose keys are not all language tags are left alone
    assert resolve_translations({"id": "x", "fi": "y"}, "sv") == {"id": "x", "fi": "y"}


# ---------------------------------------------------------------- JSON-LD


def test_extensions_context_defines_the_schema_validator_type() -> None:
    """Without extensions.json, ``1EdTechJsonSchemaValidator2019`` is not a defined term."""
    jsonld = pytest.importorskip("pyld.jsonld")
    index = load_json(REPO / "badges" / "contexts" / "index.json")

    def loader(url: str, options: Any = None) -> dict[str, Any]:
        file = REPO / "badges" / "contexts" / index[url]["file"]
        return {"contextUrl": None, "documentUrl": url, "document": load_json(file)}

    credential = build()
    expanded = jsonld.expand(credential, {"documentLoader": loader})
    [schema] = expanded[0]["https://www.w3.org/2018/credentials#credentialSchema"]
    assert schema["@type"] == [
        "https://purl.imsglobal.org/spec/vccs/v1p0/context.json#1EdTechJsonSchemaValidator2019"
    ]
    credential["@context"] = credential["@context"][:2]
    expanded = jsonld.expand(credential, {"documentLoader": loader, "base": "urn:base:"})
    [schema] = expanded[0]["https://www.w3.org/2018/credentials#credentialSchema"]
    assert not schema["@type"][0].startswith("https://purl.imsglobal.org/")
