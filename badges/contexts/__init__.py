"""The pinned JSON-LD context documents and an offline document loader that serves only them.

The context files in this folder are the normative documents, byte for byte; ``index.json`` maps
each context URL to its file and SHA-256. Nothing here ever opens a network connection: any URL
outside the pinned set (plus, for :func:`document_loader`, the caller's extra documents) is
refused with :class:`~badges.errors.DocumentLoaderError`.

Documents are parsed once and the same object is returned on every call. Callers must treat the
returned documents as read-only: mutating one would change it for every later caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from badges.errors import DocumentLoaderError
from badges.types import DocumentLoader, JSONObject

__all__ = [
    "PINNED_CONTEXTS",
    "PinnedDocumentLoader",
    "context_bytes",
    "document_loader",
    "load_document",
]


def _read_index() -> Mapping[str, str]:
    """URL -> file name, from index.json (alternate captures are listed there but not served)."""
    raw = json.loads(resources.files(__name__).joinpath("index.json").read_bytes())
    return MappingProxyType({url: entry["file"] for url, entry in raw.items()})


_FILES = _read_index()

PINNED_CONTEXTS: frozenset[str] = frozenset(_FILES)
"""The context URLs served offline."""


def context_bytes(url: str) -> bytes:
    """The raw bytes of the pinned file for ``url`` (for checking its SHA-256)."""
    name = _FILES.get(url)
    if name is None:
        raise DocumentLoaderError(f"{url} is not a pinned JSON-LD context")
    return resources.files(__name__).joinpath(name).read_bytes()


@cache
def _parsed(url: str) -> JSONObject:
    document: Any = json.loads(context_bytes(url))
    if not isinstance(document, dict):
        raise DocumentLoaderError(f"the pinned file for {url} is not a JSON object")
    return document


def load_document(url: str) -> JSONObject:
    """The parsed pinned document for ``url``; read-only (the same object on every call).

    Raises ``DocumentLoaderError`` naming the URL if it is not pinned; never fetches anything.
    """
    if url not in _FILES:
        raise DocumentLoaderError(
            f"refusing to load {url!r}: it is not one of the pinned JSON-LD contexts "
            "(documents are never fetched)"
        )
    return _parsed(url)


class PinnedDocumentLoader:
    """A :data:`~badges.types.DocumentLoader` for the pinned contexts plus fixed extra documents.

    Its documents never change, so JSON-LD processing may cache what it derives from them for
    the lifetime of the loader. The extra documents are read-only, like the pinned ones.
    """

    __slots__ = ("__weakref__", "_extra")

    def __init__(self, extra: Mapping[str, JSONObject] | None = None) -> None:
        self._extra: dict[str, JSONObject] = dict(extra or {})

    def __call__(self, url: str) -> JSONObject:
        document = self._extra.get(url)
        if document is not None:
            return document
        return load_document(url)

    def __repr__(self) -> str:
        return f"PinnedDocumentLoader(extra={sorted(self._extra)!r})"


_DEFAULT = PinnedDocumentLoader()


def document_loader(extra: Mapping[str, JSONObject] | None = None) -> DocumentLoader:
    """A loader serving the pinned contexts plus ``extra`` (URL -> parsed document).

    Use ``extra`` for documents a test or deployment pins itself (a CLR or plugfest context).
    An extra document for a URL that is also pinned takes precedence.
    """
    if not extra:
        return _DEFAULT
    return PinnedDocumentLoader(extra)
