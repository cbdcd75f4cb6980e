"""Active contexts and term definitions (JSON-LD 1.1 Processing Algorithms and API §4.1).

An :class:`ActiveContext` is immutable once :meth:`ActiveContext.finish` has run; that is what
makes the caching in :mod:`badges.jsonld.context` safe.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from badges.jsonld.iri import KEYWORDS, has_keyword_form, is_absolute_iri, resolve_iri
from badges.types import DocumentLoader

CACHE_BUDGET = 512
"""How many derived active contexts one document loader may keep cached."""


class TermDefinition:
    """A term definition (JSON-LD 1.1 §4.1 "term definition"), with per-term flags precomputed."""

    __slots__ = (
        "base_url",
        "c_graph",
        "c_id",
        "c_index",
        "c_language",
        "c_list",
        "c_type",
        "container",
        "context",
        "direction",
        "fast",
        "has_context",
        "has_direction",
        "has_language",
        "index",
        "iri",
        "is_keyword",
        "language",
        "nest",
        "plain_text",
        "prefix",
        "protected",
        "reverse",
        "scoped_key",
        "type_mapping",
    )

    def __init__(self, iri: str | None) -> None:
        self.iri = iri
        self.is_keyword = iri in KEYWORDS
        self.prefix = False
        self.protected = False
        self.reverse = False
        self.type_mapping: str | None = None
        self.has_language = False
        self.language: str | None = None
        self.has_direction = False
        self.direction: str | None = None
        self.container: frozenset[str] = frozenset()
        self.has_context = False
        self.context: Any = None
        self.base_url: str | None = None
        self.nest: str | None = None
        self.index: str | None = None
        self.fast = False
        self.plain_text = False
        self.scoped_key = (self, True, True)
        self.set_container(frozenset())

    def seal(self) -> TermDefinition:
        """Precompute ``fast``: a scalar value of this term expands by Value Expansion alone."""
        self.is_keyword = self.iri in KEYWORDS
        self.fast = (
            self.iri is not None
            and not self.is_keyword
            and not self.has_context
            and not self.c_list
            and not self.c_graph
            and not self.reverse
            and self.type_mapping != "@json"
        )
        self.plain_text = (
            self.fast
            and self.type_mapping in (None, "@none")
            and not self.has_language
            and not self.has_direction
        )
        return self

    def set_container(self, container: frozenset[str]) -> None:
        """Set the container mapping and its precomputed membership flags."""
        self.container = container
        self.c_list = "@list" in container
        self.c_graph = "@graph" in container
        self.c_index = "@index" in container
        self.c_language = "@language" in container
        self.c_id = "@id" in container
        self.c_type = "@type" in container

    def signature(self) -> tuple[Any, ...]:
        """Everything but ``protected``: §4.2.2 step 27.1 compares definitions on this."""
        return (
            self.iri,
            self.prefix,
            self.reverse,
            self.type_mapping,
            self.has_language,
            self.language,
            self.has_direction,
            self.direction,
            self.container,
            self.has_context,
            self.context,
            self.nest,
            self.index,
        )


class ActiveContext:
    """The active context (JSON-LD 1.1 §4.1): term definitions plus defaults; never mutated."""

    __slots__ = (
        "base",
        "budget",
        "derived",
        "direction",
        "keyword_aliases",
        "language",
        "original_base",
        "plain",
        "previous",
        "protected_terms",
        "terms",
        "type_aliases",
        "vocab",
    )

    def __init__(self, base: str | None, budget: list[int]) -> None:
        self.terms: dict[str, TermDefinition] = {}
        self.base = base
        self.original_base = base
        self.vocab: str | None = None
        self.language: str | None = None
        self.direction: str | None = None
        self.previous: ActiveContext | None = None
        self.protected_terms = 0
        self.derived: dict[Hashable, ActiveContext] = {}
        self.budget = budget
        self.keyword_aliases: dict[str, str] = {}
        self.type_aliases: frozenset[str] = frozenset()
        self.plain = True

    def copy(self) -> ActiveContext:
        """A mutable working copy (the "result" of §4.1.2 step 1)."""
        out = ActiveContext(self.base, self.budget)
        out.terms = dict(self.terms)
        out.original_base = self.original_base
        out.vocab = self.vocab
        out.language = self.language
        out.direction = self.direction
        out.previous = self.previous
        out.protected_terms = self.protected_terms
        return out

    def finish(self) -> ActiveContext:
        """Freeze: compute the lookup tables used by expansion."""
        aliases = {kw: kw for kw in KEYWORDS}
        protected = 0
        for term, definition in self.terms.items():
            if definition.is_keyword:
                aliases[term] = definition.iri  # type: ignore[assignment]
            if definition.protected:
                protected += 1
        self.keyword_aliases = aliases
        self.type_aliases = frozenset(k for k, v in aliases.items() if v == "@type")
        self.plain = self.language is None and self.direction is None
        self.protected_terms = protected
        return self

    def remember(self, key: Hashable, result: ActiveContext) -> None:
        """Cache a derived context if this loader's budget allows it."""
        if self.budget[0] > 0:
            self.budget[0] -= 1
            self.derived[key] = result


@dataclass
class Environment:
    """What one processing run needs besides the contexts: the loader and a document cache."""

    loader: DocumentLoader
    documents: dict[str, Any] = field(default_factory=dict)


def expand_iri(
    active: ActiveContext, value: str, *, vocab: bool, document_relative: bool
) -> str | None:
    """§4.4.2 IRI Expansion against a finished active context (no local context)."""
    if value in KEYWORDS:
        return value
    if vocab:
        definition = active.terms.get(value)
        if definition is not None:
            return definition.iri
    if value[:1] == "@" and has_keyword_form(value):
        return None
    colon = value.find(":", 1)
    if colon > 0:
        prefix = value[:colon]
        suffix = value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        prefix_definition = active.terms.get(prefix)
        if (
            prefix_definition is not None
            and prefix_definition.prefix
            and prefix_definition.iri is not None
        ):
            return prefix_definition.iri + suffix
        if is_absolute_iri(value):
            return value
    if vocab and active.vocab is not None:
        return active.vocab + value
    if document_relative and active.base is not None:
        return resolve_iri(value, active.base)
    return value
