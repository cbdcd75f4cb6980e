"""did:key, did:web and verification-method dereferencing (offline, injected fetchers)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badges.did import (
    DID_CONTEXT,
    JWK_CONTEXT,
    MAX_DOCUMENT_BYTES,
    MULTIKEY_CONTEXT,
    DidResolver,
    VerificationMethod,
    build_did_web_document,
    did_key,
    did_key_verification_method_id,
    did_web_from_url,
    did_web_url,
    resolve_did_key,
)
from badges.errors import DidResolutionError, FetchError, InvalidDid
from badges.keys import KeyPair, KeyType, PublicKey
from badges.types import JSONObject
from tests.conftest import INTEROP, load_json

W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
P256_PUBLIC = "zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"
ALL_PURPOSES = frozenset(
    {"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"}
)
KEY = KeyPair.from_seed(bytes(range(32)))
OTHER = KeyPair.from_seed(bytes(range(1, 33)))

DOCS = INTEROP / "docs"


class FakeFetch:
    """A dict-backed ``HttpFetcher`` that records the URLs it was asked for."""

    def __init__(self, documents: Mapping[str, JSONObject | bytes]) -> None:
        self.documents = documents
        self.calls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.calls.append(url)
        try:
            document = self.documents[url]
        except KeyError:
            raise FetchError(f"{url}: 404") from None
        return document if isinstance(document, bytes) else json.dumps(document).encode()


def interop_documents() -> dict[str, JSONObject]:
    mapping: dict[str, str] = load_json(DOCS / "map.json")
    return {url: load_json(DOCS / name) for url, name in mapping.items()}


def interop_fetcher() -> FakeFetch:
    """Only the fragment-less https URLs, as a real HTTP fetcher would serve them."""
    return FakeFetch(
        {
            url: doc
            for url, doc in interop_documents().items()
            if url.startswith("https://") and "#" not in url
        }
    )


# --------------------------------------------------------------------------- did:key


def test_did_key_ed25519() -> None:
    public = PublicKey.from_multibase(W3C_PUBLIC)
    did = did_key(public)
    assert did == f"did:key:{W3C_PUBLIC}"
    vm_id = did_key_verification_method_id(public)
    assert vm_id == f"{did}#{W3C_PUBLIC}"
    assert resolve_did_key(did) == {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": W3C_PUBLIC}
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }


def test_did_key_p256() -> None:
    did = f"did:key:{P256_PUBLIC}"
    document = resolve_did_key(did)
    method = document["verificationMethod"][0]
    assert method["id"] == f"{did}#{P256_PUBLIC}"
    assert method["publicKeyMultibase"] == P256_PUBLIC
    assert did_key(PublicKey.from_multibase(P256_PUBLIC)) == did
    resolved = DidResolver().dereference(method["id"])
    assert resolved.public_key == PublicKey.from_multibase(P256_PUBLIC)
    assert resolved.public_key.type is KeyType.P256


def test_did_key_refuses_rsa() -> None:
    rsa_key = KeyPair.generate(KeyType.RSA)
    with pytest.raises(InvalidDid, match="Ed25519 or P-256"):
        did_key(rsa_key.public)
    with pytest.raises(InvalidDid, match="Ed25519 or P-256"):
        resolve_did_key("did:key:" + rsa_key.public.to_multibase())


@pytest.mark.parametrize(
    "did",
    [
        "did:key:",
        "did:web:example.com",
        f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}",
        f"did:key:{W3C_PUBLIC}/path",
        f"did:key:{W3C_PUBLIC[:-1]}",
        "did:key:z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq",
        "did:key:u7QE",
        "did:key:z6Mk0",
        f"did:key:1:{W3C_PUBLIC}",
    ],
)
def test_resolve_did_key_rejects(did: str) -> None:
    with pytest.raises(InvalidDid):
        resolve_did_key(did)


def test_dereference_did_key() -> None:
    public = PublicKey.from_multibase(W3C_PUBLIC)
    method = DidResolver().dereference(did_key_verification_method_id(public))
    assert method == VerificationMethod(
        id=f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}",
        type="Multikey",
        controller=f"did:key:{W3C_PUBLIC}",
        public_key=public,
        purposes=ALL_PURPOSES,
    )


def test_dereference_did_key_wrong_fragment() -> None:
    with pytest.raises(DidResolutionError, match="not found"):
        DidResolver().dereference(f"did:key:{W3C_PUBLIC}#key-1")
    with pytest.raises(DidResolutionError, match="fragment"):
        DidResolver().dereference(f"did:key:{W3C_PUBLIC}#")


# --------------------------------------------------------------------------- did:web URLs


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:issuers:1", "https://example.com/issuers/1/did.json"),
        ("did:web:localhost%3A8000", "https://localhost:8000/.well-known/did.json"),
        ("did:web:localhost%3a8000:a:b", "https://localhost:8000/a/b/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com:u%C3%A4", "https://example.com/u%C3%A4/did.json"),
        ("did:web:10.0.0.1%3A443:x", "https://10.0.0.1:443/x/did.json"),
    ],
)
def test_did_web_url(did: str, url: str) -> None:
    assert did_web_url(did) == url


def test_did_web_url_http_for_development() -> None:
    assert did_web_url("did:web:localhost%3A8000", scheme="http") == (
        "http://localhost:8000/.well-known/did.json"
    )
    with pytest.raises(InvalidDid, match="scheme"):
        did_web_url("did:web:example.com", scheme="ftp")


@pytest.mark.parametrize(
    "did",
    [
        "did:web:",
        "did:web",
        "did:key:example.com",
        "did:web:example.com#key-1",
        "did:web:example.com?versionId=1",
        "did:web:example.com/path",
        "did:web:example.com:",
        "did:web:example.com::x",
        "did:web:example.com:..",
        "did:web:example.com:%2E%2E",
        "did:web:example.com:a%2Fb",
        "did:web:exa_mple.com",
        "did:web:-example.com",
        "did:web:user%40example.com",
        "did:web:example.com%2Fevil",
        "did:web:localhost%3A0",
        "did:web:localhost%3A99999",
        "did:web:localhost%3Ahttp",
        "did:web:%",
    ],
)
def test_did_web_url_rejects(did: str) -> None:
    with pytest.raises(InvalidDid):
        did_web_url(did)


@pytest.mark.parametrize(
    ("base_url", "path", "did"),
    [
        ("https://example.com", "", "did:web:example.com"),
        ("https://example.com/", "", "did:web:example.com"),
        ("https://example.com", "issuers/1", "did:web:example.com:issuers:1"),
        ("https://example.com/issuers", "/1/", "did:web:example.com:issuers:1"),
        ("http://localhost:8000", "", "did:web:localhost%3A8000"),
        ("https://localhost:8000", "issuers/1", "did:web:localhost%3A8000:issuers:1"),
        ("https://example.com/.well-known/did.json", "", "did:web:example.com"),
        ("https://example.com/issuers/1/did.json", "", "did:web:example.com:issuers:1"),
        ("https://example.com", "a:b", "did:web:example.com:a%3Ab"),
        ("https://example.com", "ä~", "did:web:example.com:%C3%A4%7E"),
    ],
)
def test_did_web_from_url(base_url: str, path: str, did: str) -> None:
    assert did_web_from_url(base_url, path) == did
    url = did_web_url(did, scheme="http" if base_url.startswith("http:") else "https")
    assert did_web_from_url(url) == did


@pytest.mark.parametrize(
    "base_url",
    [
        "ftp://example.com",
        "https://user@example.com",
        "https://example.com?x=1",
        "https://example.com#frag",
        "https://example.com:99999",
        "https://",
        "example.com",
        "https://exa_mple.com",
    ],
)
def test_did_web_from_url_rejects(base_url: str) -> None:
    with pytest.raises(InvalidDid):
        did_web_from_url(base_url)


# --------------------------------------------------------------------------- did:web documents


def test_build_did_web_document() -> None:
    did = "did:web:badges.example.fi:issuers:7"
    p256 = KeyPair.generate(KeyType.P256)
    rsa_key = KeyPair.generate(KeyType.RSA)
    keys = [("key-1", KEY.public), ("key-2", p256.public), ("rsa", rsa_key.public)]
    document = build_did_web_document(did, keys)
    assert document["@context"] == [DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT]
    assert document["id"] == did
    assert document["verificationMethod"] == [
        {
            "id": f"{did}#key-1",
            "controller": did,
            "type": "Multikey",
            "publicKeyMultibase": KEY.public.to_multibase(),
        },
        {
            "id": f"{did}#key-2",
            "controller": did,
            "type": "Multikey",
            "publicKeyMultibase": p256.public.to_multibase(),
        },
        {
            "id": f"{did}#rsa",
            "controller": did,
            "type": "JsonWebKey",
            "publicKeyJwk": rsa_key.public.to_jwk(),
        },
    ]
    ids = [f"{did}#key-1", f"{did}#key-2", f"{did}#rsa"]
    assert document["assertionMethod"] == ids
    assert document["authentication"] == ids

    fetch = FakeFetch({did_web_url(did): document})
    resolver = DidResolver(fetch)
    for fragment, key in keys:
        method = resolver.dereference(f"{did}#{fragment}")
        assert method.public_key == key
        assert method.controller == did
        assert method.purposes == {"assertionMethod", "authentication"}


def test_build_did_web_document_assertion_subset() -> None:
    did = "did:web:example.com"
    document = build_did_web_document(
        did, [("old", OTHER.public), ("new", KEY.public)], assertion=["new"]
    )
    assert document["@context"] == [DID_CONTEXT, MULTIKEY_CONTEXT]
    assert document["assertionMethod"] == [f"{did}#new"]
    resolver = DidResolver(documents={did: document})
    assert resolver.dereference(f"{did}#old").purposes == frozenset()
    assert resolver.dereference(f"{did}#new").purposes == {"assertionMethod", "authentication"}


@pytest.mark.parametrize(
    ("did", "keys", "assertion", "message"),
    [
        ("did:key:z6Mk", [("k", KEY.public)], None, "did:web"),
        ("did:web:example.com", [], None, "at least one key"),
        ("did:web:example.com", [("k", KEY.public), ("k", OTHER.public)], None, "duplicate"),
        ("did:web:example.com", [("a#b", KEY.public)], None, "fragment"),
        ("did:web:example.com", [("", KEY.public)], None, "fragment"),
        ("did:web:example.com", [("k", W3C_PUBLIC)], None, "PublicKey"),
        ("did:web:example.com", [("k", KEY.public)], ["x"], "unknown"),
    ],
)
def test_build_did_web_document_rejects(
    did: str, keys: Any, assertion: list[str] | None, message: str
) -> None:
    with pytest.raises(InvalidDid, match=message):
        build_did_web_document(did, keys, assertion=assertion)


# --------------------------------------------------------------------------- DidResolver: did:web


def web_document(did: str, **extra: Any) -> JSONObject:
    return {**build_did_web_document(did, [("key-1", KEY.public)]), **extra}


def test_resolve_did_web_through_fetch() -> None:
    did = "did:web:example.com:issuers:1"
    document = web_document(did)
    fetch = FakeFetch({"https://example.com/issuers/1/did.json": document})
    assert DidResolver(fetch).resolve(did) == document
    assert fetch.calls == ["https://example.com/issuers/1/did.json"]


def test_resolve_did_web_over_http_for_localhost() -> None:
    did = "did:web:localhost%3A8000"
    fetch = FakeFetch({"http://localhost:8000/.well-known/did.json": web_document(did)})
    assert DidResolver(fetch, web_scheme="http").resolve(did)["id"] == did
    with pytest.raises(DidResolutionError, match="404"):
        DidResolver(fetch).resolve(did)


def test_resolve_refuses_mismatched_id() -> None:
    did = "did:web:example.com"
    fetch = FakeFetch({did_web_url(did): web_document("did:web:evil.example")})
    with pytest.raises(DidResolutionError, match=r"'id' is 'did:web:evil\.example'"):
        DidResolver(fetch).resolve(did)
    with pytest.raises(DidResolutionError, match="'id'"):
        DidResolver(fetch).dereference(f"{did}#key-1")


def test_resolve_refuses_unknown_methods() -> None:
    resolver = DidResolver(FakeFetch({}))
    for did in ("did:example:123", "did:ion:abc", "did:jwk:eyJ"):
        with pytest.raises(DidResolutionError, match="unsupported DID method"):
            resolver.resolve(did)
    with pytest.raises(DidResolutionError, match="unsupported DID method"):
        resolver.dereference("did:example:123#key-1")


@pytest.mark.parametrize("did", ["", "did:", "did:web", "DID:web:example.com", "did:web:a b", 5])
def test_resolve_refuses_malformed_dids(did: Any) -> None:
    with pytest.raises(InvalidDid):
        DidResolver().resolve(did)


def test_fetch_error_becomes_resolution_error() -> None:
    with pytest.raises(DidResolutionError, match="fetch failed") as info:
        DidResolver(FakeFetch({})).resolve("did:web:example.com")
    assert isinstance(info.value.__cause__, FetchError)

    def broken(url: str) -> bytes:
        raise OSError("connection reset")

    with pytest.raises(DidResolutionError, match="connection reset") as info:
        DidResolver(broken).dereference("did:web:example.com#key-1")
    assert isinstance(info.value.__cause__, OSError)


def test_no_fetcher_configured() -> None:
    with pytest.raises(DidResolutionError, match="no fetcher"):
        DidResolver().resolve("did:web:example.com")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"id": 1, "id": 2}', "duplicate member"),
        (b'{"id": NaN}', "non-standard JSON constant"),
        (b'{"a":' * 40 + b"1" + b"}" * 40, "nested deeper"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b" " * (MAX_DOCUMENT_BYTES + 1), "at most"),
    ],
)
def test_malformed_documents(body: bytes, message: str) -> None:
    fetch = FakeFetch({"https://example.com/.well-known/did.json": body})
    with pytest.raises(DidResolutionError, match=message):
        DidResolver(fetch).resolve("did:web:example.com")


def test_fetcher_returning_non_bytes() -> None:
    with pytest.raises(DidResolutionError, match="not bytes"):
        DidResolver(lambda _url: "{}").resolve("did:web:example.com")  # type: ignore[arg-type,return-value]


def test_relative_ids_and_embedded_relationships() -> None:
    did = "did:web:example.com"
    document = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": "#key-1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": KEY.public.to_multibase(),
            }
        ],
        "assertionMethod": ["#key-1"],
        "authentication": [f"{did}#key-1"],
        "capabilityInvocation": [
            {
                "id": f"{did}#key-2",
                "type": "Ed25519VerificationKey2020",
                "controller": did,
                "publicKeyMultibase": OTHER.public.to_multibase(),
            }
        ],
    }
    resolver = DidResolver(documents={did: document})
    first = resolver.dereference(f"{did}#key-1")
    assert first.public_key == KEY.public
    assert first.purposes == {"assertionMethod", "authentication"}
    second = resolver.dereference(f"{did}#key-2")
    assert second.public_key == OTHER.public
    assert second.type == "Ed25519VerificationKey2020"
    assert second.purposes == {"capabilityInvocation"}


def test_controller_of_method_must_be_the_did() -> None:
    did = "did:web:attacker.example"
    document = web_document(did)
    document["verificationMethod"][0]["controller"] = "did:web:victim.example"
    resolver = DidResolver(documents={did: document})
    with pytest.raises(DidResolutionError, match="controller"):
        resolver.dereference(f"{did}#key-1")
    del document["verificationMethod"][0]["controller"]
    with pytest.raises(DidResolutionError, match="'controller' must be a string"):
        resolver.dereference(f"{did}#key-1")


def test_conflicting_definitions_are_refused() -> None:
    did = "did:web:example.com"
    document = web_document(did)
    document["assertionMethod"] = [
        {**document["verificationMethod"][0], "publicKeyMultibase": W3C_PUBLIC}
    ]
    with pytest.raises(DidResolutionError, match="conflicting"):
        DidResolver(documents={did: document}).dereference(f"{did}#key-1")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"verificationMethod": 5}, "expected an array"),
        ({"verificationMethod": ["#key-1"]}, "expected objects"),
        ({"assertionMethod": [5]}, "expected ids or objects"),
        ({"authentication": [{"type": "Multikey"}]}, "without an id"),
    ],
)
def test_malformed_relationships(change: JSONObject, message: str) -> None:
    did = "did:web:example.com"
    resolver = DidResolver(documents={did: web_document(did, **change)})
    with pytest.raises(DidResolutionError, match=message):
        resolver.dereference(f"{did}#key-1")


def test_bad_key_in_document() -> None:
    did = "did:web:example.com"
    document = web_document(did)
    document["verificationMethod"][0]["publicKeyMultibase"] = "z6Mk"
    with pytest.raises(DidResolutionError, match="key-1"):
        DidResolver(documents={did: document}).dereference(f"{did}#key-1")
    document["verificationMethod"][0]["type"] = "EcdsaSecp256k1VerificationKey2019"
    with pytest.raises(DidResolutionError, match="EcdsaSecp256k1VerificationKey2019"):
        DidResolver(documents={did: document}).dereference(f"{did}#key-1")


def test_seeded_documents_are_not_mutated() -> None:
    did = "did:web:example.com"
    document = web_document(did)
    resolver = DidResolver(documents={did: document})
    resolver.resolve(did)["id"] = "changed"
    assert resolver.resolve(did)["id"] == did


@pytest.mark.parametrize(
    "vm_id",
    ["", "key-1", "did:web:example.com", "ftp://example.com/key#1", "http://example.com/k#1", 7],
)
def test_dereference_rejects_bad_ids(vm_id: Any) -> None:
    with pytest.raises(DidResolutionError):
        DidResolver(FakeFetch({})).dereference(vm_id)


# --------------------------------------------------------------------------- HTTPS key URLs


CONTROLLER = "https://issuer.example/issuers/1"


def controller_document(*refs: Any, **extra: Any) -> JSONObject:
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": CONTROLLER,
        "assertionMethod": list(refs),
        **extra,
    }


def key_document(vm_id: str, key: PublicKey, controller: str = CONTROLLER) -> JSONObject:
    return {
        "@context": MULTIKEY_CONTEXT,
        "id": vm_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": key.to_multibase(),
    }


def test_https_controller_document_embedding_the_key() -> None:
    vm_id = f"{CONTROLLER}#key-1"
    fetch = FakeFetch({CONTROLLER: controller_document(key_document(vm_id, KEY.public))})
    method = DidResolver(fetch).dereference(vm_id)
    assert method.controller == CONTROLLER
    assert method.public_key == KEY.public
    assert method.purposes == {"assertionMethod"}
    assert fetch.calls == [CONTROLLER]


def test_https_key_document_with_separate_controller() -> None:
    vm_id = "https://keys.example/k/1"
    fetch = FakeFetch(
        {vm_id: key_document(vm_id, KEY.public), CONTROLLER: controller_document(vm_id)}
    )
    method = DidResolver(fetch).dereference(vm_id)
    assert method.purposes == {"assertionMethod"}
    assert method.controller == CONTROLLER
    assert fetch.calls == [vm_id, CONTROLLER]


def test_https_key_document_not_listed_by_controller() -> None:
    vm_id = "https://keys.example/k/1"
    fetch = FakeFetch({vm_id: key_document(vm_id, KEY.public), CONTROLLER: controller_document()})
    with pytest.raises(DidResolutionError, match="does not list it"):
        DidResolver(fetch).dereference(vm_id)


def test_https_key_document_controller_id_mismatch() -> None:
    vm_id = "https://keys.example/k/1"
    fetch = FakeFetch(
        {
            vm_id: key_document(vm_id, KEY.public),
            CONTROLLER: {**controller_document(vm_id), "id": "https://other.example/"},
        }
    )
    with pytest.raises(DidResolutionError, match="expected its URL"):
        DidResolver(fetch).dereference(vm_id)


def test_https_key_document_disagreeing_with_controller() -> None:
    vm_id = "https://keys.example/k/1"
    fetch = FakeFetch(
        {
            vm_id: key_document(vm_id, KEY.public),
            CONTROLLER: controller_document(key_document(vm_id, OTHER.public)),
        }
    )
    with pytest.raises(DidResolutionError, match="disagree"):
        DidResolver(fetch).dereference(vm_id)


def test_https_key_document_with_did_controller() -> None:
    did = "did:web:example.com"
    vm_id = "https://keys.example/k/1"
    document = web_document(did, assertionMethod=[vm_id])
    fetch = FakeFetch({vm_id: key_document(vm_id, KEY.public, did), did_web_url(did): document})
    method = DidResolver(fetch).dereference(vm_id)
    assert method.controller == did
    assert method.purposes == {"assertionMethod"}


def test_https_controller_document_id_mismatch() -> None:
    vm_id = f"{CONTROLLER}#key-1"
    document = {
        **controller_document(key_document(vm_id, KEY.public)),
        "id": "https://evil.example/",
    }
    with pytest.raises(DidResolutionError, match="'id'"):
        DidResolver(FakeFetch({CONTROLLER: document})).dereference(vm_id)


def test_https_controller_method_with_foreign_controller() -> None:
    vm_id = f"{CONTROLLER}#key-1"
    document = controller_document(key_document(vm_id, KEY.public, "https://victim.example/"))
    with pytest.raises(DidResolutionError, match="controller"):
        DidResolver(FakeFetch({CONTROLLER: document})).dereference(vm_id)


def test_https_reference_only_needs_fragment_multikeys() -> None:
    multibase = KEY.public.to_multibase()
    vm_id = f"{CONTROLLER}#{multibase}"
    fetch = FakeFetch({CONTROLLER: controller_document(vm_id)})
    with pytest.raises(DidResolutionError, match="not defined"):
        DidResolver(fetch).dereference(vm_id)
    method = DidResolver(fetch, fragment_multikeys=True).dereference(vm_id)
    assert method.public_key == KEY.public
    assert method.purposes == {"assertionMethod"}
    unlisted = f"{CONTROLLER}#{OTHER.public.to_multibase()}"
    with pytest.raises(DidResolutionError, match="not defined"):
        DidResolver(fetch, fragment_multikeys=True).dereference(unlisted)


# --------------------------------------------------------------------------- interop documents

DCC_DIDS = [
    (
        "did:web:digitalcredentials.github.io:dcc-did-web",
        "z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
        "Ed25519VerificationKey2020",
    ),
    (
        "did:web:digitalcredentials.github.io:dcc-did-web:multikey",
        "z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q",
        "Multikey",
    ),
    (
        "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:legacy",
        "z6MkjXe1vZvPRqFuc9nRBtZ3e1Y9XKDFSbjFAfzLfW2bD6cZ",
        "Ed25519VerificationKey2020",
    ),
    (
        "did:web:digitalcredentials.github.io:vc-test-fixtures:dids:oidf",
        "z6MkjXe1vZvPRqFuc9nRBtZ3e1Y9XKDFSbjFAfzLfW2bD6cZ",
        "Multikey",
    ),
]


@pytest.mark.parametrize(("did", "fragment", "vm_type"), DCC_DIDS)
def test_interop_dcc_did_web(did: str, fragment: str, vm_type: str) -> None:
    fetch = interop_fetcher()
    resolver = DidResolver(fetch)
    document = resolver.resolve(did)
    assert document["id"] == did
    assert fetch.calls == [did_web_url(did)]
    method = resolver.dereference(f"{did}#{fragment}")
    assert method.type == vm_type
    assert method.controller == did
    assert method.public_key == PublicKey.from_multibase(fragment)
    assert method.purposes == {"assertionMethod"}


@pytest.mark.parametrize(("did", "fragment", "vm_type"), DCC_DIDS)
def test_interop_dcc_did_web_from_documents(did: str, fragment: str, vm_type: str) -> None:
    resolver = DidResolver(documents=interop_documents())
    method = resolver.dereference(f"{did}#{fragment}")
    assert method.type == vm_type
    assert method.purposes == {"assertionMethod"}


def interop_https_methods() -> list[str]:
    mapping: dict[str, str] = load_json(DOCS / "map.json")
    return sorted(url for url in mapping if url.startswith("https://") and "#" in url)


def test_interop_1edtech_https_method() -> None:
    vm_id = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    if vm_id not in interop_https_methods():
        pytest.skip("the 1EdTech key document is not in the interop map")
    method = DidResolver(documents=interop_documents()).dereference(vm_id)
    assert method.id == vm_id
    assert method.type == "Multikey"
    assert method.controller == "https://example.edu/issuers/565049"
    assert method.public_key == PublicKey.from_multibase(vm_id.partition("#")[2])
    assert method.purposes == {"assertionMethod"}


@pytest.mark.parametrize("vm_id", interop_https_methods())
def test_interop_https_methods(vm_id: str) -> None:
    controller, _, fragment = vm_id.partition("#")
    expected = PublicKey.from_multibase(fragment)
    method = DidResolver(documents=interop_documents()).dereference(vm_id)
    assert (method.controller, method.public_key, method.purposes) == (
        controller,
        expected,
        frozenset({"assertionMethod"}),
    )
    # Over a plain fetcher the controller documents list the keys by reference only.
    fetch = interop_fetcher()
    with pytest.raises(DidResolutionError, match="not defined"):
        DidResolver(fetch).dereference(vm_id)
    method = DidResolver(fetch, fragment_multikeys=True).dereference(vm_id)
    assert (method.controller, method.public_key) == (controller, expected)


# --------------------------------------------------------------------------- hostile documents

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["#key-1", "did:web:example.com"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "type", "controller", "publicKeyMultibase", "publicKeyJwk", "x"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=8,
)
MEMBERS = {
    "verificationMethod": JSON_VALUES,
    "assertionMethod": JSON_VALUES,
    "authentication": JSON_VALUES,
    "controller": JSON_VALUES,
}


@given(st.fixed_dictionaries({"id": st.just("did:web:example.com")}, optional=MEMBERS))
def test_hostile_did_documents_only_raise_resolution_errors(document: JSONObject) -> None:
    resolver = DidResolver(documents={"did:web:example.com": document})
    try:
        method = resolver.dereference("did:web:example.com#key-1")
    except DidResolutionError:
        return
    assert method.controller == "did:web:example.com"


@given(st.binary(max_size=300))
def test_hostile_fetched_bytes_only_raise_resolution_errors(body: bytes) -> None:
    resolver = DidResolver(FakeFetch({CONTROLLER: body}))
    with contextlib.suppress(DidResolutionError):
        resolver.dereference(f"{CONTROLLER}#key-1")


@given(st.text(max_size=80))
def test_hostile_ids_only_raise_did_errors(text: str) -> None:
    resolver = DidResolver(FakeFetch({}))
    for value in (text, "did:web:" + text, "did:key:" + text, "https://" + text):
        with contextlib.suppress(DidResolutionError, InvalidDid):
            resolver.dereference(value)
        with contextlib.suppress(DidResolutionError, InvalidDid):
            resolver.resolve(value)
        with contextlib.suppress(InvalidDid):
            did_web_url(value)
        with contextlib.suppress(InvalidDid):
            did_web_from_url(value)


def test_assertion_methods_lists_a_controllers_keys() -> None:
    did = "did:web:example.fi:issuers:3"
    first, second = KeyPair.generate(), KeyPair.generate(KeyType.P256)
    document = build_did_web_document(
        did, [("a", first.public), ("b", second.public)], assertion=["b"]
    )
    resolver = DidResolver(documents={did: document})
    assert [m.id for m in resolver.assertion_methods(did)] == [f"{did}#b"]
    own = did_key(first.public)
    assert [m.public_key for m in DidResolver().assertion_methods(own)] == [first.public]
    with pytest.raises(DidResolutionError):
        DidResolver().assertion_methods("did:web:unreachable.example.fi")
