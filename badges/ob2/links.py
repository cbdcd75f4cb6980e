"""Fetching the documents an OB 2.0 badge links to, through the injected fetcher.

OB 2.0 "Data Validation": "All required Badge Objects are appropriately linked
and available". A BadgeClass, issuer Profile, CryptographicKey or RevocationList
may be embedded or an HTTP(S) IRI; an IRI is fetched once per verification and
the document found there must carry that ``id``. A fetch that fails is a
``ResolutionError`` (the badge could not be checked); a document that is not a
JSON object of the right size and depth is ``InvalidInput`` (it is wrong).
"""

from __future__ import annotations

import json
from typing import Any

from badges.checks.state import MAX_DEPTH, depth_ok
from badges.errors import FetchError, InvalidInput, ResolutionError
from badges.ob2.documents import is_http_url
from badges.types import HttpFetcher, JSONObject

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_FETCHES = 16
"""At most this many distinct URLs per verification (a badge needs five at most)."""


class Gone(ResolutionError):
    """The URL answered HTTP 410 Gone (a revoked hosted Assertion)."""


class IdMismatch(InvalidInput):
    """The document fetched from a URL does not carry that URL as its ``id``."""


def is_gone(exc: Exception) -> bool:
    """Whether a fetcher's exception says HTTP 410 Gone."""
    return isinstance(exc, FetchError) and exc.status == 410


def parse_json_object(body: bytes | str, what: str) -> JSONObject:
    """A JSON object of bounded size and depth; ``InvalidInput`` otherwise."""
    if len(body) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(f"{what} is larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        value: Any = json.loads(body)
    except RecursionError as exc:
        raise InvalidInput(f"{what} is nested too deeply") from exc
    except ValueError as exc:
        raise InvalidInput(f"{what} is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise InvalidInput(f"{what} is not a JSON object")
    if not depth_ok(value):
        raise InvalidInput(f"{what} is nested deeper than {MAX_DEPTH} levels")
    return value


class Links:
    """Fetches and caches the documents of one verification."""

    def __init__(self, fetch: HttpFetcher | None) -> None:
        self._fetch = fetch
        self._bodies: dict[str, bytes] = {}

    def body(self, url: str) -> bytes:
        """The bytes at ``url`` (``Gone`` for HTTP 410, ``ResolutionError`` for any failure)."""
        if url in self._bodies:
            return self._bodies[url]
        if not is_http_url(url):
            raise InvalidInput(f"{url!r} is not an HTTP(S) URL")
        if self._fetch is None:
            raise FetchError(f"{url}: no fetcher is configured")
        if len(self._bodies) >= MAX_FETCHES:
            raise FetchError(f"{url}: more than {MAX_FETCHES} documents needed")
        try:
            body = self._fetch(url)
        except Exception as exc:  # the fetcher is foreign code; report any failure uniformly
            if is_gone(exc):
                raise Gone(f"{url} answered HTTP 410 Gone") from exc
            raise FetchError(f"{url} could not be fetched: {exc}") from exc
        if not isinstance(body, bytes):
            raise FetchError(f"{url}: the fetcher did not answer bytes")
        if len(body) > MAX_DOCUMENT_BYTES:
            raise InvalidInput(f"{url} is larger than {MAX_DOCUMENT_BYTES} bytes")
        self._bodies[url] = body
        return body

    def document(self, url: str, what: str) -> JSONObject:
        """The JSON object at ``url``; its ``id`` must be ``url`` (it is served from its id)."""
        document = parse_json_object(self.body(url), f"the {what} at {url}")
        if document.get("id") != url:
            raise IdMismatch(f'the {what} at {url} has "id" {document.get("id")!r}, not its URL')
        return document

    def resolve(self, value: object, what: str) -> JSONObject:
        """An embedded document as it is, or the document an HTTP(S) IRI points to."""
        if isinstance(value, dict):
            if not depth_ok(value):
                raise InvalidInput(f"the embedded {what} is nested too deeply")
            return value
        if not isinstance(value, str) or not is_http_url(value):
            raise InvalidInput(f"the {what} must be embedded or an HTTP(S) IRI, got {value!r}")
        return self.document(value, what)
