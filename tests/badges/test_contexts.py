"""The pinned context loader: byte-exact normative files, offline, nothing else served."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import pytest

from badges import contexts
from badges.contexts import (
    PINNED_CONTEXTS,
    PinnedDocumentLoader,
    context_bytes,
    document_loader,
    load_document,
)
from badges.errors import DocumentLoaderError

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
INDEX: dict[str, Any] = json.loads((SHARED / "spec" / "contexts" / "index.json").read_text())
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def test_pinned_set_is_the_reference_index() -> None:
    assert frozenset(INDEX) == PINNED_CONTEXTS


@pytest.mark.parametrize("url", sorted(INDEX))
def test_shipped_file_matches_the_index_hash_and_parses(url: str) -> None:
    raw = context_bytes(url)
    assert hashlib.sha256(raw).hexdigest() == INDEX[url]["sha256"]
    assert raw == (SHARED / "spec" / "contexts" / INDEX[url]["file"]).read_bytes()
    document = load_document(url)
    assert document == json.loads(raw)
    assert "@context" in document


def test_documents_are_parsed_once() -> None:
    assert load_document(OB303) is load_document(OB303)


def test_the_primary_capture_is_served_not_the_alternate() -> None:
    terms = load_document(OB303)["@context"]
    assert "endorsementJwt" not in terms  # only the unverified alternate capture defines it
    alternate = INDEX[OB303]["alternates"][0]
    assert hashlib.sha256(context_bytes(OB303)).hexdigest() != alternate["sha256"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/ctx.jsonld",
        "http://www.w3.org/ns/credentials/v2",  # http, not https
        "https://www.w3.org/ns/credentials/v2/",
        "",
    ],
)
def test_unpinned_urls_are_refused_with_the_url_named(url: str) -> None:
    with pytest.raises(DocumentLoaderError, match="not one of the pinned") as info:
        load_document(url)
    assert repr(url) in str(info.value)
    with pytest.raises(DocumentLoaderError):
        context_bytes(url)
    with pytest.raises(DocumentLoaderError):
        document_loader()(url)


def test_document_loader_serves_extra_documents_too() -> None:
    extra = {"https://example.com/ctx.jsonld": {"@context": {"x": "https://example.com/x"}}}
    loader = document_loader(extra)
    assert loader("https://example.com/ctx.jsonld") is extra["https://example.com/ctx.jsonld"]
    assert loader(OB303) is load_document(OB303)
    with pytest.raises(DocumentLoaderError):
        loader("https://example.com/other.jsonld")
    assert isinstance(loader, PinnedDocumentLoader)
    assert document_loader() is document_loader(None)


def test_extra_documents_are_copied_at_creation() -> None:
    extra: dict[str, Any] = {}
    loader = document_loader({"https://example.com/a": {"@context": {}}, **extra})
    extra["https://example.com/b"] = {"@context": {}}
    with pytest.raises(DocumentLoaderError):
        loader("https://example.com/b")


def test_the_loader_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    contexts._parsed.cache_clear()
    for url in sorted(PINNED_CONTEXTS):
        assert load_document(url)["@context"]
    with pytest.raises(DocumentLoaderError):
        load_document("https://example.com/ctx.jsonld")
