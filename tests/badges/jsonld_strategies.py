"""Hypothesis strategies for JSON-LD tests.

- :func:`ob_credentials`: Open Badges 3.0 ``OpenBadgeCredential`` documents (VC 2.0 + OB 3.0.3
  contexts) with random subsets of the optional fields, arbitrary Unicode text and numbers.
- :func:`jsonld_documents`: small documents with a random embedded context exercising the wider
  JSON-LD 1.1 feature set (coercion, containers, scoped contexts, aliases, @reverse, @nest...).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal
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
did_keys = st.text(
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", min_size=8, max_size=48
).map(lambda s: f"did:key:z6Mk{s}")
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


def processors_agree(x: float) -> bool:
    """Whether Python (pyld) and ECMAScript (jsonld.js) write the double ``x`` alike in RDF.

    They disagree on exact rounding ties at 16 significant digits (half-even vs half-up) and on
    tiny numbers whose JavaScript text has no "." (jsonld.js then takes them for integers).
    """
    if x != 0 and abs(x) < 1e-6 and "." not in repr(x):
        return False
    exact = Decimal(x)
    even = Context(prec=16, rounding=ROUND_HALF_EVEN).create_decimal(exact)
    up = Context(prec=16, rounding=ROUND_HALF_UP).create_decimal(exact)
    return even == up


floats = st.floats(allow_nan=False, allow_infinity=False).filter(processors_agree)
numbers = integers | floats | st.booleans()
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
            {
                "latitude": st.floats(-90, 90).filter(processors_agree),
                "longitude": st.floats(-180, 180).filter(processors_agree),
            },
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


_json_keys = texts.filter(lambda k: k != "__proto__")  # JavaScript processors drop that key

_OPTIONAL_CREDENTIAL = {
    "name": scalars,
    "description": texts,
    "validUntil": date_times,
    "awardedDate": date_times,
    "image": images,
    "evidence": _some(evidence),
    "credentialStatus": statuses,
    "_sd": st.recursive(
        st.none() | scalars,
        lambda c: st.lists(c, max_size=3) | st.dictionaries(_json_keys, c, max_size=3),
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


# --- General JSON-LD 1.1 documents -------------------------------------------------------------

EX = "http://ex.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
_TERMS = ["a", "b", "c", "d", "e", "p", "q"]
_TYPES = ["T", "U", "V"]
_ALIASES = {
    "id": "@id",
    "type": "@type",
    "val": "@value",
    "lang": "@language",
    "nest": "@nest",
    "g": "@graph",
    "inc": "@included",
    "rev": "@reverse",
    "idx": "@index",
    "lst": "@list",
}
_CONTAINERS: list[Any] = [
    "@list",
    "@set",
    "@language",
    "@index",
    "@id",
    "@type",
    "@graph",
    ["@graph", "@index"],
    ["@graph", "@id"],
    ["@set", "@index"],
    ["@graph", "@set"],
]
_DATATYPES = ["@id", "@vocab", "@json", "@none", "xsd:integer", "xsd:double", "xsd:string", "ex:dt"]
_LANGUAGES = ["en", "fr-CA", "de"]


def _term_definition(name: str, depth: int, property_index: bool) -> st.SearchStrategy[Any]:
    iri = st.sampled_from([f"{EX}{name}", f"ex:{name}", f"{EX}other/{name}"])
    plain = iri.map(lambda i: {"@id": i})
    options: list[st.SearchStrategy[Any]] = [
        iri,
        iri,
        st.builds(lambda i, t: {"@id": i, "@type": t}, iri, st.sampled_from(_DATATYPES)),
        st.builds(lambda i, c: {"@id": i, "@container": c}, iri, st.sampled_from(_CONTAINERS)),
        st.builds(
            lambda i, lang: {"@id": i, "@language": lang}, iri, st.sampled_from([*_LANGUAGES, None])
        ),
        st.builds(lambda i: {"@reverse": i}, iri),
        plain.map(
            lambda d: (
                {**d, "@container": "@index", "@index": "p"}
                if property_index
                else {**d, "@container": "@index"}
            )
        ),
        plain.map(lambda d: {**d, "@protected": True}),
        plain.map(lambda d: {**d, "@nest": "nest"}),
        plain.map(lambda d: {**d, "@type": "@vocab", "@container": "@type"}),
        st.just(None),
    ]
    if depth < 1:
        options.append(
            st.builds(
                lambda d, c: {**d, "@context": c},
                plain,
                contexts(depth + 1, small=True, property_index=property_index),
            )
        )
    return st.one_of(options)


@st.composite
def contexts(
    draw: st.DrawFn, depth: int = 0, small: bool = False, property_index: bool = True
) -> dict[str, Any]:
    """A context definition over the fixed vocabulary of this module.

    ``property_index=False`` leaves out property-valued indexes (``"@index": "p"``), which pyld
    3.3 expands without the vocabulary mapping (it drops the index values silently).
    """
    ctx: dict[str, Any] = {"ex": EX, "xsd": XSD}
    if draw(st.booleans()):
        ctx["@vocab"] = draw(st.sampled_from([f"{EX}vocab#", "ex:v/"]))
    if draw(st.integers(0, 4)) == 0:
        ctx["@language"] = draw(st.sampled_from(_LANGUAGES))
    if draw(st.integers(0, 5)) == 0:
        ctx["@base"] = "http://base.example/dir/"
    if draw(st.integers(0, 5)) == 0:
        ctx["@protected"] = True
    aliases = draw(
        st.lists(st.sampled_from(sorted(_ALIASES)), unique=True, max_size=4 if small else 8)
    )
    for alias in aliases:
        ctx[alias] = _ALIASES[alias]
    for term in draw(st.lists(st.sampled_from(_TERMS), unique=True, max_size=3 if small else 7)):
        ctx[term] = draw(_term_definition(term, depth, property_index))
    for name in draw(st.lists(st.sampled_from(_TYPES), unique=True, max_size=1 if small else 3)):
        definition: dict[str, Any] = {"@id": f"{EX}{name}"}
        if depth < 1 and draw(st.booleans()):
            definition["@context"] = draw(
                contexts(depth + 1, small=True, property_index=property_index)
            )
            if draw(st.integers(0, 3)) == 0:
                definition["@context"]["@propagate"] = True
        ctx[name] = definition
    return ctx


_NODE_IDS = st.sampled_from(
    [f"{EX}n1", f"{EX}n2", "ex:n3", "_:x", "_:y", "http://other.example/n#4", "n5"]
)
_TYPE_VALUES = st.sampled_from([*_TYPES, "ex:W", f"{EX}X", "_:t", "Undefined"])
_SCALARS = (
    st.text(max_size=8)
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.booleans()
)
_JSON = st.recursive(
    st.none() | _SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=6,
)


def _keys(ctx: dict[str, Any]) -> list[str]:
    keys = [k for k in ctx if not k.startswith("@") and k not in ("ex", "xsd")]
    return [*keys, "@id", "@type", "ex:f", f"{EX}g", "undefinedTerm"]


def _random_value(ctx: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    leaf = _SCALARS | st.none() | _NODE_IDS
    if depth >= 3:
        return leaf | st.lists(leaf, max_size=3)
    node = nodes(ctx, depth + 1)
    return st.one_of(
        leaf,
        node,
        st.lists(leaf | node, max_size=3),
        st.fixed_dictionaries({"@value": _SCALARS}, optional={"@type": st.just("ex:dt")}),
        st.fixed_dictionaries(
            {"@value": st.text(max_size=5), "@language": st.sampled_from(_LANGUAGES)}
        ),
        st.fixed_dictionaries({"@list": st.lists(leaf | node, max_size=3)}),
        st.fixed_dictionaries({"@set": st.lists(leaf, max_size=2)}),
        st.dictionaries(st.sampled_from(["k1", "k2", "@none", f"{EX}k3"]), leaf | node, max_size=2),
    )


def _fitting_value(ctx: dict[str, Any], key: str, depth: int) -> st.SearchStrategy[Any]:
    """A value shaped for the definition of ``key`` (a container map for a map container...)."""
    definition = ctx.get(key)
    node = nodes(ctx, depth + 1) if depth < 3 else st.just({f"{EX}leaf": 1})
    leaf = _SCALARS | _NODE_IDS
    if definition in ("@graph", "@included"):
        return st.lists(node, min_size=1, max_size=2)
    if definition == "@reverse":
        return st.dictionaries(st.sampled_from([f"{EX}r", "ex:r2"]), node, min_size=1, max_size=2)
    if definition == "@list":
        return st.lists(leaf | st.lists(leaf, max_size=2), max_size=3)
    if definition == "@nest":
        return node.map(lambda n: {k: v for k, v in n.items() if k not in ("@id", "id")})
    if not isinstance(definition, dict):
        return _random_value(ctx, depth)
    container = definition.get("@container")
    containers = set(container if isinstance(container, list) else [container])
    if "@language" in containers:
        return st.dictionaries(
            st.sampled_from([*_LANGUAGES, "@none"]),
            st.text(max_size=5) | st.lists(st.text(max_size=5), max_size=2),
            max_size=3,
        )
    if "@id" in containers:
        return st.dictionaries(
            st.sampled_from([f"{EX}i1", "ex:i2", "_:i3", "@none"]), node, max_size=2
        )
    if "@type" in containers:
        return st.dictionaries(st.sampled_from([*_TYPES, "ex:W", "@none"]), node, max_size=2)
    if "@index" in containers:
        return st.dictionaries(st.sampled_from(["k1", "k2", "@none"]), node | leaf, max_size=2)
    if "@list" in containers:
        return st.lists(leaf | node | st.lists(leaf, max_size=2), max_size=3)
    if "@graph" in containers:
        return node | st.lists(node, max_size=2)
    if definition.get("@type") == "@json":
        return _JSON
    if definition.get("@type") in ("@id", "@vocab"):
        return st.sampled_from([*_TYPES, "ex:W", f"{EX}i1", "_:b", "a"]) | st.lists(
            _NODE_IDS, max_size=2
        )
    if "@reverse" in definition:
        return node | st.lists(node, max_size=2)
    return _random_value(ctx, depth)


def nodes(ctx: dict[str, Any], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Node objects using the terms of ``ctx``, keywords and a few IRIs and undefined terms."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in draw(st.lists(st.sampled_from(_keys(ctx)), min_size=1, max_size=4, unique=True)):
            if key in ("@id", "id") and ctx.get(key, "@id") == "@id":
                out[key] = draw(_NODE_IDS)
            elif key in ("@type", "type") and ctx.get(key, "@type") == "@type":
                out[key] = draw(_TYPE_VALUES | st.lists(_TYPE_VALUES, max_size=2))
            elif draw(st.integers(0, 3)):
                out[key] = draw(_fitting_value(ctx, key, depth))
            else:
                out[key] = draw(_random_value(ctx, depth))
        return out

    return build()


@st.composite
def jsonld_documents(draw: st.DrawFn, property_index: bool = True) -> dict[str, Any]:
    """A node object with an embedded context drawn from :func:`contexts`."""
    ctx = draw(contexts(property_index=property_index))
    node = draw(nodes(ctx))
    node.setdefault("@id", draw(_NODE_IDS))
    node.setdefault(f"{EX}always", draw(_SCALARS))
    return {"@context": ctx, **node}


VC11_CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://w3id.org/security/suites/ed25519-2020/v1",
]


def _as_vc11(credential: dict[str, Any]) -> dict[str, Any]:
    """The VC 1.1 shape of an OB 3.0 credential (OB context 3.0.1, Ed25519Signature2020)."""
    out = {k: v for k, v in credential.items() if k not in ("credentialStatus", "_sd")}
    out["@context"] = VC11_CONTEXT
    out["issuanceDate"] = out.pop("validFrom")
    if "validUntil" in out:
        out["expirationDate"] = out.pop("validUntil")
    if "endorsement" in out:
        out["endorsement"] = [_as_vc11(e) for e in out["endorsement"]]
    subject = out["credentialSubject"]
    if "achievement" in subject:
        achievement = {k: v for k, v in subject["achievement"].items() if k != "inLanguage"}
        out["credentialSubject"] = {**subject, "achievement": achievement}
    if "proof" in out:
        proof = out["proof"]
        out["proof"] = {
            "type": "Ed25519Signature2020",
            "created": proof["created"],
            "verificationMethod": proof["verificationMethod"],
            "proofPurpose": proof["proofPurpose"],
            "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGf",
        }
    return out


def vc11_credentials() -> st.SearchStrategy[dict[str, Any]]:
    """OB 3.0 credentials in the VC 1.1 data model, about half with an Ed25519Signature2020."""
    return ob_credentials().map(_as_vc11)
