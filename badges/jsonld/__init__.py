"""Offline JSON-LD 1.1 for credentials: expansion and conversion to RDF, always in safe mode.

Implements the JSON-LD 1.1 Processing Algorithms and API: §4.1 Context Processing, §5.1
Expansion and §8.1 Deserialize JSON-LD to RDF, with jsonld.js ``safe: true`` semantics: anything
the standard algorithms would silently drop (undefined terms, relative IRIs, free-floating values)
raises :class:`~badges.errors.JsonLdError` (``UndefinedTerm`` for properties and types), because
dropped data would sit outside a signature.

Contexts come only from a document loader (by default the pinned contexts of
:mod:`badges.contexts`). Processed contexts are cached per loader when the loader's documents
cannot change (the pinned loader and loaders made by :func:`badges.contexts.document_loader`):
the active context for a list of context URLs, and the property- and type-scoped contexts
derived from it. Nothing that depends on a document's data is cached. Inputs are never mutated.

Output equals pyld 3.3 and jsonld.js 9 (``safe: true``), checked by differential tests. Where
those processors would produce different RDF for the same JSON (so a signature made by one fails
in the other), or silently lose data, this module refuses instead (``JsonLdError.code``):

* ``unsafe integer``: an integer between 2**53 and 10**21 that no IEEE 754 double equals;
* ``ambiguous double``: a rounding tie at 16 digits (printf/Python round half to even,
  ECMAScript half up), a tiny number jsonld.js takes for the integer 0 (``1e-7``), an
  ``xsd:double`` string that is not a plain decimal number;
* ``invalid JSON literal`` / ``duplicate JSON literal``: a ``"__proto__"`` key, or the same
  JSON literal twice on one property of one node (jsonld.js drops the one, repeats the other);
* ``invalid IRI``: characters an IRI (and N-Quads) cannot carry; ``rdfDirection not set``: any
  ``@direction`` (it cannot be kept in RDF here);
* keywords used as properties, values in ``@type`` maps and property-valued indexes that
  jsonld.js would drop.
"""

from __future__ import annotations

import weakref
from typing import Any

from badges.contexts import PinnedDocumentLoader, document_loader, load_document
from badges.errors import JsonLdError
from badges.jsonld.context import CACHE_BUDGET, ActiveContext, Environment
from badges.jsonld.expand import Expander
from badges.jsonld.to_rdf import expanded_to_rdf
from badges.rdf import Quad
from badges.types import DocumentLoader

__all__ = ["expand", "to_rdf"]

_DEFAULT_LOADER = document_loader()
_ROOTS: weakref.WeakKeyDictionary[PinnedDocumentLoader, ActiveContext] = weakref.WeakKeyDictionary()


def expand(document: Any, loader: DocumentLoader | None = None) -> list[Any]:
    """The expanded form of ``document`` (JSON-LD 1.1 §9.1 expand()), in safe mode.

    Meant for tests and debugging; values of ``@json`` literals are shared with the input.
    """
    env, root = _setup(loader)
    try:
        return Expander(env).document(root, document)
    except RecursionError as exc:
        raise JsonLdError("the document is nested too deeply", code="max depth exceeded") from exc


def to_rdf(document: Any, loader: DocumentLoader | None = None) -> list[Quad]:
    """The RDF dataset of ``document`` (JSON-LD 1.1 §9.4 toRdf()), as quads, in safe mode.

    Quads come in the order jsonld.js and pyld produce them, blank nodes labelled ``b0``,
    ``b1``... as theirs are. ``loader`` defaults to the pinned contexts; contexts are cached
    across calls only for loaders made by :func:`badges.contexts.document_loader` (any other
    callable is asked once per URL per call, and its contexts are processed every call).

    Raises :class:`~badges.errors.JsonLdError` (``UndefinedTerm`` for undefined properties and
    types) for invalid documents and safe-mode refusals, ``DocumentLoaderError`` for contexts
    the loader does not have.
    """
    env, root = _setup(loader)
    try:
        return expanded_to_rdf(Expander(env).document(root, document))
    except RecursionError as exc:
        raise JsonLdError("the document is nested too deeply", code="max depth exceeded") from exc


def _setup(loader: DocumentLoader | None) -> tuple[Environment, ActiveContext]:
    """The environment for one run and the initial active context to start from.

    The initial context carries the cache of contexts derived from it, so it is kept per loader
    for loaders whose documents are fixed, and made fresh for any other loader.
    """
    if loader is None or loader is load_document:
        loader = _DEFAULT_LOADER
    if isinstance(loader, PinnedDocumentLoader):
        root = _ROOTS.get(loader)
        if root is None:
            root = _ROOTS[loader] = ActiveContext(None, [CACHE_BUDGET]).finish()
    else:
        root = ActiveContext(None, [CACHE_BUDGET]).finish()
    return Environment(loader), root
