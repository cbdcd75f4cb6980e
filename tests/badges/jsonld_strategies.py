"""Hypothesis strategies for JSON-LD tests.

- :func:`ob_credentials`: Open Badges 3.0 ``OpenBadgeCredential`` documents (VC 2.0 + OB 3.0.3
  contexts) with random subsets of the optional fields, arbitrary Unicode text and numbers.
- :func:`jsonld_documents`: small documents with a random embedded context exercising the wider
  JSON-LD 1.1 feature set (coercion, containers, scoped contexts, aliases, @reverse, @nest...).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"

_SEGMENT = st.text("abcdefghijklmnopqrstuvwxyz0123456789-._~%", min_size=1, max_size=12)

urls = st.builds(
    lambda host, parts, frag: f"https://{host}/{'/'.join(parts)}" + (f"#{frag}" if frag else ""),
    st.sampled_from(["example.com", "example.edu", "badges.example.org", "1edtech.org"]),
    st.lists(_SEGMENT, min_size=0, max_size=3),
    st.none() | _SEGMENT,
)
urn_uuids = st.uuids().map(lambda u: f"urn:uuid:{u}")
did_keys = st.text("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", min_size=8, max_size=48).map(
    lambda s: f"did:key:z6Mk{s}"
)
ids = urls | urn_uuids | did_keys

texts = st.text(max_size=40)
"""Any Unicode (control characters, quotes, backslashes, astral planes; no lone surrogates)."""
integers = (
    st.integers(min_value=-(2**53), max_value=2**53)
    | st.integers(min_value=10**21, max_value=10**25)
    | st.integers(min_value=-(10**25), max_value=-(10**21))
    | st.integers(min_value=54, max_value=72).map(lambda e: 2**e)
)
"""Integers every JSON-LD processor reads alike: beyond 2**53 only those a double represents."""
numbers = integers | st.floats(allow_nan=False, allow_infinity=False) | st.booleans()
scalars = texts | numbers
date_times = st.datetimes().map(lambda d: d.isoformat(timespec="seconds") + "Z")
dates = st.dates().map(lambda d: d.isoformat())


def _obj(required: dict[str, Any], optional: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional)


def _some(strategy: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, max_size=max_size)


images = _obj({"id": urls, "type": st.just("Image")}, {"caption": texts}) | urls

addresses = _obj(
    {"type": st.just(["Address"])},
    {
        "addressCountry": texts,
        "addressLocality": texts,
        "postalCode": texts,
        "streetAddress": texts,
        "geo": _obj(
            {"type": st.just("GeoCoordinates")},
            {"latitude": st.floats(-90, 90), "longitude": st.floats(-180, 180)},
        ),
    },
)

identifier_entries = _obj(
    {"type": st.just("IdentifierEntry"), "identifier": texts, "identifierType": texts}, {}
)

profiles = _obj(
    {"id": ids, "type": st.just(["Profile"])},
    {
        "name": scalars,
        "description": texts,
        "url": urls,
        "email": texts,
        "phone": texts,
        "image": images,
        "address": addresses,
        "otherIdentifier": _some(identifier_entries),
        "official": texts,
        "dateOfBirth": dates,
        "givenName": texts,
        "familyName": texts,
        "parentOrg": urls,
    },
)

alignments = _obj(
    {"type": st.just(["Alignment"]), "targetName": texts, "targetUrl": urls},
    {
        "targetDescription": texts,
        "targetFramework": texts,
        "targetCode": texts,
        "targetType": st.sampled_from(["ceasn:Competency", "CFItem", "ext:Custom"]),
    },
)

rubric_levels = _obj(
    {"id": urls, "type": st.just(["RubricCriterionLevel"]), "name": texts},
    {"description": texts, "level": texts, "points": texts, "alignment": _some(alignments)},
)

result_descriptions = _obj(
    {"id": urls, "type": st.just(["ResultDescription"]), "name": texts, "resultType": texts},
    {
        "allowedValue": _some(texts, 4),
        "requiredLevel": urls,
        "requiredValue": texts,
        "rubricCriterionLevel": _some(rubric_levels),
        "valueMax": texts,
        "valueMin": texts,
        "alignment": _some(alignments, 2),
    },
)

achievements = _obj(
    {
        "id": ids,
        "type": st.just(["Achievement"]),
        "name": scalars,
        "criteria": _obj({}, {"id": urls, "narrative": texts}).filter(bool),
    },
    {
        "description": texts,
        "achievementType": texts,
        "alignment": _some(alignments),
        "creator": profiles,
        "creditsAvailable": numbers,
        "fieldOfStudy": texts,
        "humanCode": texts,
        "image": images,
        "inLanguage": st.sampled_from(["en", "fi-FI", "sv"]),
        "otherIdentifier": _some(identifier_entries),
        "related": _some(_obj({"id": urls, "type": st.just(["Related"])}, {"version": texts})),
        "resultDescription": _some(result_descriptions),
        "specialization": texts,
        "tag": _some(texts, 5),
        "version": texts,
    },
)

identity_objects = _obj(
    {
        "type": st.just("IdentityObject"),
        "hashed": st.booleans(),
        "identityHash": texts,
        "identityType": st.sampled_from(["emailAddress", "name", "ext:custom"]),
    },
    {"salt": texts},
)

results = _obj(
    {"type": st.just(["Result"])},
    {"achievedLevel": urls, "resultDescription": urls, "status": texts, "value": texts},
)

evidence = _obj(
    {"type": st.just(["Evidence"])},
    {
        "id": urls,
        "name": texts,
        "description": texts,
        "narrative": texts,
        "genre": texts,
        "audience": texts,
    },
)

subjects = _obj(
    {"type": st.just(["AchievementSubject"]), "achievement": achievements},
    {
        "id": ids,
        "identifier": _some(identity_objects, 2),
        "result": _some(results),
        "creditsEarned": numbers,
        "activityStartDate": dates,
        "activityEndDate": dates,
        "licenseNumber": texts,
        "narrative": texts,
        "role": texts,
        "term": texts,
        "source": profiles,
        "image": images,
    },
)

statuses = _obj(
    {
        "id": urls,
        "type": st.just("BitstringStatusListEntry"),
        "statusPurpose": st.sampled_from(["revocation", "suspension"]),
        "statusListIndex": st.integers(0, 10**6).map(str),
        "statusListCredential": urls,
    },
    {"statusSize": st.integers(1, 8)},
)

proofs = _obj(
    {
        "type": st.just("DataIntegrityProof"),
        "cryptosuite": st.just("eddsa-rdfc-2022"),
        "created": date_times,
        "verificationMethod": did_keys.map(lambda d: d + "#" + d[8:]),
        "proofPurpose": st.sampled_from(["assertionMethod", "authentication"]),
    },
    {"proofValue": texts, "challenge": texts, "domain": texts},
)


def _credential_body(subject: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": st.just([VC2, OB303]),
        "id": ids,
        "issuer": profiles | urls,
        "validFrom": date_times,
        "credentialSubject": subject,
    }


_OPTIONAL_CREDENTIAL = {
    "name": scalars,
    "description": texts,
    "validUntil": date_times,
    "awardedDate": date_times,
    "image": images,
    "evidence": _some(evidence),
    "credentialStatus": statuses,
    "_sd": st.recursive(
        st.none() | scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(texts, c, max_size=3)
    ),
}

endorsements = _obj(
    {
        **_credential_body(
            _obj(
                {"id": urls, "type": st.just(["EndorsementSubject"])},
                {"endorsementComment": texts},
            )
        ),
        "type": st.just(["VerifiableCredential", "EndorsementCredential"]),
    },
    {"name": scalars, "proof": proofs},
)


def ob_credentials() -> st.SearchStrategy[dict[str, Any]]:
    """OB 3.0 OpenBadgeCredentials; about a third carry a proof."""
    return _obj(
        {
            **_credential_body(subjects),
            "type": st.sampled_from(
                [
                    ["VerifiableCredential", "OpenBadgeCredential"],
                    ["VerifiableCredential", "AchievementCredential"],
                ]
            ),
        },
        {**_OPTIONAL_CREDENTIAL, "endorsement": _some(endorsements, 2), "proof": proofs},
    )
