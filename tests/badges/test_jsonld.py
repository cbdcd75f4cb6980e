"""badges.jsonld: equal to the full algorithm (pyld) on vectors and generated documents; safe mode.

pyld 3.3 is the reference implementation. It has no safe mode, so the refusals are checked
case by case here, and (when the Node.js interop harness is installed) against jsonld.js
``safe: true`` on generated documents.
"""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld as pyld

from badges.contexts import PINNED_CONTEXTS, PinnedDocumentLoader, document_loader, load_document
from badges.errors import BadgesError, DocumentLoaderError, JsonLdError, UndefinedTerm
from badges.jsonld import expand, to_rdf
from badges.jsonld.active import ActiveContext
from badges.jsonld.iri import resolve_iri
from badges.jsonld.literals import canonical_double, canonical_json, es6_number
from badges.rdf import IRI, XSD_STRING, BlankNode, Literal, Quad, Term
from tests.badges.jsonld_strategies import (
    VC2,
    jsonld_documents,
    ob_credentials,
    processors_agree,
    vc11_credentials,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VECTORS = SHARED / "spec" / "vectors"
CREDS = SHARED / "interop" / "creds"
DOCS = SHARED / "interop" / "docs"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _extra_documents() -> dict[str, Any]:
    """Contexts some interop credentials need beyond the pinned set (CLR 2.0, JFF plugfest 1)."""
    mapping = json.loads((DOCS / "map.json").read_text())
    extra = {}
    for url, name in mapping.items():
        document = json.loads((DOCS / name).read_text())
        if isinstance(document, dict) and "@context" in document and "did" not in name:
            extra[url] = document
    return extra


LOADER = document_loader(_extra_documents())


# --- the reference: pyld -------------------------------------------------------------------------


def _pyld_options(loader: Any = LOADER) -> dict[str, Any]:
    def pyld_loader(url: str, options: Any = None) -> dict[str, Any]:
        # a copy: pyld writes into the context documents it is given (for @import)
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(loader(url))}

    return {"documentLoader": pyld_loader}


def _term(term: dict[str, str]) -> Term:
    if term["type"] == "IRI":
        return IRI(term["value"])
    if term["type"] == "blank node":
        return BlankNode(term["value"][2:])
    return Literal(term["value"], term["datatype"], term.get("language"))


def pyld_quads(document: Any, loader: Any = LOADER) -> list[Quad]:
    """pyld's dataset as our quads, in pyld's order (graphs sorted, then its triple order)."""
    dataset = pyld.to_rdf(copy.deepcopy(document), _pyld_options(loader))
    quads = []
    for name, triples in dataset.items():
        graph = None if name == "@default" else _term({"type": "IRI", "value": name})
        if name.startswith("_:"):
            graph = BlankNode(name[2:])
        for t in triples:
            quads.append(
                Quad(_term(t["subject"]), _term(t["predicate"]), _term(t["object"]), graph)
            )  # type: ignore[arg-type]
    return quads


def assert_same_as_pyld(document: Any, loader: Any = LOADER) -> list[Quad]:
    """Our quads equal pyld's exactly (order and blank node labels included); input untouched."""
    before = copy.deepcopy(document)
    ours = to_rdf(document, loader)
    assert document == before
    assert ours == pyld_quads(document, loader)
    assert expand(document, loader) == pyld.expand(copy.deepcopy(document), _pyld_options(loader))
    return ours


# --- test vectors and real credentials -----------------------------------------------------------


def _vector_documents() -> list[tuple[str, Any]]:
    """Every JSON document with a @context, plus the two shapes eddsa-rdfc-2022 canonicalizes:
    the document without ``proof`` and each proof configuration (proof + document @context)."""
    files = sorted(VECTORS.rglob("*.json")) + sorted(CREDS.glob("*.json"))
    out: list[tuple[str, Any]] = []
    for path in files:
        document = json.loads(path.read_text())
        if not isinstance(document, dict) or "@context" not in document:
            continue
        name = str(path.relative_to(SHARED))
        out.append((name, document))
        if "proof" in document:
            unsigned = {k: v for k, v in document.items() if k != "proof"}
            out.append((f"{name} without proof", unsigned))
            proofs = (
                document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
            )
            for index, proof in enumerate(proofs):
                config = {k: v for k, v in proof.items() if k != "proofValue"}
                config.setdefault("@context", document["@context"])
                out.append((f"{name} proof config {index}", config))
    return out


VECTOR_DOCUMENTS = _vector_documents()
SAFE_MODE_BREAKER = "interop/creds/dcc-safe-mode-breaker.json"


def test_the_vector_set_is_not_empty() -> None:
    names = [name for name, _ in VECTOR_DOCUMENTS]
    assert len(names) > 100
    assert any("Ed25519Signature2020" in n for n in names)  # VC 1.1 + Ed25519Signature2020
    assert any("ldp-ob.signed" in n for n in names)


@pytest.mark.parametrize(
    ("name", "document"), VECTOR_DOCUMENTS, ids=[n for n, _ in VECTOR_DOCUMENTS]
)
def test_vectors_equal_pyld(name: str, document: Any) -> None:
    if name.startswith(SAFE_MODE_BREAKER) and "proof config" not in name:
        with pytest.raises(UndefinedTerm):
            to_rdf(document, LOADER)
        return
    try:
        pyld_quads(document)
    except pyld.JsonLdError:
        with pytest.raises(BadgesError):  # pyld fails (an unpinned context): so must we
            to_rdf(document, LOADER)
        return
    assert_same_as_pyld(document)


def _nquad(quad: Quad) -> str:
    def term(t: Term | None) -> str:
        if isinstance(t, IRI):
            return f"<{t.value}>"
        if isinstance(t, BlankNode):
            return f"_:{t.value}"
        assert isinstance(t, Literal)
        text = '"' + t.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return text if t.datatype == XSD_STRING else f"{text}^^<{t.datatype}>"

    graph = f" {term(quad.graph)}" if quad.graph is not None else ""
    return f"{term(quad.subject)} {term(quad.predicate)} {term(quad.object)}{graph} ."


def test_ob_vector_statements_are_those_of_its_canonical_form() -> None:
    unsigned = json.loads((VECTORS / "ob_v3p0" / "ldp-ob.unsigned.extracted.json").read_text())
    canon = (VECTORS / "ob_v3p0" / "test-vectors" / "obv3p0" / "document-canon.txt").read_text()
    quads = to_rdf(unsigned)
    assert len(quads) == len(canon.splitlines())
    ground = {_nquad(q) for q in quads if "_:" not in _nquad(q)}
    assert ground <= set(canon.splitlines())


def test_the_safe_mode_breaker_is_refused_naming_the_term_and_path() -> None:
    document = json.loads((CREDS / "dcc-safe-mode-breaker.json").read_text())
    with pytest.raises(UndefinedTerm, match="StatusList2021Entry"):
        to_rdf(document)
    del document["credentialStatus"]
    with pytest.raises(UndefinedTerm) as info:
        to_rdf(document)
    assert str(info.value) == (
        '"endorsementJwt" is not defined by the @context (at credentialSubject.achievement.creator)'
    )
    assert info.value.code == "undefined_term"


def test_vc2_context_has_no_vocab_so_undefined_terms_fail() -> None:
    assert "@vocab" not in load_document(VC2)["@context"]
    document = {"@context": [VC2], "type": ["VerifiableCredential"], "issuer": "did:ex:1", "x": 1}
    with pytest.raises(UndefinedTerm, match='"x"'):
        to_rdf(document)


# --- generated credentials and documents ---------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ob_credentials())
def test_generated_credentials_equal_pyld(credential: dict[str, Any]) -> None:
    assert_same_as_pyld(credential)
    if "proof" in credential:
        proof = {**credential["proof"], "@context": credential["@context"]}
        assert_same_as_pyld({k: v for k, v in proof.items() if k != "proofValue"})
        assert_same_as_pyld({k: v for k, v in credential.items() if k != "proof"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vc11_credentials())
def test_generated_vc11_credentials_equal_pyld(credential: dict[str, Any]) -> None:
    assert_same_as_pyld(credential)
    if "proof" in credential:
        proof = {**credential["proof"], "@context": credential["@context"]}
        assert_same_as_pyld({k: v for k, v in proof.items() if k != "proofValue"})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(jsonld_documents(property_index=False))
def test_whatever_we_accept_pyld_converts_identically(document: dict[str, Any]) -> None:
    """Soundness on the wider JSON-LD 1.1 feature set: either a JsonLdError (safe mode or an
    invalid document), or exactly pyld's quads. Never any other exception."""
    try:
        ours = to_rdf(document)
    except JsonLdError:
        return
    assert ours == pyld_quads(document)


# --- JSON-LD 1.1 features beyond the credential contexts, against pyld ---------------------------

EX = "https://example.org/ns#"
BASE_CTX: dict[str, Any] = {
    "ex": EX,
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": "@id",
    "type": "@type",
    "name": "https://schema.org/name",
    "knows": {"@id": "ex:knows", "@type": "@id"},
}
FEATURES: dict[str, dict[str, Any]] = {
    "language map": {
        "@context": {**BASE_CTX, "label": {"@id": "ex:label", "@container": "@language"}},
        "label": {"en": "Hi", "FI": ["Hei", "Moi"], "@none": "?"},
    },
    "default language and term language": {
        "@context": {**BASE_CTX, "@language": "en", "code": {"@id": "ex:code", "@language": None}},
        "name": "Badge",
        "code": "X1",
    },
    "index map and property-valued index": {
        "@context": {
            **BASE_CTX,
            "byKey": {"@id": "ex:byKey", "@container": "@index"},
            "byTag": {"@id": "ex:byTag", "@container": "@index", "@index": "ex:tag"},
        },
        "byKey": {"a": {"name": "A"}, "b": "text", "@none": {"name": "N"}},
        "byTag": {"t1": {"name": "T"}, "@none": {"name": "U"}},
    },
    "id map and type map with scoped context": {
        "@context": {
            **BASE_CTX,
            "people": {"@id": "ex:people", "@container": "@id"},
            "things": {"@id": "ex:things", "@container": "@type"},
            "Tool": {"@id": "ex:Tool", "@context": {"size": "ex:size"}},
        },
        "people": {"https://example.org/p/1": {"name": "P"}, "_:b9": {"name": "Q"}},
        "things": {"Tool": {"size": 3}, "ex:Other": {"name": "O"}},
    },
    "graph containers": {
        "@context": {
            **BASE_CTX,
            "g": {"@id": "ex:g", "@container": "@graph"},
            "gi": {"@id": "ex:gi", "@container": ["@graph", "@index"]},
            "gid": {"@id": "ex:gid", "@container": ["@graph", "@id"]},
        },
        "g": {"name": "in a graph"},
        "gi": {"k": {"name": "indexed"}},
        "gid": {"https://example.org/graph/1": {"name": "named"}},
    },
    "top-level graph, included and reverse": {
        "@context": {**BASE_CTX, "parentOf": {"@reverse": "ex:childOf"}},
        "@graph": [
            {
                "id": "https://example.org/a",
                "name": "A",
                "parentOf": {"id": "https://example.org/b", "name": "B"},
                "@reverse": {"ex:likes": {"id": "https://example.org/c"}},
                "@included": [{"id": "https://example.org/d", "name": "D"}],
            }
        ],
    },
    "nest with aliases": {
        "@context": {**BASE_CTX, "meta": "@nest", "note": {"@id": "ex:note", "@nest": "meta"}},
        "id": "https://example.org/n",
        "meta": {"note": "nested", "name": "also nested"},
    },
    "lists, lists of lists and sets": {
        "@context": {
            **BASE_CTX,
            "seq": {"@id": "ex:seq", "@container": "@list"},
            "bag": {"@id": "ex:bag", "@container": "@set"},
        },
        "seq": [1, [2.5, "x"], {"name": "in list"}, []],
        "bag": [],
        "ex:explicit": {"@list": [True, False]},
        "ex:empty": {"@list": []},
    },
    "json literals and native types": {
        "@context": {**BASE_CTX, "data": {"@id": "ex:data", "@type": "@json"}},
        "data": {"b": [1, 2.5, 1e21, None, True], "a": "é\u2028\U0001f600", "": {}},
        "ex:int": 9007199254740992,
        "ex:big": 10**22,
        "ex:float": 0.1,
        "ex:neg": -1.5e-5,
        "ex:bool": False,
    },
    "typed values and coercion": {
        "@context": {
            **BASE_CTX,
            "when": {"@id": "ex:when", "@type": "xsd:dateTime"},
            "ratio": {"@id": "ex:ratio", "@type": "xsd:double"},
            "kind": {"@id": "ex:kind", "@type": "@vocab"},
            "Gold": "ex:Gold",
        },
        "when": "2024-01-01T00:00:00Z",
        "ratio": [5, "2.50", 1.25],
        "kind": ["Gold", "ex:Silver"],
        "ex:v": {"@value": "x", "@type": "ex:custom", "@index": "i"},
        "knows": ["https://example.org/k", "ex:k2", "_:k3"],
    },
    "base, vocab and prefixes": {
        "@context": {
            **BASE_CTX,
            "@base": "https://example.org/base/",
            "@vocab": "ex:",
            "schema": "https://schema.org/",
            "dc": {"@id": "http://purl.org/dc/terms/", "@prefix": True},
            "notprefix": {"@id": "https://example.org/np/", "@prefix": False},
        },
        "id": "../doc/1",
        "type": ["Thing", "schema:Thing"],
        "knows": "./friend",
        "dc:title": "T",
        "schema:name": "N",
        "free": "vocab-relative",
    },
    "type-scoped and property-scoped contexts, propagate": {
        "@context": {
            **BASE_CTX,
            "Outer": {"@id": "ex:Outer", "@context": {"inner": "ex:outerInner"}},
            "Keep": {"@id": "ex:Keep", "@context": {"@propagate": True, "deep": "ex:deep"}},
            "wrap": {"@id": "ex:wrap", "@context": {"inner": "ex:wrapInner"}},
        },
        "type": ["Outer", "Keep"],
        "inner": "outer's",
        "wrap": {"inner": "wrap's", "ex:x": {"deep": "propagated"}},
    },
    "protected terms redefined identically": {
        "@context": [
            {"@protected": True, "name": "https://schema.org/name"},
            {"name": "https://schema.org/name", "other": "ex:other", "ex": EX},
        ],
        "name": "n",
        "other": "o",
    },
    "@type as a set container and keyword aliases": {
        "@context": {**BASE_CTX, "@type": {"@container": "@set"}, "v": "@value", "l": "@language"},
        "type": "ex:T",
        "name": {"v": "tagged", "l": "EN-gb"},
    },
}


@pytest.mark.parametrize("name", sorted(FEATURES))
def test_features_equal_pyld(name: str) -> None:
    assert assert_same_as_pyld(FEATURES[name])


REMOTE = {
    "https://example.org/ctx/base": {"@context": {"ex": EX, "name": "https://schema.org/name"}},
    "https://example.org/ctx/imported": {"@context": {"ex": EX, "name": "https://schema.org/name"}},
    "https://example.org/ctx/imports": {
        "@context": {"@import": "https://example.org/ctx/imported", "tag": "ex:tag"}
    },
    "https://example.org/ctx/relative": {"@context": ["base", {"rel": "ex:rel"}]},
    "https://example.org/ctx/base-array": {"@context": ["https://example.org/ctx/base"]},
}


@pytest.mark.parametrize(
    "context",
    [
        "https://example.org/ctx/imports",
        "https://example.org/ctx/base-array",
        ["https://example.org/ctx/relative"],
    ],
)
def test_remote_contexts_equal_pyld(context: Any) -> None:
    pyld._resolved_context_cache.clear()  # pyld caches processed @import results by URL
    loader = document_loader(REMOTE)
    document = {"@context": context, "@id": "https://example.org/x", "name": "n"}
    if "imports" in str(context):
        document["tag"] = "t"
    if "relative" in str(context):
        document["rel"] = "r"
    assert assert_same_as_pyld(document, loader)


# --- safe mode: what the standard algorithm would drop or leave relative raises ------------------


def _doc(**entries: Any) -> dict[str, Any]:
    return {"@context": BASE_CTX, "id": "https://example.org/s", **entries}


VC = {
    "@context": [VC2, OB303],
    "id": "urn:uuid:1",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": "did:example:issuer",
    "validFrom": "2024-01-01T00:00:00Z",
}
UNDEFINED: dict[str, dict[str, Any]] = {
    "undefined term": _doc(nmae="x"),
    "relative IRI property": _doc(**{"foo/bar": "x"}),
    "term mapped to null": {"@context": {**BASE_CTX, "skip": None}, "skip": "x", "name": "n"},
    "keyword-like property": _doc(**{"@foo": "x", "name": "n"}),
    "framing keyword": _doc(**{"@default": "x", "name": "n"}),
    "relative @type": _doc(type="Person", name="n"),
    "undefined type in a credential": {**VC, "type": ["VerifiableCredential", "Badge"]},
    "undefined property in a credential": {**VC, "endorsementJwt": []},
}


@pytest.mark.parametrize("name", sorted(UNDEFINED))
def test_undefined_terms_raise(name: str) -> None:
    with pytest.raises(UndefinedTerm) as info:
        to_rdf(UNDEFINED[name])
    assert "(at " in str(info.value)
    with pytest.raises(UndefinedTerm):
        expand(UNDEFINED[name])


SAFE_MODE: dict[str, tuple[Any, str]] = {
    "relative @id": (_doc(id="abc", name="n"), "relative @id reference"),
    "reserved @id": (_doc(id="@foo", name="n"), "reserved @id value"),
    "relative @vocab": ({"@context": {"@vocab": "rel/"}, "name": "n"}, "relative @vocab reference"),
    "reserved term": ({"@context": {"@foo": EX}, "ex:a": 1}, "reserved term"),
    "empty top-level object": ({"@context": BASE_CTX}, "empty object"),
    "free-floating scalar": ({"@context": BASE_CTX, "@graph": ["x"]}, "free-floating scalar"),
    "invalid language tag": (
        _doc(name={"@value": "x", "@language": "en US"}),
        "invalid @language value",
    ),
    "null @value": (_doc(name={"@value": None}), "null @value value"),
    "lone @language": (_doc(name={"@language": "en"}), "object with only @language"),
    "top-level node with only @id": (
        {"@context": BASE_CTX, "id": "https://e.org/1"},
        "object with only @id",
    ),
    "top-level value": ({"@context": BASE_CTX, "@value": "x"}, "object with only @value"),
    "top-level list": ({"@context": BASE_CTX, "@list": ["x"]}, "object with only @list"),
    "proof that is only an id": ({**VC, "proof": {"id": "urn:x"}}, "object with only @id"),
    "empty proof": ({**VC, "proof": {}}, "empty object"),
    "blank node predicate": (
        {"@context": {"bp": "_:p"}, "@id": "https://e.org/1", "bp": 1},
        "blank node predicate",
    ),
    "relative reference value": (_doc(knows="bob"), "relative object reference"),
    "direction is not kept": (
        _doc(name={"@value": "x", "@direction": "rtl"}),
        "rdfDirection not set",
    ),
    "space in an IRI": (_doc(id="https://example.org/a b", name="n"), "invalid IRI"),
    "angle bracket in an IRI": (_doc(knows="https://example.org/<x>"), "invalid IRI"),
    "unsafe integer": (_doc(**{"ex:n": 2**53 + 1}), "unsafe integer"),
    "rounding tie": (_doc(**{"ex:n": 2**-24}), "ambiguous double"),
    "tiny double jsonld.js reads as 0": (_doc(**{"ex:n": 1e-7}), "ambiguous double"),
    "non-decimal xsd:double string": (
        _doc(**{"ex:n": {"@value": "1_000", "@type": "xsd:double"}}),
        "ambiguous double",
    ),
    "value in a type map": (
        {"@context": {"ex": EX, "m": {"@id": "ex:m", "@container": "@type"}}, "m": {"ex:T": 1}},
        "invalid typed value",
    ),
    "non-JSON value": (_doc(**{"ex:n": (1, 2)}), "invalid JSON value"),
    "NaN": (_doc(**{"ex:n": math.nan}), "invalid JSON value"),
    "a JSON literal jsonld.js would repeat": (
        {
            "@context": {**BASE_CTX, "j": {"@id": "ex:j", "@type": "@json"}},
            "@graph": [{"id": "https://e.org/1", "j": [1]}, {"id": "https://e.org/1", "j": [1]}],
        },
        "duplicate JSON literal",
    ),
    "__proto__ in a JSON literal": (
        {"@context": {**BASE_CTX, "j": {"@id": "ex:j", "@type": "@json"}}, "j": {"__proto__": 1}},
        "invalid JSON literal",
    ),
}


@pytest.mark.parametrize("name", sorted(SAFE_MODE))
def test_safe_mode_refusals(name: str) -> None:
    document, code = SAFE_MODE[name]
    with pytest.raises(JsonLdError) as info:
        to_rdf(document)
    assert info.value.code == code


JSONLD_ERRORS: dict[str, tuple[Any, str]] = {
    "protected term redefinition": (
        {**VC, "@context": [VC2, {"name": "https://example.org/other#name"}]},
        "protected term redefinition",
    ),
    "OB 3.0.0 context after VC 2.0": (
        {**VC, "@context": [VC2, "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]},
        "protected term redefinition",
    ),
    "nullifying protected terms": (
        {**VC, "@context": [VC2, None]},
        "invalid context nullification",
    ),
    "cyclic IRI mapping": ({"@context": {"a": "b:x", "b": "a:y"}, "a": 1}, "cyclic IRI mapping"),
    "keyword redefinition": ({"@context": {"@id": "ex:id"}}, "keyword redefinition"),
    "invalid local context": ({"@context": 5}, "invalid local context"),
    "invalid @id value": (_doc(**{"@id": 5}), "invalid @id value"),
    "colliding keywords": (_doc(**{"@id": "https://e.org/2"}), "colliding keywords"),
    "invalid type value": (_doc(type=5), "invalid type value"),
    "invalid value object": (_doc(name={"@value": "x", "ex:p": 1}), "invalid value object"),
    "invalid container": (
        {"@context": {"c": {"@id": "ex:c", "@container": "@foo"}}},
        "invalid container mapping",
    ),
    "invalid scoped context": (
        {"@context": {"T": {"@id": "https://e.org/T", "@context": {"x": 5}}}},
        "invalid scoped context",
    ),
    "invalid @version": ({"@context": {"@version": 2}}, "invalid @version value"),
}


@pytest.mark.parametrize("name", sorted(JSONLD_ERRORS))
def test_jsonld_errors_carry_the_spec_code(name: str) -> None:
    document, code = JSONLD_ERRORS[name]
    with pytest.raises(JsonLdError) as info:
        to_rdf(document)
    assert info.value.code == code


def test_unpinned_contexts_are_a_resolution_error() -> None:
    with pytest.raises(DocumentLoaderError, match=r"https://example\.com/ctx\.jsonld"):
        to_rdf({"@context": "https://example.com/ctx.jsonld", "@id": "https://e.org/1"})


# --- hostile input: bounded depth, never RecursionError ------------------------------------------


def _nested(levels: int, leaf: Any) -> Any:
    out = leaf
    for _ in range(levels):
        out = {"ex:p": out}
    return out


def _nested_scoped_contexts(levels: int) -> dict[str, Any]:
    context: dict[str, Any] = {"ex": EX}
    inner = context
    for _ in range(levels):
        inner["T"] = {"@id": f"{EX}T", "@context": {"ex": EX}}
        inner = inner["T"]["@context"]
    return context


HOSTILE: dict[str, Any] = {
    "deeply nested nodes": {"@context": BASE_CTX, **_nested(2000, {"ex:q": 1})},
    "deeply nested arrays": {"@context": BASE_CTX, "ex:p": json.loads("[" * 500 + "1" + "]" * 500)},
    "deeply nested json literal": {
        "@context": {**BASE_CTX, "j": {"@id": "ex:j", "@type": "@json"}},
        "j": json.loads("[" * 500 + "]" * 500),
        "id": "https://e.org/j",
    },
    "deeply nested scoped contexts": {"@context": _nested_scoped_contexts(300), "ex:a": 1},
    "long term dependency chain": {
        "@context": {**{f"t{i + 1}": f"t{i}:x" for i in reversed(range(3000))}, "t0": EX},
        "t3000": 1,
    },
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_nesting_is_refused_cleanly(name: str) -> None:
    with pytest.raises(JsonLdError) as info:
        to_rdf(HOSTILE[name])
    assert info.value.code in ("max depth exceeded", "context overflow", "invalid scoped context")


def test_remote_context_cycles_overflow() -> None:
    loader = document_loader(
        {
            "https://example.org/ctx/self": {"@context": "https://example.org/ctx/self"},
            "https://example.org/ctx/import-twice": {
                "@context": {"@import": "https://example.org/ctx/importing"}
            },
            "https://example.org/ctx/importing": {
                "@context": {"@import": "https://example.org/ctx/self"}
            },
        }
    )
    with pytest.raises(JsonLdError) as info:
        to_rdf({"@context": "https://example.org/ctx/self", "ex:a": 1}, loader)
    assert info.value.code == "context overflow"
    with pytest.raises(JsonLdError) as info:
        to_rdf({"@context": "https://example.org/ctx/import-twice", "ex:a": 1}, loader)
    assert info.value.code == "invalid context entry"


# --- caching -------------------------------------------------------------------------------------


class CountingLoader(PinnedDocumentLoader):
    """A pinned loader that counts what it is asked for."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def __call__(self, url: str) -> dict[str, Any]:
        self.calls.append(url)
        return super().__call__(url)


def test_pinned_loaders_process_each_context_once() -> None:
    loader = CountingLoader()
    credential = {**VC, "credentialSubject": {"id": "did:example:s", "type": "AchievementSubject"}}
    first = to_rdf(credential, loader)
    assert sorted(loader.calls) == sorted([VC2, OB303])
    assert to_rdf(credential, loader) == first
    assert to_rdf({**credential, "name": "other"}, loader)
    assert sorted(loader.calls) == sorted([VC2, OB303])  # nothing loaded again


def test_other_loaders_get_no_cross_document_cache() -> None:
    calls: list[str] = []

    def loader(url: str) -> dict[str, Any]:
        calls.append(url)
        return load_document(url)

    to_rdf(VC, loader)
    to_rdf(VC, loader)
    assert calls == [VC2, OB303, VC2, OB303]  # once per document, not once per use


def test_embedded_context_maps_are_not_cached() -> None:
    loader = CountingLoader()
    to_rdf(VC, loader)
    from badges.jsonld import _ROOTS

    root = _ROOTS[loader]
    cached = len(root.derived)
    for n in range(5):
        to_rdf({"@context": {"p": f"{EX}p{n}"}, "@id": "https://e.org/1", "p": n}, loader)
    assert len(root.derived) == cached


def test_the_derived_context_cache_is_bounded() -> None:
    root = ActiveContext(None, [2]).finish()
    for n in range(5):
        root.remember(f"key{n}", root)
    assert len(root.derived) == 2


# --- literals ------------------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)


@given(finite)
def test_canonical_double_is_pyld_s_unless_processors_disagree(value: float) -> None:
    try:
        ours = canonical_double(value)
    except JsonLdError:
        assert not processors_agree(value)
    else:
        assert ours == pyld._canonicalize_double(value)


@pytest.mark.parametrize("value", [2**-24, 10000000000000.125, -(2**-24)])
def test_rounding_ties_are_refused(value: float) -> None:
    assert not processors_agree(value)  # C/Python round half to even, ECMAScript half up
    with pytest.raises(JsonLdError, match="rounding tie"):
        canonical_double(value)


@given(finite)
def test_es6_number_formatting_matches_the_jcs_reference(value: float) -> None:
    from c14n.NumberToJson import convert2Es6Format

    assert es6_number(value) == convert2Es6Format(value)


json_values = st.recursive(
    st.none() | st.booleans() | finite | st.integers(-(10**30), 10**30) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text().filter(lambda k: k != "__proto__"), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_matches_the_jcs_reference(value: Any) -> None:
    from c14n.Canonicalize import canonicalize

    assert canonical_json(value) == canonicalize(value).decode("utf-8")


@pytest.mark.parametrize(
    ("reference", "expected"),
    [  # RFC 3986 §5.4.1 and §5.4.2, base http://a/b/c/d;p?q
        ("g:h", "g:h"),
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g"),
        ("?y", "http://a/b/c/d;p?y"),
        ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"),
        ("g;x?y#s", "http://a/b/c/g;x?y#s"),
        ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../../g", "http://a/g"),
        ("/./g", "http://a/g"),
        ("g.", "http://a/b/c/g."),
        ("..g", "http://a/b/c/..g"),
        ("./../g", "http://a/b/g"),
        ("g/../h", "http://a/b/c/h"),
        ("g;x=1/../y", "http://a/b/c/y"),
    ],
)
def test_relative_references_resolve_per_rfc3986(reference: str, expected: str) -> None:
    assert resolve_iri(reference, "http://a/b/c/d;p?q") == expected


# --- jsonld.js safe mode (when the Node.js interop harness is installed) -------------------------

NODE_JSONLD = Path(__file__).resolve().parents[1] / "interop" / "node" / "node_modules" / "jsonld"
_JS_SERVER = r"""
const jsonld = require(process.argv[1]);
const lines = require('readline').createInterface({input: process.stdin});
let contexts = null;
const queue = [];
let busy = false;
const loader = async (url) => {
  if (Object.prototype.hasOwnProperty.call(contexts, url)) {
    return {contextUrl: null, documentUrl: url, document: contexts[url]};
  }
  throw new Error('not pinned: ' + url);
};
async function run(doc) {
  try {
    const nquads = await jsonld.toRDF(
      doc, {format: 'application/n-quads', documentLoader: loader, safe: true});
    return {ok: true, nquads};
  } catch (e) {
    const d = e.details || {};
    return {ok: false, code: d.event ? d.event.code : (d.code || e.name)};
  }
}
async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const line = queue.shift();
    if (contexts === null) { contexts = JSON.parse(line); process.stdout.write('{}\n'); continue; }
    process.stdout.write(JSON.stringify(await run(JSON.parse(line))) + '\n');
  }
  busy = false;
}
lines.on('line', (line) => { queue.push(line); pump(); });
"""


class JsonLdJs:
    """A long-running jsonld.js process: one JSON document per line in, one result out."""

    def __init__(self, node: str) -> None:
        self.process = subprocess.Popen(
            [node, "-e", _JS_SERVER, str(NODE_JSONLD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.ask({url: LOADER(url) for url in PINNED_CONTEXTS | _extra_documents().keys()})

    def ask(self, document: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(document) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def jsonld_js() -> Any:
    node = shutil.which("node")
    if node is None or not NODE_JSONLD.is_dir():
        pytest.skip("jsonld.js is not installed (make node)")
    server = JsonLdJs(node)
    yield server
    server.close()


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _canonical_nquads(quads: list[Quad]) -> list[str]:
    """Canonical N-Quads lines (the escaping of rdf-canonize, used by jsonld.js), sorted."""

    def literal(text: str) -> str:
        return "".join(
            _ESCAPES.get(c) or (f"\\u{ord(c):04X}" if ord(c) < 0x20 or ord(c) == 0x7F else c)
            for c in text
        )

    def term(t: Term | None) -> str:
        if isinstance(t, IRI):
            return f"<{t.value}>"
        if isinstance(t, BlankNode):
            return f"_:{t.value}"
        assert isinstance(t, Literal)
        if t.language is not None:
            return f'"{literal(t.value)}"@{t.language}'
        suffix = "" if t.datatype == XSD_STRING else f"^^<{t.datatype}>"
        return f'"{literal(t.value)}"{suffix}'

    return sorted(
        f"{term(q.subject)} {term(q.predicate)} {term(q.object)}"
        + (f" {term(q.graph)}" if q.graph is not None else "")
        + " ."
        for q in quads
    )


def _isomorphic(a: list[str], b: list[str]) -> bool:
    options = {"algorithm": "URDNA2015", "inputFormat": "application/n-quads"}
    options["format"] = "application/n-quads"
    return bool(
        pyld.normalize("\n".join(a) + "\n", options) == pyld.normalize("\n".join(b) + "\n", options)
    )


_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.\-]*:)[^>]*>")
_STRICTER = {
    "ambiguous double",
    "unsafe integer",
    "invalid IRI",
    "invalid typed value",
    "invalid JSON literal",
    "duplicate JSON literal",
}


def assert_agrees_with_jsonld_js(server: JsonLdJs, document: Any) -> None:
    """Same verdict as jsonld.js safe mode, and the same dataset up to blank node labels.

    We refuse a little more than jsonld.js: numbers it writes differently from other processors
    (_STRICTER), keywords used as properties, property-valued indexes it would drop, and
    datasets where it lets a relative IRI through.
    """
    theirs = server.ask(document)
    try:
        ours = _canonical_nquads(to_rdf(document, LOADER))
    except BadgesError as error:
        refusal = error
    else:
        assert theirs["ok"], theirs
        expected = sorted(theirs["nquads"].split("\n")[:-1])
        assert ours == expected or _isomorphic(ours, expected)
        return
    if theirs["ok"]:
        code = getattr(refusal, "code", None)
        stricter = code in _STRICTER or any(
            reason in str(refusal)
            for reason in (
                "keyword that cannot be used here",
                "(an @index property)",
                "a list cannot take an index property",
            )
        )
        assert stricter or _RELATIVE_IRI.search(theirs["nquads"]), (refusal, theirs)


@pytest.mark.parametrize(
    ("name", "document"), VECTOR_DOCUMENTS[:40], ids=[n for n, _ in VECTOR_DOCUMENTS[:40]]
)
def test_vectors_agree_with_jsonld_js(jsonld_js: JsonLdJs, name: str, document: Any) -> None:
    assert_agrees_with_jsonld_js(jsonld_js, document)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(ob_credentials())
def test_generated_credentials_agree_with_jsonld_js(jsonld_js: JsonLdJs, credential: Any) -> None:
    assert_agrees_with_jsonld_js(jsonld_js, credential)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(jsonld_documents())
def test_safe_mode_agrees_with_jsonld_js(jsonld_js: JsonLdJs, document: Any) -> None:
    assert_agrees_with_jsonld_js(jsonld_js, document)
